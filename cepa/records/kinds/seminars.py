"""Expert seminars and conferences: where (or online), convened by whom, and who came
(activities B and F of the model project)."""

from __future__ import annotations

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Kind, People, Records
from cepa.records.model import GATHERING_BLANK, GATHERING_FIELDS, Gathering


class Seminar(Gathering):
    """An expert seminar, or a final international seminar."""


KIND = Kind(
    "seminars", "seminar", N_("Seminars"), Seminar, "participants", N_("participants"),
    N_("expert seminars"),
    noun=NP_("{n} participant", "{n} participants"),
    record_noun=NP_("{n} seminar", "{n} seminars"),
    attendance=True, partners=("convenor", "co_organisers"),
    refs=(("convenor", "organisation"), ("co_organisers", "organisation")),
    text=("title", "notes", "sources", "comments", "change"),
    fields=GATHERING_FIELDS, texts=(("comments", lambda r: list(r.comments)),),
    stats=(("count", Records(N_("seminars"))), ("participants", People())),
    overview=(("count", N_("Seminars")), ("participants", N_("Seminar participants"))),
    listing=(Column("date", N_("date")), Column("title", N_("seminar")),
             Column("place", N_("place")), Column("organisers", N_("convenor")),
             Column("count", N_("participants"))),
    measures={"seminars": (Records(N_("seminars")), N_("seminars held")),
              "seminar_participants": (People(), N_("participants in seminars"))},
    blank=GATHERING_BLANK,
)
