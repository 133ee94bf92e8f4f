"""The report to the funder, as a document: built once, in one language, from gated results.

``build`` lays the summary and the coverage matrix (through the publication gate when the
report is public) and the coordinator's own texts out in the order an EC action grant's
final technical report asks for: identification, the participants of each activity,
target groups reached, planned activities implemented and not, unforeseen ones, the
results of each activity, the coordinator's own sections, and the annexes. That is cepa's
outline (cepa/records/outline.py); the project file's ``report: outline:`` may reorder the
parts, leave some out (with all they hold), give them other headings and add sections of
the writer's own. ``BUILDERS`` says what builds each of cepa's parts; the builder walks
the outline, progress counts it, and the contents list the headings it makes. Each part's
words come from its template (cepa/document/templates.py);
its tables and charts from cepa/document/tables.py and charts.py. Nothing here adds a
figure up; nothing here writes a file (cepa/writers/docx.py lays the document out).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from cepa.base.dates import UNKNOWN
from cepa.base.text import N_, NP_
from cepa.document import language as lang
from cepa.document.charts import attendance_charts
from cepa.document.language import _, local, pgettext
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
from cepa.document.templates import (
    TemplateError,
    TemplateProblem,
    Templates,
    shipped_names,
    static_problems,
)
from cepa.document.templates import stale as stale_template
from cepa.document.words import (
    ESTIMATE_MARK,
    GRADE_MARK,
    GRADE_NOTE_PLAIN,
    P_,
    count,
    figure_cell,
    record_name,
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
    figures_in,
)
from cepa.records.kinds import KINDS
from cepa.records.narrative import SECTIONS, Section, sections
from cepa.records.outline import PARTS as PART_NAMES
from cepa.records.outline import Placed, placed

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
    #: the report's language, when it is not the project's, and how many of the project's
    #: texts are not given in it (they stand in the project's language)
    untranslated: tuple[str, int] | None = None
    commit: str | None = None
    templates: list[Path] = field(default_factory=list)
    today: date = field(default_factory=date.today)
    #: the parts of the report in order, as the project's outline places them
    outline: list[Placed] = field(default_factory=lambda: placed(None))
    #: the sections of the coordinator's own words among them (cepa's and the writer's)
    sections: tuple[Section, ...] = SECTIONS
    #: the report's version, as the project file gives it
    version: str | None = None

    @classmethod
    def of(cls, project: Any, **given: Any) -> Sources:
        """The sources of a project's report: its outline and sections, and ``given``."""
        report = getattr(project, "report", None)
        return cls(outline=placed(report), sections=sections(project),
                   version=report.version if report is not None else None, **given)


#: The fields a reference document's header and footer may hold ({{ code }}, ...), and what
#: each prints; ``Builder`` gives their values (docs/templates.md lists them).
FIELDS: dict[str, str] = {
    "report_title": "the report's title (report_title: in the project file)",
    "title": "the project's title",
    "code": "the project's reference (code: in the project file)",
    "programme": "the funding programme",
    "period": "the period the report covers, in words",
    "date": "the day the report was written, in words",
    "version": "the report's version (report: version: in the project file)",
    "lead": "the lead partner's name",
}
#: Other names a writer may use for the same fields.
FIELD_ALIASES = {"project.code": "code", "project.title": "title",
                 "project.programme": "programme", "period.label": "period"}


class Builder:
    """Builds one report document from a summary, a coverage matrix and the sources.
    ``checking``: a template's error is noted in ``errors`` and the build goes on."""

    def __init__(self, summary: Summary, cov: Coverage, sources: Sources,
                 checking: bool = False) -> None:
        self.s, self.cov, self.sources = summary, cov, sources
        self.checking = checking
        self.errors: list[TemplateProblem] = []
        self.templates = Templates(sources.templates)
        self.names = Names.of(summary.project, summary.countries)
        self.templates.env.filters["country"] = self.names.country
        self.templates.env.filters["organisers"] = self.organisers
        self.templates.env.filters["where_when"] = self.where_when
        self.templates.env.filters["named"] = _named
        self.ctx = context(summary, cov, sources, self.names)
        values = {"report_title": self.ctx["report_title"],
                  "code": summary.project.code if summary.project.code != UNKNOWN else "",
                  "title": str(local(summary.project.title)),
                  "programme": summary.project.programme,
                  "period": self.ctx["period"]["label"],
                  "date": lang.day_month_year(sources.today),
                  "version": sources.version or "", "lead": self.ctx["lead"]}
        self.doc = Document(
            title=f"{summary.project.code}: {local(summary.project.title)}",
            subject=(_("Final report") if summary.period.name in (None, "final")
                     else _("Report for {period}").format(period=self.ctx["period"]["label"])),
            language=lang.current(),
            fields={**values, **{a: values[f] for a, f in FIELD_ALIASES.items()}},
            words={"page": _("Page"), "of": _("of")},
            fingerprint=summary.fingerprint, created=sources.today)
        self.seen_kinds: set[str] = set()
        #: the number of the next annex
        self.annex = 1
        #: the estimate notes, numbered in order
        self.footnotes: list[str] = []
        #: the parts the report has: the outline's, without the notes on the figures when
        #: no figure of the report is an estimate with a reason
        self.parts = [p for p in sources.outline
                      if p.name != "figure_notes" or self.ctx["estimate_reasons"]]
        self.headings = self._headings()
        #: where the notes on the figures go, once every table has numbered its estimates
        self._notes_at: int | None = None
        self.ctx.update(parts=[p.name for p in self.parts], headings=self.headings,
                        annex_headings=[self.headings[p.name] for p in self.parts
                                        if p.annex])

    def _headings(self) -> dict[str, str]:
        """Each part's heading: the outline's (in the report's language), else cepa's; an
        annex's numbered in the order the outline gives."""
        out: dict[str, str] = {}
        n = 0
        for p in self.parts:
            title = str(local(p.title)) if p.title else (
                _(PART_NAMES[p.name].title) if p.name in PART_NAMES else p.name)
            if p.annex:
                n += 1
                title = _("Annex {n}: {title}").format(n=n, title=title)
            out[p.name] = title
        return out

    def organisers(self, row: Any) -> str:
        """The partners responsible for a record, by name; empty when not recorded."""
        return lang.listed([self.names.partner(p) for p in row.partners if p != UNKNOWN])

    def where_when(self, row: Any) -> str:
        """' (Brussels, Belgium, June 2002)': the place and date of a record that are
        known, in brackets after a space; empty when neither is."""
        place = _place_of(row.place, self.names) if row.place is not None else ""
        if place == P_("figure", "not recorded"):
            place = ""
        date_ = lang.when(row.date) if row.date and row.date != UNKNOWN else ""
        parts = [x for x in (place, date_) if x]
        return f" ({', '.join(parts)})" if parts else ""

    # the pieces

    def text(self, name: str, **extra: Any) -> None:
        """A template's Markdown as blocks of the document."""
        self.doc.add(*blocks(self.render(name, {**self.ctx, "annex": self.annex, **extra})))

    def render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.templates.render(name, context)
        except TemplateError as e:
            if not self.checking:
                raise
            self.errors.append(TemplateProblem(Path(e.template).resolve(), e.line or 1,
                                               "template-error", e.why))
            return ""

    def part_text(self, name: str, p: Placed, **extra: Any) -> None:
        """A part's template under the part's heading. A template of the project's own
        that writes a heading of its own keeps it, unless the outline gives one."""
        start = len(self.doc.blocks)
        self.text(name, heading=self.headings[p.name], **extra)
        if p.title:
            first = next((b for b in self.doc.blocks[start:]
                          if isinstance(b, Heading) and b.level == 1), None)
            if first is not None:
                first.text = self.headings[p.name]
            else:
                self.doc.blocks.insert(start, Heading(1, self.headings[p.name]))
        if p.annex:
            self.annex += 1

    def table(self, t: Table | None) -> None:
        if self.checking:  # the templates are being checked: no table is a template's
            return
        if t is not None and (t.rows or t.empty):
            self.doc.add(self.numbered(t) if "figure_notes" in self.headings else t)

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
        made = blocks(self.render("title", self.ctx))
        heads = [b for b in made if isinstance(b, Heading) and b.level <= 2]
        for h in heads:
            self.doc.add(Paragraph([_run(h.text)], "title" if h.level == 1 else "subtitle"))
        s, src = self.s, self.sources
        shown = {UNKNOWN: P_("figure", "not recorded")}
        facts = [(_("Project"), shown.get(s.project.code, s.project.code)),
                 (_("Programme"), shown.get(s.project.programme, s.project.programme)),
                 (_("Period covered"), self.ctx["period"]["label"]),
                 (_("Partners"), ", ".join(
                     f"{p.name} ({self.names.country(p.country)})" if p.name != UNKNOWN
                     else self.names.partner(p.id) for p in s.project.partners)),
                 (_("Date"), lang.day_month_year(src.today))]
        if src.version:
            facts.append((_("Version"), src.version))
        if src.commit:
            facts.append((_("Records at git commit"), src.commit))
        if s.fingerprint:
            facts.append((_("Records fingerprint"), s.fingerprint[:12]))
        if s.disclosure:
            # the statement names its reader ('For the evaluator, every figure is exact')
            facts.append((pgettext("title page", "Figures")
                          if s.disclosure.audience == "evaluator" else _("Publication"),
                          statement(s.disclosure)))
        if s.left_out:
            facts.append((_("Left out of this period"),
                          " ".join(f"{x}." for x in left_out_sentences(s.left_out))))
        unwritten = [self.section_title(sec) for sec in src.sections
                     if sec.key not in src.narrative]
        if unwritten:
            facts.append((_("Not yet written"), ", ".join(unwritten)))
        # printed, but short or beside a placeholder: 'cepa validate --final' says why
        unfinished = [self.section_title(sec) for sec in src.sections
                      if sec.key in src.narrative and sec.key in src.incomplete]
        if unfinished:
            facts.append((_("Still to complete"), ", ".join(unfinished)))
        if src.untranslated and src.untranslated[1]:
            _code, n = src.untranslated
            facts.append((_("Not translated"), lang.ngettext(
                "{n} of the project's texts is given only in {language}.",
                "{n} of the project's texts are given only in {language}.", n).format(
                    n=lang.number(n), language=lang.language(self.s.project.language))))
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

    def section_title(self, sec: Section) -> str:
        """A section of the coordinator's words as its heading says it (no annex number)."""
        return str(local(sec.heading)) if sec.heading else _(sec.title)

    def identification(self, p: Placed) -> None:
        self.part_text("identification", p)

    def participants(self, p: Placed) -> None:
        self.part_text("participants", p)
        for act in self.s.activities:
            actx = self.activity_context(act)
            self.text("activity", **actx)
            self.text(actx["paragraph"], **actx)
            if act.records:
                for t in self.activity_tables(act) if not self.checking else ():
                    self.table(t)
                if act.comments:
                    self.text("comments", **self.activity_context(act))

    def target_groups(self, p: Placed) -> None:
        self.part_text("target_groups", p)
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

    def planned(self, p: Placed) -> None:
        key = p.name
        self.part_text(key, p)
        t = next(t for t in planned_tables(self.s.planned) if t.key == key)
        if t.rows:
            t.caption = False
            self.table(t)

    def results(self, p: Placed) -> None:
        self.part_text("results", p)
        silent = []  # activities with no result written, said in one sentence
        for act in self.s.activities:
            if not (act.expected_results or act.results or act.indicators) and (
                    act.records or act.status is ActivityStatus.IMPLEMENTED):
                silent.append(act.id)
                continue
            self.text("activity_results", **self.activity_context(act))
            if act.indicators:
                t = table(f"indicators_{act.id}",
                          _("Indicators of activity {id}").format(id=act.id),
                          [_("indicator"), _("target"), _("achieved")],
                          [[i.text, i.target, i.actual] for i in act.indicators],
                          disclosure=self.s.disclosure)
                t.caption = False
                self.table(t)
        if silent:
            self.doc.add(Paragraph([_run(lang.ngettext(
                "No results have been written for activity {ids}.",
                "No results have been written for activities {ids}.", len(silent)).format(
                    ids=lang.listed([str(x) for x in silent])))]))

    def narrative(self, p: Placed) -> None:
        """A section of the coordinator's own words (cepa's, or the writer's own)."""
        sec = next(s for s in self.sources.sections
                   if (s.key if s.own else s.file.replace("-", "_")) == p.name)
        text = self.sources.narrative.get(sec.key, "")
        self.part_text("narrative", p, section=sec, section_title=self.headings[p.name],
                       section_asks=sec.asks if sec.own else _(sec.asks),
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
        """The heading of the annexes, and what they are."""
        self.text("annexes", heading=_("Annexes"))

    def attendance(self, p: Placed) -> None:
        self.part_text("attendance", p)
        for chart in attendance_charts(self.s, self.names):
            self.doc.add(chart)
        by_key = {t.key: t for t in attendance_tables(self.s, self.names)}
        for key in ("by_activity", "by_country", "by_sector", "by_year", "by_organisation"):
            self.table(by_key.get(key))
        if self.s.targets:
            self.table(targets_table(self.s.targets, not whole(self.s)))

    def coverage(self, p: Placed) -> None:
        self.part_text("coverage", p)
        t = coverage_table(self.cov)
        t.caption = False  # the annex's heading says it
        self.table(t)
        self.table(coverage_grades(self.cov))

    def claims(self, p: Placed) -> None:
        self.part_text("claims", p)
        if self.s.claims:
            t = claims_table(self.s.claims, self.s.disclosure)
            t.caption = False  # the annex's heading says it
            self.table(t)

    def appendix(self, p: Placed) -> None:
        """Every record in the period, by kind, from the summary's rows (so publication
        mode suppresses here too), its estimates marked with the numbers of their notes."""
        self.part_text("appendix", p)
        for kind in KINDS.values() if not self.checking else ():
            rows = self.s.kinds[kind.name].rows
            if not rows:
                continue
            body = [[Cell.of(record_name(r.id)), Cell.of(lang.when(r.date)),
                     Cell.of(_place(r, self.names)),
                     figure_cell(r.count) if r.count is not None else Cell("-"),
                     Cell.of(r.source)] for r in rows]
            self.table(Table(f"appendix_{kind.name}", _(kind.title),
                             [_("record id"), _("date"), _("place"), _(kind.counts),
                              _("source file")], body, small=True))

    def figure_notes(self, p: Placed) -> None:
        """The notes the estimates' numbers refer to, each reason once: its heading and
        words here, the notes themselves once every table has numbered its estimates
        (``build``)."""
        self.part_text("figure_notes", p)
        self._notes_at = len(self.doc.blocks)

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
            t = breakdown_table(b, f"{name}_{act.id}", _("{counts} in activity {id}, by {what}")
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
        steps = ["title", *(p.name for p in self.parts)]
        for i, step in enumerate(steps):
            if progress:
                progress(step, i, len(steps))
            if i == 0:
                self.title()
                continue
            p = self.parts[i - 1]
            if p.annex and not any(q.annex for q in self.parts[:i - 1]):
                self.annexes()  # the annexes' heading, before the first
            if p.own or p.name in _NARRATIVE:
                self.narrative(p)
            else:
                BUILDERS[p.name](self, p)
        if self._notes_at is not None and self.footnotes:
            self.doc.blocks.insert(self._notes_at,
                                   Items([[Run(n)] for n in self.footnotes], ordered=True))
        elif self._notes_at is not None and not self.checking:
            # foreseen, but no table marked an estimate: the report without the annex
            return Builder(self.s, self.cov, replace(self.sources, outline=[
                p for p in self.sources.outline if p.name != "figure_notes"])).build(progress)
        if progress:
            progress("done", len(steps), len(steps))
        return self.doc


#: cepa's parts of the coordinator's own words (the narrative template, the .md files).
_NARRATIVE = frozenset(s.file.replace("-", "_") for s in SECTIONS)

#: What builds each of cepa's other parts (cepa/records/outline.py names them all).
BUILDERS: dict[str, Callable[[Builder, Placed], None]] = {
    "identification": Builder.identification,
    "participants": Builder.participants,
    "target_groups": Builder.target_groups,
    "implemented": Builder.planned,
    "not_implemented": Builder.planned,
    "unforeseen": Builder.planned,
    "results": Builder.results,
    "attendance": Builder.attendance,
    "coverage": Builder.coverage,
    "claims": Builder.claims,
    "appendix": Builder.appendix,
    "figure_notes": Builder.figure_notes,
}
assert set(BUILDERS) | _NARRATIVE == set(PART_NAMES), \
    "every part cepa/records/outline.py names is built here"


def build(summary: Summary, cov: Coverage, sources: Sources | None = None,
          progress: Progress | None = None) -> Document:
    """The report as a document, in the language being written (``language.using``)."""
    return Builder(summary, cov, sources or Sources()).build(progress)


#: What a template is given besides the report's context (``context``), by where it is used.
TEMPLATE_EXTRAS = ("heading", "annex", "section", "section_title", "section_asks", "text",
                   "output_languages", "activity", "kind", "rows", "changes", "notes", "noun",
                   "record_noun", "by_country", "smallest", "paragraph", "places", "status")


def check_templates(summary: Summary, cov: Coverage, sources: Sources
                    ) -> list[TemplateProblem]:
    """Every problem of the project's own templates (``sources.templates``), at its file
    and line: each is read for its syntax, names and fields in every branch, and the report
    is built with all of cepa's parts and the project's own sections, final and interim,
    with each template's errors noted rather than stopping at the first; a template written
    from an older one of cepa's, and one cepa has no template of its name for, are
    named too."""
    files = sorted({f.resolve() for folder in sources.templates
                    for f in folder.glob("*.md.j2") if f.is_file()})
    if not files:
        return []
    every = [*placed(None), *(p for p in sources.outline if p.own)]
    out: list[TemplateProblem] = []
    # interim as well when a template asks whether the report is final
    finals = (True, False) if any("final" in f.read_text(encoding="utf-8", errors="replace")
                                  for f in files if os.access(f, os.R_OK)) else (True,)
    for final in finals:
        b = Builder(summary, cov, replace(sources, outline=every, sections=(
            *SECTIONS, *(s for s in sources.sections if s.own))), checking=True)
        b.ctx["final"] = final
        if final:
            env = b.templates.env
            known: dict[str, Any] = {**dict.fromkeys(TEMPLATE_EXTRAS), **b.ctx}
            texts: dict[Path, str] = {}
            for f in files:
                try:
                    texts[f] = f.read_text(encoding="utf-8", errors="replace")
                except OSError as e:
                    out.append(TemplateProblem(f, 1, "template-error",
                                               f"it cannot be read: {e.strerror or e}"))
            kinds = {f"activity_{k}.md.j2" for k in KINDS}
            for f, text in texts.items():
                try:
                    out.extend(static_problems(f, text, env, known))
                except Exception as e:  # whatever a text holds, validate names it
                    out.append(TemplateProblem(f, 1, "template-error", str(e)))
                old = stale_template(f, text)
                if old is not None:
                    out.append(old)
                included = any(f.name in t for g, t in texts.items() if g != f)
                if f.name not in shipped_names() and f.name not in kinds and not included:
                    out.append(TemplateProblem(f, 1, "template-unused", (
                        f"cepa has no template named {f.name}, and no other template "
                        "includes it, so the report never uses it; 'cepa templates list' "
                        "names cepa's")))
        b.build()
        out.extend(b.errors)
    seen: dict[tuple[str, int, str], TemplateProblem] = {}
    for p in out:  # an error read in the text is not said again as the report meets it
        if p.code == "template-error" and any(
                (str(p.path), p.line) == k[:2] and q.code == p.code for k, q in seen.items()):
            continue
        seen.setdefault((str(p.path), p.line, p.message), p)
    return sorted(seen.values(), key=lambda p: (str(p.path), p.line, p.message))


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


def _named(row: Any) -> str:
    """An event by its type and title ('Press conference "Launch of the toolkit"'), or by
    its title alone where that begins with the type ('"Training of social workers"')."""
    kind = str(local(row.fields.get("type")) or "")
    title = str(local(row.title))
    if not kind or kind == UNKNOWN or title.lower().startswith(kind.lower()):
        return f'"{title}"'
    return f'{kind[:1].upper()}{kind[1:]} "{title}"'


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
    partners = [{"id": x.id, "name": names.partner(x.id), "country": x.country,
                 "address": x.address,
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
        "countries": [names.country(c) for c in s.countries if c != UNKNOWN],
        "coverage": cov,
        "partners": partners,
        "associates": [{"id": a.id, "name": a.name, "country": a.country,
                        "country_name": names.country(a.country), "type": a.type,
                        "description": a.description} for a in p.associates],
        "lead": names.partner(p.lead) if p.lead else (names.partner(p.partners[0].id)
                                                       if p.partners else ""),
        "objectives": [{"id": o.id, "text": str(local(o.text)).rstrip("."), "short": o.short}
                       for o in p.objectives],
        "generated": lang.day_month_year(sources.today),
        "report_title": str(local(p.report_title) or (
            _("{title}: project report").format(title=local(p.title))
            if local(p.title) != UNKNOWN else _("Project report"))),
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
    return list(figures_in(obj))
