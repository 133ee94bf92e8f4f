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
_STREET = re.compile(r"(?i)\b\d+[a-z]?\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\s+(?:street|st|road|rd|"
                     r"avenue|ave|lane|drive|way|close|place|square|gardens|straat|weg|laan|"
                     r"plein|tänav|mnt|iela|gatvė)\b")
#: "born March 2009", "born in 2009", "dob 03032009", "date of birth: ..."
_BIRTH = re.compile(r"(?i)\b(?:born|geboren|sündinud|dzimis|dzimusi|gimęs|gimusi)\s+"
                    r"(?:in\s+|on\s+)?(?:\d|[^\W\d_]+\.?\s+\d)[\w ./-]*")
_DOB = re.compile(r"(?i)(?<!\w)(?:dob|d\.o\.b\.?|date\s+of\s+birth|geboortedatum|sünniaeg|"
                  r"dzimšanas\s+datums|gimimo\s+data)[\s:.-]*\d[\d ./-]*")
#: "J. Smith": an initial before a capitalised word
_INITIAL = re.compile(r"(?<![\w.])([^\W\d_])\.\s?([^\W\d_][^\W\d_'’-]{2,})")
#: "Smith, Jane"
_SURNAME_FIRST = re.compile(r"(?<!\w)([^\W\d_][^\W\d_'’-]+),\s*([^\W\d_][^\W\d_'’-]+)")
#: What stands between the words of a name: a space of any kind, or a tab
_JOINER = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f]")

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
    from cepa.records.names import given_name

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
    patterns += [(_BIRTH, "a date of birth"), (_DOB, "a date of birth")]
    for pattern, what in patterns:
        for m in pattern.finditer(text):
            out.append((*m.span(), f"{what} ('{m.group().strip()}')", None))
    for m in _INITIAL.finditer(text):
        if m.group(1).isupper() and m.group(2)[0].isupper() and m.group(2) not in _PLACES:
            out.append((*m.span(), f"a person's name ('{m.group()}')", (m.group(2),)))
    for m in _SURNAME_FIRST.finditer(text):
        last, first = m.group(1), m.group(2)
        if last[0].isupper() and first[0].isupper() and given_name(first) \
                and last not in _PLACES:
            out.append((*m.span(), f"a person's name ('{m.group()}')", (last,)))
    for m in _NAMING.finditer(text):
        name = m.group(1)
        first = name.split()[0].split("-")[0]
        if first.lower() in _FUNCTION_WORDS:
            continue  # "named in it", "called for": a word, not a name
        out.append((*m.span(1), f"a person's name ('{name}')", (name, first)))
    for start, end, words in _capital_runs(text):
        run = text[start:end]
        shouted = all(w.isupper() for w in words)
        if shouted and not any(given_name(w) for w in words):
            continue  # capitals throughout: an acronym or a heading, unless a name is in it
        if len(words) in (2, 3) and not any(w.title() in _PLACES or w in _PLACES
                                            for w in words):
            out.append((start, end, f"a person's name ('{' '.join(run.split())}')",
                        (run, *words)))
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
    """Jane, O'Brien, Müller, Μαρία: a capital, then at least one small letter; or JOHN,
    in capitals throughout (at least two letters)."""
    return word[0].isupper() and (any(c.islower() for c in word[1:])
                                  or (len(word) >= 2 and word.isupper()))


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
        while j < len(tokens) and _JOINER.fullmatch(text[end:tokens[j][0]]):
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


def _each(where: tuple[str | int, ...], text: Any
          ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """A text, or each language's text of one given per language ({en: ..., nl: ...}):
    a name in a translation is a name all the same."""
    if isinstance(text, str):
        yield where, text
    elif isinstance(text, dict):
        for language, value in text.items():
            if isinstance(value, str):
                yield (*where, language), value


def texts_of(record: Any, kind: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every free-text value of a record about children, and every key of its count's
    breakdowns (a key is text a user typed), with where it is: the kind's text fields
    (cepa/records/kinds/), ``change`` and ``internal``, the count's note, and quotes."""
    fields = record.__dict__  # not getattr: a missing name costs pydantic an exception
    for name in (*kind.text, "change", "internal"):
        value = fields.get(name)
        if isinstance(value, str | dict):
            yield from _each((name,), value)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                text = v if isinstance(v, str | dict) else getattr(v, "text", None)
                yield from _each((name, i) if isinstance(v, str | dict) else (name, i, "text"),
                                 text)
    count = kind.count_of(record)
    if count is not None:
        if count.note:
            yield from _each((kind.count, "note"), count.note)
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


#: Words for children, young people and service users, in the shipped languages (English,
#: Dutch, Estonian; Estonian nouns after a number stand in the partitive: "kolm last").
_CHILD_WORDS = (
    # English
    r"young\s+people|young\s+persons?|youngsters?|youths?|children|child|kids?|"
    r"schoolchildren|girls?|boys?|pupils?|teenagers?|teens?|adolescents?|minors?|"
    r"juveniles?|infants?|babies|toddlers?|under[- ]?18s?|service[- ]users?|survivors?|"
    r"victims?|care[- ]leavers?|young\s+carers?|young\s+women|young\s+men|runaways?|"
    # Dutch
    r"jongeren|jongere|jeugdigen|kinderen|kind|kindjes|tieners?|pubers?|adolescenten|"
    r"minderjarigen?|meisjes?|jongens|leerlingen|leerling|slachtoffers?|overlevenden|"
    r"zorgverlaters?|"
    # Estonian
    r"laps|last|lapsed|lapsi|noor|noort|noored|noori|nooruk|noorukit|noorukid|"
    r"teismeline|teismelist|teismelised|alaealine|alaealist|alaealised|tüdruk|tüdrukut|"
    r"tüdrukud|poiss|poissi|poisid|õpilane|õpilast|õpilased|ohver|ohvrit|ohvrid|"
    r"kannatanu|kannatanut|kannatanud")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "a dozen": 12, "a couple of": 2, "a pair of": 2,
    "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
    "twintig": 20,
    "üks": 1, "kaks": 2, "kolm": 3, "neli": 4, "viis": 5, "kuus": 6, "seitse": 7,
    "kaheksa": 8, "üheksa": 9, "kümme": 10, "üksteist": 11, "kaksteist": 12,
    "kolmteist": 13, "neliteist": 14, "viisteist": 15, "kuusteist": 16, "seitseteist": 17,
    "kaheksateist": 18, "üheksateist": 19, "kakskümmend": 20,
}
_NUMBER = (r"\d{1,9}(?:[,.\u00a0\u202f ]\d{3})*|"
           + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _NUMBER_WORDS),
                             key=len, reverse=True)))
#: Words that may stand between a number and the people it counts ("3 care-experienced
#: young people", "two more survivors"), but not these: "3 sessions with children".
_BETWEEN = r"(?!(?:with|for|and|or|per|from|in|at|by|to|on|about|met|voor|en|of|van|" \
           r"bij|op|over|ja|ning|või|koos|kohta)\b)[^\W\d_][\w'’-]*"
_COUNT_BEFORE = re.compile(
    rf"(?i)(?<![\w.,])(?P<n>{_NUMBER})(?!\w)\s+(?:of\s+(?:the|these|those|our|them)\s+)?"
    rf"(?:{_BETWEEN}\s+){{0,2}}(?:{_CHILD_WORDS})(?!\w)")
_COUNT_AFTER = re.compile(
    rf"(?i)(?<!\w)(?:{_CHILD_WORDS})\s*(?:[:=(]|\bwere\b|\bwaren\b|\boli\b)\s*"
    rf"(?P<n>{_NUMBER})(?![\w,.]\d)")


def _number(word: str) -> int | None:
    w = " ".join(word.lower().split())
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    digits = re.sub(r"\D", "", w)
    return int(digits) if digits and len(digits) <= 9 else None


def count_phrases(text: str) -> list[tuple[tuple[int, int], int, str]]:
    """Every count of children, young people or service users a text gives, in digits or
    words ("3 care-experienced young people", "young people: 3", "kolm last"): where its
    number stands, the number, and the phrase."""
    return list(_count_phrases(text))


@cache
def _count_phrases(text: str) -> tuple[tuple[tuple[int, int], int, str], ...]:
    out: list[tuple[tuple[int, int], int, str]] = []
    seen: set[tuple[int, int]] = set()
    flat = _normal_spaces(text)
    for pattern in (_COUNT_BEFORE, _COUNT_AFTER):
        for m in pattern.finditer(flat):
            n = _number(m.group("n"))
            span = m.span("n")
            if n is None or span in seen:
                continue
            seen.add(span)
            out.append((span, n, " ".join(m.group().split())))
    return tuple(sorted(out))


def _normal_spaces(text: str) -> str:
    """Every kind of space (thin, narrow no-break, tab, line break) as one plain space each,
    so positions in the text stay where they were."""
    return re.sub(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]", " ", text)


def small_counts(text: str, threshold: int) -> list[str]:
    """Phrases in ``text`` that give a count of children of 1 to ``threshold`` ("four young
    people", "3 girls", "young people: 3"): what publication mode would have suppressed."""
    return [phrase for _span, n, phrase in count_phrases(text) if 1 <= n <= threshold]
