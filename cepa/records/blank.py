"""The blank project file that ``cepa init`` writes, and the placeholders in it and in the
blank records of each kind (``Kind.blank``), which ``cepa validate`` warns about until they
are replaced."""

from __future__ import annotations

from cepa.records.kinds import KINDS

PROJECT_TEMPLATE = """\
# yaml-language-server: $schema=schemas/project.json
#
# The project file: what the project is, who runs it, what it set out to do.
# Every record in the folders beside it names an activity and objectives from here.
# Replace each value; 'cepa validate' tells you what is still wrong.

code: PROJ/2025/001          # the grant or contract number (unknown, if you do not know it)
title: Title of the project
programme: Name of the funding programme
period: {{start: {year}-01, end: {end}-12}}   # YYYY-MM or YYYY-MM-DD
lead: lead-partner           # the id of the lead partner below
# report_title: Our project report   # the title on the report's cover and page headers
# summary: >-
#   A paragraph on what the project does, for the report.
# changes: >-                # changes to the dates, the partners or the plan, and why
#   The Croatian partner left in 2021 and was replaced by ...; the grant agreement was
#   amended in March 2022.

countries:                   # the two-letter codes used in the records, with their names
  UK: United Kingdom

partners:                    # at least one
  - id: lead-partner         # short id used in records: letters, digits, . _ -
    name: Lead Partner Organisation
    country: UK
    type: NGO                # NGO, statutory, university, ...
    role: lead               # lead or partner
    # aliases: [Other spelling]   # other ways the name is written
    # primary_participants: 10    # staff taking part throughout
# associates:                # organisations that helped without being partners
#   - {{id: helper, name: Helper Organisation, country: UK}}

objectives:                  # what the project set out to achieve, at least one
  - id: 1
    short: First objective   # a few words for table headings
    text: What the project set out to achieve, in a sentence.

# target_groups:
#   - {{id: professionals, name: Professionals, description: Who they are}}

activities:                  # each with the kind of record that evidences it
  # id: letters or numbers (A, B or 1, 2); kind: the folder of its records - visits,
  # seminars, events (trainings, meetings, conferences, press conferences), interviews,
  # feedback, outcomes, outputs (reports, toolkits, translations, websites)
  - {{id: 1, title: Kick-off meeting, kind: events, objectives: [1]}}
  - {{id: 2, title: Expert seminars, kind: seminars, objectives: [1]}}
  - {{id: 3, title: Exchange visits, kind: visits, objectives: [1]}}
  - {{id: 4, title: Interviews, kind: interviews, objectives: [1]}}
  - {{id: 5, title: Service-user feedback, kind: feedback, objectives: [1]}}
  - {{id: 6, title: Outcome monitoring, kind: outcomes, objectives: [1]}}
  - {{id: 7, title: Toolkit and translations, kind: outputs, objectives: [1]}}
  # planned: false                 # for an activity that was not planned (unforeseen)
  # planned_events: 3              # how many events were planned
  # status: implemented            # implemented, partly implemented, moved, postponed,
  #                                # not implemented, unforeseen
  # reason: ...                    # why it changed, moved, was postponed or not held
  # planned_date: 2025-05          # and actual_date, planned_place, actual_place
  # target_groups: [professionals] # ids of the target groups it reached
  # expected_results: what it was to achieve
  # results: what it achieved
  # indicators:
  #   - text: Teachers trained
  #     target: 40
  #     quantity: {{measure: participants, where: {{activity: 1}}}}

# targets:                   # indicator targets, checked against the records
#   - id: seminar-participants
#     text: 100 seminar participants
#     quantity: {{measure: seminar_participants}}
#     target: 100

# claims:                    # sentences of the narrative, checked on every 'cepa validate'
#   - text: Over 100 professionals attended the seminars
#     quantity: {{measure: seminar_participants}}
#     op: ">"                # =, >=, >, <=, <
#     value: 100

# reporting_periods:         # for 'cepa summarize --period interim'
#   interim: {{start: {year}-01, end: {year}-12}}
"""

#: The placeholders that 'cepa init' and 'cepa new' write, which validate warns about
#: until they are replaced.
PLACEHOLDERS = frozenset({
    "Title of the project", "Name of the funding programme", "Lead Partner Organisation",
    "First objective", "What the project set out to achieve, in a sentence.", "Town",
    "Name of the service", "Host organisation",
    *(f"Title of the {k.singular}" for k in KINDS.values()),
})


def placeholders() -> frozenset[str]:
    """The placeholders, with the title of a blank record of every kind registered now."""
    return PLACEHOLDERS | {f"Title of the {k.singular}" for k in KINDS.values()}

