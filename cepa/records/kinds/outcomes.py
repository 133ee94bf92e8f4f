"""Outcome monitoring: per service and period, how many under-18s were monitored and how
their risk changed (activity E of the model project)."""

from __future__ import annotations

from pydantic import Field

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Distinct, Group, Kind, Parts, People, Records, Show, Split
from cepa.records.model import ChildCount, Country, Number, RecordBase, Ref, Strict, Text


class Risk(Strict):
    """How the risk of the children monitored changed over the period."""

    reduced: Number = 0
    unchanged: Number = 0
    increased: Number = 0
    not_known: Number = 0
    estimated: bool = False


RISKS = ("reduced", "unchanged", "increased", "not_known")


class Outcome(RecordBase):
    """Outcome monitoring in one service over a period."""

    service: Text
    partner: Ref
    country: Country
    children: ChildCount = Field(description="Under-18s monitored")
    risk: Risk | None = None
    publishable: bool = Field(
        default=False,
        description="May the service's name and the record's texts appear in published "
                    "outputs?")


def service(r: Outcome) -> list[str]:
    return [r.service]


KIND = Kind(
    "outcomes", "outcome", N_("Outcomes"), Outcome, "children", N_("children monitored"),
    N_("outcome monitoring"),
    noun=NP_("{n} child or young person", "{n} children and young people"),
    record_noun=NP_("{n} service", "{n} services"),
    children=True, partners=("partner",), refs=(("partner", "partner"),),
    text=("title", "notes", "sources", "service", "city"),
    fields=(("service", lambda r: r.service),),
    stats=(
        ("children", People()),
        ("services", Distinct(service, N_("services"))),
        ("by_service", Group(service, "service", text=True)),
        ("by_age_band", Split("by_age_band", "age band", order="key")),
        ("risk", Parts("risk", RISKS, "change in risk", N_("children monitored"))),
        ("records_with_risk", Records(N_("outcome records"),
                                      where=lambda r: r.risk is not None)),
    ),
    overview=(("children", N_("Children and young people monitored")),
              ("services", N_("Services monitoring outcomes"))),
    listing=(Column("service", N_("service")), Column("place", N_("country")),
             Column("date", N_("date")), Column("count", N_("children monitored"))),
    tables=(Show("by_service", N_("Outcome monitoring by service"), N_("service"),
                 N_("children monitored")),
            Show("by_age_band", N_("Children monitored by age band"), N_("age band"),
                 N_("children monitored")),
            Show("risk", N_("Change in risk of the children monitored"),
                 N_("change in risk"), N_("children"))),
    measures={"children_monitored": (People(), N_("children and young people monitored")),
              "outcome_records": (Records(N_("outcome records")),
                                  N_("outcome-monitoring records")),
              "services": (Distinct(service, N_("services")),
                           N_("services monitoring outcomes"))},
    blank=(
        "country: unknown               # two-letter code",
        "service: Name of the service   # the service that monitored outcomes",
        "partner: unknown               # the id of the partner running it",
        "children:",
        "  total: unknown               # under-18s monitored; counts only, never names",
        "  # by_age_band: {{13-15: 3, 16-17: 5}}",
        "  # by_gender: {{female: 6, male: 2}}",
        "# risk:                        # how their risk changed",
        "#   reduced: 0",
        "#   unchanged: 0",
        "#   increased: 0",
        "#   not_known: 0",
    ),
)
