"""A kind of record that cepa does not ship: a month of a helpline's log. Everything about it
is here; tests/test_new_kind.py registers it and runs every command on a project using it."""

from __future__ import annotations

from pydantic import Field

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Group, Kind, People, Records, Show, Texts
from cepa.records.model import Count, Country, RecordBase, Ref, Text


class Helpline(RecordBase):
    """A month of calls to a helpline run by a partner."""

    service: Text = Field(description="The helpline's name")
    partner: Ref
    country: Country
    calls: Count = Field(description="Calls answered")
    topics: list[Text] = Field(default_factory=list, description="What callers asked about")


KIND = Kind(
    "helplines", "helpline", N_("Helpline logs"), Helpline, "calls", N_("calls"),
    N_("helpline logs"),
    noun=NP_("{n} call", "{n} calls"), record_noun=NP_("{n} month of calls", "{n} months of calls"),
    partners=("partner",), refs=(("partner", "partner"),),
    text=("title", "notes", "sources", "service", "topics"),
    fields=(("service", lambda r: r.service),),
    texts=(("topics", lambda r: list(r.topics)),),
    stats=(("months", Records(N_("months"))), ("calls", People()),
           ("by_service", Group(lambda r: [r.service], "service", text=True)),
           ("topics", Texts(lambda r: list(r.topics)))),
    overview=(("calls", N_("Helpline calls")),),
    listing=(Column("date", N_("month")), Column("service", N_("helpline")),
             Column("place", N_("country")), Column("count", N_("calls"))),
    tables=(Show("by_service", N_("Calls by helpline"), N_("helpline"), N_("calls")),),
    measures={"helpline_calls": (People(), N_("calls answered by helplines")),
              "helpline_months": (Records(N_("months")), N_("months of helpline logs"))},
    blank=(
        "service: Name of the service   # the helpline",
        "partner: {partner}             # the partner running it",
        "country: {country}                  # two-letter code",
        "calls:",
        "  total: 0                     # calls answered",
        "# topics: [what callers asked about]",
    ),
    template=("{% if activity.people is recorded %}{% trans calls=activity.people | counted(noun),"
              " months=activity.records | counted(record_noun) %}The helplines answered {{ calls }}"
              " in {{ months }}.{% endtrans %}{% endif %}"),
)
