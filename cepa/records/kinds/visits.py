"""Exchange and study visits: who travelled from where to where, and which organisations
hosted them (activity A of the model project)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cepa.base.text import N_, NP_
from cepa.records.kind import (
    Column,
    Distinct,
    DistinctBy,
    Kind,
    People,
    Records,
    Show,
)
from cepa.records.model import Country, PeopleCount, RecordBase, Ref, Strict, Text


class Host(Strict):
    name: Text
    city: str | None = None
    type: str | None = Field(default=None, description="NGO, police, statutory, school, ...")
    notes: str | None = None


class Visit(RecordBase):
    """An exchange or study visit."""

    from_partners: list[Ref] = Field(min_length=1, description="Partner ids who travelled")
    country: Country = Field(description="Country visited")
    hosts: list[Host] = Field(default_factory=list)
    travellers: PeopleCount | None = None


def hosts(r: Any) -> list[str]:
    """The organisations a visit went to, each spelling once whatever its case."""
    return [h.name.casefold() for h in r.hosts]


KIND = Kind(
    "visits", "visit", N_("Visits"), Visit, "travellers", N_("travellers"),
    N_("exchange and study visits"),
    noun=NP_("{n} traveller", "{n} travellers"),
    record_noun=NP_("{n} visit", "{n} visits"),
    partners=("from_partners",), refs=(("from_partners", "partner"),),
    text=("title", "notes", "sources", "hosts"),
    fields=(("hosts", lambda r: "; ".join(h.name + (f" ({h.city})" if h.city else "")
                                          for h in r.hosts)),),
    stats=(
        ("count", Records(N_("visits"))),
        ("travellers", People()),
        ("hosts_total", Distinct(hosts, N_("host organisations"))),
        ("hosts_by_country", DistinctBy(lambda r: [r.country], hosts,
                                        N_("host organisations"), "country")),
    ),
    overview=(("count", N_("Visits")), ("hosts_total", N_("Host organisations visited")),
              ("travellers", N_("Travellers"))),
    listing=(Column("date", N_("date")), Column("partners", N_("from")),
             Column("place", N_("to")), Column("hosts", N_("organisations visited"))),
    tables=(Show("hosts_by_country", N_("Host organisations by country"), N_("country"),
                 N_("organisations")),),
    measures={"visits": (Records(N_("visits")), N_("exchange and study visits")),
              "travellers": (People(), N_("people who travelled on visits")),
              "host_organisations": (Distinct(hosts, N_("host organisations")),
                                     N_("organisations hosting visits"))},
    blank=(
        "from_partners: [{partner}]      # ids of the partners who travelled",
        "country: unknown               # country visited (two letters)",
        "hosts:                         # the organisations visited",
        "  - name: Host organisation    # its name",
        "    # city: Town",
        "    # type: NGO                # NGO, police, statutory, school, ...",
        "# travellers:                  # how many travelled",
        "#   total: 3",
    ),
)
