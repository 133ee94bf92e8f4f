"""Reading a sign-in sheet: which sheet, which row holds the headings, what each column holds.

A sign-in sheet is made by hand: title rows and "Organisation: X" lines above the headings,
a hidden first sheet, merged cells, a "Total" row at the bottom, several days one below
the other, headings in the partners' languages, a CSV in whatever encoding the office PC
saves. ``read_sheet`` finds the headings instead of assuming them and returns the attendees
as typed rows (``Sheet``), with every value checked where it is read:

- a country is a two-letter ISO 3166 code (``UK`` and ``EL`` as EU documents write them) or
  a country's name, in English or in a partner's language; anything else (``65``, ``ZZ``,
  a name) is an error naming the row;
- a date is a date (or "Day 2"); a person's name in the date column is an error too;
- a column that cepa would count (organisation, sector) and that holds people's names - by
  its heading (Name, Nimi, Naam, Όνομα, ...) or by its values (most of them two or three
  capitalised words, no digits, no organisation word, one per person and day) - stops the
  import with a message naming the column; so does a value there that is the name of
  someone in the sheet's name column.

Names are read, for counting unique people, and go no further than ``Sheet``: nothing here
writes. The work is bounded whatever the file claims: its size, a zip's entry count and
declared unpacked size (checked before openpyxl opens it), rows (``max_rows``), columns,
merged ranges and a CSV field's length; openpyxl reads in read-only mode, ignoring the
dimension a sheet claims. Every failure is a ``SheetError`` with a message for the user.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import itertools
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cepa.base.text import UNSAFE
from cepa.records import loader

#: The largest sign-in sheet read (a 20,000-row sheet is about 2 MB).
MAX_SHEET_BYTES = 16 << 20
#: A workbook's parts, and what they may unpack to (checked before it is opened).
MAX_PARTS = 1000
MAX_UNPACKED = 256 << 20
#: Rows read, blank ones included, unless --max-rows says otherwise.
MAX_ROWS = 20_000
MAX_COLUMNS = 256
MAX_MERGES = 1000
#: The longest CSV field, and the longest organisation or sector name, in characters.
MAX_FIELD = 128 * 1024
MAX_VALUE = 200
#: Rows searched for the headings.
HEADER_SCAN = 30

NAME_FIELDS = ("name", "first_name", "last_name")
COUNTED = ("organisation", "country", "sector")
FIELDS = (*NAME_FIELDS, *COUNTED, "date")

#: Headings recognised for each field, compared without case, accents kept.
HEADINGS: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "names", "full name", "participant", "participants", "participant name",
        "attendee", "attendee name", "delegate", "signature", "name and surname",
        "naam", "volledige naam", "deelnemer", "handtekening",  # nl
        "nimi", "osaleja", "ees- ja perekonnanimi", "allkiri",  # et, fi
        "ονοματεπώνυμο", "συμμετέχων", "υπογραφή",  # el
        "vollständiger name", "teilnehmer", "teilnehmerin", "unterschrift",  # de
        "nom", "nom complet", "nom et prénom", "participante", "signature du participant",
        "osallistuja", "allekirjoitus",  # fi
        "vārds, uzvārds", "vārds uzvārds", "dalībnieks", "paraksts",  # lv
        "vardas, pavardė", "vardas pavardė", "dalyvis", "parašas",  # lt
        "namn", "fullständigt namn", "deltagare", "underskrift",  # sv
        "nombre y apellidos", "nombre completo", "firma",  # es
        "nome e cognome", "partecipante",  # it
    ),
    "first_name": ("first name", "firstname", "forename", "given name", "voornaam",
                   "eesnimi", "όνομα", "vorname", "prénom", "etunimi", "vārds", "vardas",
                   "förnamn", "nombre", "nome"),
    "last_name": ("last name", "lastname", "surname", "family name", "achternaam",
                  "perekonnanimi", "επώνυμο", "nachname", "familienname", "nom de famille",
                  "sukunimi", "uzvārds", "pavardė", "efternamn", "apellido", "apellidos",
                  "cognome"),
    "organisation": (
        "organisation", "organization", "org", "organisation name", "organization name",
        "agency", "employer", "institution", "company", "affiliation",
        "organisatie", "instelling", "werkgever",  # nl
        "asutus", "organisatsioon", "tööandja",  # et
        "οργανισμός", "φορέας", "υπηρεσία",  # el
        "einrichtung", "behörde", "arbeitgeber",  # de
        "organisme", "établissement", "employeur",  # fr
        "organisaatio", "työnantaja",  # fi
        "organizācija", "iestāde", "darba devējs",  # lv
        "organizacija", "įstaiga", "darbovietė",  # lt
        "myndighet", "arbetsgivare",  # sv
        "organización", "entidad", "institución",  # es
        "organizzazione", "ente", "istituzione",  # it
    ),
    "country": ("country", "country code", "land", "riik", "χώρα", "staat", "pays", "maa",
                "valsts", "valstybė", "šalis", "país", "paese", "nazione"),
    "sector": ("sector", "field", "profession", "area of work", "werkveld", "beroep",
               "valdkond", "sektor", "τομέας", "bereich", "berufsfeld", "secteur", "domaine",
               "sektori", "ala", "nozare", "sritis", "sektorius", "yrke", "profesión",
               "settore", "professione"),
    "date": ("date", "day", "datum", "dag", "kuupäev", "päev", "ημερομηνία", "ημέρα",
             "tag", "jour", "päivämäärä", "päivä", "datums", "diena", "data", "fecha", "día",
             "giorno"),
}

#: The first cell of a row of totals.
_TOTAL = re.compile(r"(total|totals|grand total|sum|totaal|kokku|σύνολο|summe|gesamt|"
                    r"insgesamt|yhteensä|kopā|iš viso|totalt|summa|totale|suma)\b")

#: Words that make a run of capitalised words an organisation or a sector, not a person:
#: in the partners' languages, compared without case.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ORGANISATION_WORDS = _words("""
centre center council university college school police policing ltd limited plc inc llc
gmbh e.v. ev bv b.v. nv vzw asbl oü as mtü sa stichting foundation fund trust association
society ngo network international national european agency service services department
ministry office hospital clinic court prison probation unit team group project church
charity institute institution academy board authority commission city county municipality
region regional state federal government public private children child youth family
families women men victims victim support advice housing health social welfare care
protection justice criminal crime law enforcement prosecution prosecutor education
research safeguarding prevention work workers services sector voluntary community
partnership alliance coalition federation union club federal programme program
gemeente politie jeugdzorg raad vereniging stiftung verein verband polizei jugendamt
rathaus universität schule politsei ühing keskus linnavalitsus vald ministeerium amet
kool ülikool asutus kogudus αστυνομία κέντρο δήμος υπουργείο πανεπιστήμιο σύλλογος
ίδρυμα σχολείο policie poliisi keskus kaupunki yhdistys säätiö policija centrs dome
biedrība ministrija skola universitāte centras savivaldybė ministerija mokykla
universitetas polisen kommun stiftelse förening policía ayuntamiento fundación
asociación centro polizia comune fondazione associazione
""")

#: Lower-case words inside a name: particles and titles.
_PARTICLES = _words("""
de van der den von da di du le la del della dos das ter ten af zu bin al el mc mac y e
dr dr. mr mr. mrs mrs. ms ms. prof prof. sir dame
""")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-])*")
_DAY_LABEL = re.compile(r"(day|dag|päev|tag|jour|päivä|diena|día|giorno|ημέρα)\s*\d{1,2}",
                        re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y",
                 "%Y-%m-%d %H:%M:%S", "%Y/%m/%d")


class SheetError(Exception):
    """Something the user can fix: an unreadable sheet, no usable columns, a bad --map."""


@dataclass(slots=True)
class Row:
    """One attendee's row: its number in the sheet and what it says, field by field."""

    number: int
    values: dict[str, str]

    @property
    def name(self) -> str:
        first, last = self.values.get("first_name", ""), self.values.get("last_name", "")
        return self.values.get("name") or f"{first} {last}".strip()


@dataclass
class Sheet:
    """What a sign-in sheet says: its attendee rows and where they came from."""

    where: str
    columns: dict[str, str]  # field -> its heading, as written
    rows: list[Row]
    encoding: str | None = None  # a CSV's, as detected
    sheet_name: str | None = None  # a workbook's sheet that was read
    header_row: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def has_names(self) -> bool:
        return any(f in self.columns for f in NAME_FIELDS)


# --- headings ---------------------------------------------------------------------------


def norm_heading(h: Any) -> str:
    """A heading as compared: no case, no underscores, no '*' or '(...)' after it."""
    return _norm(str(h or ""))


@functools.lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip().casefold()
    text = re.sub(r"\s*\([^)]*\)$", "", text).rstrip("*").strip()
    return text


@cache
def _known() -> dict[str, str]:
    return {norm_heading(h): f for f, hs in HEADINGS.items() for h in hs}


_NAME_HEADINGS = frozenset(norm_heading(h) for f in NAME_FIELDS for h in HEADINGS[f])


def parse_map(items: Iterable[str]) -> dict[str, str]:
    """``["Org=organisation"]`` -> ``{"org": "organisation"}`` (heading -> field)."""
    out = {}
    for item in items:
        heading, sep, target = item.partition("=")
        target = target.strip().lower()
        if not sep or not heading.strip() or target not in (*FIELDS, "ignore"):
            raise SheetError(
                f"--map '{item}' should be HEADING=FIELD, FIELD one of: "
                f"{', '.join(FIELDS)}, ignore")
        out[norm_heading(heading)] = target
    return out


def _columns(cells: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """Column index -> field, for the cells of a candidate heading row."""
    known = _known()
    out = {}
    for j, cell in enumerate(cells):
        h = norm_heading(cell)
        f = mapping.get(h) or known.get(h)
        if f and f != "ignore":
            out[j] = f
    return out


def _find_header(rows: list[tuple[int, list[str]]],
                 mapping: dict[str, str]) -> tuple[int, dict[int, str]] | None:
    """The row with the most recognised headings (the first of equals), if any has one
    beside a date."""
    best: tuple[int, dict[int, str]] | None = None
    for i, (_, cells) in enumerate(rows):
        cols = _columns(cells, mapping)
        if set(cols.values()) - {"date"} and (best is None or len(cols) > len(best[1])):
            best = (i, cols)
    return best


# --- values -----------------------------------------------------------------------------


def _text(v: Any) -> str:
    """A cell as text: whitespace collapsed, control characters dropped, dates as ISO."""
    if v is None:
        return ""
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return re.sub(r"\s+", " ", UNSAFE.sub(" ", str(v))).strip()


def looks_like_name(text: str) -> bool:
    """Two to four words that each look like part of a person's name ('Jane Smith', 'SMITH,
    Jane', 'Pieter de Vries', 'Γιώργος Παπαδόπουλος'): letters only, capitalised, no
    organisation or sector word."""
    t = text.strip()
    if not t or any(ch.isdigit() for ch in t) or t.count(",") > 1:
        return False
    if "," in t:
        last, first = t.split(",")
        t = f"{first} {last}"
    words = [w for w in t.split() if w.casefold() not in _PARTICLES]
    if not 2 <= len(words) <= 4:
        return False
    shouted = t.isupper()  # in capitals throughout, an acronym looks like any other word
    for w in words:
        if w.casefold().strip(".") in ORGANISATION_WORDS or not _NAME_WORD.fullmatch(w):
            return False
        if not w[0].isupper() or (not shouted and len(w) in (2, 3) and w.isupper()):
            return False  # lower case, or an acronym (NGO, UK)
    return True


def person_in_cell(text: str) -> bool:
    """Does an organisation or sector cell hold a person: 'JOHN SMITH', 'Mary Jones
    (freelance)', 'Tom Harris, foster carer', 'Smith, Jane', 'J. Smith'? A run of
    capitalised words whose first (or, after a comma, last) is a common given name, or an
    initial before a capitalised word."""
    from cepa.records.names import given_name

    t = " ".join(re.sub(r"\s*\([^)]*\)\s*$", "", text).split())
    if re.fullmatch(r"[^\W\d_]\.\s?[^\W\d_][^\W\d_'’-]+", t):
        return True  # J. Smith
    head, _, tail = t.partition(",")
    for part, first in ((head, True), (tail, False)):
        words = part.split()
        if not words or not looks_like_name(part.strip() if len(words) > 1 else
                                            f"{part.strip()} X"):
            continue
        if first and len(words) >= 2 and given_name(words[0]):
            return True  # Tom Harris, ...; JOHN SMITH
    given = tail.split()[:1]
    return bool(given and given_name(given[0]) and len(head.split()) == 1
                and looks_like_name(f"{head} {given[0]}"))  # Smith, Jane


def _day(v: Any, raw: str) -> str | None:
    """The day a date cell names, as YYYY-MM-DD (or 'Day 2' as written); None: not a date."""
    if isinstance(v, datetime | date):
        return _text(v)
    if isinstance(v, int | float) and not isinstance(v, bool) and 20000 <= v <= 80000:
        return (date(1899, 12, 30) + timedelta(days=int(v))).isoformat()  # Excel's day number
    if _DAY_LABEL.fullmatch(raw):
        return raw
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


# --- countries --------------------------------------------------------------------------

#: Languages whose country names a sheet may use (pycountry's translations).
_LANGUAGES = ("et", "nl", "el", "de", "fr", "fi", "lv", "lt", "sv", "es", "it", "pl", "pt",
              "cs", "da", "hu", "ro", "sk", "sl", "hr", "bg")
_EXTRA_NAMES = {"england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
                "great britain": "GB", "britain": "GB", "holland": "NL"}


@cache
def _country_names() -> dict[str, str]:
    """Every name and code of every country, casefolded -> ISO 3166 alpha-2."""
    import gettext

    import pycountry

    from cepa.base.countries import EU_CODES

    out: dict[str, str] = dict(_EXTRA_NAMES)
    out.update({eu.casefold(): iso for eu, iso in EU_CODES.items()})
    countries = list(pycountry.countries)
    for c in countries:
        out[c.alpha_2.casefold()] = c.alpha_2
        out[c.alpha_3.casefold()] = c.alpha_2
    translations: list[Any] = [None]
    for lang in _LANGUAGES:
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                                    languages=[lang]))
        except OSError:
            continue
    for c in countries:
        for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if n:
                for tr in translations:
                    out.setdefault((tr.gettext(n) if tr else n).casefold(), c.alpha_2)
    return out


def country_code(value: str, project_codes: dict[str, str]) -> str | None:
    """The code a record writes for ``value``, or None when it names no country.

    The project file's ``countries`` (code -> name) come first; then ISO 3166 codes and
    names. The United Kingdom and Greece are ``UK`` and ``EL``, as EU documents write them,
    unless the project itself uses ``GB`` or ``GR``.
    """
    key = value.strip().casefold()
    for code, name in project_codes.items():
        if key in (code.casefold(), name.casefold()):
            return code
    from cepa.base.countries import EU_CODES_BACK

    iso = _country_names().get(key)
    if iso is None:
        return None
    return iso if iso in project_codes else EU_CODES_BACK.get(iso, iso)


# --- reading the file -------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    """The sheet's bytes, at most ``MAX_SHEET_BYTES``; never a hang on a named pipe."""
    try:
        data, _ = loader.read_bytes(str(path), MAX_SHEET_BYTES, follow=True)
    except loader.Refused as e:
        if e.code == "too-large":
            raise SheetError(f"{path} is larger than {MAX_SHEET_BYTES >> 20} MB; a sign-in "
                             "sheet is smaller - is it the right file?") from None
        raise SheetError(f"{path} is {e}") from None
    except OSError as e:
        raise SheetError(f"cannot read {path}: {e.strerror or e}") from None
    return data


#: Code pages a sign-in sheet is saved in, besides UTF: Western, Central European,
#: Cyrillic, Greek, Turkish and Baltic Windows.
_CODE_PAGES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257")
#: The code page a country's office PCs save in, to choose among those that read as well.
_REGION_CODE_PAGE = {**dict.fromkeys(("EE", "LV", "LT"), "cp1257"),
                     **dict.fromkeys(("EL", "GR", "CY"), "cp1253"),
                     **dict.fromkeys(("CZ", "SK", "PL", "HU", "SI", "HR", "RO"), "cp1250"),
                     "BG": "cp1251", "TR": "cp1254"}
ENCODING_NAMES = {"utf_8": "UTF-8", "utf_16": "UTF-16", "utf_16_le": "UTF-16",
                  "utf_16_be": "UTF-16", "cp1252": "Windows-1252 (Western European)",
                  "cp1250": "Windows-1250 (Central European)",
                  "cp1251": "Windows-1251 (Cyrillic)", "cp1253": "Windows-1253 (Greek)",
                  "cp1254": "Windows-1254 (Turkish)", "cp1257": "Windows-1257 (Baltic)"}


def decode(data: bytes, where: str) -> tuple[str, str]:
    """The text of a CSV and the encoding it was read in, detected by charset-normalizer.

    Between code pages that read a short sheet equally cleanly, the countries the sheet
    names decide (a sheet from Latvia is Baltic, one from Greece Greek), and Western
    European by default.
    """
    from charset_normalizer import from_bytes

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    results = list(from_bytes(data, cp_isolation=["utf_8", "utf_16", "utf_16_le", "utf_16_be",
                                                  *_CODE_PAGES]))
    if not results:
        raise SheetError(f"{where}: cannot tell which encoding the file is in; save it from "
                         "Excel as 'CSV UTF-8' or as .xlsx")
    best = min(r.chaos for r in results)
    clean = [r for r in results if r.chaos <= best + 0.1]
    if clean[0].encoding.startswith("utf"):
        return str(clean[0]), clean[0].encoding
    preferred = _region_code_page(data) or "cp1252"
    chosen = next((r for r in clean if r.encoding == preferred), clean[0])
    return str(chosen), chosen.encoding


def _region_code_page(data: bytes) -> str | None:
    """The code page of the countries a sheet names most (its ASCII codes read alike in
    every code page)."""
    words = Counter(re.findall(rb"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])", data[:1 << 20]))
    for code, _ in words.most_common():
        page = _REGION_CODE_PAGE.get(code.decode())
        if page:
            return page
    return None


def _delimiter(text: str, mapping: dict[str, str]) -> str:
    """The delimiter under which a heading row appears (a title such as 'Seminar, Leeds'
    above it misleads csv.Sniffer), else the sniffer's guess."""
    sample = "\n".join(text[:1 << 16].splitlines()[:HEADER_SCAN])
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        guess = ","
    best, score = guess, 0
    for d in (guess, ";", ",", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=d))
        except csv.Error:
            continue
        found = _find_header([(n, r) for n, r in enumerate(rows, 1)], mapping)
        if found is not None and len(found[1]) > score:
            best, score = d, len(found[1])
    return best


def _csv_rows(text: str, where: str, mapping: dict[str, str]) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, mapping))
    old = csv.field_size_limit(MAX_FIELD)
    number = 0
    try:
        for number, row in enumerate(reader, 1):  # noqa: B007 - number is read after a failure
            yield number, row[:MAX_COLUMNS]
    except csv.Error as e:
        what = (f"a field longer than {MAX_FIELD // 1024} KB" if "field limit" in str(e)
                else str(e))
        raise SheetError(f"{where}, row {number + 1}: {what}; is it a sign-in sheet?") from None
    finally:
        csv.field_size_limit(old)


#: Shared strings a workbook may hold (each different text of its cells is one).
MAX_SHARED = 2_000_000


def workbook_limits(data: bytes, where: str, what: str = "a sign-in sheet",
                    max_unpacked: int = MAX_UNPACKED) -> str | None:
    """Why a workbook is too big to open, or None: too many parts, too many bytes once
    unpacked (as its zip declares; zipfile reads no further than that), or too many shared
    strings (counted in its strings part, stopping at the cap) - checked before openpyxl
    opens it, so a small file that unpacks to gigabytes costs nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            unpacked = sum(i.file_size for i in infos)
            if len(infos) > MAX_PARTS or unpacked > max_unpacked:
                return (f"{where} unpacks to {len(infos):,} parts and {unpacked:,} bytes; "
                        f"{what} is far smaller (is it a zip bomb?)")
            strings = next((i for i in infos if i.filename.lower().endswith(
                "sharedstrings.xml")), None)
            if strings is not None:
                count = 0
                with z.open(strings) as f:
                    tail = b""
                    while chunk := f.read(1 << 20):
                        count += (tail + chunk).count(b"<si") - tail.count(b"<si")
                        tail = chunk[-3:]
                        if count > MAX_SHARED:
                            return (f"{where} holds more than {MAX_SHARED:,} different "
                                    f"texts; {what} holds far fewer (is it a zip bomb?)")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as e:
        return f"{where} is not a readable .xlsx workbook ({e})"
    return None


def _workbook(data: bytes, where: str) -> Any:
    """The workbook in read-only mode, once its zip has been found of a sane size."""
    refused = workbook_limits(data, where)
    if refused:
        raise SheetError(refused)
    from openpyxl import load_workbook

    try:
        with _no_size_scan():
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                 keep_links=False)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError(f"{where} is not a readable .xlsx workbook ({e})") from None


@contextlib.contextmanager
def _no_size_scan() -> Iterator[None]:
    """Open a workbook without reading each sheet for its dimension: a sheet that gives
    none is parsed to its end for it (a million rows: half a minute), and cepa does not
    believe the dimension anyway (``reset_dimensions``)."""
    from openpyxl.worksheet import _read_only

    cls = _read_only.ReadOnlyWorksheet
    real = getattr(cls, "_get_size", None)
    if real is None:  # another openpyxl: it pays the scan, still bounded by MAX_UNPACKED
        yield
        return
    cls._get_size = lambda self: None
    try:
        yield
    finally:
        cls._get_size = real


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")


def _merges(data: bytes, ws: Any, where: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet (read-only mode does not keep them), as (first row,
    first column, last row, last column), read from its part of the zip."""
    from openpyxl.utils import column_index_from_string

    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return []
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z, z.open(part) as f:
        tail = b""
        while chunk := f.read(1 << 20):
            buf = tail + chunk
            for m in _MERGE.finditer(buf):
                c1, r1, c2, r2 = m.groups()
                out.append((int(r1), column_index_from_string(c1.decode()),
                            int(r2), column_index_from_string(c2.decode())))
            tail = buf[-200:]
            if len(out) > MAX_MERGES:
                raise SheetError(f"{where}: more than {MAX_MERGES:,} merged cells; unmerge "
                                 "them (Home > Merge & Center) and save again")
    return sorted(set(out))


def _filled(rows: Iterable[tuple[int, list[Any]]],
            merges: list[tuple[int, int, int, int]]) -> Iterator[tuple[int, list[Any]]]:
    """Rows with each merged range's value in every cell of it (as a reader sees it)."""
    starts: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for m in merges:
        starts[m[0]].append(m)
    active: list[tuple[tuple[int, int, int, int], Any]] = []
    for number, cells in rows:
        if starts or active:
            cells = list(cells)
            active = [a for a in active if a[0][2] >= number]
            for m in starts.pop(number, ()):
                active.append((m, cells[m[1] - 1] if m[1] - 1 < len(cells) else None))
            for (_, c1, _, c2), value in active:
                for c in range(c1, min(c2, MAX_COLUMNS) + 1):
                    if c - 1 < len(cells):
                        cells[c - 1] = value
        yield number, cells


def _xlsx_rows(data: bytes, wb: Any, where: str, mapping: dict[str, str],
               notes: list[str]) -> tuple[str, Iterator[tuple[int, list[Any]]],
                                          list[tuple[int, list[Any]]], tuple[int, dict[int, str]]]:
    """The first visible sheet with headings: its name, its rows after the scanned ones,
    the scanned rows and where the headings are among them."""
    hidden = []
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            hidden.append(ws.title)
            continue
        ws.reset_dimensions()  # the dimension a sheet claims is not trusted
        # each row as wide as its last cell (openpyxl caps that at column XFD), cut at ours
        rows = _filled(((n, list(r[:MAX_COLUMNS])) for n, r in enumerate(
            ws.iter_rows(values_only=True), 1)), _merges(data, ws, where))
        head = [r for _, r in zip(range(HEADER_SCAN), rows, strict=False)]
        found = _find_header([(n, [_text(c) for c in r]) for n, r in head], mapping)
        if found is not None:
            if hidden:
                notes.append(f"hidden sheet(s) not read: {', '.join(hidden)}")
            return ws.title, rows, head, found
    where_hidden = f" (hidden sheets not read: {', '.join(hidden)})" if hidden else ""
    raise SheetError(f"{where}: no visible sheet has headings for organisation, country, "
                     f"sector or names in its first {HEADER_SCAN} rows{where_hidden}; name "
                     "the columns, or use --map 'Heading=organisation'")


def read_sheet(path: Path, mapping: dict[str, str] | None = None, *,
               countries: dict[str, str] | None = None,
               organisations: Iterable[str] = (), max_rows: int = MAX_ROWS,
               data: bytes | None = None) -> Sheet:
    """The attendees of a sign-in sheet (.xlsx or CSV), every value checked.

    ``countries`` are the project's (code -> name); ``organisations`` the names and
    aliases of its partners and associates, which are never taken for people's names.
    """
    path = Path(path)
    where = str(path)
    mapping = mapping or {}
    if data is None:
        data = read_file(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    encoding = sheet_name = None
    if suffix in (".xlsx", ".xlsm"):
        wb = _workbook(data, where)
        try:
            sheet_name, rest, head, (at, columns) = _xlsx_rows(data, wb, where, mapping, notes)
            sheet = _read_rows(where, head, at, columns, rest, mapping, max_rows, notes)
        except SheetError:
            raise
        except Exception as e:  # a damaged part (truncated XML, a bad zip entry) mid-way
            raise SheetError(f"{where} is damaged: {type(e).__name__}: {e}") from None
        finally:
            wb.close()
    elif suffix in (".csv", ".txt"):
        text, encoding = decode(data, where)
        rows = _csv_rows(text, where, mapping)
        head = [r for _, r in zip(range(HEADER_SCAN), rows, strict=False)]
        found = _find_header([(n, [_text(c) for c in r]) for n, r in head], mapping)
        if found is None:
            raise SheetError(f"{where}: no headings for organisation, country, sector or "
                             f"names in its first {HEADER_SCAN} rows; name the columns, or "
                             "use --map 'Heading=organisation'")
        sheet = _read_rows(where, head, found[0], found[1], rows, mapping, max_rows, notes)
    else:
        raise SheetError(f"{where}: cepa reads sign-in sheets as .xlsx or .csv")
    sheet.encoding, sheet.sheet_name = encoding, sheet_name
    _check(sheet, countries or {}, organisations)
    return sheet


def _read_rows(where: str, head: list[tuple[int, list[Any]]], at: int, columns: dict[int, str],
               rest: Iterator[tuple[int, list[Any]]], mapping: dict[str, str], max_rows: int,
               notes: list[str]) -> Sheet:
    header_cells = [_text(c) for c in head[at][1]]
    headings = {f: header_cells[j] for j, f in columns.items()}
    _check_columns(where, header_cells, columns)
    rows: list[Row] = []
    totals = 0
    raw_dates: dict[int, Any] = {}
    for number, cells in itertools.chain(head[at + 1:], rest):
        if number > max_rows:
            raise SheetError(f"{where}: more than {max_rows:,} rows; a sign-in sheet is "
                             "shorter - if this one is genuine, raise the cap with --max-rows")
        texts = [_text(c) for c in cells]
        first = next((t for t in texts if t), "")
        if not first:
            continue
        if _TOTAL.match(first.casefold()):
            totals += 1
            continue
        if sum(1 for t in texts if t) >= 2 and len(_columns(texts, mapping)) >= 2:
            continue  # the headings again, above another day
        values = {f: texts[j] for j, f in columns.items() if j < len(texts) and texts[j]}
        if not set(values) - {"date"}:
            continue  # a line such as "Day 2" or a signature-only row
        if "date" in values:
            raw_dates[number] = cells[[j for j, f in columns.items() if f == "date"][0]]
        rows.append(Row(number, values))
    if totals:
        notes.append(f"{totals} row(s) of totals left out")
    sheet = Sheet(where, headings, rows, header_row=head[at][0], notes=notes)
    _check_dates(sheet, raw_dates)
    return sheet


def _check_columns(where: str, header: list[str], columns: dict[int, str]) -> None:
    for j, f in columns.items():
        if f in COUNTED and norm_heading(header[j]) in _NAME_HEADINGS:
            raise SheetError(f"{where}: column '{header[j]}' holds people's names, by its "
                             f"heading; cepa never counts names as {f} - map it with "
                             f"--map '{header[j]}=name'")
    by_field: dict[str, list[int]] = defaultdict(list)
    for j, f in columns.items():
        by_field[f].append(j)
    for f, js in by_field.items():
        if len(js) > 1 and f not in NAME_FIELDS:
            names = ", ".join(f"'{header[j]}'" for j in js)
            raise SheetError(f"{where}: {len(js)} columns hold {f} ({names}); keep one, or "
                             f"--map the others to ignore")


def _check_dates(sheet: Sheet, raw: dict[int, Any]) -> None:
    heading = sheet.columns.get("date", "date")
    for row in sheet.rows:
        if "date" not in row.values:
            continue
        day = _day(raw.get(row.number), row.values["date"])
        if day is None:
            shown = "" if looks_like_name(row.values["date"]) else f"'{row.values['date']}' "
            raise SheetError(f"{sheet.where}, row {row.number}: {shown}in column '{heading}' "
                             "is not a date (write it as 2005-06-14 or 14/06/2005)")
        row.values["date"] = day


def _check(sheet: Sheet, countries: dict[str, str], organisations: Iterable[str]) -> None:
    """Countries are countries; no counted column holds people's names."""
    heading = sheet.columns.get("country", "country")
    for row in sheet.rows:
        value = row.values.get("country")
        if value is None:
            continue
        code = country_code(value, countries)
        if code is None:
            shown = "" if looks_like_name(value) else f"'{value}' "
            raise SheetError(f"{sheet.where}, row {row.number}: {shown}in column '{heading}' "
                             "is not a country; write a two-letter code such as UK, NL, EE, "
                             "or the country's name")
        row.values["country"] = code
    known = {o.casefold() for o in organisations}
    names = {" ".join(r.name.casefold().split()) for r in sheet.rows if r.name}
    days = len({r.values.get("date") for r in sheet.rows}) or 1
    for f in ("organisation", "sector"):
        if f not in sheet.columns:
            continue
        heading = sheet.columns[f]
        values = [(r.number, r.values[f]) for r in sheet.rows if r.values.get(f)]
        for number, v in values:
            if len(v) > MAX_VALUE:
                raise SheetError(f"{sheet.where}, row {number}: the {f} in column '{heading}' "
                                 f"is {len(v):,} characters long; is it the right column?")
            if " ".join(v.casefold().split()) in names:
                raise SheetError(f"{sheet.where}, row {number}: column '{heading}' holds the "
                                 "name of someone on the sheet; cepa never counts names - "
                                 "correct the row")
        seen = Counter(v.casefold() for _, v in values)
        spelling = {v.casefold(): v for _, v in reversed(values)}
        distinct = [v for v in seen if v not in known]
        personal = {v for v in distinct if seen[v] <= days and looks_like_name(spelling[v])}
        if distinct and len(personal) * 2 > len(distinct):
            first = next(n for n, v in values if v.casefold() in personal)
            raise SheetError(
                f"{sheet.where}: column '{heading}' looks like people's names ({len(personal)} "
                f"of its {len(distinct)} values, from row {first}), so cepa will not count "
                f"it as {f}. If it holds names, map it: --map '{heading}=name'; if not, "
                f"leave it out: --map '{heading}=ignore'")
        for number, v in values:  # one name among organisations is a name all the same
            if v.casefold() not in known and person_in_cell(v):
                raise SheetError(
                    f"{sheet.where}, row {number}: '{v}' in column '{heading}' looks like a "
                    f"person's name, not {'an' if f[0] in 'aeiou' else 'a'} {f}; cepa never "
                    f"counts names. Write the {f} instead (or leave the cell empty), or, if "
                    "it is an organisation's name, add it to the project file's partners, "
                    "associates or their aliases")
