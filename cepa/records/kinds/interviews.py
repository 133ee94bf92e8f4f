"""Practitioner and stakeholder interviews: one record per interview, or one per batch with
a count (activity C of the model project)."""

from __future__ import annotations

from pydantic import Field

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Distinct, Group, Kind, People, Show, Split
from cepa.records.model import Count, Country, RecordBase, Ref, Text


class Interview(RecordBase):
    """One interview, or a batch of interviews with a count."""

    group: Text = Field(description="Who was interviewed, e.g. inter-agency, practitioner")
    conducted_by: Ref
    country: Country
    interviews: Count = Field(default_factory=lambda: Count(total=1))


KIND = Kind(
    "interviews", "interview", N_("Interviews"), Interview, "interviews", N_("interviews"),
    N_("practitioner and stakeholder interviews"),
    noun=NP_("{n} interview", "{n} interviews"),
    record_noun=NP_("{n} set of interviews", "{n} sets of interviews"),
    partners=("conducted_by",), refs=(("conducted_by", "organisation"),),
    text=("title", "notes", "sources", "group"),
    fields=(("group", lambda r: r.group),),
    stats=(
        ("total", People()),
        ("by_group", Group(lambda r: [r.group], "group", text=True)),
        ("by_country", Group(lambda r: [r.country], "country")),
        ("countries", Distinct(lambda r: [r.country], N_("countries"))),
        ("by_sector", Split("by_sector", "sector")),
    ),
    overview=(("total", N_("Interviews")),),
    listing=(Column("title", N_("interviews")), Column("group", N_("group")),
             Column("place", N_("country")), Column("partners", N_("conducted by")),
             Column("count", N_("interviews held"))),
    tables=(Show("by_group", N_("Interviews by group"), N_("group"), N_("interviews")),
            Show("by_country", N_("Interviews by country"), N_("country"), N_("interviews")),
            Show("by_sector", N_("Interviews by sector"), N_("sector"), N_("interviews"))),
    measures={"interviews": (People(), N_("interviews conducted"))},
    blank=(
        "country: unknown               # two-letter code",
        "group: inter-agency            # who was interviewed, e.g. inter-agency, practitioner",
        "conducted_by: unknown          # the id of the partner who interviewed",
        "interviews:",
        "  total: unknown               # how many interviews this record covers",
        "  # by_sector: {{police: 1}}",
        "  # estimated: [total]",
    ),
)
