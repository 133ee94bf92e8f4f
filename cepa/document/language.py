"""The words cepa writes in documents, in the partners' languages.

Every word cepa puts into a report, a table, a chart or a workbook goes through ``_()``
(and ``ngettext`` for plurals), and every number, month and country through the functions
here. The translations are gettext catalogues, one ``.po`` file per language in
``cepa/locale/`` (``nl.po``, ``et.po``): a translator edits one, without Python, and a new
language is a new file. Babel reads the catalogues and formats numbers and dates (CLDR);
pycountry names countries. The command line's own messages stay English.

The language is set for the duration of one output with ``using("nl")``; English needs
no catalogue and costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

DEFAULT = "en"
_current: ContextVar[str] = ContextVar("cepa_language", default=DEFAULT)
#: The language of the project's own texts: what a text given per language falls back to.
_project: ContextVar[str] = ContextVar("cepa_project_language", default=DEFAULT)


def languages() -> list[str]:
    """The languages cepa writes: English and every catalogue shipped in cepa/locale/."""
    folder = resources.files("cepa.document") / "locale"
    return [DEFAULT, *sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".po"))]


class LanguageError(ValueError):
    """A language cepa has no catalogue for."""


@dataclass
class Catalogue:
    code: str
    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    plural_rule: Any = None


@cache
def catalogue(code: str) -> Catalogue:
    """The translations of one language, read from its .po file by Babel."""
    from babel.messages.pofile import read_po

    if code == DEFAULT:
        return Catalogue(code)
    path = resources.files("cepa.document") / "locale" / f"{code}.po"
    if not path.is_file():
        raise LanguageError(f"cepa has no translation into '{code}' (it writes: "
                            f"{', '.join(languages())}); a new language is a catalogue "
                            "file in cepa/locale/")
    with path.open("rb") as f:
        po = read_po(f, locale=code)
    out = Catalogue(code, plural_rule=po.plural_expr)
    for m in po:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple | list):
            forms = [str(s) for s in m.string] if isinstance(m.string, tuple | list) else []
            if all(forms) and forms:
                out.plurals[(str(m.id[0]), str(m.id[1]))] = forms
        elif isinstance(m.string, str) and m.string:
            out.messages[str(m.id)] = m.string
    return out


def current() -> str:
    return _current.get()


@contextmanager
def using(code: str | None, project: str | None = None) -> Iterator[None]:
    """Write in ``code`` (None: the project's language ``project``, else English) until the
    block ends."""
    if code is None and project and project != DEFAULT and not _has_catalogue(project):
        code = DEFAULT  # the project writes in a language cepa does not: its words in English
    code = code or project or DEFAULT
    if code != DEFAULT:
        catalogue(code)  # an unknown language asked for fails here, before any work
    token = _current.set(code)
    ptoken = _project.set(project or DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)
        _project.reset(ptoken)


def _has_catalogue(code: str) -> bool:
    return (resources.files("cepa.document") / "locale" / f"{code}.po").is_file()


def local(value: Any) -> Any:
    """A coordinator's text given as a string or per language ({en: ..., nl: ...}), in the
    language being written, else the project's, else the first given."""
    if not isinstance(value, dict):
        return value
    return (value.get(_current.get()) or value.get(_project.get())
            or next(iter(value.values()), None))


def missing_in(value: Any, code: str, project: str) -> bool:
    """Is a coordinator's text not given in ``code``? A plain string is in the project's
    language."""
    if value is None:
        return False
    if isinstance(value, dict):
        return code not in value
    return code != project


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; ``_()`` translates it where it
    is used."""
    return message


def _(message: str) -> str:
    """``message`` in the current language (itself when untranslated)."""
    code = _current.get()
    if code == DEFAULT:
        return message
    return catalogue(code).messages.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    code = _current.get()
    if code != DEFAULT:
        cat = catalogue(code)
        forms = cat.plurals.get((singular, plural))
        if forms:
            index = _plural_index(cat, n)
            return forms[min(index, len(forms) - 1)]
    return singular if n == 1 else plural


def _plural_index(cat: Catalogue, n: int) -> int:
    # The shipped languages (nl, et) and English: one form for 1, another for the rest.
    return 0 if n == 1 else 1


# --- numbers, dates, countries, languages ---------------------------------------------


def number(n: int | float) -> str:
    """1,234 in English, 1.234 in Dutch, 1 234 in Estonian."""
    code = _current.get()
    if code == DEFAULT:
        return f"{n:,}" if isinstance(n, int) else f"{n:g}"
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale=code))


def month_year(d: date) -> str:
    """'January 2005', 'januari 2005', 'jaanuar 2005'."""
    code = _current.get()
    if code == DEFAULT:
        return f"{d:%B %Y}"
    from babel.dates import format_date

    return str(format_date(d, "LLLL y", locale=code))


def day_month_year(d: date) -> str:
    code = _current.get()
    if code == DEFAULT:
        return f"{d.day} {d:%B %Y}"
    from babel.dates import format_date

    return str(format_date(d, "d MMMM y", locale=code))


def period(start: str, end: str) -> str:
    """'January 2005 to December 2006' from ISO dates, in the current language."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if a.day == 1:
        return _("{start} to {end}").format(start=month_year(a), end=month_year(b))
    return _("{start} to {end}").format(start=a, end=b)


_DAYS = re.compile(r"^\d{4}-\d{2}-\d{2}(, \d{4}-\d{2}-\d{2})+$")
_RANGE = re.compile(r"^(\S+) to (\S+)$")


def when(text: str | None) -> str:
    """A record's date as written, in words where cepa wrote words: a list of days as
    '11, 12 and 14 May 2021', a range with the language's 'to'."""
    if not text:
        return ""
    if _DAYS.match(text):
        days = [date.fromisoformat(x) for x in text.split(", ")]
        return days_text(days)
    m = _RANGE.match(text)
    if m:
        return _("{start} to {end}").format(start=m.group(1), end=m.group(2))
    return text


def days_text(days: list[date]) -> str:
    """'11, 12 and 14 May 2021'; '30 April and 3 May 2021'; across years in full."""
    code = _current.get()

    def dm(d: date) -> str:
        if code == DEFAULT:
            return f"{d.day} {d:%B}"
        from babel.dates import format_date

        return str(format_date(d, "d MMMM", locale=code))

    if len(days) == 1:
        return day_month_year(days[0])
    if len({d.year for d in days}) > 1:
        parts = [day_month_year(d) for d in days]
    elif len({d.month for d in days}) > 1:
        parts = [dm(d) for d in days]
        parts[-1] += f" {days[-1].year}"
    else:
        parts = [str(d.day) for d in days]
        parts[-1] = day_month_year(days[-1])
    return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def country(code: str, given: dict[str, str] | None = None) -> str:
    """A country's name in the current language; the project file's own name in English."""
    if code == "online":
        return _("online")
    from cepa.base.countries import name

    lang = _current.get()
    if lang == DEFAULT and given and code in given:
        return given[code]
    return name(code, lang)


def language(code: str) -> str:
    """'nl' -> 'Dutch' / 'Nederlands' / 'hollandi' (Babel's names of languages)."""
    from babel import Locale

    return str(Locale(_current.get()).languages.get(code, code))


# --- the catalogue's messages ------------------------------------------------------------


def extract() -> list[tuple[str, str | None]]:
    """Every message cepa's code and report texts ask to translate, as (message, plural):
    ``_("...")``, ``N_("...")`` and ``ngettext`` in cepa/*.py, and ``_()`` and
    ``{% trans %}`` in the shipped report texts. What a catalogue must hold."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
    found: dict[tuple[str, str | None], None] = {}
    package = resources.files("cepa")
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(package), method_map=[("**.py", "python")], keywords=keywords):
        _add(found, message)
    templates = resources.files("cepa._templates") / "report"
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(templates), method_map=[("**.j2", "jinja2.ext:babel_extract")],
            options_map={"**.j2": {"extensions": "jinja2.ext.i18n"}}, keywords=keywords):
        _add(found, message)
    return list(found)


def _add(found: dict[tuple[str, str | None], None], message: Any) -> None:
    if isinstance(message, tuple):
        found[(message[0], message[1] if len(message) > 1 else None)] = None
    elif message:
        found[(message, None)] = None


def update_catalogues() -> dict[str, list[str]]:
    """Add every message the code asks for to each catalogue in cepa/locale/ (untranslated,
    for a translator to fill in), and drop the ones no longer asked for. Returns the
    messages each language still lacks. ``python -m cepa.document.language``."""
    from pathlib import Path

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="cepa")
    for message, plural in extract():
        template.add((message, plural) if plural else message)
    folder = Path(str(resources.files("cepa.document") / "locale"))
    lacking: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as f:
            po = read_po(f, locale=path.stem)
        po.update(template, no_fuzzy_matching=True)
        po.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, po, width=96)
        lacking[path.stem] = [str(m.id) for m in po if m.id and not (
            all(m.string) if isinstance(m.string, tuple | list) else m.string)]
        catalogue.cache_clear()
    return lacking


if __name__ == "__main__":  # python -m cepa.document.language: bring the catalogues up to date
    for code, missing in update_catalogues().items():
        print(f"{code}: {len(missing)} message(s) to translate")
        for m in missing:
            print(f"  {m}")
