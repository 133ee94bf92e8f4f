"""Text that is safe to print, the coordinator's texts in several languages, and order.

Nothing a user's file holds may start a new output line or reach a terminal as a control
sequence: ``escape`` writes such characters as escapes. A coordinator's text may be given
per language (``{en: ..., nl: ...}``): ``local`` picks one. ``N_`` marks a message for the
catalogues where it is defined (cepa/document/language.py translates it where a document
is written); ``natural`` sorts 'service 2' before 'service 10'.
"""

from __future__ import annotations

import re
from typing import Any

#: What must never reach a terminal or an output line as it is: C0 and C1 control
#: characters (line breaks and escape sequences), the Unicode line and paragraph separators,
#: the bidirectional overrides that reorder what a reader sees, and lone surrogates (the
#: bytes of a file name that is not UTF-8).
_ABOVE_C0 = "\\x7f-\\x9f\\u2028\\u2029\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff"
UNSAFE = re.compile(f"[\\x00-\\x1f{_ABOVE_C0}]")
#: The unsafe characters that json.dumps leaves as they are (it escapes C0 itself).
UNSAFE_IN_JSON = re.compile(f"[{_ABOVE_C0}]")

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(m: re.Match[str]) -> str:
    c = m.group()
    n = ord(c)
    return _SHORT.get(c) or (f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}")


def escape(text: str) -> str:
    """``text`` with every unsafe character written as an escape (``\\n``, ``\\x1b``), so
    that nothing a user's file holds can start a new output line or reach a terminal as a
    control sequence."""
    return UNSAFE.sub(_escaped, text)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; the document stage translates
    it where it is used."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted phrase for the catalogue, singular and plural ('{n} visit', '{n}
    visits'): the document stage picks the form its language's plural rule asks for."""
    return singular, plural


#: A coordinator's text: plain (in the project's language), or per language.
Local = str | dict[str, str]


class PerLanguage(dict[str, str]):
    """A coordinator's text given per language, as a value: hashable (it is never changed
    after it is made), so that the same note given twice is one note."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


def squeezed(value: Any) -> Any:
    """A text (or each language's text of one given per language) on one line, its runs
    of spaces and line breaks one space; None and other values as they are."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return PerLanguage({k: " ".join(v.split()) for k, v in value.items()})
    return value


def local(value: Any, language: str, fallback: str) -> Any:
    """A coordinator's text given as a string or per language ({en: ..., nl: ...}), in
    ``language``, else in ``fallback`` (the project's language), else the first given."""
    if not isinstance(value, dict):
        return value
    return value.get(language) or value.get(fallback) or next(iter(value.values()), None)


def given_in(value: Any, language: str, project: str) -> bool:
    """Is a coordinator's text given in ``language``? A plain string is in the project's
    language; nothing at all needs no translation."""
    if value is None:
        return True
    if isinstance(value, dict):
        return language in value
    return language == project


def natural(text: str) -> list[Any]:
    """A sort key that puts 'service 2' before 'service 10'."""
    return [(0, int(p)) if p.isdigit() else (1, p.casefold()) for p in re.split(r"(\d+)", text)]
