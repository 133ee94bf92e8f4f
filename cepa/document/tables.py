"""The results as titled tables of cells, in the document's language.

Every table cepa shows - in the terminal, in Markdown and CSV, in the Word report and in
the workbook - is made here from the typed results (cepa/evidence/results.py), by looping
over the kinds of record (cepa/records/kinds/): a figure reads the same everywhere, and
nothing here adds one up. A cell carries its text and the value a machine format writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cepa.base.dates import UNKNOWN
from cepa.base.text import N_
from cepa.document.language import _, country, language, local, ngettext, number, when
from cepa.document.nodes import EMPTY, Cell, Table
from cepa.document.words import (
    GRADE_MARK,
    GRADE_NOTE,
    GRADE_NOTE_PLAIN,
    P_,
    cell,
    cell_word,
    claim_word,
    count,
    coverage_word,
    figure_cell,
    figure_text,
    grade_word,
    key_text,
    kind_title,
    left_out_text,
    mark,
    place_text,
    place_words,
    record_name,
)
from cepa.evidence.figures import NOT_BROKEN_DOWN, Breakdown, Figure, Grade
from cepa.evidence.results import (
    CellStatus,
    ClaimRow,
    ClaimStatus,
    Coverage,
    CoverageStatus,
    Diff,
    DisclosureInfo,
    KindSection,
    LeftOut,
    LeftOutReason,
    Planned,
    PlannedRow,
    ProjectInfo,
    RecordRow,
    RollUp,
    Summary,
    TargetRow,
)
from cepa.records.kind import Column, Kind
from cepa.records.kinds import KINDS

PARTIAL_NOTE = N_(
    "at least: the count is not known for every part, so the figure is the sum of the parts "
    "that are known")
UNRECORDED_NOTE = N_("not recorded: the count is not known")
WITHHELD_NOTE = N_(
    "not published: a figure about children that this document does not show (it would add "
    "children to adults, give a suppressed count away, or be the count of one record)")


def suppressed_note(d: DisclosureInfo | None) -> str:
    base = d.base if d is not None else 5
    return _("c: suppressed so that no child or young person can be identified; other counts "
             "about children are rounded to the nearest {base}, each on its own, so rounded "
             "parts need not add up to their rounded total").format(base=base)


def rounded_note(d: DisclosureInfo | None) -> str:
    base = d.base if d is not None else 5
    return _("Counts about children are rounded to the nearest {base}, each on its own, so "
             "rounded parts need not add up to their rounded total.").format(base=base)


def statement(d: DisclosureInfo) -> str:
    """The publication rules (or the evaluator's), in the document's language."""
    if d.audience == "evaluator":
        return _("For the evaluator, every figure is exact, as recorded, but for one that "
                 "a single record about children or service users alone gives: that is shown "
                 "as the published report shows it (rounded, or 'c'). Such records are not "
                 "listed one by one and none of their free text is shown; they are named "
                 "'outcome record 1', 'feedback record 2'. Not for publication.")
    return _("Publication rules applied: counts about children and service users of 1 to "
             "{threshold} are suppressed (shown 'c'), other such counts are rounded to the "
             "nearest {base} (halves up), no figure adds them to adults' counts, and further "
             "cells are suppressed wherever a suppressed count could otherwise be worked out "
             "from the figures published. Only feedback marked publishable is quoted. Counts "
             "of adult professionals are shown as recorded.").format(threshold=d.threshold,
                                                                     base=d.base)


@dataclass
class Names:
    """The names a document gives partners and countries, in its language."""

    partners: dict[str, str]
    countries: dict[str, str]

    @classmethod
    def of(cls, project: ProjectInfo, codes: Iterable[str] = ()) -> Names:
        given = project.country_names
        wanted = {*codes, *(p.country for p in project.partners),
                  *(a.country for a in project.associates)}
        countries = {c: country(c, given) for c in sorted(wanted)}
        # an organisation whose name is not recorded is named by where it is
        everyone: list[Any] = [*project.partners, *project.associates]
        orgs = {o.id: o.name if o.name != UNKNOWN else _("the partner in {country}").format(
                    country=countries.get(o.country, o.country))
                for o in everyone}
        return cls(orgs, countries)

    def partner(self, pid: str) -> str:
        return self.partners.get(pid, pid)

    def country(self, code: str | None) -> str:
        return key_text(code) if code in ("online", "(none)") else \
            self.countries.get(code or "", code or "")


# --- notes on what a table's marks mean -----------------------------------------------------


def _figures(rows: Iterable[Iterable[Any]]) -> list[Figure]:
    return [c for r in rows for c in r if isinstance(c, Figure)]


def estimate_note(figures: Iterable[Figure]) -> str | None:
    """'* a share of a total ...: <why, in the records' words>' for the estimated figures
    given, a sentence for each mark (grade) among them."""
    why: dict[str, dict[str, None]] = {}
    for f in figures:
        if f.estimated and f.known:
            why.setdefault(mark(f), {})
            grades = f.why_grades or (f.grade,) * len(f.why)
            for w, g in zip(f.why, grades, strict=False):  # each reason under its own grade
                why.setdefault(GRADE_MARK.get(g, mark(f)), {})[str(local(w))] = None
    if not why:
        return None
    out = []
    for g, sign in GRADE_MARK.items():
        if sign not in why:
            continue
        reasons = " ".join(_sentence(w) for w in why[sign])
        out.append(f"{sign} " + (_(GRADE_NOTE[g]).format(why=reasons) if reasons
                                 else _sentence(_(GRADE_NOTE_PLAIN[g]))))
    return " ".join(out)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def notes_for(figures: Sequence[Figure], disclosure: DisclosureInfo | None = None
              ) -> list[str]:
    """Footnotes saying what the marks among ``figures`` mean, where they appear."""
    notes = [
        estimate_note(figures),
        _(PARTIAL_NOTE) if any(f.partial and f.known for f in figures) else None,
        _(UNRECORDED_NOTE) if any(f.value is None and not f.suppressed and not f.withheld
                                  for f in figures) else None,
        suppressed_note(disclosure) if any(f.suppressed for f in figures) else (
            rounded_note(disclosure) if any(f.rounded for f in figures) else None),
        _(WITHHELD_NOTE) if any(f.withheld for f in figures) else None,
    ]
    return [n for n in notes if n]


def table(key: str, title: str, columns: list[str], rows: list[list[Any]],
          notes: Sequence[str] = (), disclosure: DisclosureInfo | None = None,
          figures: Sequence[Figure] = (), **options: Any) -> Table:
    """A table of any values (figures among them, and ``figures`` shown in cells made
    already), its notes on the marks added."""
    out = Table(key, title, columns, [[cell(c) for c in r] for r in rows], list(notes),
                **options)
    figs = [*_figures(rows), *figures]
    out.notes.extend(n for n in notes_for(figs, disclosure) if n not in out.notes)
    return out


def breakdown_table(b: Breakdown | None, key: str, title: str, label: str, value: str,
                    names: dict[str, str] | None = None,
                    disclosure: DisclosureInfo | None = None) -> Table | None:
    """A breakdown as a table of two columns; None when it says nothing."""
    if b is None or not any(k != NOT_BROKEN_DOWN for k in b) or (
            b.cells and all(f.withheld for f in b.values())):  # nothing it may show
        return None
    rows: list[list[Any]] = [[key_text(k, names), f] for k, f in b.items()]
    return table(key, title, [label, value], rows, disclosure=disclosure)


# --- a kind's records --------------------------------------------------------------------


def column_cell(c: Column, r: RecordRow, names: Names) -> Cell:
    """A record's value in a column of its kind's listing."""
    f = c.field
    if f == "id":
        return Cell.of(record_name(r.id))
    if f == "title":
        return Cell.of(record_name(str(local(r.title))))
    if f == "date":
        return Cell.of(when(r.date))
    if f == "place":
        return Cell.of(place_text(r.place, names.countries))
    if f == "partners":
        return Cell.of(", ".join(names.partner(p) for p in r.partners))
    if f == "count":
        return figure_cell(r.count) if r.count is not None else EMPTY
    value = r.fields.get(f)
    if f == "organisers" and isinstance(value, list):
        return Cell.of(", ".join(names.partner(p) for p in value))
    if f == "languages" and isinstance(value, list):
        return Cell.of(", ".join(language(x) for x in value) or "-")
    if f == "reach" and value is not None:
        return Cell(f"{number(value)} {r.fields.get('reach_counts') or ''}".strip(), value,
                    numeric=True)
    if value is None or value == "" or value == []:
        return EMPTY
    return cell(value)


#: The facts of a record (``basis:``) each column of a listing shows.
FACTS = {"date": ("date",), "place": ("city", "country", "mode"),
         "organisers": ("convenor", "co_organisers"),
         "partners": ("convenor", "partner", "partners", "from_partners", "conducted_by"),
         "hosts": ("hosts",), "host": ("host",), "service": ("service",)}
ASSUMED_NOTE = N_("~ assumed: the source does not say; a stand-in is given.")


def _assumed(c: Column, r: RecordRow) -> bool:
    return any(r.basis.get(f) == "assumed" for f in FACTS.get(c.field, (c.field,)))


def listing(kind: Kind, rows: Sequence[RecordRow], names: Names, *, key: str, title: str,
            ids: bool = False, disclosure: DisclosureInfo | None = None) -> Table:
    """A kind's records as a table: its listing's columns (and the record ids first, for
    evaluators); a fact the records assume is marked '~'."""
    cols = [*( [Column("id", N_("id"))] if ids else []), *kind.listing]
    body = []
    assumed = False
    for r in rows:
        line = []
        for c in cols:
            shown_cell = column_cell(c, r, names)
            if c.field != "count" and _assumed(c, r):
                shown_cell = replace(shown_cell, text=f"{shown_cell.text} ~")
                assumed = True
            line.append(shown_cell)
        body.append(line)
    shown = any(c.field == "count" for c in cols)
    figs = [r.count for r in rows if r.count is not None] if shown else []
    notes = notes_for(figs, disclosure)
    if assumed:
        notes.append(_(ASSUMED_NOTE))
    return Table(key, title, [_(c.heading) for c in cols], body, notes)


def kind_tables(kind: Kind, section: KindSection, names: Names,
                disclosure: DisclosureInfo | None = None) -> list[Table]:
    """The breakdowns a kind shows as tables (``Kind.tables``), those that say something."""
    out = []
    for show in kind.tables:
        b = section.breakdowns.get(show.stat)
        t = breakdown_table(b, f"{kind.name}_{show.stat}", _(show.title), _(show.label),
                            _(show.value), names.countries, disclosure)
        if t is not None:
            out.append(t)
    return out


# --- a summary ----------------------------------------------------------------------------


def _has(s: Summary, kind: str) -> bool:
    """Does the project plan or record this kind of activity?"""
    return bool(s.records.get(kind)) or any(a.kind == kind for a in s.activities)


def gathering_kinds(s: Summary) -> list[Kind]:
    return [k for k in KINDS.values() if k.attendance and _has(s, k.name)]


def gatherings_word(s: Summary) -> str:
    """'Seminar participants', 'Event participants', or 'Participants at all gatherings':
    what the attendance figures count, in the project's own kinds of gathering."""
    kinds = gathering_kinds(s)
    if len(kinds) == 1:
        label = dict(kinds[0].overview).get("participants")
        if label:
            return _(label)
    return _("Participants at all gatherings")


def overview_rows(s: Summary) -> list[list[Any]]:
    """Each kind's overview figures, then what only the whole shows."""
    rows: list[list[Any]] = []
    for k in KINDS.values():
        if not _has(s, k.name):
            continue
        section = s.kinds[k.name]
        for stat, label in k.overview:
            if stat in section.figures:
                rows.append([_(label), section.figures[stat]])
    if len(gathering_kinds(s)) > 1:
        rows.append([_("Participants at all gatherings"), s.attendance.total])
    if s.attendance.unique_people:
        rows.append([_("Unique people (from participant keys)"),
                     s.attendance.unique_people.people])
    if s.primary_participants.by_partner:
        rows.append([_("Primary participants"), s.primary_participants.total])
    return rows


def attendance_tables(s: Summary, names: Names) -> list[Table]:
    att = s.attendance
    word = gatherings_word(s)
    acts = {a.id: f"{a.id}: {local(a.title)}" for a in s.activities}
    d = s.disclosure
    specs: list[tuple[Breakdown, str, str, str, dict[str, str] | None]] = [
        (att.by_activity, "by_activity", _("{who} by activity"), _("activity"), acts),
        (att.by_country, "by_country", _("{who} by country where held"), _("country"),
         names.countries),
        (att.by_partner, "by_partner", _("{who} by convening partner"), _("partner"),
         names.partners),
        (att.by_year, "by_year", _("{who} by year"), _("year"), None),
        (att.by_sector, "by_sector", _("{who} by sector"), _("sector"), None),
        (att.by_function, "by_function", _("{who} by function"), _("function"), None),
        (att.by_organisation, "by_organisation", _("{who} by organisation"),
         _("organisation"), None),
        (att.by_participant_country, "by_participant_country",
         _("{who} by the country they came from"), _("country"), names.countries),
    ]
    out = []
    for b, key, title, label, labels in specs:
        t = breakdown_table(b, key, title.format(who=word), label, _("participants"), labels,
                            d)
        if t is not None:
            out.append(t)
    return out


def summary_tables(s: Summary) -> list[Table]:
    """Every table of a one-project summary, in reading order; tables of kinds the project
    does not have are left out."""
    names = Names.of(s.project, s.countries)
    d = s.disclosure
    tables: list[Table] = [table("overview", _("Overview"), [_("measure"), _("value")],
                                 overview_rows(s), disclosure=d)]
    for k in KINDS.values():
        rows = s.kinds[k.name].rows
        if rows and k.listing:
            tables.append(listing(k, rows, names, key=k.name, title=kind_title(k), ids=True,
                                  disclosure=d))
    if gathering_kinds(s) and s.attendance.gatherings.value:
        tables.extend(attendance_tables(s, names))
    u = s.attendance.unique_people
    if u:
        tables.append(table("unique_people", _("Attendances and unique people"),
                            [_("gatherings with participant keys"), _("attendances"),
                             _("unique people")],
                            [[_("{n} of {all}").format(n=u.gatherings, all=u.of_gatherings),
                              u.attendances, u.people]]))
    for k in KINDS.values():  # its records' rows may be left out (for an evaluator)
        if s.records.get(k.name):
            tables.extend(kind_tables(k, s.kinds[k.name], names, d))
    pp = s.primary_participants
    if pp.by_partner:
        tables.append(table("primary_participants", _("Primary participants"),
                            [_("partner"), _("people")],
                            [[names.partner(k), n] for k, n in pp.by_partner.items()]
                            + [[_("Total"), pp.total]], disclosure=d))
    if s.targets:
        tables.append(targets_table(s.targets, not whole(s)))
    tables.extend(planned_tables(s.planned))
    if s.claims:
        tables.append(claims_table(s.claims, d))
    if s.left_out:
        tables.append(left_out_table(s.left_out))
        n = sum(len(x.records) for x in s.left_out)
        tables[0].notes.append(ngettext(
            "Only the records dated inside the period are counted: {n} record is left out "
            "(see 'Records left out of this period').",
            "Only the records dated inside the period are counted: {n} records are left out "
            "(see 'Records left out of this period').", n).format(n=number(n)))
    if d and tables:
        tables[0].notes.insert(0, statement(d))
    return tables


def whole(s: Summary) -> bool:
    """Is the summary of the whole project (not of a reporting period)?"""
    return s.period.start <= s.project.start and s.period.end >= s.project.end


def left_out_sentences(left: Sequence[LeftOut]) -> list[str]:
    """The records left out of a period's figures, in words, a sentence per kind and
    reason."""
    return [left_out_text(x.reason, KINDS[x.kind].record_noun if x.kind in KINDS
                          else ("{n} " + x.kind, "{n} " + x.kind), list(x.records))
            for x in left]


def left_out_table(left: Sequence[LeftOut]) -> Table:
    """The records left out of a period's figures: each kind and reason, how many, which."""
    rows = [[kind_title(KINDS[x.kind]) if x.kind in KINDS else x.kind,
             left_out_reason(x), len(x.records), ", ".join(x.records)] for x in left]
    return table("left_out", _("Records left out of this period"),
                 [_("kind"), _("why"), _("records"), _("ids")], rows,
                 [_("A period's figures count only the records dated inside it; these are "
                    "not in any figure above.")])


def left_out_reason(x: LeftOut) -> str:
    return {LeftOutReason.REACHES_OUTSIDE: _("dated across the period's edge"),
            LeftOutReason.UNDATED: _("date not recorded"),
            LeftOutReason.BEFORE: _("dated before the period"),
            LeftOutReason.AFTER: _("dated after the period")}[x.reason]


def targets_table(targets: Sequence[TargetRow], period: bool = False) -> Table:
    """Targets against actuals; ``period``: the summary is of a reporting period, so the
    whole project's targets are met with that period's records (progress)."""
    rows = []
    for t in targets:
        if t.withheld:
            achieved: Any = P_("figure", "not published")
            actual: Any = achieved
        else:
            actual = t.actual
            achieved = None
            if t.percent is not None:
                text = f"{number(t.percent)}%"
                if t.actual is not None and t.actual.partial:
                    text = _("at least {n}").format(n=text)
                achieved = Cell(text, t.percent, numeric=True, percent=True)
        rows.append([local(t.text), t.target, actual, achieved])
    notes = []
    if period and any(t.period is None for t in targets):
        notes.append(_("The targets are the whole project's; the actuals are this period's "
                       "records, so the share is the progress made in it."))
    return table("targets", _("Targets against actuals"),
                 [_("target"), _("planned"), _("actual"), _("achieved (%)")], rows, notes)


def planned_tables(p: Planned) -> list[Table]:
    def rows(items: Iterable[PlannedRow], reason: bool) -> list[list[Any]]:
        out = []
        for a in items:
            kind = KINDS[a.kind]
            # what was carried out in the kind's own words ('3 seminars', '4 sets of
            # interviews', '1 output'), so that events and record counts never share a column
            held = replace(figure_cell(a.held), text=count(kind.record_noun, a.held))
            who: Any = None
            if a.participants is not None:
                c = figure_cell(a.participants)
                who = replace(c, text=count(kind.noun, a.participants))
            row: list[Any] = [f"{a.id}: {local(a.title)}", a.planned_events, held, who]
            if reason:
                row.append(local(a.reason) or _("no reason recorded"))
            out.append(row)
        return out

    def shown(items: Iterable[PlannedRow]) -> list[Figure]:
        return [a.participants for a in items if a.participants is not None]

    cols = [_("activity"), _("events planned"), _("carried out"), _("taking part")]
    return [
        table("implemented", _("Planned activities implemented"), cols,
              rows(p.implemented, False), figures=shown(p.implemented)),
        table("not_implemented", _("Planned activities not (fully) implemented"),
              [*cols, _("reason")], rows(p.not_implemented, True),
              [] if p.not_implemented else [_("Every planned activity was implemented.")],
              figures=shown(p.not_implemented)),
        table("unforeseen", _("Activities implemented that were not planned"), cols,
              rows(p.unforeseen, False),
              [] if p.unforeseen else [_("No unplanned activities.")],
              figures=shown(p.unforeseen)),
    ]


#: A claim's comparison, in words.
OPS = {"=": N_("{n}"), ">=": N_("at least {n}"), ">": N_("more than {n}"),
       "<=": N_("at most {n}"), "<": N_("fewer than {n}")}


def claims_table(claims: Sequence[ClaimRow], disclosure: DisclosureInfo | None = None
                 ) -> Table:
    rows = []
    for c in claims:
        if c.claimed is None:
            claimed: Any = P_("figure", "not published")
        else:
            shown = f"{c.claimed:g}" if isinstance(c.claimed, float) else number(c.claimed)
            claimed = Cell(_(OPS[c.op]).format(n=shown), c.claimed, numeric=True)
        computed: Any = c.computed if c.computed is not None else (
            P_("figure", "not published") if c.status is ClaimStatus.NOT_PUBLISHED else None)
        rows.append([local(c.text), claimed, computed, claim_result(c)])
    return table("claims", _("Claims checked against the records"),
                 [_("claim"), _("the text says"), _("the records give"), _("result")], rows,
                 disclosure=disclosure)


def claim_result(c: ClaimRow) -> str:
    """A claim's result in words: 'confirmed', 'consistent, on estimates: <records>', 'not
    checked here: about the whole project', ..."""
    if c.status is ClaimStatus.ON_ESTIMATES and c.estimates:
        shown = ", ".join(record_name(r) for r in c.estimates[:6]) + (
            " ..." if len(c.estimates) > 6 else "")
        return _("consistent, on estimates: {records}").format(records=shown)
    if c.status is ClaimStatus.OTHER_PERIOD:
        return (_("not checked here: about the whole project") if c.period is None else
                _("not checked here: about the period {period}").format(period=c.period))
    return claim_word(c.status)


def by_table(field_name: str, breakdowns: dict[str, Breakdown],
             disclosure: DisclosureInfo | None = None,
             countries: dict[str, str] | None = None) -> Table:
    """``summarize --by``: one column per kind of record, never one that adds them up."""
    kinds = [k for k, b in breakdowns.items() if len(b)] or list(breakdowns)[:1]
    keys: list[str] = []
    for b in breakdowns.values():
        keys.extend(k for k in b if k not in keys)
    label = _(field_name.replace("_", " "))
    if len(kinds) == 1:
        k = KINDS[kinds[0]]
        title = _("{kind}: {counts} by {field}").format(kind=kind_title(k),
                                                         counts=_(k.counts), field=label)
        columns = [label, _(k.counts)]
    else:
        title = _("People by {field}").format(field=label)
        columns = [label, *(_("{kind}: {counts}").format(kind=kind_title(KINDS[k]),
                                                          counts=_(KINDS[k].counts))
                            for k in kinds)]
    names = countries if field_name in ("country", "participant_country") else None
    rows: list[list[Any]] = [[key_text(key, names), *(breakdowns[k].get(key) for k in kinds)]
                             for key in keys]
    return table("by", title, columns, rows, disclosure=disclosure)


ROLLUP_WORDS = {
    "primary_participants": N_("Primary participants"),
    "claims_holding": N_("Claims holding"),
    "claims_on_estimates": N_("Claims holding on estimates"),
    "claims_not_holding": N_("Claims not holding"),
}


def rollup_label(row: Any) -> str:
    """A roll-up row's label: as the kind's overview names it."""
    if row.measure in ROLLUP_WORDS:
        return _(ROLLUP_WORDS[row.measure])
    kind = KINDS.get(row.kind or "")
    if kind is not None:
        for stat, label in kind.overview:
            key = row.measure.removeprefix(f"{kind.name}.")
            if key == stat or kind.measures.get(row.measure, (None,))[0] == dict(
                    kind.stats).get(stat):
                return _(label)
    return key_text(row.measure)


def rollup_table(r: RollUp, title: str | None = None, label: str | None = None,
                 names: dict[str, str] | None = None) -> Table:
    """A programme-level roll-up: a column per project and a total (``label`` and
    ``names``: a roll-up of a breakdown, whose rows are its keys)."""
    rows: list[list[Any]] = [[rollup_label(row) if label is None
                              else key_text(row.measure, names),
                              *row.projects, row.total] for row in r.rows]
    return table("rollup", title or _("Programme roll-up"),
                 [label or _("measure"), *r.projects, _("total")], rows)


# --- coverage --------------------------------------------------------------------------


def coverage_table(cov: Coverage) -> Table:
    """The matrix: objectives against activities, each cell the records and the people
    behind it, or what its lack of records means (a gap: planned, no evidence; not held;
    '-': not planned), the weighed evidence, the gaps and the objectives short of evidence
    shaded."""
    acts = cov.activities
    rows: list[list[Cell]] = []
    figs: list[Figure] = []
    for o in cov.objectives:
        cells: list[Cell] = []
        for a in acts:
            c = o.cells[a]
            if not c.records:  # what the lack of records means: a gap, not held, or '-'
                word = cell_word(c.status)
                cells.append(Cell(word, None if c.status is CellStatus.NOT_PLANNED else word))
            elif c.people is None or (c.people.value is None and not c.people.suppressed
                                      and not c.people.withheld):
                cells.append(Cell(number(c.records), c.records, numeric=True))
            else:
                figs.append(c.people)
                text = f"{number(c.records)} / {figure_text(c.people)}"
                # records and people: one text (a spreadsheet cell holds one number)
                cells.append(Cell(text, text, numeric=True))
        # how many kinds of record are in the table of grades (the columns show which)
        rows.append([Cell.of(f"{o.id}. {local(o.short) or local(o.text)[:40]}"), *cells,
                     cell(o.records), cell(o.evidence),
                     Cell.of(coverage_word(o.status))])
    notes = [
        _("Each cell: records / people behind it (participants, interviews, young people, "
          "children); the records alone where no count is recorded. 'gap': the activity is "
          "planned for the objective and was held (or is said to have been), but no record "
          "of it serves the objective; 'not held': planned for it, and no record of it is "
          "dated in this period (one dated across its edge, or not dated, is listed among "
          "those left out); '-': not planned for it."),
        rules_note(cov),
        weights_note(cov),
        *notes_for(figs, cov.disclosure),
        _(SHADED_NOTE),
    ]
    if cov.unrecorded:
        notes.append(unrecorded_note(cov))
    if cov.disclosure:
        notes.insert(0, statement(cov.disclosure))
    return Table("coverage", _("Objective coverage"),
                 [_("objective"), *acts, _("records"), _("evidence"), _("status")], rows,
                 [n for n in notes if n], coverage_shading(cov), small=True)


def unrecorded_note(cov: Coverage) -> str:
    return ngettext("Activity {ids} is said to have happened, but no record belongs to it.",
                    "Activities {ids} are said to have happened, but no record belongs to "
                    "them.", len(cov.unrecorded)).format(ids=", ".join(cov.unrecorded))


def coverage_grades(cov: Coverage) -> Table:
    """Each objective's records by the grade of their count, and what they weigh."""
    grades = [g for g in Grade if any(o.grades.get(str(g)) for o in cov.objectives)]
    rows: list[list[Any]] = [
        [f"{o.id}. {local(o.short) or local(o.text)[:40]}",
         *(o.grades.get(str(g), 0) for g in grades), o.evidence,
         len([k for k in o.kinds if k in KINDS])] for o in cov.objectives]
    return table("coverage_grades", _("Evidence of each objective by how its figures were "
                                      "obtained"),
                 [_("objective"), *(grade_word(g) for g in grades), _("evidence"),
                  _("kinds")], rows)


def weights_note(cov: Coverage) -> str:
    """What a record weighs as evidence, in sentences."""
    half = [grade_word(Grade(g)) for g, w in cov.weights.items() if w == 0.5]
    return _("Evidence weighs each record by how its count was obtained: 1 when counted, "
             "estimated from a named source, or not a count (an output); the records that "
             "share out one total the source gives weigh 1 together; {half}: 1/2 each."
             ).format(half=", ".join(half))


def coverage_values(cov: Coverage) -> list[Table]:
    """The coverage as values for CSV: a row per objective and activity (its status,
    records, weighed evidence, people and their grade), and a row per objective."""
    cells: list[list[Any]] = []
    for o in cov.objectives:
        for a in cov.activities:
            c = o.cells[a]
            people = c.people
            cells.append([Cell.of(f"{o.id}:{a}"), Cell.of(o.id), Cell.of(a),
                          Cell.of(str(c.status)), _bool(c.planned),
                          Cell(str(c.records), c.records, numeric=True),
                          Cell(str(c.evidence), c.evidence, numeric=True),
                          figure_cell(people) if people is not None else Cell("", None),
                          Cell.of(people.grade if people is not None else "")])
    objectives: list[list[Any]] = []
    for o in cov.objectives:
        objectives.append([Cell.of(o.id), Cell.of(str(o.status)),
                           Cell(str(o.records), o.records, numeric=True),
                           Cell(str(o.evidence), o.evidence, numeric=True),
                           Cell(str(len(o.kinds)), len(o.kinds), numeric=True),
                           figure_cell(o.people),
                           figure_cell(o.children) if o.children is not None else
                           Cell("", None),
                           Cell.of(" ".join(o.gaps))])
    return [Table("coverage_cells", _("Objective coverage, cell by cell"),
                  ["cell", "objective", "activity", "status", "planned", "records",
                   "evidence", "people", "grade"], cells),
            Table("coverage_objectives", _("Objective coverage, objective by objective"),
                  ["objective", "status", "records", "evidence", "kinds", "people",
                   "children", "gaps"], objectives)]


def _bool(value: bool) -> Cell:
    word = "yes" if value else "no"
    return Cell(word, word)


def rules_note(cov: Coverage) -> str:
    """What 'covered' means in this project, in sentences of their own."""
    rules = cov.rules
    sentences = [ngettext("An objective is covered when its records weigh at least {n} as "
                          "evidence.",
                          "An objective is covered when its records weigh at least {n} as "
                          "evidence.",
                          rules.min_records).format(n=number(rules.min_records))]
    if rules.min_kinds > 1:
        sentences.append(ngettext("They must be of at least {n} kind of record.",
                                  "They must be of at least {n} kinds of record.",
                                  rules.min_kinds).format(n=number(rules.min_kinds)))
    sentences.append(_("Below that an objective has little evidence; with no record, none. "
                       "An activity planned for it that was held with no record for it "
                       "leaves a gap."))
    return " ".join(sentences)


#: What shaded cells of the coverage matrix mean, in the report and the workbook alike.
SHADED_NOTE = N_("Shaded: a gap (an activity planned for the objective with no record behind "
                 "it) or an objective short of evidence.")


def coverage_shading(cov: Coverage) -> set[tuple[int, int]]:
    """The cells of the matrix to shade, as (row, column): the gaps and the status of each
    objective short of evidence. Every output shades the same cells."""
    acts = cov.activities
    gaps = {(i, 1 + j) for i, o in enumerate(cov.objectives) for j, a in enumerate(acts)
            if o.cells[a].status is CellStatus.PLANNED_NO_EVIDENCE}
    short = {(i, len(acts) + 3) for i, o in enumerate(cov.objectives)
             if o.status is not CoverageStatus.COVERED}
    return gaps | short


def coverage_glance(cov: Coverage) -> Table:
    """Each objective with its records, their weighed evidence, how many kinds of record
    they are, and its status: the coverage matrix without its cells, for a summary page."""
    rows = [[f"{o.id}. {local(o.short) or local(o.text)[:40]}", o.records, o.evidence,
             len([k for k in o.kinds if k in KINDS]),
             Cell.of(coverage_word(o.status))]
            for o in cov.objectives]
    t = table("coverage_glance", _("Coverage of the objectives at a glance"),
              [_("objective"), _("records"), _("evidence"), _("kinds"),
               _("status")], rows,
              [rules_note(cov), _("The Coverage sheet has the full matrix.")])
    t.shaded = {(i, 4) for i, o in enumerate(cov.objectives)
                if o.status is not CoverageStatus.COVERED}
    if t.shaded:
        t.notes.append(_(SHADED_NOTE))
    if cov.unrecorded:
        t.notes.append(unrecorded_note(cov))
    return t


def explain_table(objective: str, activity: str | None,
                  rows: list[tuple[str, str, str]]) -> Table:
    where = (_("objective {objective}, activity {activity}").format(
        objective=objective, activity=activity) if activity
        else _("objective {objective}").format(objective=objective))
    return table("explain", _("Records behind {where}").format(where=where),
                 [_("activity"), _("record"), _("file")],
                 [[a, record_name(rid), f] for a, rid, f in rows],
                 [] if rows else [_("No records.")])


# --- what changed since a submission ----------------------------------------------------------


CHANGE_WORDS = {"changed": N_("changed"), "added": N_("added"), "gone": N_("gone")}
DOCUMENT_WORDS = {"unchanged": N_("unchanged"), "changed": N_("changed since"),
                  "missing": N_("missing")}


def diff_tables(d: Diff) -> list[Table]:
    """``cepa diff``: the figures that moved, the records behind them, the documents."""
    def value(v: int | None) -> Cell:
        return (Cell(number(v), v, numeric=True) if v is not None
                else Cell(P_("figure", "not recorded"), None))

    figures = [[Cell(place_words(f.figure), f.figure), value(f.submitted), value(f.now),
                Cell(_(CHANGE_WORDS[f.change]), f.change),
                Cell.of(", ".join(f.records) or _("none: the project file changed"))]
               for f in d.figures]
    records = [[Cell.of(r.id), Cell.of(_(KINDS[r.kind].title) if r.kind in KINDS else r.kind),
                Cell(_(CHANGE_WORDS[r.change]), r.change), Cell.of(r.file or "-"),
                Cell.of(r.revision or _("no reason recorded"))] for r in d.records]
    out = []
    if records:  # the few records first, then every figure they moved
        out.append(Table("records", _("Records that changed since it was submitted"),
                         [_("record"), _("kind"), _("change"), _("file"), _("why")], records,
                         [_("Why: the record's 'revision:', or the project file's "
                            "'revisions:' for the period; cepa validate warns until each "
                            "says why.")]))
    out.append(Table("figures", _("Figures of '{period}' that moved since it was submitted on "
                                  "{day}").format(period=d.period, day=when(d.submitted)),
                     [_("figure"), _("submitted"), _("now"), _("change"),
                      _("records behind it that changed")], figures,
                     [] if figures else [_("No submitted figure moved.")]))
    if d.documents:
        out.append(Table("documents", _("Documents submitted"), [_("file"), _("now")],
                         [[Cell.of(x.file), Cell(_(DOCUMENT_WORDS[x.state]), x.state)]
                          for x in d.documents]))
    return out
