"""The record model: the project file, and what every kind of record is built from.

Pydantic models in strict mode, unknown fields forbidden, so a typo is an
error and ``yes`` is never a number. Records about children (feedback,
outcomes) have no field that could hold a name, a date of birth, an address
or contact details. ``cepa schema KIND`` prints these models as JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cepa.base.dates import UNKNOWN, DateError, Span, parse_when
from cepa.records import outline

# --- building blocks -----------------------------------------------------------


def _when(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    try:
        return parse_when(value)
    except DateError as e:
        raise PydanticCustomError("invalid_date", str(e)) from None


_POINT_SCHEMA = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                 "description": "YYYY-MM-DD, YYYY-MM when only the month is known, YYYY when "
                                "only the year is"}

When = Annotated[
    Span,
    PlainValidator(_when),
    PlainSerializer(lambda s: s.text, return_type=str),
    WithJsonSchema({
        "description": "A day (YYYY-MM-DD), a month (YYYY-MM), a year (YYYY), a range "
                       "{start, end}, a list of days [YYYY-MM-DD, ...], or unknown",
        "anyOf": [
            _POINT_SCHEMA,
            {"type": "integer", "minimum": 1, "maximum": 9999},
            {"const": "unknown"},
            {"type": "null"},
            {"type": "array", "minItems": 1,
             "items": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}},
            {"type": "object", "additionalProperties": False, "required": ["start", "end"],
             "properties": {"start": _POINT_SCHEMA, "end": _POINT_SCHEMA}},
        ],
    }),
]


def _ref(value: Any) -> Any:
    """Objective ids may be written 1 or "1"; they are compared as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


#: The largest count a record may give: no project counts a billion of anything, and a
#: bound here keeps every later sum, chart, percentage and spreadsheet cell finite.
MAX_COUNT = 10**9

Ref = Annotated[str, BeforeValidator(_ref), Field(min_length=1, max_length=80),
                WithJsonSchema({"type": ["string", "integer"]})]
#: Letters of any alphabet (Greek, Estonian, ...), digits, '.', '_' and '-'.
ID_PATTERN = r"^[^\W_][\w.-]*$"
Id = Annotated[str, BeforeValidator(_ref), Field(
    pattern=ID_PATTERN, max_length=80,
    description="Unique across the project: letters (any alphabet), digits, . _ -")]
Country = Annotated[str, Field(pattern=r"^(?:[A-Z]{2}|unknown)$",
                               description="Two-letter country code, e.g. UK, NL, EE, or "
                                           "unknown")]
Text = Annotated[str, Field(min_length=1)]
#: A text of the coordinator's that may be given per language: a plain string (in the
#: project's language), or {en: ..., nl: ..., et: ...}; outputs use the language asked for,
#: else the project's own (cepa/i18n.py ``local``).
Local = str | dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], Text]


class _PerLanguage:
    """Marks a field whose text may be given per language (``validate --lang`` reads it)."""


PER_LANGUAGE = _PerLanguage()
LocalText = Annotated[Local, Field(min_length=1), PER_LANGUAGE]
OptionalLocal = Annotated[Local | None, PER_LANGUAGE]
Number = Annotated[int, Field(ge=0, le=MAX_COUNT)]
#: A figure a claim or a target states: a count, or a share such as 99.5.
Amount = Annotated[int | float, Field(ge=0, le=MAX_COUNT, allow_inf_nan=False)]
Breakdown = dict[str, Number]

BREAKDOWNS = ("by_country", "by_organisation", "by_sector", "by_function", "by_age_band",
              "by_gender")
Estimable = Literal["total", "by_country", "by_organisation", "by_sector", "by_function",
                    "by_age_band", "by_gender"]



class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_default=False)


#: How a figure or a fact was obtained: counted (or recorded as it is), split of a known
#: total (the source gives only the total of a group of records), estimated (with a source,
#: or without one), or assumed (a stand-in: a date, a place, a host nobody recorded).
How = Literal["counted", "split", "estimated", "assumed"]


class Basis(Strict):
    """How a figure or a fact was obtained, with what a reader needs to weigh it."""

    how: How
    of: Ref | None = Field(default=None, description="split: the id of the known total "
                                                     "(known_totals) it is a share of")
    source: str | None = Field(default=None, description="estimated: where the estimate "
                                                         "comes from")
    note: str | None = None


#: ``basis: {total: split, by_sector: {how: estimated, source: ...}}``
BasisOf = How | Basis


def _not_known(value: Any) -> Any:
    """``unknown`` (or ``null``) for a count that is not known."""
    return None if value == UNKNOWN else value


class CountBase(Strict):
    """A total, which of its figures are estimates, and the breakdowns that add up to it.
    A total that is not known is written ``unknown`` (its ``note`` may say why)."""

    total: Annotated[Number | None, BeforeValidator(_not_known),
                     WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0},
                                               {"const": "unknown"}, {"type": "null"}]})]
    estimated: list[Estimable] = Field(
        default_factory=list,
        description="Which figures here are estimates, e.g. [total] or [by_sector]",
    )
    note: OptionalLocal = None
    basis: dict[Estimable, BasisOf] = Field(
        default_factory=dict,
        description="How each figure was obtained: counted, split (of a known total), "
                    "estimated (give its source) or assumed, e.g. {total: split}")

    @model_validator(mode="after")
    def _estimates_are_given(self) -> CountBase:
        """``estimated`` names only the total or a breakdown this count gives."""
        for name in self.estimated:
            if name == "total":
                continue
            if name not in type(self).model_fields:
                raise PydanticCustomError(
                    "estimate_unknown",
                    "estimated names '{name}', which this count has no breakdown of; write "
                    "total or one of {have}", {"name": name, "have": ", ".join(
                        b for b in BREAKDOWNS if b in type(self).model_fields)})
            if getattr(self, name) is None:
                raise PydanticCustomError(
                    "estimate_not_given",
                    "estimated names '{name}', but the count gives no {name}: add it, or "
                    "take it out of estimated", {"name": name})
        return self

    def breakdowns(self) -> dict[str, Breakdown]:
        fields = self.__dict__  # not getattr: a name the model lacks costs an exception
        return {b: v for b in BREAKDOWNS if (v := fields.get(b)) is not None}


class Count(CountBase):
    """A count of people (or interviews), with optional breakdowns that add up to it."""

    by_country: Breakdown | None = Field(
        default=None, description="By the country people came from (two-letter codes)")
    by_organisation: Breakdown | None = None
    by_sector: Breakdown | None = None
    by_function: Breakdown | None = Field(
        default=None, description="By function or role: teachers, social workers, police, ...")
    by_gender: Breakdown | None = Field(
        default=None, description="By gender, as the sign-in sheets give it: women, men, ...")


class PeopleCount(Count):
    """Attendance that can also say who came, as keyed hashes (never names)."""

    people: list[Annotated[str, Field(pattern=r"^[0-9a-f]{16,64}$")]] | None = Field(
        default=None,
        description="Keyed hashes of attendees (cepa import writes them); never names",
    )


class ChildCount(CountBase):
    """A count of children or young people: no names, only bands."""

    by_age_band: Breakdown | None = None
    by_gender: Breakdown | None = None


def unknown_list(value: Any) -> Any:
    """``unknown`` for a list that is not known: no entries."""
    return [] if value == UNKNOWN else value


class RecordBase(Strict):
    """Fields every record has."""

    id: Id
    activity: Ref
    objectives: Annotated[list[Ref], BeforeValidator(unknown_list)] = Field(
        description="The objectives it serves (unknown, or [], when that is not known)")
    title: LocalText
    date: When
    city: str | None = None
    country: Country | None = None
    notes: OptionalLocal = Field(default=None,
                                 description="What a reader of the report should know")
    change: OptionalLocal = Field(
        default=None, description="What changed from the plan, and why: the report says it")
    internal: str | None = Field(
        default=None, description="A note for the project team: never in any output")
    sources: list[str] = Field(default_factory=list,
                               description="Where the figures come from (documents, sheets)")
    basis: dict[str, BasisOf] = Field(
        default_factory=dict,
        description="Facts that are not as recorded: {date: assumed, hosts: assumed}; a "
                    "count says how its figures were obtained in its own basis")
    revision: str | None = Field(
        default=None, description="Why the record changed after its period was submitted "
                                  "(cepa submit): cepa diff and the report show it")


Mode = Literal["in person", "online", "hybrid", "unknown"]


class Gathering(RecordBase):
    """What seminars and events share: where and how they were held, and who came."""

    mode: Mode = Field(default="in person",
                       description="in person, online, hybrid, or unknown; an online one has "
                                   "no venue")
    city: str | None = Field(default=None, description="Where it was held (not when online)")
    country: Country | None = Field(default=None,
                                    description="Country where it was held (not when online)")
    convenor: Ref = Field(description="The id of the partner who convened it, or unknown")
    co_organisers: list[Ref] = Field(default_factory=list)
    participants: PeopleCount
    comments: list[LocalText] = Field(
        default_factory=list,
        description="What participants said (evaluation forms), in their words; no names")

    @model_validator(mode="after")
    def _venue(self) -> Gathering:
        if self.mode == "online" and (self.city or self.country):
            raise PydanticCustomError(
                "venue", "an online gathering has no city or country: leave them out, and "
                "give the participants' countries in participants.by_country")
        if self.mode in ("in person", "hybrid") and not (self.city and self.country):
            raise PydanticCustomError(
                "venue", "a gathering held {mode} needs 'city' and 'country' (either may be "
                "unknown), or mode: online", {"mode": self.mode})
        return self


#: What a gathering's row in a summary shows besides the common fields.
GATHERING_FIELDS: tuple[tuple[str, Any], ...] = (
    ("mode", lambda r: r.mode),
    ("organisers", lambda r: [r.convenor, *r.co_organisers]),
)

#: ``cepa new``: the lines of a gathering after the fields every record has.
GATHERING_BLANK: tuple[str, ...] = (
    "country: unknown               # two-letter code of the country it was held in",
    "convenor: unknown              # the id of the partner who convened it",
    "# co_organisers: [other-partner]   # ids of partners or associates who co-organised",
    "participants:",
    "  total: unknown               # how many attended (unknown until you know)",
    "  # by_function: {{teachers: 10, social workers: 5}}  # roles; must add up to total",
    "  # by_organisation: {{Organisation A: 10, Organisation B: 5}}",
    "  # by_country: {{{country}: 15}}        # where participants came from",
    "  # by_sector: {{child protection: 10, criminal justice: 5}}",
    "  # estimated: [total]         # which figures are estimates",
    "  # note: how the count was taken",
    "# comments: [what participants said, from the evaluation forms; no names]",
    "# change: moved online because ...   # what changed from the plan, and why",
)


# --- the project file ------------------------------------------------------------


class Partner(Strict):
    id: Id
    name: Text
    country: Country
    type: Text = Field(description="NGO, statutory, ...")
    aliases: list[Text] = Field(default_factory=list,
                                description="Other spellings of the name, e.g. Stede")
    role: Literal["lead", "partner"] = "partner"
    primary_participants: Number | None = None
    primary_participants_description: OptionalLocal = None
    address: str | None = Field(default=None, description="The organisation's address")


class Associate(Strict):
    id: Id
    name: Text
    country: Country
    type: str | None = None
    aliases: list[Text] = Field(default_factory=list)
    description: OptionalLocal = None


class Objective(Strict):
    id: Ref
    text: LocalText
    short: OptionalLocal = Field(default=None, description="A few words for table headings")


class TargetGroup(Strict):
    id: Id
    name: LocalText
    description: OptionalLocal = None


#: The kind folders an activity's records may be in: filled by the registry of kinds
#: (cepa/records/kinds/), which describes each.
KIND_NAMES: list[str] = []


def _kind(value: str) -> str:
    if value not in KIND_NAMES:
        raise PydanticCustomError("unknown_kind", "'{kind}' is not a kind of record (kinds: "
                                  "{known})", {"kind": value, "known": ", ".join(KIND_NAMES)})
    return value


KindName = Annotated[str, AfterValidator(_kind)]
Status = Literal["implemented", "partly implemented", "moved", "postponed", "not implemented",
                 "unforeseen"]


Scalar = str | int
Where = dict[str, Scalar | list[Scalar]]


class Quantity(Strict):
    measure: Text
    where: Where = Field(default_factory=dict)
    aggregate: Literal["sum", "min", "max", "count"] = "sum"


class Indicator(Strict):
    """An expected result in figures: a target and what was achieved (given, or computed
    from the records with a quantity, as claims are)."""

    text: LocalText
    target: Amount | None = None
    actual: Amount | None = Field(default=None, description="When no quantity gives it")
    quantity: Quantity | None = None


class Activity(Strict):
    id: Annotated[str, BeforeValidator(_ref), Field(pattern=ID_PATTERN, max_length=12)]
    title: LocalText
    kind: KindName
    objectives: Annotated[list[Ref], BeforeValidator(unknown_list)] = Field(
        default_factory=list, description="The objectives it serves (unknown when not known)")
    planned: bool = Field(default=True, description="false for an unforeseen activity "
                                                    "(status: unforeseen says it too)")
    planned_events: Number | None = Field(default=None,
                                          description="How many events were planned")
    status: Status | None = Field(
        default=None, description="implemented, partly implemented, moved, postponed, not "
                                  "implemented or unforeseen; reported when it has no records")
    reason: OptionalLocal = Field(
        default=None, description="Why it changed, moved, was postponed or not implemented")
    not_implemented_reason: OptionalLocal = Field(
        default=None, description="Why a planned activity (or some of its events) did not "
                                  "happen (the same as reason)")
    planned_date: When | None = None
    actual_date: When | None = None
    planned_place: str | None = None
    actual_place: str | None = None
    target_groups: list[Ref] = Field(default_factory=list,
                                     description="Ids of the target groups it reached")
    expected_results: OptionalLocal = Field(default=None, description="What it was to achieve")
    results: OptionalLocal = Field(default=None, description="What it achieved, in words")
    indicators: list[Indicator] = Field(default_factory=list)
    description: OptionalLocal = None

    @model_validator(mode="after")
    def _unforeseen_is_not_planned(self) -> Activity:
        """``status: unforeseen`` is an activity that was not planned."""
        if self.status == "unforeseen":
            if "planned" in self.model_fields_set and self.planned:
                raise PydanticCustomError(
                    "unforeseen_planned",
                    "an activity cannot be both planned and unforeseen: take out "
                    "'planned: true', or give it another status", {})
            self.planned = False
        return self

    @property
    def why(self) -> Local | None:
        return self.reason or self.not_implemented_reason


class Claim(Strict):
    id: Id | None = None
    text: LocalText
    quantity: Quantity
    op: Literal["=", ">=", ">", "<=", "<"] = "="
    value: Amount
    period: Ref | None = Field(
        default=None, description="The reporting period it speaks of (default: the whole "
                                  "project)")


class Target(Strict):
    id: Id
    text: LocalText
    quantity: Quantity
    target: Amount
    period: Ref | None = Field(
        default=None, description="The reporting period it is set for (default: the whole "
                                  "project)")


class Revision(Strict):
    """Why figures of a submitted period changed (``cepa diff`` lists them)."""

    period: Ref = Field(description="The submitted period, e.g. final")
    records: list[Ref] = Field(default_factory=list,
                               description="The records it explains (none: every change)")
    reason: Text


class KnownTotal(Strict):
    """A total the source gives for a group of records that the records split by estimate:
    a sum over the whole group is exact."""

    id: Id
    text: LocalText = Field(
        description="What the source says, e.g. 127 at the three UK seminars")
    records: list[Ref] = Field(min_length=1, description="Ids of the records it is the total of")
    total: Number
    source: str | None = Field(default=None, description="Where the source gives it")


class Disclosure(Strict):
    threshold: Number = Field(default=7, description="Counts 1..threshold are suppressed")
    base: Annotated[int, Field(ge=1, le=MAX_COUNT)] = Field(default=5,
                                                            description="Round the rest to this")
    protected: list[Text] = Field(default_factory=list,
                                  description="Further measures to protect")


class CoverageRules(Strict):
    min_records: Number = Field(default=1,
                                description="Records an objective needs to count as covered")
    min_kinds: Number = Field(default=1, description="Record kinds an objective needs")


class IgnoreRule(Strict):
    """A warning that is wrong for some files, silenced (errors never can be)."""

    code: Text = Field(description="The warning's code, e.g. misspelt-name")
    path: Text = Field(description="The files, as a pattern from the project folder, "
                                   "e.g. seminars/*.yaml")
    reason: str | None = Field(default=None, description="Why the warning is wrong there")


# --- the report's outline (cepa/records/outline.py) ---------------------------------


def _entry(value: Any) -> Any:
    """A bare name in the outline is one of cepa's parts under its own heading."""
    return {"part": value} if isinstance(value, str) else value


class OutlineEntry(Strict):
    """A section or annex of the outline: one of cepa's (``part``) or the writer's own
    (``own``), with a heading (``title``, per language) that replaces cepa's."""

    part: str | None = Field(default=None, description="One of cepa's parts: "
                             + ", ".join(outline.PARTS))
    own: Annotated[str | None, Field(pattern=outline.OWN_PATTERN, max_length=60)] = Field(
        default=None, description="A section of your own: its Markdown file beside the "
                                  "project file, without .md (safeguarding.md: safeguarding)")
    title: OptionalLocal = Field(default=None, description="Its heading")
    asks: OptionalLocal = Field(default=None, description="What an own section answers "
                                                          "(validate --final says it)")

    @model_validator(mode="after")
    def _one(self) -> OutlineEntry:
        if (self.part is None) == (self.own is None):
            raise PydanticCustomError(
                "outline_entry", "an entry of the outline is one of cepa's parts (claims, "
                "or {part: claims, title: ...}) or a section of your own ({own: "
                "safeguarding, title: Safeguarding})")
        if self.part is not None:
            name = outline.part_name(self.part)
            if name not in outline.PARTS:
                raise PydanticCustomError(
                    "outline_part", "'{name}' is not one of cepa's parts of the report "
                    "({known}); a section of your own is written {own: {name}, title: "
                    "...}, with {name}.md beside the project file",
                    {"name": self.part, "known": ", ".join(outline.PARTS)})
            self.part = name
        elif outline.part_name(self.own or "") in outline.PARTS or \
                self.own in outline.CEPA_FILES:
            raise PydanticCustomError(
                "outline_own", "'{name}' is one of cepa's parts: write {part: {name}, "
                "title: ...} to give it a heading of your own", {"name": self.own})
        elif not self.title:
            raise PydanticCustomError(
                "outline_title", "the section of your own '{name}' needs a title: {own: "
                "{name}, title: ...}", {"name": self.own})
        return self

    @property
    def name(self) -> str:
        return self.part or self.own or ""


_OUTLINE_ENTRY_SCHEMA = {"anyOf": [
    {"enum": list(outline.PARTS), "description": "One of cepa's parts, under its heading"},
    {"type": "object", "additionalProperties": False, "required": ["part"],
     "properties": {"part": {"enum": list(outline.PARTS)},
                    "title": {"description": "Its heading, or {en: ..., nl: ...}"}}},
    {"type": "object", "additionalProperties": False, "required": ["own", "title"],
     "properties": {"own": {"type": "string", "pattern": outline.OWN_PATTERN},
                    "title": {"description": "Its heading, or {en: ..., nl: ...}"},
                    "asks": {"type": "string"}}}]}
Entry = Annotated[OutlineEntry, BeforeValidator(_entry), WithJsonSchema(_OUTLINE_ENTRY_SCHEMA)]


class Outline(Strict):
    """The report's sections and annexes, in order; a list not given is cepa's."""

    sections: list[Entry] | None = Field(
        default=None, description="The report's sections, in order (default: "
                                  + ", ".join(p.name for p in outline.SECTIONS) + ")")
    annexes: list[Entry] | None = Field(
        default=None, description="The annexes, numbered in order (default: "
                                  + ", ".join(p.name for p in outline.ANNEXES) + ")")

    @model_validator(mode="after")
    def _once(self) -> Outline:
        seen: set[str] = set()
        for e in [*(self.sections or []), *(self.annexes or [])]:
            if e.name in seen:
                raise PydanticCustomError(
                    "outline_twice", "'{name}' is listed twice in the outline; a part is "
                    "printed once", {"name": e.name})
            seen.add(e.name)
        return self


class ReportSettings(Strict):
    """How the project's report is written: its outline, and its version."""

    outline: Outline | None = None
    version: str | None = Field(
        default=None, description="The report's version, e.g. Draft 2: on the title page, "
                                  "and {{ version }} in the reference document's header or "
                                  "footer")


class Project(Strict):
    code: Text
    title: LocalText
    programme: Text
    period: When
    summary: OptionalLocal = None
    report_title: OptionalLocal = Field(
        default=None, description="The report's title, e.g. Blueprints of Experience")
    report: ReportSettings | None = Field(
        default=None, description="The report's outline (sections and annexes, in order, "
                                  "with your headings and your own sections) and version")
    lead: Ref | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = Field(
        default="en", description="The language of the project's texts and of its report "
                                  "(en, nl, et, ...)")
    changes: OptionalLocal = Field(
        default=None, description="Changes to the project's dates or plan, and the reasons")
    countries: dict[str, Text] = Field(default_factory=dict,
                                       description="Country codes used, with their names")
    labels: dict[str, Annotated[dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], Text],
                                PER_LANGUAGE]] = Field(
        default_factory=dict,
        description="Words the records use as keys (sectors, groups, organisations), in "
                    "other languages: {child protection: {nl: kinderbescherming}}")
    partners: list[Partner] = Field(min_length=1)
    associates: list[Associate] = Field(default_factory=list)
    objectives: list[Objective] = Field(min_length=1)
    target_groups: list[TargetGroup] = Field(default_factory=list)
    activities: list[Activity] = Field(min_length=1)
    targets: list[Target] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    known_totals: list[KnownTotal] = Field(
        default_factory=list,
        description="Totals the source gives for groups of records whose split is estimated")
    reporting_periods: dict[str, When] = Field(default_factory=dict)
    coverage: CoverageRules = Field(default_factory=CoverageRules)
    disclosure: Disclosure = Field(default_factory=Disclosure)
    ignore: list[IgnoreRule] = Field(
        default_factory=list, description="Warnings to silence for some files (never errors)")
    revisions: list[Revision] = Field(
        default_factory=list,
        description="Why figures changed after a period was submitted (cepa submit)")

    def organisations(self) -> list[Partner | Associate]:
        """Partners and associated organisations: whatever a record may name as organiser."""
        return [*self.partners, *self.associates]


def valid_id(text: str) -> bool:
    """Is ``text`` a record id by the model's own pattern (letters, digits, ``._-``, not
    starting with a dot), so that ``<id>.yaml`` names a file in its folder and nowhere else?"""
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(Id).validate_python(text)
    except ValidationError:
        return False
    return True


#: Field names that would hold personal data; refused in records about children at any depth.
PERSONAL_FIELDS = frozenset({
    "name", "names", "first_name", "firstname", "forename", "last_name", "lastname", "surname",
    "full_name", "child", "child_name", "date_of_birth", "dob", "birth_date", "birthday",
    "address", "home_address", "postcode", "post_code", "zip", "zipcode", "school",
    "email", "e_mail", "phone", "telephone", "mobile", "contact", "contact_details",
})
