"""Service-user feedback sessions with children and young people: anonymous by design,
counts and themes only (activity D of the model project)."""

from __future__ import annotations

from pydantic import Field

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Group, Kind, People, Records, Show, Split, Texts
from cepa.records.model import ChildCount, Country, LocalText, RecordBase, Ref, Strict, Text


class Quote(Strict):
    text: Text
    publishable: bool = False


class Feedback(RecordBase):
    """A service-user feedback session: anonymous, counts and themes only."""

    country: Country
    host: Text = Field(description="The service or organisation that hosted the session")
    visit: Ref | None = Field(default=None, description="Id of the visit it took place on")
    young_people: ChildCount | None = Field(
        default=None, description="Young people heard; leave out when the count is not known")
    themes: list[LocalText] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    publishable: bool = Field(default=False,
                              description="May the themes appear in published outputs?")


def _counted(r: Feedback) -> bool:
    return r.young_people is not None


KIND = Kind(
    "feedback", "feedback", N_("Feedback"), Feedback, "young_people", N_("young people"),
    N_("service-user feedback sessions"),
    noun=NP_("{n} young person", "{n} young people"),
    record_noun=NP_("{n} feedback session", "{n} feedback sessions"),
    children=True, record_refs=(("visit", "visits"),),
    text=("title", "notes", "sources", "host", "themes", "quotes", "city"),
    fields=(("host", lambda r: r.host),),
    texts=(("themes", lambda r: list(r.themes)),
           ("quotes", lambda r: [q.text for q in r.quotes if q.publishable])),
    published_texts=("quotes",),
    stats=(
        ("sessions", Records(N_("feedback sessions"))),
        ("young_people", People()),
        ("sessions_without_count", Records(N_("feedback sessions"),
                                           where=lambda r: not _counted(r))),
        ("by_country", Group(lambda r: [r.country], "country", where=_counted)),
        ("by_age_band", Split("by_age_band", "age band", order="key", where=_counted)),
        ("themes", Texts(lambda r: list(r.themes))),
    ),
    overview=(("sessions", N_("Feedback sessions")), ("young_people", N_("Young people heard"))),
    listing=(Column("date", N_("date")), Column("place", N_("country")),
             Column("host", N_("host")), Column("count", N_("young people"))),
    tables=(Show("by_age_band", N_("Young people heard by age band"), N_("age band"),
                 N_("young people")),),
    measures={"feedback_sessions": (Records(N_("feedback sessions")),
                                    N_("service-user feedback sessions")),
              "young_people": (People(), N_("young people heard in feedback sessions"))},
    blank=(
        "country: unknown               # two-letter code",
        "host: Name of the service      # the service or organisation that hosted the session",
        "# visit: visit-001             # id of the visit it took place on, if any",
        "young_people:",
        "  total: unknown               # counts and age bands only: never names",
        "  # by_age_band: {{13-15: 3, 16-17: 5}}",
        "# themes: [what young people said, in a few words]",
        "publishable: false             # may the themes appear in published outputs?",
    ),
)
