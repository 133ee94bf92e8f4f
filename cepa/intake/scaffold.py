"""Starting a project and a record: commented templates a new user fills in.

``init`` writes a new project folder (a commented project file, the kind folders,
the JSON Schemas, the report templates when cepa ships them, a .gitignore).
``new_record`` writes one record of a kind with the next free id, every field
present or commented. Nothing here prints; errors are ``ScaffoldError``.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from cepa.base.files import Outside, WontOverwrite, atomic_write, inside, schema_files
from cepa.base.problems import UNSAFE, escape
from cepa.records import loader
from cepa.records.kinds import KINDS, NAMES
from cepa.records.workspace import PROJECT_FILE

SECRET_FILE = ".cepa-secret"


class ScaffoldError(Exception):
    """Something the user can fix: an existing project, an unknown kind."""


PROJECT_TEMPLATE = """\
# yaml-language-server: $schema=schemas/project.json
#
# The project file: what the project is, who runs it, what it set out to do.
# Every record in the folders beside it names an activity and objectives from here.
# Replace each value; 'cepa validate' tells you what is still wrong.

code: PROJ/2025/001          # the grant or contract number
title: Title of the project
programme: Name of the funding programme
period: {{start: {year}-01, end: {end}-12}}   # YYYY-MM or YYYY-MM-DD
lead: lead-partner           # the id of the lead partner below
# report_title: Our project report   # the title on the report's cover and page headers
# summary: >-
#   A paragraph on what the project does, for the report.

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

GITIGNORE = f"""\
# cepa: never commit the secret that keys attendee hashes, nor sign-in sheets
{SECRET_FILE}
attendance/
*.xlsx
*.docx
!templates/*.docx
.cepa-cache/
"""

#: Per kind: the lines after the common fields, each a field or a commented field.
KIND_LINES: dict[str, list[str]] = {
    "visits": [
        "from_partners: [{partner}]      # ids of the partners who travelled",
        "country: {country}                  # country visited (two letters)",
        "hosts:                         # the organisations visited",
        "  - name: Host organisation    # its name",
        "    # city: Town",
        "    # type: NGO                # NGO, police, statutory, school, ...",
        "# travellers:                  # how many travelled",
        "#   total: 3",
    ],
    "seminars": [
        "country: {country}                  # two-letter code of the country it was held in",
        "convenor: {partner}            # the id of the partner who convened it",
        "# co_organisers: [other-partner]   # ids of partners or associates who co-organised",
        "participants:",
        "  total: 0                     # how many attended",
        "  # by_organisation: {{Organisation A: 10, Organisation B: 5}}  # must add up to total",
        "  # by_country: {{UK: 15}}",
        "  # by_sector: {{child protection: 10, criminal justice: 5}}",
        "  # estimated: [total]         # which figures are estimates",
        "  # note: how the count was taken",
    ],
    "events": [
        "type: training                 # training, meeting, conference, press conference, ...",
        "mode: in person                # in person, online or hybrid (online: no city, country)",
        "country: {country}                  # two-letter code of the country it was held in",
        "convenor: {partner}            # the id of the partner who convened it",
        "# co_organisers: [other-partner]   # ids of partners or associates who co-organised",
        "participants:",
        "  total: 0                     # how many attended",
        "  # by_function: {{teachers: 10, social workers: 5}}  # roles; must add up to total",
        "  # by_organisation: {{Organisation A: 10, Organisation B: 5}}",
        "  # by_country: {{{country}: 15}}        # where participants came from",
        "  # estimated: [total]         # which figures are estimates",
        "# comments: [what participants said, from the evaluation forms; no names]",
        "# change: moved online because ...   # what changed from the plan, and why",
    ],
    "outputs": [
        "type: report                   # research report, toolkit, translation, website, ...",
        "partners: [{partner}]          # ids of the partners who made it",
        "languages: [en]                # language codes: en, nl, et, de, ...",
        "# location: https://...        # where it can be found",
        "# audience: who it is for",
        "# reach: 500                   # how many it reached, where known",
        "# reach_counts: downloads      # what reach counts",
    ],
    "interviews": [
        "country: {country}                  # two-letter code",
        "group: inter-agency            # who was interviewed, e.g. inter-agency, practitioner",
        "conducted_by: {partner}        # the id of the partner who interviewed",
        "interviews:",
        "  total: 1                     # how many interviews this record covers",
        "  # by_sector: {{police: 1}}",
        "  # estimated: [total]",
    ],
    "feedback": [
        "country: {country}                  # two-letter code",
        "host: Name of the service      # the service or organisation that hosted the session",
        "# visit: visit-001             # id of the visit it took place on, if any",
        "# young_people:                # leave out when the count is not known",
        "#   total: 8                   # counts and age bands only: never names",
        "#   by_age_band: {{13-15: 3, 16-17: 5}}",
        "# themes: [what young people said, in a few words]",
        "publishable: false             # may the themes appear in published outputs?",
    ],
    "outcomes": [
        "country: {country}                  # two-letter code",
        "service: Name of the service   # the service that monitored outcomes",
        "partner: {partner}             # the id of the partner running it",
        "children:",
        "  total: 0                     # under-18s monitored; counts only, never names",
        "  # by_age_band: {{13-15: 3, 16-17: 5}}",
        "  # by_gender: {{female: 6, male: 2}}",
        "# risk:                        # how their risk changed",
        "#   reduced: 0",
        "#   unchanged: 0",
        "#   increased: 0",
        "#   not_known: 0",
    ],
}

RECORD_HEAD = """\
# yaml-language-server: $schema={schema}
id: {id}                        # unique across the project
activity: {activity}                     # an activity of the project file ({kind})
objectives: [{objective}]                # the objectives it serves
title: Title of the {singular}    # replace with its title
date: {month}                   # YYYY-MM-DD, YYYY-MM, {{start: YYYY-MM, end: YYYY-MM}}, or [days]
city: Town                      # where it took place
"""
RECORD_TAIL = """\
# notes: anything a reader of the report should know
# sources: [where the figures come from: a document, a sign-in sheet]
"""


def init(folder: Path) -> list[Path]:
    """Start a project in ``folder``; refuses a folder that holds one (or is inside one).

    Everything is checked before anything is written, so init never stops halfway: a file
    it would overwrite, a folder that is a file, a link that would take a write outside
    ``folder``. An existing ``.gitignore`` (any git repository has one) gets cepa's lines
    added. A write that fails all the same (a full disk) takes back what was written.
    """
    from cepa.records.workspace import ProjectNotFound, find_root

    folder = Path(folder)
    if _has_project(folder) or _has_project(folder / "records"):
        raise ScaffoldError(f"{folder} already holds a project; cepa init changes nothing there")
    if UNSAFE.search(str(folder)):
        raise ScaffoldError(f"the folder name {escape(str(folder))} holds a control character; "
                            "choose a plain name")
    if folder.exists():
        if not folder.is_dir():
            raise ScaffoldError(f"{folder} is a file, not a folder")
        try:
            root = find_root(folder)
        except ProjectNotFound:
            pass
        else:
            raise ScaffoldError(f"{folder} is inside the project at {root}; "
                                "cepa init changes nothing there")
    year = date.today().year
    # the project file last: an init that failed never looks like a project
    files: list[tuple[Path, bytes]] = [
        *[(folder / kind / ".gitkeep", b"") for kind in NAMES],
        *[(folder / "schemas" / name, data) for name, data in schema_files(["project", *NAMES])],
        *[(folder / "templates" / rel, data) for rel, data in template_files()],
        (folder / PROJECT_FILE, PROJECT_TEMPLATE.format(year=year, end=year + 1).encode()),
    ]
    ignore = folder / ".gitignore"
    old_ignore, gitignore = _merged_gitignore(ignore)
    for path, _ in [*files, (ignore, b"")]:
        if path != ignore and os.path.lexists(path):
            raise ScaffoldError(f"{path} exists; cepa init writes nothing over a file - move "
                                "it away and run cepa init again")
        _check_folders(folder, path)
        try:
            inside(folder, path)
        except Outside as e:
            raise ScaffoldError(str(e)) from None
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if gitignore is not None:
            atomic_write(ignore, gitignore, force=True)
        for path, data in files:
            written.append(atomic_write(path, data))
    except (OSError, WontOverwrite) as e:
        if gitignore is not None:
            with contextlib.suppress(OSError):
                if old_ignore is None:
                    ignore.unlink()
                else:
                    atomic_write(ignore, old_ignore, force=True)
        for p in written:
            with contextlib.suppress(OSError):
                p.unlink()
        if isinstance(e, OSError):
            raise
        raise ScaffoldError(str(e)) from e
    if gitignore is not None:
        written.append(ignore)
    return written


def _has_project(folder: Path) -> bool:
    return os.path.lexists(folder / PROJECT_FILE)


def _check_folders(folder: Path, path: Path) -> None:
    """Each folder between ``folder`` and ``path`` is a folder (or not there yet)."""
    for parent in reversed(path.relative_to(folder).parents):
        p = folder / parent
        if os.path.lexists(p) and not p.is_dir():
            raise ScaffoldError(f"{p} is a file where cepa init puts a folder; move it away")


def _merged_gitignore(path: Path) -> tuple[bytes | None, bytes | None]:
    """The ``.gitignore`` as it is (None: there is none) and with cepa's lines added (None:
    nothing to add)."""
    if not os.path.lexists(path):
        return None, GITIGNORE.encode()
    try:
        data, _ = loader.read_bytes(str(path), 1 << 20)
    except loader.Refused as e:
        raise ScaffoldError(f"{path}: {e}; cepa init adds its lines only to a regular file")\
            from None
    except OSError as e:
        raise ScaffoldError(f"cannot read {path}: {e.strerror or e}") from None
    text = data.decode("utf-8", errors="replace")
    have = {line.strip() for line in text.splitlines()}
    comment, *lines = GITIGNORE.splitlines()
    missing = [line for line in lines if line.strip() not in have]
    if not missing:
        return data, None
    if text and not text.endswith("\n"):
        text += "\n"
    return data, (text + comment + "\n" + "\n".join(missing) + "\n").encode()


def template_files() -> list[tuple[Path, bytes]]:
    """cepa's report templates (``cepa._templates``), when this cepa ships them, as
    (path relative to ``templates/``, bytes)."""
    from importlib import resources

    try:
        src = resources.files("cepa._templates")
    except ModuleNotFoundError:
        return []
    out: list[tuple[Path, bytes]] = []

    def walk(node: Any, rel: Path) -> None:
        for child in node.iterdir():
            if child.name.startswith(("_", ".")):
                continue
            if child.is_dir():
                walk(child, rel / child.name)
            else:
                out.append((rel / child.name, child.read_bytes()))

    walk(src, Path())
    return out


def next_id(root: Path, kind: str, taken: set[str]) -> str:
    """``<singular>-NNN``: one more than the highest such id or file name in the project."""
    singular = KINDS[kind].singular
    pattern = re.compile(rf"^{re.escape(singular)}-(\d+)$")
    names = set(taken) | {p.stem for p in (root / kind).glob("*.y*ml")}
    numbers = [int(m.group(1)) for n in names if (m := pattern.match(n))]
    n = max(numbers, default=0) + 1
    while f"{singular}-{n:03d}" in names:
        n += 1
    return f"{singular}-{n:03d}"


def schema_ref(root: Path, kind: str) -> str:
    """The editor-schema path for a record in ``root/kind/``: the project's own ``schemas/``
    (as ``cepa init`` makes it), else one beside the records folder (as in cepa's repository)."""
    name = f"{KINDS[kind].singular}.json"
    folder = next((f for f in (root / "schemas", root.parent / "schemas") if f.is_dir()),
                  root / "schemas")
    return Path(os.path.relpath(folder / name, root / kind)).as_posix()


def record_text(kind: str, record_id: str, project: Any = None,
                today: date | None = None, schema: str | None = None) -> str:
    """The text of a new record: valid once the obvious placeholders are replaced."""
    singular = KINDS[kind].singular
    activity, objective, partner, country = "A", "1", "partner-id", "XX"
    if project is not None:
        acts = [a for a in project.activities if a.kind == kind] or list(project.activities)
        activity = acts[0].id
        objective = (acts[0].objectives or [project.objectives[0].id])[0]
        partner = project.partners[0].id
        country = project.partners[0].country
    day = today or date.today()
    if project is not None and not (project.period.start <= day <= project.period.end):
        day = project.period.start  # a date the project's period admits
    month = day.strftime("%Y-%m")
    head = RECORD_HEAD.format(singular=singular, id=_scalar(record_id),
                              activity=_scalar(activity), kind=kind,
                              objective=_scalar(objective), month=month,
                              schema=schema or f"../../schemas/{singular}.json")
    if kind == "outputs":  # an output is delivered, not held somewhere
        head = "\n".join(x for x in head.splitlines() if not x.startswith("city:")) + "\n"
    body = "\n".join(line.format(partner=partner, country=country)
                     for line in KIND_LINES[kind]) + "\n"
    return _align(head + body + RECORD_TAIL)


def _scalar(text: str) -> str:
    """An id as YAML reads it back as the same id: '1' may stay bare (ids may be numbers),
    '1.5', 'yes' or '2025-01' are quoted."""
    import json

    from cepa.records.loader import resolve_plain

    value = resolve_plain(text)
    if value == text or (isinstance(value, int) and not isinstance(value, bool)
                         and str(value) == text):
        return text if ": " not in text and not text.startswith(("#", "[", "{", "'", '"')) \
            else json.dumps(text, ensure_ascii=False)
    return json.dumps(text, ensure_ascii=False)


def _align(text: str, column: int = 34) -> str:
    """Line up the comments after values, so a record reads as a form."""
    out = []
    for line in text.splitlines():
        value, sep, comment = line.partition("  # ")
        if sep and value.strip() and not value.lstrip().startswith("#"):
            line = f"{value.rstrip():<{column - 2}}  # {comment.strip()}"
        out.append(line)
    return "\n".join(out) + "\n"


def new_record(root: Path, kind: str, project: Any = None, taken: set[str] | None = None,
               today: date | None = None) -> Path:
    """Write a new record of ``kind`` under ``root``; returns its path."""
    record_id = next_id(root, kind, taken or set())
    path = root / kind / f"{record_id}.yaml"
    try:
        text = record_text(kind, record_id, project, today, schema_ref(root, kind))
        return atomic_write(inside(root, path), text.encode())
    except (WontOverwrite, Outside) as e:
        raise ScaffoldError(str(e)) from e
