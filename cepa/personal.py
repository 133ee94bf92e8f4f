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
_DAY = r"\d{1,2}(?:st|nd|rd|th|\.)?"


@cache
def _month_names() -> tuple[str, ...]:
    """Month names (wide and short, formatted and stand-alone) in the languages of the
    EU and its neighbours, from Babel's CLDR data."""
    from babel.dates import get_month_names

    names: set[str] = set()
    for locale in ("en", "nl", "et", "lv", "lt", "de", "fr", "fi", "sv", "da", "el", "es",
                   "it", "pt", "pl", "cs", "sk", "sl", "hr", "hu", "ro", "bg", "mt", "ga"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for n in get_month_names(width, context, locale).values():
                    n = n.strip(".").lower()
                    if len(n) >= 3:
                        names.add(n)
    return tuple(sorted(names, key=len, reverse=True))


@cache
def _date_in_words() -> re.Pattern[str]:
    months = "|".join(re.escape(m) for m in _month_names())
    return re.compile(
        rf"(?i)(?<!\w)(?:{_DAY}\s*(?:of\s+)?(?:{months})\.?(?:,?\s+\d{{4}})?"
        rf"|(?:{months})\.?\s+{_DAY}(?:,?\s+\d{{4}})?)(?!\w)")


def personal_data_in(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Everything in ``text`` that looks like personal data, described; empty when none.
    ``allowed`` are words and names of the project that are not people's names."""
    found: list[str] = []
    taken: list[tuple[int, int]] = []  # a date is not a phone number too

    def add(span: tuple[int, int], what: str) -> None:
        if not any(span[0] < b and a < span[1] for a, b in taken):
            taken.append(span)
            found.append(what)

    for pattern, what in ((_EMAIL, "an e-mail address"), (_FULL_DATE, "a full date"),
                          (_date_in_words(), "a date"),
                          (_STREET, "a street address"), (_PHONE, "a phone number"),
                          (_UK_POSTCODE, "a postcode"), (_NL_POSTCODE, "a postcode"),
                          (_IE_EIRCODE, "a postcode")):
        for m in pattern.finditer(text):
            add(m.span(), f"{what} ('{m.group()}')")
    for m in _NAMING.finditer(text):
        name = m.group(1)
        first = name.split()[0].split("-")[0]
        if first.lower() in _FUNCTION_WORDS:
            continue  # "named in it", "called for": a word, not a name
        if name not in allowed and first not in allowed:
            add(m.span(1), f"a person's name ('{name}')")
    for start, end, words in _capital_runs(text):
        run = text[start:end]
        if (len(words) in (2, 3) and run not in allowed
                and not any(w in allowed or w in _PLACES for w in words)):
            add((start, end), f"a person's name ('{run}')")
    return found


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


#: Fields of records about children that hold no free text: ids, references, dates, flags.
_NOT_TEXT = frozenset({"id", "activity", "objectives", "date", "country", "visit", "partner",
                       "publishable", "estimated", "total", "people"})


def texts_of(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...],
                                                                              str]]:
    """Every free-text value of a record (as plain data), and every key of its breakdowns,
    with where it is."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and loc and str(loc[-1]).startswith("by_"):
                yield (*loc, k), k  # a breakdown key is text a user typed
            if k in _NOT_TEXT:
                continue
            yield from texts_of(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from texts_of(v, (*loc, i))
    elif isinstance(value, str):
        yield loc, value
