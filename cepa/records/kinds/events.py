"""Every other gathering a project holds: trainings, meetings, conferences, press
conferences, multiplier events, awareness sessions; in person, online or hybrid."""

from __future__ import annotations

from pydantic import Field

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Kind, People, Records, RecordsBy
from cepa.records.model import GATHERING_BLANK, GATHERING_FIELDS, Gathering, Text


class Event(Gathering):
    """A training, a meeting, a conference, a press conference, a multiplier event, an
    awareness session."""

    type: Text = Field(description="training, meeting, conference, press conference, "
                                   "multiplier event, awareness session, ...")


KIND = Kind(
    "events", "event", N_("Events"), Event, "participants", N_("participants"),
    N_("trainings, meetings, conferences, press conferences, multiplier events"),
    noun=NP_("{n} participant", "{n} participants"),
    record_noun=NP_("{n} event", "{n} events"),
    attendance=True, partners=("convenor", "co_organisers"),
    refs=(("convenor", "organisation"), ("co_organisers", "organisation")),
    text=("title", "notes", "sources", "comments", "change", "type"),
    fields=(("type", lambda r: r.type), *GATHERING_FIELDS),
    texts=(("comments", lambda r: list(r.comments)),),
    stats=(("count", Records(N_("events"))), ("participants", People()),
           ("by_type", RecordsBy(lambda r: [r.type], N_("events"), "type"))),
    overview=(("count", N_("Events")), ("participants", N_("Event participants"))),
    listing=(Column("date", N_("date")), Column("title", N_("event")),
             Column("type", N_("type")), Column("place", N_("place")),
             Column("organisers", N_("convenor")), Column("count", N_("participants"))),
    measures={"events": (Records(N_("events")), N_("events held (trainings, meetings, ...)")),
              "event_participants": (People(), N_("participants in events"))},
    blank=(
        "type: unknown                  # training, meeting, conference, press conference, ...",
        "mode: unknown                  # in person, online or hybrid (online: no city, country)",
        *GATHERING_BLANK,
    ),
)
