"""The words of cepa's documents, in the partners' languages: the only stage that speaks one.

Every word cepa puts into a report, a table, a chart or a workbook goes through ``_()``,
``ngettext()`` (a counted phrase, with the language's plural rule), ``pgettext()`` (a word
whose translation depends on its use: a column heading, a status) or ``npgettext()``, and
every number, date, month and country through the functions here. The translations are
gettext catalogues, one ``.po`` file per language in ``cepa/document/locale/`` (``nl.po``,
``et.po``), read with Babel and used through ``babel.support.Translations``: a translator
edits one without Python, and a new language is a new file. Babel formats numbers and
dates (CLDR); pycountry names countries (cepa/base/countries.py).

The language is set for one output with ``using("nl")``. ``pseudo`` is a language for
testing: every word of cepa's own comes out altered (``[Ƥàŕţîçîƥàñţš]``), so an English
word left in an output is one that bypassed the catalogues. The command line's own
messages stay English.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from cepa.base import countries
from cepa.base.dates import UNKNOWN
from cepa.base.text import local as _local

DEFAULT = "en"
PSEUDO = "pseudo"
_current: ContextVar[str] = ContextVar("cepa_language", default=DEFAULT)
#: The language of the project's own texts: what a text given per language falls back to.
_project: ContextVar[str] = ContextVar("cepa_project_language", default=DEFAULT)
#: the project's words for the keys its records use, per language (``labels:``)
_labels: ContextVar[dict[str, Any]] = ContextVar("cepa_labels", default={})  # noqa: B039


def _locale_folder() -> Any:
    return resources.files("cepa.document") / "locale"


def languages() -> list[str]:
    """The languages cepa writes: English and every catalogue shipped in its locale folder."""
    return [DEFAULT, *sorted(p.name[:-3] for p in _locale_folder().iterdir()
                             if p.name.endswith(".po"))]


class LanguageError(ValueError):
    """A language cepa has no catalogue for."""


class _Pseudo(gettext.NullTranslations):
    """Every message altered, its placeholders kept: finds English that bypasses the
    catalogues."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


_ACCENTED = str.maketrans("aceinorsuyACEINORSUY", "àçéîñöŕšûýÀÇÉÎÑÖŔŠÛÝ")
_FIELD = re.compile(r"(\{[^{}]*\}|%\([^)]*\)[sd])")


def pseudo(message: str) -> str:
    """'Participants by {what}' -> '[Ƥàŕţîçîƥàñţš ƀý {what}]': accented and bracketed, its
    placeholders as they were."""
    if not message:
        return message
    parts = _FIELD.split(message)
    return "[" + "".join(p if _FIELD.fullmatch(p) else p.translate(_ACCENTED)
                         for p in parts) + "]"


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The translations of one language, compiled from its .po file by Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if code == DEFAULT:
        return gettext.NullTranslations()
    if code == PSEUDO:
        return _Pseudo()
    path = _locale_folder() / f"{code}.po"
    if not path.is_file():
        raise LanguageError(f"cepa has no translation into '{code}' (it writes: "
                            f"{', '.join(languages())}); a new language is a catalogue "
                            "file in cepa/document/locale/")
    with path.open("rb") as f:
        catalog = read_po(f, locale=code)
    buf = io.BytesIO()
    write_mo(buf, catalog)  # fuzzy (unchecked) translations are left out
    buf.seek(0)
    return Translations(fp=buf, domain="cepa")


def has_catalogue(code: str) -> bool:
    return code in (DEFAULT, PSEUDO) or (_locale_folder() / f"{code}.po").is_file()


def current() -> str:
    return _current.get()


def _cldr() -> str:
    """The language whose numbers and dates are written: English for the pseudo-language."""
    code = _current.get()
    return DEFAULT if code == PSEUDO else code


@contextmanager
def using(code: str | None, project: str | None = None,
          labels: dict[str, Any] | None = None) -> Iterator[None]:
    """Write in ``code`` (None: the project's language ``project``, else English) until the
    block ends; ``labels``: the project's words for its records' keys, per language."""
    if code is None and project and not has_catalogue(project):
        code = DEFAULT  # the project writes in a language cepa does not: its words in English
    code = code or project or DEFAULT
    translations(code)  # an unknown language asked for fails here, before any work
    token = _current.set(code)
    ptoken = _project.set(project or DEFAULT)
    ltoken = _labels.set(labels or {})
    try:
        yield
    finally:
        _current.reset(token)
        _project.reset(ptoken)
        _labels.reset(ltoken)


def local(value: Any) -> Any:
    """A coordinator's text given as a string or per language ({en: ..., nl: ...}), in the
    language being written, else the project's, else the first given."""
    return _local(value, _current.get(), _project.get())


def label(key: str) -> str:
    """A key of the records (a sector, a group) in the language being written, as the
    project file's ``labels:`` gives it; the key itself otherwise."""
    given = _labels.get().get(key)
    return str(given.get(_current.get(), key)) if isinstance(given, dict) else key


def _(message: str) -> str:
    """``message`` in the current language (itself when untranslated)."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted phrase that ``n`` takes in the current language."""
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as it is translated where it is used as ``context`` (a heading, a
    status, a column)."""
    return translations(_current.get()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).npgettext(context, singular, plural, n)


# --- numbers, dates, countries, languages ---------------------------------------------


def number(n: int | float) -> str:
    """1,234 in English, 1.234 in Dutch, 1 234 in Estonian."""
    code = _cldr()
    if code == DEFAULT:
        return f"{n:,}" if isinstance(n, int) else f"{n:g}"
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale=code))


def _format(d: date, pattern: str) -> str:
    return _formatted(d, pattern, _cldr())


@cache
def _formatted(d: date, pattern: str, locale: str) -> str:
    """A date in a pattern of a language (Babel): once per date (records share months)."""
    from babel.dates import format_date

    return str(format_date(d, pattern, locale=locale))


def month_year(d: date) -> str:
    """'January 2005', 'januari 2005', 'jaanuar 2005'."""
    return _format(d, "LLLL y")


def day_month_year(d: date) -> str:
    """'4 December 2026', '4 december 2026', '4. detsember 2026': the language's own long
    date (CLDR), British English for English as EU documents write it."""
    if _cldr() == DEFAULT:
        return _format(d, "d MMMM y")
    return _formatted(d, "long", _cldr())


def day_month(d: date) -> str:
    """'11 May', '11 mei', '11. mai'."""
    if _cldr() == DEFAULT:
        return _format(d, "d MMMM")
    from babel.dates import format_skeleton

    return str(format_skeleton("dMMMM", d, locale=_cldr()))


def period(start: str, end: str) -> str:
    """'January 2005 to December 2006' from ISO dates, in the current language."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if a.day == 1:
        return _("{start} to {end}").format(start=month_year(a), end=month_year(b))
    return _("{start} to {end}").format(start=day_month_year(a), end=day_month_year(b))


_DAYS = re.compile(r"^\d{4}-\d{2}-\d{2}(, \d{4}-\d{2}-\d{2})+$")
_RANGE = re.compile(r"^(\S+) to (\S+)$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def when(text: str | None) -> str:
    """A record's date as written (cepa/base/dates.py), in words: '2006-10' as 'October
    2006', a list of days as '11, 12 and 14 May 2021', a range with the language's 'to'."""
    if not text:
        return ""
    if text == UNKNOWN:
        return pgettext("figure", "not recorded")
    if _DAYS.match(text):
        return days_text([date.fromisoformat(x) for x in text.split(", ")])
    m = _RANGE.match(text)
    if m:
        return _("{start} to {end}").format(start=when(m.group(1)), end=when(m.group(2)))
    if _DAY.match(text):
        return day_month_year(date.fromisoformat(text))
    if re.fullmatch(r"\d{4}", text):  # a year
        return text
    if _MONTH.match(text):
        return month_year(date.fromisoformat(text + "-01"))
    return text


def days_text(days: list[date]) -> str:
    """'11, 12 and 14 May 2021'; '30 April and 3 May 2021'; across years in full."""
    if len(days) == 1:
        return day_month_year(days[0])
    if len({d.year for d in days}) > 1:
        parts = [day_month_year(d) for d in days]
    elif len({d.month for d in days}) > 1:
        parts = [day_month(d) for d in days]
        parts[-1] = day_month_year(days[-1])
    else:
        day = day_month(days[0]).split(" ")[0].split("\xa0")[0]  # '11' or '11.'
        suffix = day[len(str(days[0].day)):]
        parts = [f"{d.day}{suffix}" for d in days]
        parts[-1] = day_month_year(days[-1])
    return listed(parts)


def listed(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' in the language being written."""
    if len(items) < 2:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def country(code: str, given: dict[str, str] | None = None) -> str:
    """A country's name in the current language; the project file's own name in the
    project's language."""
    if code == "online":
        return pgettext("place", "online")
    lang = _cldr()
    if given and code in given and lang == _project.get():
        return given[code]
    return countries.name(code, lang)


def language(code: str) -> str:
    """'nl' -> 'Dutch' / 'Nederlands' / 'hollandi' (Babel's names of languages)."""
    from babel import Locale

    return str(Locale(_cldr()).languages.get(code, code))


# --- the catalogues' messages ------------------------------------------------------------

#: The functions whose calls hold messages, and which of their arguments are the message
#: (``c`` marks the context), for Babel's extraction.
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3),
            "P_": ((1, "c"), 2), "NC_": ((1, "c"), 2), "NP_": (1, 2)}


def extract() -> list[tuple[str, str | None, str | None]]:
    """Every message cepa's code and report texts ask to translate, as (message, plural,
    context): in cepa/**/*.py and in the shipped report texts. What a catalogue must
    hold."""
    from babel.messages.extract import extract_from_dir

    found: dict[tuple[str, str | None, str | None], None] = {}
    package = resources.files("cepa")
    for _file, _line, message, _comments, context in extract_from_dir(
            str(package), method_map=[("**.py", "python")], keywords=KEYWORDS):
        _add(found, message, context)
    templates = resources.files("cepa._templates") / "report"
    for _file, _line, message, _comments, context in extract_from_dir(
            str(templates), method_map=[("history/**", "ignore"),
                                        ("**.j2", "jinja2.ext:babel_extract")],
            options_map={"**.j2": {"extensions": "jinja2.ext.i18n"}}, keywords=KEYWORDS):
        _add(found, message, context)
    return list(found)


def _add(found: dict[tuple[str, str | None, str | None], None], message: Any,
         context: str | None) -> None:
    if isinstance(message, tuple):
        found[(message[0], message[1] if len(message) > 1 else None, context)] = None
    elif message:
        found[(message, None, context)] = None


def update_catalogues() -> dict[str, list[str]]:
    """Add every message the code asks for to each catalogue (untranslated, for a
    translator to fill in), and drop the ones no longer asked for. Returns the messages
    each language still lacks. ``python -m cepa.document.language``."""
    from pathlib import Path

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="cepa")
    for message, plural, context in extract():
        template.add((message, plural) if plural else message, context=context)
    folder = Path(str(_locale_folder()))
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
        translations.cache_clear()
    return lacking


if __name__ == "__main__":  # python -m cepa.document.language: bring the catalogues up to date
    for code, missing in update_catalogues().items():
        print(f"{code}: {len(missing)} message(s) to translate")
        for m in missing:
            print(f"  {m}")
