"""How figures, values, places, dates and statuses read in a document's language.

A figure reads '127', '45*' (estimated), 'at least 20' (some records behind it hold no
count), 'not recorded', 'c' (suppressed) or 'not published' (withheld); a cell carries
that text and the number a machine format writes. Every output shows figures through
``figure_text`` and ``cell``, so a figure reads the same everywhere.
"""

from __future__ import annotations

import re
from typing import Any

from cepa.base.text import N_
from cepa.document.language import _, label, local, ngettext, number, pgettext
from cepa.document.nodes import EMPTY, Cell
from cepa.evidence.figures import NOT_BROKEN_DOWN, NOT_KNOWN, OTHERS, Figure, Grade
from cepa.evidence.results import (
    ActivityStatus,
    CellStatus,
    ClaimStatus,
    CoverageStatus,
    LeftOutReason,
    Place,
)

#: The mark of an estimate, by its grade: a share of a known total (whose total is exact),
#: an estimate that names its source, one that does not, and an assumed figure.
GRADE_MARK = {Grade.SPLIT: "*", Grade.ESTIMATED: "≈", Grade.UNSOURCED: "?",
              Grade.ASSUMED: "~"}
ESTIMATE_MARK = GRADE_MARK[Grade.SPLIT]
SUPPRESSED_MARK = "c"

def mark(f: Figure) -> str:
    """The mark an estimated figure carries: by its grade."""
    return GRADE_MARK.get(f.grade, ESTIMATE_MARK) if f.estimated else ""


def P_(context: str, message: str) -> str:
    """``pgettext`` under a name the catalogue extraction knows."""
    return pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Marks a message with its context for the catalogue; ``pgettext`` translates it."""
    return message


#: What each grade's mark means, in a table's note ({why}: the records' own words).
GRADE_NOTE = {
    Grade.SPLIT: N_("estimated share of a total the source gives (that total is exact): "
                    "{why}"),
    Grade.ESTIMATED: N_("estimated: {why}"),
    Grade.UNSOURCED: N_("estimated, with no source given: {why}"),
    Grade.ASSUMED: N_("assumed, not recorded: {why}"),
}
GRADE_NOTE_PLAIN = {
    Grade.SPLIT: N_("estimated share of a total the source gives (that total is exact)"),
    Grade.ESTIMATED: N_("estimated"),
    Grade.UNSOURCED: N_("estimated, with no source given"),
    Grade.ASSUMED: N_("assumed, not recorded"),
}
#: A grade in a word, for a column of grades.
GRADE_WORD = {
    Grade.EXACT: NC_("grade", "exact"),
    Grade.SPLIT: NC_("grade", "share of a known total"),
    Grade.ESTIMATED: NC_("grade", "estimated, with a source"),
    Grade.UNSOURCED: NC_("grade", "estimated, no source"),
    Grade.ASSUMED: NC_("grade", "assumed"),
    Grade.NOT_RECORDED: NC_("grade", "not recorded"),
}


#: How a published figure is shown, in a column of grades: the publication gate's rounding
#: or withholding says more than how the figure was obtained.
SHOWN_GRADE = {
    "rounded": NC_("grade", "rounded"),
    "not published": NC_("grade", "not published"),
}


def grade_word(g: Grade | str) -> str:
    if g in SHOWN_GRADE:
        return pgettext("grade", SHOWN_GRADE[str(g)])
    return pgettext("grade", GRADE_WORD[Grade(g)])


def grade_of(f: Figure) -> str:
    """A figure's grade as a column of grades gives it: 'rounded' or 'not published' for
    one the publication gate rounded, suppressed or withheld."""
    if f.suppressed or f.withheld:
        return "not published"
    if f.rounded:
        return "rounded"
    return str(f.grade if f.value is not None else Grade.NOT_RECORDED)


def figure_text(f: Figure) -> str:
    """How every output shows a figure: '127', '45*', 'at least 20', 'not recorded', 'c',
    'not published'."""
    if f.withheld:
        return P_("figure", "not published")
    if f.suppressed:
        return SUPPRESSED_MARK
    if f.value is None:
        return P_("figure", "not recorded")
    shown = number(f.value) + mark(f)
    return _("at least {n}").format(n=shown) if f.unrecorded else shown


def recorded(f: Any) -> bool:
    """Does the figure say something (a value, or a suppressed or withheld one) rather than
    'not recorded'?"""
    return isinstance(f, Figure) and (f.value is not None or f.suppressed or f.withheld)


def count(pair: tuple[str, str], f: Figure | int | None) -> str:
    """A counted phrase ('{n} participant' / '{n} participants') in the form its number
    takes in the document's language, the number as ``figure_text`` shows it."""
    if isinstance(f, Figure):
        if f.withheld:  # no number to count with
            return P_("figure", "not published")
        if f.value is None and not f.suppressed:
            return P_("figure", "not recorded")
        n = f.value if f.value is not None else 2
        shown = figure_text(f)
    else:
        n = f if f is not None else 2
        shown = number(f) if f is not None else P_("figure", "not recorded")
    return ngettext(pair[0], pair[1], n).format(n=shown)


def figure_cell(f: Figure) -> Cell:
    text = figure_text(f)
    n = f.number()
    estimated = f.estimated and f.known
    return Cell(text, n if n is not None else text, numeric=True,
                estimated=estimated, counts=_(f.counts) if f.counts else "",
                children=f.children, unrecorded=f.unrecorded, records=f.records,
                why=tuple(str(local(w)) for w in f.why) if estimated else (),
                sign=mark(f) if estimated else "",
                grade=grade_of(f))


def cell(value: Any) -> Cell:
    """Any value of a result as a table's cell."""
    if value is None:
        return EMPTY
    if isinstance(value, Cell):
        return value
    if isinstance(value, Figure):
        return figure_cell(value)
    if isinstance(value, bool):
        word = P_("answer", "yes") if value else P_("answer", "no")
        return Cell(word, word)
    if isinstance(value, int | float):
        return Cell(number(value), value, numeric=True)
    if isinstance(value, dict):
        value = local(value)
        return Cell(value, value)
    if isinstance(value, list | tuple):
        text = ", ".join(str(local(x)) for x in value)
        return Cell(text, text)
    return Cell(str(value), str(value))


#: The name a public or evaluator's output gives a record about children (the gate's alias,
#: "outcome record 1"), by the kind's singular, in words of the document's language.
ALIAS_WORDS = {
    "outcome": NC_("record alias", "outcome record {n}"),
    "feedback": NC_("record alias", "feedback record {n}"),
}
_ALIAS = re.compile(r"^(?P<kind>\w+) record (?P<n>\d+)$", re.IGNORECASE)


def record_name(rid: str) -> str:
    """A record's id as a document shows it: an alias (no id has a space) in the
    document's language, 'Outcome record 1' as a title; any other id as it is."""
    m = _ALIAS.match(rid) if " " in rid else None
    if m is None or m["kind"].lower() not in ALIAS_WORDS:
        return rid
    name = pgettext("record alias", ALIAS_WORDS[m["kind"].lower()]).format(n=m["n"])
    return name[:1].upper() + name[1:] if rid[:1].isupper() else name


_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[[^\]]*\])*)")


def place_words(where: str) -> str:
    """A figure's place in a result ('activities[B].by_country[UK]') in words: 'activity B,
    by country, UK'; 'seminars.rows[uk-1].count': 'seminars, uk-1, count'."""
    from cepa.records.kinds import KINDS

    out: list[str] = []
    for name, keys in _SEGMENT.findall(where):
        ids = keys[1:-1].split("][") if keys else []
        if name == "activities" and ids:
            out.append(_("activity {id}").format(id=ids[0]))
            ids = ids[1:]
        elif name == "rows" and ids:
            out.append(record_name(ids[0]))
            ids = ids[1:]
        elif name in KINDS:
            out.append(_(KINDS[name].title).lower())
        elif name.startswith("by_"):
            out.append(_by(name))
        elif name != "breakdowns":
            out.append(_(name.replace("_", " ")))
        out += [_by(k) if k.startswith("by_") else key_text(k) for k in ids]
    return ", ".join(x for x in out if x)


def _by(name: str) -> str:
    """'by_country': 'by country', in the document's language."""
    return _("by {field}").format(field=_(name[3:].replace("_", " ")))


def key_text(key: str, names: dict[str, str] | None = None, folded: int = 0) -> str:
    """A breakdown's key as shown: a name for a code, cepa's own keys in words."""
    if key == NOT_BROKEN_DOWN:
        return P_("breakdown", "(not broken down)")
    if key == OTHERS:
        return ngettext("{n} other", "{n} others", folded).format(n=number(folded))
    if key == "online":
        return P_("place", "online")
    if key in ("(none)", NOT_KNOWN):
        return P_("figure", "not recorded")
    if key == "not_known":  # a part of an outcome record's risk: a field's name
        return P_("risk", "not known")
    return (names or {}).get(key) or label(key)


def place_text(p: Place | None, countries: dict[str, str]) -> str:
    """'London, United Kingdom', 'online', 'Utrecht, Netherlands + online'."""
    if p is None:
        return "-"
    if p.mode == "online":
        return P_("place", "online")
    parts = [x for x in (p.city, countries.get(p.country or "", p.country)) if x]
    text = ", ".join(parts) or P_("figure", "not recorded")
    if p.mode == "hybrid":
        text = _("{place} and online").format(place=text)
    return text


STATUS = {
    ActivityStatus.IMPLEMENTED: NC_("activity status", "implemented"),
    ActivityStatus.PARTLY: NC_("activity status", "partly implemented"),
    ActivityStatus.MOVED: NC_("activity status", "moved"),
    ActivityStatus.POSTPONED: NC_("activity status", "postponed"),
    ActivityStatus.NOT_IMPLEMENTED: NC_("activity status", "not implemented"),
    ActivityStatus.UNFORESEEN: NC_("activity status", "unforeseen"),
}


def status_word(status: ActivityStatus | str) -> str:
    return pgettext("activity status", STATUS.get(ActivityStatus(status), str(status)))


CLAIM_STATUS = {
    ClaimStatus.HOLDS: NC_("claim status", "confirmed"),
    ClaimStatus.ON_ESTIMATES: NC_("claim status", "consistent, on estimates"),
    ClaimStatus.OTHER_PERIOD: NC_("claim status", "not checked: about another period"),
    ClaimStatus.CONTRADICTED: NC_("claim status", "CONTRADICTED by the records"),
    ClaimStatus.UNKNOWN: NC_("claim status", "cannot be checked: not all counts are recorded"),
    ClaimStatus.INVALID: NC_("claim status", "cannot be computed"),
    ClaimStatus.NOT_PUBLISHED: NC_("claim status", "not published"),
}


def claim_word(status: ClaimStatus) -> str:
    return pgettext("claim status", CLAIM_STATUS[status])


COVERAGE_STATUS = {
    CoverageStatus.COVERED: NC_("coverage status", "covered"),
    CoverageStatus.GAPS: NC_("coverage status", "covered, with gaps"),
    CoverageStatus.THIN: NC_("coverage status", "little evidence"),
    CoverageStatus.PLANNED_NO_EVIDENCE: NC_("coverage status", "planned, no evidence"),
    CoverageStatus.NOT_PLANNED: NC_("coverage status", "not planned, no evidence"),
}


def coverage_word(status: CoverageStatus) -> str:
    return pgettext("coverage status", COVERAGE_STATUS[status])


#: A cell of the coverage matrix without records, as the matrix shows it.
CELL_STATUS = {
    CellStatus.PLANNED_NO_EVIDENCE: NC_("coverage cell", "gap"),
    CellStatus.NOT_HELD: NC_("coverage cell", "not held"),
}
CELL_WORD = {
    CellStatus.PLANNED_NO_EVIDENCE: NC_("coverage cell", "planned, no evidence"),
    CellStatus.NOT_HELD: NC_("coverage cell", "planned, not held"),
    CellStatus.NOT_PLANNED: NC_("coverage cell", "not planned"),
    CellStatus.EVIDENCE: NC_("coverage cell", "evidence"),
}


def cell_word(status: CellStatus, short: bool = True) -> str:
    if short and status in CELL_STATUS:
        return pgettext("coverage cell", CELL_STATUS[status])
    if short and status is CellStatus.NOT_PLANNED:
        return "-"
    return pgettext("coverage cell", CELL_WORD[status])


LEFT_OUT = {
    LeftOutReason.REACHES_OUTSIDE: N_("{records} dated across the period's edge, which the "
                                      "records do not divide: {ids}"),
    LeftOutReason.UNDATED: N_("{records} whose date is not recorded: {ids}"),
    LeftOutReason.BEFORE: N_("{records} dated before the period: {ids}"),
    LeftOutReason.AFTER: N_("{records} dated after the period: {ids}"),
}


def left_out_text(reason: LeftOutReason, noun: tuple[str, str], ids: list[str],
                  shown: int = 12) -> str:
    """'10 services dated across the period's edge, ...: outcomes-service-01, ...'."""
    listed = ", ".join(ids[:shown]) + (" ..." if len(ids) > shown else "")
    return _(LEFT_OUT[reason]).format(records=count(noun, len(ids)), ids=listed)


def kind_title(kind: Any) -> str:
    """A kind's title ('Seminars') in the document's language."""
    return _(kind.title)
