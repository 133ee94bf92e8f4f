"""What looks like personal data in free text about children: warned before it spreads.

Records about children and service users hold counts, age bands and themes; a name, a
birthday, an address or a phone number typed into a note is caught here, in every
free-text value and every breakdown key of such records. The patterns are warnings, not
proof: they look for e-mail addresses, phone numbers, UK/Dutch/Irish postcodes, street
addresses, full dates (2006-03-02, 2/3/2006, and dates written in words in the partner
countries' languages: "3 March 2006", "3. märts", "2 maart"), and person's names: two or
three capitalised words in any alphabet (Jürgen Müller, Kärt Tamm, Jan van Dijk, Mary Ann
Smith), and names after a naming word even in lower case ("called jane", "named kärt").
Words of the project's own names (partners, hosts, cities) are not names of people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<![\w-])\+?\d[\d ()-]{7,}\d(?!\w)")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
_NL_POSTCODE = re.compile(r"\b\d{4} ?[A-Z]{2}\b")
_IE_EIRCODE = re.compile(r"\b[AC-FHKNPRTV-Y]\d{2}[ ]?[0-9AC-FHKNPRTV-Y]{4}\b")
_FULL_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b")
_STREET = re.compile(r"\b\d+[a-z]? [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Street|St|Road|Rd|Avenue|Lane|"
                     r"Drive|Way|Close|Place|Square|Gardens|straat|weg|laan|plein|tänav|mnt)\b")

_LOW = r"[^\W\d_]"  # a letter, in any alphabet
#: A word: letters, with O'Brien and Smith-Jones shapes; or an initial ("J.").
_TOKEN = re.compile(rf"{_LOW}+(?:['’-]{_LOW}+)*\.?")
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le",
                        "ten", "ter"})
#: Words after which the next word or two are a person's name, whatever their case.
_NAMING = re.compile(
    r"(?i)\b(?:named|called|name is|name was|mr\.?|mrs\.?|ms\.?|miss|genaamd|heet|"
    r"nimega|nimi on|vārdā|vardu|vardas)\s+(" + _LOW + r"+(?:[ -]" + _LOW + r"+)?)")

#: Words that make a capitalised run an organisation or a place, not a person.
_PLACES = frozenset({
    "Street", "Road", "Avenue", "Lane", "Drive", "Square", "Close", "Place", "Gardens",
    "Park", "Centre", "Center", "Service", "Services", "School", "Team", "Unit", "Project",
    "Council", "Police", "Court", "Tool", "Model", "Programme", "Program", "Foundation",
    "University", "Hospital", "Office", "Department", "Agency", "Club", "Group", "Trust",
    "Home", "House", "Network", "Partnership", "Ministry", "Association", "Stichting",
    "Keskus", "Outcome", "Monitoring", "Seminar", "Young", "People", "Children", "Child",
})
#: Small words that follow 'named' or 'called' when no name does (English, Dutch, Estonian).
_FUNCTION_WORDS = frozenset({
    "in", "on", "at", "by", "as", "after", "for", "to", "it", "the", "a", "an", "and", "or",
    "of", "with", "from", "into", "up", "off", "out", "this", "that", "them", "him", "her",
    "it's", "is", "was", "de", "het", "een", "en", "op", "bij", "voor", "ja", "ei",
})
_NEAR_DIGIT = re.compile(r"\d{1,4}(?:st|nd|rd|th)?\.?,?\s+(?:of\s+)?[^\W\d]{3}|"
                         r"[^\W\d]{3,}\.?\s+\d")
_DAY = r"\d{1,2}(?:st|nd|rd|th|\.)?"


#: The languages whose month names are looked for when the project does not say.
EU_LANGUAGES = ("en", "nl", "et", "lv", "lt", "de", "fr", "fi", "sv", "da", "el", "es", "it",
                "pt", "pl", "cs", "sk", "sl", "hr", "hu", "ro", "bg", "mt", "ga")


def languages_of(countries: set[str], language: str = "en") -> frozenset[str]:
    """The languages a project's texts may be in: English, the project's own, and the
    official languages of its countries (Babel's CLDR)."""
    from babel.languages import get_official_languages

    from cepa.base.countries import EU_CODES

    out = {"en", language}
    for c in countries:
        out.update(x for x in get_official_languages(EU_CODES.get(c, c)) if len(x) == 2)
    return frozenset(out)


MONTHS_FILE = "months.json"


@cache
def _shipped_months() -> dict[str, list[str]]:
    """The month names of EU_LANGUAGES, as Babel gives them, kept in cepa/months.json so
    that validating does not load Babel's locale data (``python -m cepa.records.personal``
    writes it; a test keeps it current)."""
    import json
    from importlib import resources

    data: dict[str, list[str]] = json.loads(
        (resources.files("cepa.records") / MONTHS_FILE).read_text(encoding="utf-8"))
    return data


@cache
def _month_names(languages: frozenset[str] = frozenset(EU_LANGUAGES)) -> tuple[str, ...]:
    """Month names (wide and short, formatted and stand-alone) in ``languages``."""
    shipped = _shipped_months()
    names: set[str] = set()
    for locale in languages - set(shipped):
        names.update(babel_months(locale))
    for locale in languages & set(shipped):
        names.update(shipped[locale])
    return tuple(sorted(names, key=len, reverse=True))


def babel_months(locale: str) -> list[str]:
    """Month names of one language from Babel's CLDR data, lower case, at least 3 letters."""
    from babel import UnknownLocaleError
    from babel.dates import get_month_names

    names: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            try:
                found = get_month_names(width, context, locale).values()
            except (UnknownLocaleError, ValueError):
                continue
            names.update(n.strip(".").lower() for n in found if len(n.strip(".")) >= 3)
    return sorted(names)


@cache
def _date_in_words(languages: frozenset[str] = frozenset(EU_LANGUAGES)) -> re.Pattern[str]:
    months = "|".join(re.escape(m) for m in _month_names(languages))
    return re.compile(
        rf"(?i)(?<!\w)(?:{_DAY}\s*(?:of\s+)?(?:{months})\.?(?:,?\s+\d{{4}})?"
        rf"|(?:{months})\.?\s+{_DAY}(?:,?\s+\d{{4}})?)(?!\w)")


def personal_data_in(text: str, allowed: frozenset[str] = frozenset(),
                     languages: frozenset[str] = frozenset(EU_LANGUAGES)) -> list[str]:
    """Everything in ``text`` that looks like personal data, described; empty when none.
    ``allowed`` are words and names of the project that are not people's names;
    ``languages`` those whose month names make a date written in words."""
    return resolve(candidates(text, languages), allowed)


#: What may be personal data in a text: where it is, what it looks like, and the words of
#: which any one, if a name of the project, makes it no person's name (None: always).
Candidate = tuple[int, int, str, "tuple[str, ...] | None"]


@cache
def candidates(text: str, languages: frozenset[str] = frozenset(EU_LANGUAGES)
               ) -> tuple[Candidate, ...]:
    """What may be personal data in ``text``, in the order it is judged, whatever the
    project's names: once per different text (records repeat their themes and notes), and
    kept in the cache of checked results, so that a new city among the records is judged
    without scanning every text again."""
    out: list[Candidate] = []
    patterns: list[tuple[re.Pattern[str], str]] = []
    if "@" in text:
        patterns.append((_EMAIL, "an e-mail address"))
    if any(c.isdigit() for c in text):  # every other pattern holds a digit
        patterns += [(_FULL_DATE, "a full date"), (_STREET, "a street address"),
                     (_PHONE, "a phone number"), (_UK_POSTCODE, "a postcode"),
                     (_NL_POSTCODE, "a postcode"), (_IE_EIRCODE, "a postcode")]
        if _NEAR_DIGIT.search(text):  # a day or a year next to a word: maybe a month
            patterns.append((_date_in_words(languages), "a date"))
    for pattern, what in patterns:
        for m in pattern.finditer(text):
            out.append((*m.span(), f"{what} ('{m.group()}')", None))
    for m in _NAMING.finditer(text):
        name = m.group(1)
        first = name.split()[0].split("-")[0]
        if first.lower() in _FUNCTION_WORDS:
            continue  # "named in it", "called for": a word, not a name
        out.append((*m.span(1), f"a person's name ('{name}')", (name, first)))
    for start, end, words in _capital_runs(text):
        run = text[start:end]
        if len(words) in (2, 3) and not any(w in _PLACES for w in words):
            out.append((start, end, f"a person's name ('{run}')", (run, *words)))
    return tuple(out)


def resolve(found: tuple[Candidate, ...], allowed: frozenset[str]) -> list[str]:
    """The candidates that are personal data, given the project's names: a candidate none
    of whose words is a name of the project, and that does not overlap one taken before (a
    date is not a phone number too)."""
    out: list[str] = []
    taken: list[tuple[int, int]] = []
    for start, end, what, words in found:
        if words is not None and any(w in allowed for w in words):
            continue
        if not any(start < b and a < end for a, b in taken):
            taken.append((start, end))
            out.append(what)
    return out


def _capitalised(word: str) -> bool:
    """Jane, O'Brien, Müller, Μαρία: a capital, then at least one small letter."""
    return word[0].isupper() and any(c.islower() for c in word[1:])


def _capital_runs(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Runs of capitalised words next to each other (an initial or a particle such as
    'van' may stand between them): where they start and end, and their words."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    i = 0
    while i < len(tokens):
        s, e, w = tokens[i]
        if not _capitalised(w.rstrip(".")) or w.endswith("."):
            i += 1
            continue
        words, end, j = [w], e, i + 1
        while j < len(tokens) and text[end:tokens[j][0]] in (" ", "\u00a0"):
            _, e2, w2 = tokens[j]
            if w2 in _PARTICLES or (len(w2) == 2 and w2[0].isupper() and w2[1] == "."):
                if j + 1 < len(tokens) and _capitalised(tokens[j + 1][2].rstrip(".")):
                    end, j = e2, j + 1
                    continue
                break
            if not _capitalised(w2.rstrip(".")):
                break
            word = w2.rstrip(".")
            words.append(word)
            end = e2 - (len(w2) - len(word))
            j += 1
        yield s, end, words
        i = j


def texts_of(record: Any, kind: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every free-text value of a record about children, and every key of its count's
    breakdowns (a key is text a user typed), with where it is: the kind's text fields
    (cepa/records/kinds/), ``change`` and ``internal``, the count's note, and quotes."""
    fields = record.__dict__  # not getattr: a missing name costs pydantic an exception
    for name in (*kind.text, "change", "internal"):
        value = fields.get(name)
        if isinstance(value, str):
            yield (name,), value
        elif isinstance(value, list):
            for i, v in enumerate(value):
                text = v if isinstance(v, str) else getattr(v, "text", None)
                if isinstance(text, str):
                    yield ((name, i) if isinstance(v, str) else (name, i, "text")), text
    count = kind.count_of(record)
    if count is not None:
        if count.note:
            yield (kind.count, "note"), count.note
        for b, parts in count.breakdowns().items():
            for key in parts:
                yield (kind.count, b, key), key


if __name__ == "__main__":  # python -m cepa.records.personal: write cepa/months.json from Babel
    import json
    from pathlib import Path

    path = Path(__file__).with_name(MONTHS_FILE)
    path.write_text(json.dumps({code: babel_months(code) for code in EU_LANGUAGES},
                               ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(path)


#: Words for counting children and young people, in the shipped languages.
_CHILD_WORDS = (r"young\s+people|young\s+persons?|children|child|girls?|boys?|pupils?|kids|"
                r"teenagers?|minors?|service\s+users?|young\s+women|young\s+men|"
                r"jongeren|kinderen|kind|meisjes|jongens|leerlingen|noort|noored|last|lapsed|"
                r"last|tüdrukut|poissi|õpilast")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                 "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
                 "üks": 1, "kaks": 2, "kolm": 3, "neli": 4, "viis": 5, "kuus": 6,
                 "seitse": 7}
_SMALL_COUNT = re.compile(
    rf"(?i)(?<![\w.,])(\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})\s+(?:[^\W\d]+\s+){{0,2}}"
    rf"(?:{_CHILD_WORDS})\b")


def small_counts(text: str, threshold: int) -> list[str]:
    """Phrases in ``text`` that give a count of children of 1 to ``threshold`` ("four young
    people", "3 girls"): what publication mode would have suppressed in a table."""
    out = []
    for m in _SMALL_COUNT.finditer(text):
        word = m.group(1).lower()
        n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        if 1 <= n <= threshold:
            out.append(" ".join(m.group().split()))
    return out
