"""How figures, values, places, dates and statuses read in a document's language.

A figure reads '127', '45*' (estimated), 'at least 20' (some records behind it hold no
count), 'not recorded', 'c' (suppressed) or 'not published' (withheld); a cell carries
that text and the number a machine format writes. Every output shows figures through
``figure_text`` and ``cell``, so a figure reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

from cepa.document.language import _, label, local, ngettext, number, pgettext
from cepa.document.nodes import EMPTY, Cell
from cepa.evidence.figures import NOT_BROKEN_DOWN, NOT_KNOWN, OTHERS, Figure
from cepa.evidence.results import ActivityStatus, ClaimStatus, CoverageStatus, Place

ESTIMATE_MARK = "*"
SUPPRESSED_MARK = "c"


def P_(context: str, message: str) -> str:
    """``pgettext`` under a name the catalogue extraction knows."""
    return pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Marks a message with its context for the catalogue; ``pgettext`` translates it."""
    return message


def figure_text(f: Figure) -> str:
    """How every output shows a figure: '127', '45*', 'at least 20', 'not recorded', 'c',
    'not published'."""
    if f.withheld:
        return P_("figure", "not published")
    if f.suppressed:
        return SUPPRESSED_MARK
    if f.value is None:
        return P_("figure", "not recorded")
    shown = number(f.value) + (ESTIMATE_MARK if f.estimated else "")
    return _("at least {n}").format(n=shown) if f.unrecorded else shown


def recorded(f: Any) -> bool:
    """Does the figure say something (a value, or a suppressed or withheld one) rather than
    'not recorded'?"""
    return isinstance(f, Figure) and (f.value is not None or f.suppressed or f.withheld)


def count(pair: tuple[str, str], f: Figure | int | None) -> str:
    """A counted phrase ('{n} participant' / '{n} participants') in the form its number
    takes in the document's language, the number as ``figure_text`` shows it."""
    if isinstance(f, Figure):
        if f.value is None and not f.suppressed and not f.withheld:
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
    return Cell(text, n if n is not None else text, numeric=True,
                estimated=f.estimated and f.known, counts=_(f.counts) if f.counts else "",
                children=f.children, unrecorded=f.unrecorded, records=f.records,
                why=tuple(str(local(w)) for w in f.why) if f.estimated and f.known else ())


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
    ClaimStatus.CONTRADICTED: NC_("claim status", "CONTRADICTED by the records"),
    ClaimStatus.UNKNOWN: NC_("claim status", "cannot be checked: not all counts are recorded"),
    ClaimStatus.INVALID: NC_("claim status", "cannot be computed"),
    ClaimStatus.NOT_PUBLISHED: NC_("claim status", "not published"),
}


def claim_word(status: ClaimStatus) -> str:
    return pgettext("claim status", CLAIM_STATUS[status])


COVERAGE_STATUS = {
    CoverageStatus.COVERED: NC_("coverage status", "covered"),
    CoverageStatus.THIN: NC_("coverage status", "little evidence"),
    CoverageStatus.UNCOVERED: NC_("coverage status", "no evidence"),
}


def coverage_word(status: CoverageStatus) -> str:
    return pgettext("coverage status", COVERAGE_STATUS[status])


def kind_title(kind: Any) -> str:
    """A kind's title ('Seminars') in the document's language."""
    return _(kind.title)
