"""Countries as ISO 3166 two-letter codes (pycountry), as EU documents write them.

EU documents write the United Kingdom ``UK`` and Greece ``EL``; cepa accepts those beside
the ISO codes ``GB`` and ``GR``. Names come from the same data, in English or in the
report's language (pycountry ships the ISO 3166 translations), unless the project file
names a country itself (``countries:``).
"""

from __future__ import annotations

from difflib import get_close_matches
from functools import cache

#: The codes EU documents use where ISO 3166 has another.
EU_CODES = {"UK": "GB", "EL": "GR"}


@cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset({c.alpha_2 for c in pycountry.countries} | set(EU_CODES))


def is_code(code: str) -> bool:
    return code in _codes()


def nearest(code: str) -> str | None:
    """The code a slip most likely meant ('EN' -> 'EE'?), or the code of a country name."""
    import pycountry

    try:
        return EU_CODES_BACK.get(pycountry.countries.lookup(code).alpha_2,
                                 pycountry.countries.lookup(code).alpha_2)
    except LookupError:
        pass
    found = get_close_matches(code.upper(), sorted(_codes()), n=1, cutoff=0.5)
    return found[0] if found else None


EU_CODES_BACK = {iso: eu for eu, iso in EU_CODES.items()}


def one_code(code: str) -> str:
    """One code per country, as EU documents write it: 'GR' and 'EL' are both 'EL', 'GB'
    and 'UK' both 'UK' (a programme's projects may write either)."""
    return EU_CODES_BACK.get(code, code)


@cache
def code_of(text: str) -> str | None:
    """The code of a country named in English ('Netherlands', 'United Kingdom'), in the
    form EU documents write it ('UK'); None for no country."""
    import pycountry

    try:
        iso = pycountry.countries.lookup(text.strip()).alpha_2
    except LookupError:
        return None
    return EU_CODES_BACK.get(iso, iso)


#: The member states (and the United Kingdom) as EU documents name them, where a language
#: has a catalogue of cepa's: the short names of the EU Interinstitutional Style Guide's
#: list of countries (CLDR's differ in places: Estonian 'Holland', 'Suurbritannia').
EU_NAMES: dict[str, dict[str, str]] = {
    "nl": {"AT": "Oostenrijk", "BE": "België", "BG": "Bulgarije", "CY": "Cyprus",
           "CZ": "Tsjechië", "DE": "Duitsland", "DK": "Denemarken", "EE": "Estland",
           "EL": "Griekenland", "ES": "Spanje", "FI": "Finland", "FR": "Frankrijk",
           "HR": "Kroatië", "HU": "Hongarije", "IE": "Ierland", "IT": "Italië",
           "LT": "Litouwen", "LU": "Luxemburg", "LV": "Letland", "MT": "Malta",
           "NL": "Nederland", "PL": "Polen", "PT": "Portugal", "RO": "Roemenië",
           "SE": "Zweden", "SI": "Slovenië", "SK": "Slowakije", "UK": "Verenigd Koninkrijk"},
    "et": {"AT": "Austria", "BE": "Belgia", "BG": "Bulgaaria", "CY": "Küpros",
           "CZ": "Tšehhi", "DE": "Saksamaa", "DK": "Taani", "EE": "Eesti", "EL": "Kreeka",
           "ES": "Hispaania", "FI": "Soome", "FR": "Prantsusmaa", "HR": "Horvaatia",
           "HU": "Ungari", "IE": "Iirimaa", "IT": "Itaalia", "LT": "Leedu",
           "LU": "Luksemburg", "LV": "Läti", "MT": "Malta", "NL": "Madalmaad", "PL": "Poola",
           "PT": "Portugal", "RO": "Rumeenia", "SE": "Rootsi", "SI": "Sloveenia",
           "SK": "Slovakkia", "UK": "Ühendkuningriik"},
}


@cache
def name(code: str, language: str = "en") -> str:
    """'EE' -> 'Estonia'; in Dutch 'Estland'. The code itself when it is no country. A
    member state is named as EU documents name it in that language (``EU_NAMES``)."""
    import pycountry

    eu = EU_NAMES.get(language, {}).get(EU_CODES_BACK.get(code, code))
    if eu is not None:
        return eu

    country = pycountry.countries.get(alpha_2=EU_CODES.get(code, code))
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return str(english)
    import gettext

    try:
        t = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return str(english)
    return t.gettext(country.name) if country.name != english else t.gettext(english)


def names(codes: list[str] | set[str], given: dict[str, str] | None = None,
          language: str = "en") -> dict[str, str]:
    """Names of the codes: the project file's own where it gives one, else pycountry's."""
    given = given or {}
    return {c: given.get(c) or name(c, language) for c in sorted(codes)}
