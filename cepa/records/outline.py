"""The report's outline as the project file gives it: which sections and annexes, in which
order, under which headings, and which are the writer's own.

```yaml
report:
  version: Draft 2                 # {{ version }} in the template's header or footer
  outline:
    sections:
      - identification             # one of cepa's parts, with its own heading
      - part: difficulties         # one of cepa's parts, under the writer's heading
        title: {en: Challenges we met, nl: Moeilijkheden}
      - own: safeguarding          # the writer's own section: safeguarding.md
        title: {en: Safeguarding, nl: Bescherming van kinderen}
    annexes: [coverage, attendance, appendix, figure_notes]
```

A list left out is cepa's default (``SECTIONS`` and ``ANNEXES``); an entry left out of a
list given leaves its section out of the report, with everything in it. An own section is
a Markdown file beside the project file, like ``difficulties.md``: per language
(``safeguarding.nl.md``), public (``safeguarding.public.md``), checked by ``validate
--final`` and by the publication gate like cepa's own sections (cepa/records/narrative.py).
The document stage (cepa/document/report.py) builds each part; this module only says what
the project asks for, so that ``cepa validate`` can point at a misspelt name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cepa.base.text import N_, Local


@dataclass(frozen=True)
class PartName:
    """One of cepa's parts of the report: its name in the outline, its heading, and what it
    holds (for docs/templates.md and ``cepa init``'s example)."""

    name: str
    title: str
    holds: str


#: cepa's sections of the report, in the order an EC final technical report asks for them.
SECTIONS: tuple[PartName, ...] = (
    PartName("identification", N_("Project identification"),
             "reference, title, programme, period and changes, partners, countries, "
             "objectives"),
    PartName("participants", N_("Activities and their participants"),
             "each activity, when and where, who took part (tables by function, "
             "organisation and country), participants' comments"),
    PartName("target_groups", N_("Target groups reached"),
             "each target group, the activities that reached it and who took part"),
    PartName("implemented", N_("Planned activities implemented"),
             "the planned activities carried out, with their table"),
    PartName("not_implemented", N_("Planned activities not implemented"),
             "the planned activities not (fully) carried out, with the reasons"),
    PartName("unforeseen", N_("Unforeseen activities"),
             "the activities carried out that had not been planned"),
    PartName("results", N_("Results of each activity"),
             "expected against achieved results, the indicators' tables"),
    PartName("difficulties", N_("Difficulties encountered"), "difficulties.md"),
    PartName("european_added_value", N_("European added value"), "european-added-value.md"),
    PartName("lessons_learnt", N_("Lessons learnt"), "lessons-learnt.md"),
    PartName("dissemination", N_("Dissemination"),
             "dissemination.md, then the outputs the records hold"),
    PartName("follow_up", N_("Follow-up"), "follow-up.md"),
)
#: cepa's annexes, numbered 'Annex 1: ...' in the order the outline gives.
ANNEXES: tuple[PartName, ...] = (
    PartName("attendance", N_("Attendance"),
             "charts and tables of participants by activity, country, sector, year and "
             "organisation; targets against actuals"),
    PartName("coverage", N_("Objective coverage"),
             "the objective-coverage matrix"),
    PartName("claims", N_("Claims checked"),
             "the narrative's claims checked against the records, with their table"),
    PartName("appendix", N_("Evidence appendix"),
             "every record behind the figures, with its file"),
    PartName("figure_notes", N_("Notes on the figures"),
             "why the figures marked * are estimates, numbered; left out, each table "
             "gives its own reasons"),
)
PARTS: dict[str, PartName] = {p.name: p for p in (*SECTIONS, *ANNEXES)}


def part_name(text: str) -> str:
    """A part's name as the outline may write it: 'lessons-learnt' is 'lessons_learnt'."""
    return text.strip().replace("-", "_")


#: An own section's name: the name of its Markdown file, without '.md'.
OWN_PATTERN = r"^[^\W_][\w-]*$"
#: The files of cepa's sections of the coordinator's own words (an own section may not be
#: named as one).
CEPA_FILES = frozenset({"european-added-value", "lessons-learnt", "follow-up"})


@dataclass(frozen=True)
class Placed:
    """A part where the outline puts it: its name, whether it is the writer's own, its
    heading when the outline gives one, whether it is an annex, and what an own section
    answers."""

    name: str
    own: bool = False
    title: Local | None = None
    annex: bool = False
    asks: Local | None = None


def placed(report: Any) -> list[Placed]:
    """The parts of the report in order: the outline's (``Project.report``, see
    cepa/records/model.py), else cepa's default."""
    outline = report.outline if report is not None and report.outline is not None else None
    sections = outline.sections if outline is not None else None
    annexes = outline.annexes if outline is not None else None

    def of(entries: list[Any] | None, default: tuple[PartName, ...], annex: bool
           ) -> list[Placed]:
        if entries is None:
            return [Placed(p.name, annex=annex) for p in default]
        return [Placed(e.name, e.own is not None, e.title, annex, e.asks) for e in entries]

    return [*of(sections, SECTIONS, False), *of(annexes, ANNEXES, True)]


def example() -> str:
    """cepa's default outline as the commented lines ``cepa init`` writes into a new project
    file: uncommented as it is, it changes nothing; a line deleted leaves its section out."""

    def line(text: str, comment: str = "") -> str:
        return f"# {text:<32}# {comment}".rstrip() if comment else f"# {text}"

    return "\n".join([
        line("report:", "how the report is written (all of it optional)"),
        line("  # version: Draft 1", "on the title page; {{ version }} in a header or footer"),
        line("  outline:", "the report's sections and annexes, in order: delete a"),
        line("", "line to leave its section out, move lines to reorder;"),
        line("", "{part: NAME, title: ...} gives a part your heading"),
        line("", "({en: ..., nl: ...} per language)"),
        line("    sections:"),
        *(line(f"      - {p.name}", p.title) for p in SECTIONS),
        line("      # - own: safeguarding", "your own section: safeguarding.md beside this"),
        line("      #   title: Safeguarding", "file (safeguarding.nl.md in Dutch)"),
        line("    annexes:", "numbered Annex 1, Annex 2, ... in this order"),
        *(line(f"      - {p.name}", p.title) for p in ANNEXES),
    ]) + "\n"
