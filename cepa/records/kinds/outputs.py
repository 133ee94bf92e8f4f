"""What a project produced: research reports, toolkits, translations, websites,
publications; their languages, where to find them, their reach."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from cepa.base.text import N_, NP_
from cepa.records.kind import Column, Distinct, Kind, Records, RecordsBy, Values
from cepa.records.model import Number, OptionalLocal, RecordBase, Ref, Text, unknown_list


class Output(RecordBase):
    """Something the project produced: a research report, a toolkit, a translation, a
    website, a publication. Its date is when it was delivered."""

    type: Text = Field(description="research report, toolkit, translation, website, "
                                   "publication, video, training material, ...")
    partners: Annotated[list[Ref], BeforeValidator(unknown_list)] = Field(
        default_factory=list, description="Partner ids who made it (unknown when not known)")
    languages: Annotated[list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]],
                         BeforeValidator(unknown_list)] = Field(
        default_factory=list,
        description="Language codes (ISO 639-1): en, nl, et, ... (unknown when not known)")
    location: str | None = Field(default=None,
                                 description="Where it can be found: a web address, a library")
    audience: OptionalLocal = Field(default=None, description="Who it is for")
    reach: Number | None = Field(default=None,
                                 description="How many it reached, where known (see reach_counts)")
    reach_counts: str | None = Field(default=None,
                                     description="What reach counts: downloads, copies, ...")


KIND = Kind(
    "outputs", "output", N_("Outputs"), Output, None, N_("outputs"),
    N_("research reports, toolkits, translations, websites, publications"),
    record_noun=NP_("{n} output", "{n} outputs"),
    partners=("partners",), refs=(("partners", "organisation"),),
    text=("title", "notes", "sources", "location", "audience"),
    fields=(("type", lambda r: r.type), ("languages", lambda r: list(r.languages)),
            ("location", lambda r: r.location), ("audience", lambda r: r.audience),
            ("reach", lambda r: r.reach), ("reach_counts", lambda r: r.reach_counts)),
    stats=(("count", Records(N_("outputs"))),
           ("by_type", RecordsBy(lambda r: [r.type], N_("outputs"), "type")),
           ("languages", Values(lambda r: list(r.languages)))),
    overview=(("count", N_("Outputs")),),
    listing=(Column("title", N_("output")), Column("type", N_("type")),
             Column("date", N_("delivered")), Column("languages", N_("languages"))),
    measures={"outputs": (Records(N_("outputs")), N_("outputs delivered")),
              "output_languages": (Distinct(lambda r: list(r.languages), N_("languages")),
                                   N_("languages of the outputs"))},
    blank=(
        "type: report                   # research report, toolkit, translation, website, ...",
        "partners: [{partner}]          # ids of the partners who made it",
        "languages: [en]                # language codes: en, nl, et, de, ...",
        "# location: https://...        # where it can be found",
        "# audience: who it is for",
        "# reach: 500                   # how many it reached, where known",
        "# reach_counts: downloads      # what reach counts",
    ),
    has_place=False,
    may_follow=True,
)
