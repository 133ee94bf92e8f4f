"""The report to the funder, as a document: built once, in one language, from gated results.

``build`` lays the summary and the coverage matrix (through the publication gate when the
report is public) and the coordinator's own texts out in the order an EC action grant's
final technical report asks for: identification, the participants of each activity,
target groups reached, planned activities implemented and not, unforeseen ones, the
results of each activity, the coordinator's own sections, and the annexes. ``OUTLINE`` is
that order, once: the builder walks it, progress counts it, and the contents list the
headings it makes. Each part's words come from its template (cepa/document/templates.py);
its tables and charts from cepa/document/tables.py and charts.py. Nothing here adds a
figure up; nothing here writes a file (cepa/writers/docx.py lays the document out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from cepa.base.text import N_, NP_
from cepa.document import language as lang
from cepa.document.charts import attendance_charts
from cepa.document.language import _, local
from cepa.document.markdown import Markdown, blocks
from cepa.document.nodes import (
    Cell,
    Contents,
    Document,
    Facts,
    Heading,
    Items,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from cepa.document.tables import (
    Names,
    attendance_tables,
    breakdown_table,
    claims_table,
    coverage_grades,
    coverage_table,
    kind_tables,
    left_out_sentences,
    listing,
    notes_for,
    planned_tables,
    rules_note,
    statement,
    table,
    targets_table,
    whole,
)
from cepa.document.templates import Templates
from cepa.document.words import (
    ESTIMATE_MARK,
    GRADE_MARK,
    GRADE_NOTE_PLAIN,
    P_,
    count,
    figure_cell,
    status_word,
)
from cepa.evidence.figures import Figure
from cepa.evidence.results import (
    HAPPENED,
    ActivityRow,
    ActivityStatus,
    ClaimStatus,
    Coverage,
    Summary,
    figures_of,
)
from cepa.records.kinds import KINDS
from cepa.records.narrative import SECTIONS

Progress = Callable[[str, int, int], None]

#: Counted phrases the section texts use besides the kinds' own.
NOUNS = {
    "participant_noun": NP_("{n} participant", "{n} participants"),
    "host_noun": NP_("{n} host organisation", "{n} host organisations"),
    "country_noun": NP_("{n} country", "{n} countries"),
}

TOC_PLACEHOLDER = N_("(Right-click to update the table of contents and its page numbers; in "
                     "LibreOffice: Tools > Update > Update All.)")


@dataclass
class Sources:
    """What a report is written from besides the results: the coordinator's sections (in
    the report's language, Markdown), the record files left out for errors, the records'
    git commit, the folders of the project's own templates, and the day it is written."""

    narrative: dict[str, str] = field(default_factory=dict)
    #: sections printed as written but no full answer yet (they say the sources do not
    #: cover a point): listed as not yet written with those never written
    incomplete: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    commit: str | None = None
    templates: list[Path] = field(default_factory=list)
    today: date = field(default_factory=date.today)


@dataclass
class Part:
    """A part of the report: its name (and its template's) and what builds it."""

    name: str
    build: Callable[[Builder], None]


class Builder:
    """Builds one report document from a summary, a coverage matrix and the sources."""

    def __init__(self, summary: Summary, cov: Coverage, sources: Sources) -> None:
        self.s, self.cov, self.sources = summary, cov, sources
        self.templates = Templates(sources.templates)
        self.names = Names.of(summary.project, summary.countries)
        self.templates.env.filters["country"] = self.names.country
        self.templates.env.filters["organisers"] = self.organisers
        self.ctx = context(summary, cov, sources, self.names)
        self.doc = Document(
            title=f"{summary.project.code}: {local(summary.project.title)}",
            subject=(_("Final report") if summary.period.name in (None, "final")
                     else _("Report for {period}").format(period=self.ctx["period"]["label"])),
            language=lang.current(),
            fields={"report_title": self.ctx["report_title"], "code": summary.project.code,
                    "title": str(local(summary.project.title)),
                    "period": self.ctx["period"]["label"],
                    "date": lang.day_month_year(sources.today)},
            words={"page": _("Page"), "of": _("of")},
            fingerprint=summary.fingerprint, created=sources.today)
        self.seen_kinds: set[str] = set()
        #: the number of the next annex
        self.annex = 1
        #: the estimate notes of the appendix, numbered in order
        self.footnotes: list[str] = []

    def organisers(self, row: Any) -> str:
        """The partners responsible for a record, by name ('not recorded' when unknown)."""
        return ", ".join(self.names.partner(p) for p in row.partners) or \
            P_("figure", "not recorded")

    # the pieces

    def text(self, name: str, **extra: Any) -> None:
        """A template's Markdown as blocks of the document."""
        self.doc.add(*blocks(self.templates.render(name, {**self.ctx, "annex": self.annex,
                                                          **extra})))

    def annex_text(self, name: str) -> None:
        """The heading and words of the next annex (numbered in the order they come)."""
        self.text(name)
        self.annex += 1

    def table(self, t: Table | None) -> None:
        if t is not None and (t.rows or t.empty):
            self.doc.add(self.numbered(t))

    def numbered(self, t: Table) -> Table:
        """The table with each estimate marked by the number of its note in 'Notes on the
        figures' (each reason once in the report), instead of the reasons under it; the
        mark itself says how the figure was obtained."""
        marks: dict[str, set[str]] = {}
        for row in t.rows:
            for j, c in enumerate(row):
                if c.estimated and c.why:
                    numbers = []
                    for why in c.why:
                        if why not in self.footnotes:
                            self.footnotes.append(why)
                        numbers.append(str(self.footnotes.index(why) + 1))
                    row[j] = replace(c, mark=",".join(numbers))
                    marks.setdefault(c.sign or ESTIMATE_MARK, set()).update(numbers)
        if marks:
            signs = tuple(f"{sign} " for sign in GRADE_MARK.values())
            t.notes = [n for n in t.notes if not n.startswith(signs)]
            said = []
            for g, sign in GRADE_MARK.items():
                if sign in marks:
                    numbers = sorted(marks[sign], key=int)
                    said.append(f"{sign} " + lang.ngettext(
                        "{what}: see note {notes} on the figures",
                        "{what}: see notes {notes} on the figures", len(numbers)).format(
                            what=_(GRADE_NOTE_PLAIN[g]), notes=", ".join(numbers)))
            t.notes.insert(0, " ".join(said))
        return t

    # the parts

    def title(self) -> None:
        made = blocks(self.templates.render("title", self.ctx))
        heads = [b for b in made if isinstance(b, Heading) and b.level <= 2]
        for h in heads:
            self.doc.add(Paragraph([_run(h.text)], "title" if h.level == 1 else "subtitle"))
        s, src = self.s, self.sources
        facts = [(_("Project"), s.project.code), (_("Programme"), s.project.programme),
                 (_("Period covered"), self.ctx["period"]["label"]),
                 (_("Partners"), ", ".join(f"{p.name} ({self.names.country(p.country)})"
                                           for p in s.project.partners)),
                 (_("Date"), lang.day_month_year(src.today))]
        if src.commit:
            facts.append((_("Records at git commit"), src.commit))
        if s.fingerprint:
            facts.append((_("Records fingerprint"), s.fingerprint[:12]))
        if s.disclosure:
            facts.append((_("For the evaluator") if s.disclosure.audience == "evaluator"
                          else _("Publication"), statement(s.disclosure)))
        if s.left_out:
            facts.append((_("Left out of this period"),
                          " ".join(f"{x}." for x in left_out_sentences(s.left_out))))
        unwritten = [_(sec.title) for sec in SECTIONS
                     if sec.key not in src.narrative or sec.key in src.incomplete]
        if unwritten:
            facts.append((_("Not yet written"), ", ".join(unwritten)))
        if src.broken:
            facts.append((_("Left out"), lang.ngettext(
                "{n} record file with errors, whose figures are missing from this report: "
                "{files}",
                "{n} record files with errors, whose figures are missing from this report: "
                "{files}", len(src.broken)).format(
                    n=len(src.broken), files=", ".join(src.broken[:5])
                    + (" ..." if len(src.broken) > 5 else ""))))
        self.doc.add(Facts(facts))
        self.doc.add(*[b for b in made if b not in heads])
        self.doc.add(PageBreak(), Contents(_("Contents"), _(TOC_PLACEHOLDER)), PageBreak())

    def identification(self) -> None:
        self.text("identification")

    def participants(self) -> None:
        self.text("participants")
        for act in self.s.activities:
            actx = self.activity_context(act)
            self.text("activity", **actx)
            self.text(actx["paragraph"], **actx)
            if act.records:
                for t in self.activity_tables(act):
                    self.table(t)
                if act.comments:
                    self.text("comments", **self.activity_context(act))

    def target_groups(self) -> None:
        self.text("target_groups")
        groups = self.s.target_groups
        if groups:
            kinds = {a.id: KINDS[a.kind] for a in self.s.activities}
            rows: list[list[Any]] = []
            figures: list[Figure] = []
            for g in groups:
                who = "; ".join(f"{aid}: {count(kinds[aid].noun, f)}"
                                for aid, f in g.reached.items())
                figures.extend(g.reached.values())
                rows.append([g.name, ", ".join(g.activities) or "-", who or "-"])
            t = table("target_groups", _("Target groups reached"),
                      [_("target group"), _("activities"), _("who took part, by activity")],
                      rows, notes_for(figures, self.s.disclosure))
            t.notes.append(_("One person may take part in several activities, so the figures "
                             "of different activities are not added together."))
            t.caption = False  # the section's heading says it
            self.table(t)

    def planned(self, key: str) -> None:
        self.text(key)
        t = next(t for t in planned_tables(self.s.planned) if t.key == key)
        if t.rows:
            t.caption = False
            self.table(t)

    def results(self) -> None:
        self.text("results")
        for act in self.s.activities:
            self.text("activity_results", **self.activity_context(act))
            if act.indicators:
                t = table(f"indicators_{act.id}",
                          _("Indicators of activity {id}").format(id=act.id),
                          [_("indicator"), _("target"), _("achieved")],
                          [[i.text, i.target, i.actual] for i in act.indicators],
                          disclosure=self.s.disclosure)
                t.caption = False
                self.table(t)

    def narrative(self) -> None:
        for sec in SECTIONS:
            text = self.sources.narrative.get(sec.key, "")
            self.text("narrative", section=sec, section_title=_(sec.title),
                      section_asks=_(sec.asks),
                      text=Markdown(_demote(text)) if text else "")
            if sec.key == "dissemination":
                self.outputs()

    def outputs(self) -> None:
        outputs = self.s.kinds.get("outputs")
        if outputs is None or not outputs.rows:
            return
        self.text("outputs", output_languages=[lang.language(x)
                                               for x in outputs.values.get("languages", [])])

    def annexes(self) -> None:
        self.text("annexes")

    def attendance(self) -> None:
        self.annex_text("attendance")
        for chart in attendance_charts(self.s, self.names):
            self.doc.add(chart)
        by_key = {t.key: t for t in attendance_tables(self.s, self.names)}
        for key in ("by_activity", "by_country", "by_sector", "by_year", "by_organisation"):
            self.table(by_key.get(key))
        if self.s.targets:
            self.table(targets_table(self.s.targets, not whole(self.s)))

    def coverage(self) -> None:
        self.annex_text("coverage")
        t = coverage_table(self.cov)
        t.caption = False  # the annex's heading says it
        self.table(t)
        self.table(coverage_grades(self.cov))

    def claims(self) -> None:
        self.annex_text("claims")
        if self.s.claims:
            t = claims_table(self.s.claims, self.s.disclosure)
            t.caption = False  # the annex's heading says it
            self.table(t)

    def appendix(self) -> None:
        """Every record in the period, by kind, from the summary's rows (so publication
        mode suppresses here too), its estimates marked with the numbers of their notes."""
        self.annex_text("appendix")
        for kind in KINDS.values():
            rows = self.s.kinds[kind.name].rows
            if not rows:
                continue
            body = [[Cell.of(r.id), Cell.of(lang.when(r.date)), Cell.of(_place(r, self.names)),
                     figure_cell(r.count) if r.count is not None else Cell("-"),
                     Cell.of(r.source)] for r in rows]
            self.table(Table(f"appendix_{kind.name}", _(kind.title),
                             [_("record id"), _("date"), _("place"), _(kind.counts),
                              _("source file")], body, small=True))

    def figure_notes(self) -> None:
        """The notes the estimates' numbers refer to, each reason once."""
        if not self.footnotes:
            return
        self.annex_text("figure_notes")
        self.doc.add(Items([[Run(n)] for n in self.footnotes], ordered=True))

    # an activity

    def activity_context(self, act: ActivityRow) -> dict[str, Any]:
        kind = KINDS[act.kind]
        section = self.s.kinds[act.kind]
        rows = [r for r in section.rows if r.activity == act.id]
        # the reason of an activity not (fully) held is given with the planned activities
        reason_later = act.status in (ActivityStatus.NOT_IMPLEMENTED, ActivityStatus.POSTPONED,
                                      ActivityStatus.PARTLY)
        changes = [c for c in act.changes if not (reason_later and c.id == act.id)]
        # a note several records share (a split both visits assume) is said once
        notes = list({local(n.text): n for n in act.notes}.values())
        return {"activity": act, "kind": kind, "section": section, "rows": rows,
                "changes": changes, "notes": notes,
                "noun": kind.noun, "record_noun": kind.record_noun,
                "by_country": act.by_country, "smallest": act.smallest,
                "paragraph": ("activity_unrecorded" if not act.records
                              and act.status in HAPPENED else
                              self.templates.name_for(act.kind)),
                "places": [_place_of(p, self.names) for p in act.places],
                "status": status_word(act.status)}

    def activity_tables(self, act: ActivityRow) -> list[Table]:
        kind = KINDS[act.kind]
        section = self.s.kinds[act.kind]
        rows = [r for r in section.rows if r.activity == act.id]
        d = self.s.disclosure
        out: list[Table] = []
        if kind.listing and kind.count:  # records without a count: the paragraph lists them
            out.append(listing(kind, rows, self.names, key=f"{kind.name}_{act.id}",
                               title=_("{kind} of activity {id}").format(
                                   kind=_(kind.title), id=act.id), disclosure=d))
        for name, b in act.breakdowns.items():
            what = name.removeprefix("by_")
            label = {"country": _("country they came from")}.get(what, _(what.replace("_", " ")))
            t = breakdown_table(b, f"{name}_{act.id}", _("{counts} of activity {id} by {what}")
                                .format(counts=_(kind.counts).capitalize(), id=act.id,
                                        what=label), label, _(kind.counts),
                                self.names.countries if what == "country" else None, d)
            if t is not None:
                out.append(t)
        if kind.name not in self.seen_kinds:  # the kind's own tables, under its first
            self.seen_kinds.add(kind.name)
            shown = set(act.breakdowns) if len(self.s.kinds[act.kind].rows) == len(rows) \
                else set()  # the activity holds all the kind's records: said already
            own = dict(kind.stats)
            out.extend(t for t in kind_tables(kind, section, self.names, d)
                       if getattr(own.get(t.key.removeprefix(f"{kind.name}_")), "breakdown",
                                  None) not in shown)
        return out

    # the whole

    def build(self, progress: Progress | None = None) -> Document:
        steps = [p.name for p in OUTLINE]
        for i, part in enumerate(OUTLINE):
            if progress:
                progress(part.name, i, len(steps))
            part.build(self)
        if progress:
            progress("done", len(steps), len(steps))
        return self.doc


#: The report's parts, in the order the funder asks for them.
OUTLINE: tuple[Part, ...] = (
    Part("title", Builder.title),
    Part("identification", Builder.identification),
    Part("participants", Builder.participants),
    Part("target_groups", Builder.target_groups),
    Part("implemented", lambda b: b.planned("implemented")),
    Part("not_implemented", lambda b: b.planned("not_implemented")),
    Part("unforeseen", lambda b: b.planned("unforeseen")),
    Part("results", Builder.results),
    Part("narrative", Builder.narrative),
    Part("annexes", Builder.annexes),
    Part("attendance", Builder.attendance),
    Part("coverage", Builder.coverage),
    Part("claims", Builder.claims),
    Part("appendix", Builder.appendix),
    Part("figure_notes", Builder.figure_notes),
)


def build(summary: Summary, cov: Coverage, sources: Sources | None = None,
          progress: Progress | None = None) -> Document:
    """The report as a document, in the language being written (``language.using``)."""
    return Builder(summary, cov, sources or Sources()).build(progress)


# --- what the templates see ---------------------------------------------------------------


def _run(text: str) -> Run:
    return Run(text)


def _demote(markdown: str) -> str:
    """The coordinator's headings become sub-headings under the section's own."""
    out = []
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#") and stripped.lstrip("#").startswith(" "):
            line = "### " + stripped.lstrip("#").strip()
        out.append(line)
    return "\n".join(out)


def _place_of(p: Any, names: Names) -> str:
    from cepa.document.words import place_text

    return place_text(p, names.countries)


def _place(r: Any, names: Names) -> str:
    return _place_of(r.place, names) if r.place is not None else "-"


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def label(name: str | None, dates: str) -> str:
    """A reporting period as the report names it: 'interim (January 2005 to ...)'."""
    return _("{name} ({dates})").format(name=name, dates=dates) if name else dates


def context(s: Summary, cov: Coverage, sources: Sources, names: Names) -> dict[str, Any]:
    """What the section texts can use: the summary's fields and each kind's section by its
    name, the coverage, and the project's words - every count they print already made."""
    p = s.project
    per = s.period
    holding = sum(c.status in (ClaimStatus.HOLDS, ClaimStatus.ON_ESTIMATES) for c in s.claims)
    withheld = sum(c.status in (ClaimStatus.NOT_PUBLISHED, ClaimStatus.OTHER_PERIOD)
                   for c in s.claims)
    partners = [{"id": x.id, "name": x.name, "country": x.country, "address": x.address,
                 "country_name": names.country(x.country), "type": x.type, "role": x.role,
                 "primary_participants": x.primary_participants,
                 "primary_participants_description": x.primary_participants_description}
                for x in p.partners]
    reasons: dict[str, None] = {}
    for f in _all_figures(s):
        if f.estimated and f.known:
            reasons.update(dict.fromkeys(str(local(w)).rstrip(".") + "." for w in f.why))
    final = per.end >= p.end and date.fromisoformat(p.end) < sources.today
    return {
        **_fields(s),
        **s.kinds,
        "period": {**_fields(per), "label": label(per.name, lang.period(per.start, per.end)),
                   "whole": per.start <= p.start and per.end >= p.end},
        "project": {**_fields(p), "period_label": lang.period(p.start, p.end)},
        "countries": [names.country(c) for c in s.countries],
        "coverage": cov,
        "partners": partners,
        "associates": [{"id": a.id, "name": a.name, "country": a.country,
                        "country_name": names.country(a.country), "type": a.type,
                        "description": a.description} for a in p.associates],
        "lead": names.partner(p.lead) if p.lead else (p.partners[0].name if p.partners
                                                       else ""),
        "objectives": [{"id": o.id, "text": str(local(o.text)).rstrip("."), "short": o.short}
                       for o in p.objectives],
        "generated": lang.day_month_year(sources.today),
        "report_title": str(local(p.report_title) or _("{title}: project report").format(
            title=local(p.title))),
        "final": final,
        "estimate_reasons": list(reasons),
        "claims_holding": holding,
        "claims_failing": len(s.claims) - holding - withheld,
        "claims_checked": len(s.claims) - withheld,
        "gatherings": s.attendance.gatherings,
        "counts": {"implemented": len(s.planned.implemented),
                   "not_implemented": len(s.planned.not_implemented),
                   "unforeseen": len(s.planned.unforeseen)},
        "partner_names": names.partners,
        "coverage_rules": rules_note(cov),
        **NOUNS,
    }


def _all_figures(obj: Any) -> list[Figure]:
    return [f for _where, f in figures_of(obj)]
