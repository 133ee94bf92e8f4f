"""Checks across records: what the schema of one file cannot see.

Each check is a generator of problems over a loaded ``Workspace``. ``validate``
runs them all, adds the problems met while loading, and sorts the lot.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from cepa.base.dates import UNKNOWN
from cepa.base.problems import CATALOGUE, Problem, problem
from cepa.records import loader
from cepa.records.kinds import KINDS, child_kinds
from cepa.records.model import Project
from cepa.records.workspace import Workspace

Check = Callable[[Workspace, Project], Iterator[Problem]]


def check_ids(ws: Workspace, project: Project) -> Iterator[Problem]:
    """One problem for each file that reuses an id, naming the first file to use it: a
    thousand copies give a thousand lines, not a million."""
    first: dict[str, str] = {}
    for e in ws.entries:
        rid = e.record.id
        taken = first.setdefault(rid, e.path)
        if taken != e.path:
            yield ws.problem_at(e.path, ("id",), "duplicate-id",
                                f"id '{rid}' is already used by {taken}; give each record "
                                "an id of its own")


def check_references(ws: Workspace, project: Project) -> Iterator[Problem]:
    objectives = {o.id for o in project.objectives}
    activities = {a.id: a for a in project.activities}
    partners = {p.id for p in project.partners}
    organisations = {o.id for o in project.organisations()}
    ids_of: dict[str, set[str]] = defaultdict(set)
    for e in ws.entries:
        ids_of[e.kind].add(e.record.id)
    obj_list = ", ".join(sorted(objectives))

    def missing(path: str, loc: tuple[str | int, ...], what: str, value: str,
                known: Iterable[str]) -> Problem:
        names = ", ".join(sorted(known)) or "none"
        return ws.problem_at(path, loc, "unknown-reference",
                             f"{what} '{value}' is not defined in the project file "
                             f"(known: {names})")

    for a in project.activities:
        for i, o in enumerate(a.objectives):
            if o not in objectives:
                idx = project.activities.index(a)
                yield missing(ws.project_path, ("activities", idx, "objectives", i),
                              "objective", o, objectives)
    for e in ws.entries:
        r = e.record
        for i, o in enumerate(r.objectives):
            if o not in objectives:
                yield ws.problem_at(e.path, ("objectives", i), "unknown-reference",
                                    f"objective '{o}' does not exist (the project's objectives "
                                    f"are {obj_list})")
        act = activities.get(r.activity)
        if act is None:
            yield missing(e.path, ("activity",), "activity", r.activity, activities)
        elif act.kind != e.kind:
            yield ws.problem_at(e.path, ("activity",), "wrong-activity",
                                f"activity {act.id} holds {act.kind}, but this record is in "
                                f"{e.kind}/; move the file or correct the activity")
        kind = KINDS[e.kind]
        refs: list[tuple[tuple[str | int, ...], str, str, set[str]]] = []
        for name, among in kind.refs:
            value = getattr(r, name, None)
            known = partners if among == "partner" else organisations
            what = "partner" if among == "partner" or name == "conducted_by" else \
                name.replace("_", "-").rstrip("s")
            if isinstance(value, list):
                refs += [((name, i), v, what, known) for i, v in enumerate(value)]
            elif value is not None:
                refs.append(((name,), value, what, known))
        for name, other in kind.record_refs:
            value = getattr(r, name, None)
            if value is not None and value not in ids_of[other]:
                yield ws.problem_at(e.path, (name,), "unknown-reference",
                                    f"{name} '{value}' is not the id of any "
                                    f"{KINDS[other].singular} record")
        for loc, value, what, known in refs:
            if value not in known and value != UNKNOWN:
                yield missing(e.path, loc, what, value, known)


def check_dates(ws: Workspace, project: Project) -> Iterator[Problem]:
    period = project.period
    if period.reversed:
        yield ws.problem_at(ws.project_path, ("period",), "date-range-reversed",
                            f"the project period {period} ends before it starts")
    for name, span in project.reporting_periods.items():
        if span.reversed:
            yield ws.problem_at(ws.project_path, ("reporting_periods", name),
                                "date-range-reversed",
                                f"reporting period '{name}' ({span}) ends before it starts")
    for e in ws.entries:
        span = e.record.date
        if not span.known:
            continue
        if span.reversed:
            yield ws.problem_at(e.path, ("date",), "date-range-reversed",
                                f"date {span} ends before it starts; swap start and end")
        elif not span.within(period):
            if KINDS[e.kind].may_follow and span.start > period.start:
                yield ws.problem_at(e.path, ("date",), "date-after-period",
                                    f"date {span} is after the project period {period}; the "
                                    f"report gives the {KINDS[e.kind].singular} with its date")
            else:
                yield ws.problem_at(e.path, ("date",), "date-outside-period",
                                    f"date {span} is outside the project period {period}")


def _counts(kind: str, record: Any) -> Iterator[tuple[str, Any]]:
    """The count object of a record, with the field that holds it."""
    k = KINDS[kind]
    c = k.count_of(record)
    if c is not None:
        yield k.count or "", c


def check_breakdowns(ws: Workspace, project: Project) -> Iterator[Problem]:
    for e in ws.entries:
        kind = KINDS[e.kind]
        whole = getattr(e.record, kind.count, None) if kind.count else None
        if whole is not None and whole.total is None:
            for b, parts in whole.breakdowns().items():
                yield ws.problem_at(
                    e.path, (kind.count or "", "total"), "breakdown-mismatch",
                    f"{kind.count}.total is unknown, but {kind.count}.{b} adds up to "
                    f"{sum(parts.values())}, which is then the total: write it")
                break
        for name, c in _counts(e.kind, e.record):
            for b, parts in c.breakdowns().items():
                s = sum(parts.values())
                if s != c.total:
                    yield ws.problem_at(
                        e.path, (name, b), "breakdown-mismatch",
                        f"{name}.{b} adds up to {s}, but {name}.total is {c.total}; "
                        "fix the figures or add an 'other' entry for the difference")
            people = getattr(c, "people", None)
            if people is not None and len(set(people)) > c.total:
                yield ws.problem_at(e.path, (name, "people"), "breakdown-mismatch",
                                    f"{name}.people lists {len(set(people))} different people, "
                                    f"more than the total of {c.total}")
        risk = getattr(e.record, "risk", None)
        if risk is not None and e.record.children.total is not None:
            s = risk.reduced + risk.unchanged + risk.increased + risk.not_known
            if s != e.record.children.total:
                yield ws.problem_at(
                    e.path, ("risk",), "breakdown-mismatch",
                    f"risk adds up to {s} (reduced + unchanged + increased + not_known), but "
                    f"children.total is {e.record.children.total}")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def _close(a: str, b: str) -> bool:
    """A slip of the keyboard: one edit in a short name, up to one in ten in a long one."""
    allowed = max(1, min(len(a), len(b)) // 10)
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed


def check_names(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Organisation names close to a registered partner's, and near-duplicate city names."""
    registered: dict[str, str] = {}
    for org in project.organisations():
        for n in (org.name, *org.aliases, org.id):
            registered[_norm(n)] = org.name
    names: dict[str, list[tuple[str, tuple[str | int, ...]]]] = defaultdict(list)
    cities: dict[str, list[tuple[str, tuple[str | int, ...]]]] = defaultdict(list)
    for e in ws.entries:
        r = e.record
        if r.city and r.city != UNKNOWN:
            cities[r.city].append((e.path, ("city",)))
        for i, h in enumerate(getattr(r, "hosts", ())):
            names[h.name].append((e.path, ("hosts", i, "name")))
            if h.city:
                cities[h.city].append((e.path, ("hosts", i, "city")))
        for field_name, c in _counts(e.kind, r):
            for org in (getattr(c, "by_organisation", None) or {}):
                names[org].append((e.path, (field_name, "by_organisation", org)))
        host = getattr(r, "host", None)
        if host:
            names[host].append((e.path, ("host",)))

    match_cache: dict[str, str | None] = {}
    for name, places in names.items():
        n = _norm(name)
        if n in registered:
            continue
        if n not in match_cache:
            match_cache[n] = next((registered[k] for k in registered if _close(n, k)), None)
        likely = match_cache[n]
        if likely:
            for path, loc in places:
                yield ws.problem_at(path, loc, "misspelt-name",
                                    f"'{name}' looks like a misspelling of the partner "
                                    f"'{likely}'; use that spelling, or add '{name}' to its "
                                    "aliases in the project file")

    # Cities: the rarer of two near-identical spellings is probably the slip.
    by_block: dict[str, list[str]] = defaultdict(list)
    for c in cities:
        by_block[_norm(c)[:2]].append(c)
    for block in by_block.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                if _norm(a) == _norm(b) or not _close(_norm(a), _norm(b)):
                    continue
                rare, common = (a, b) if len(cities[a]) < len(cities[b]) else (b, a)
                if len(cities[rare]) == len(cities[common]):
                    rare, common = max(a, b), min(a, b)
                for path, loc in cities[rare]:
                    yield ws.problem_at(path, loc, "misspelt-name",
                                        f"city '{rare}' looks like a misspelling of "
                                        f"'{common}', used in {len(cities[common])} other "
                                        "place(s); use one spelling")


def check_personal_text(ws: Workspace, project: Project) -> Iterator[Problem]:
    """What looks like personal data in any free text or breakdown key of a record about
    children (cepa/records/personal.py)."""
    from cepa.records.personal import languages_of, personal_data_in, texts_of

    # Words that start with a capital but are no person's name: the project's own names.
    allowed = {o.name for o in project.organisations()}
    allowed |= {a for o in project.organisations() for a in o.aliases}
    for e in ws.entries:
        r = e.record
        if r.city:
            allowed.add(r.city)
        for h in getattr(r, "hosts", ()):
            allowed.add(h.name)
    words = frozenset(allowed | {w for n in allowed for w in n.split()})
    languages = languages_of({o.country for o in project.organisations()}, project.language)
    for e in ws.entries:
        if e.kind not in child_kinds():
            continue
        for loc, text in texts_of(e.record, KINDS[e.kind]):
            if loc and loc[0] == "sources":
                continue  # where the figures come from: file names and checksums
            found = personal_data_in(text, words, languages)
            if found:
                yield ws.problem_at(e.path, loc, "personal-data-text",
                                    f"{'.'.join(map(str, loc))} holds what looks like "
                                    f"{' and '.join(found)}; anonymise it before it reaches "
                                    "a report")


def check_known_totals(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Each known total names records of one kind, whose counts add up to it."""

    by_id = {e.record.id: e for e in ws.entries}
    broken = bool(ws.broken_files())
    for i, k in enumerate(project.known_totals):
        loc: tuple[str | int, ...] = ("known_totals", i)
        found = []
        for j, rid in enumerate(k.records):
            e = by_id.get(rid)
            if e is None:
                if not broken:
                    yield ws.problem_at(ws.project_path, (*loc, "records", j),
                                        "unknown-reference",
                                        f"known total '{k.id}' names record '{rid}', which "
                                        "does not exist")
                continue
            found.append(e)
        kinds = {e.kind for e in found}
        if len(kinds) > 1:
            yield ws.problem_at(ws.project_path, (*loc, "records"), "known-total-mismatch",
                                f"known total '{k.id}' names records of different kinds "
                                f"({', '.join(sorted(kinds))}); a total adds up one kind")
            continue
        if broken or len(found) != len(k.records):
            continue
        counts = [KINDS[e.kind].count_of(e.record) for e in found]
        if any(c is None for c in counts):
            yield ws.problem_at(ws.project_path, (*loc, "records"), "known-total-mismatch",
                                f"known total '{k.id}' names records that hold no count")
            continue
        s = sum(c.total for c in counts)
        if s != k.total:
            yield ws.problem_at(ws.project_path, (*loc, "total"), "known-total-mismatch",
                                f"known total '{k.id}' is {k.total}, but its records add up to "
                                f"{s}; correct the records' split or the total")


def check_countries(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Country codes are ISO 3166 (UK and EL as EU documents write them); a slip gets the
    nearest code."""
    from cepa.base.countries import EU_CODES, is_code, nearest

    def bad(path: str, loc: tuple[str | int, ...], code: str) -> Problem:
        guess = nearest(code)
        hint = f"; did you mean {guess}?" if guess and guess != code else ""
        return ws.problem_at(path, loc, "unknown-country",
                             f"'{code}' is not a country code (ISO 3166, or UK and EL as EU "
                             f"documents write them){hint}")

    orgs: list[Any] = [*project.partners, *project.associates]
    for i, org in enumerate(orgs):
        if not is_code(org.country):
            what = "partners" if i < len(project.partners) else "associates"
            idx = i if i < len(project.partners) else i - len(project.partners)
            yield bad(ws.project_path, (what, idx, "country"), org.country)
    for code in project.countries:
        if not is_code(code):
            yield bad(ws.project_path, ("countries", code), code)
    used: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    for e in ws.entries:
        r = e.record
        if r.country == UNKNOWN:
            continue
        if r.country and not is_code(r.country):
            yield bad(e.path, ("country",), r.country)
        if r.country:
            used.setdefault(r.country, (e.path, ("country",)))
        c = KINDS[e.kind].count_of(r)
        for code in (getattr(c, "by_country", None) or {}) if c is not None else {}:
            if len(code) == 2 and code.isupper() and not is_code(code):
                yield bad(e.path, (KINDS[e.kind].count or "", "by_country", code), code)
            used.setdefault(code, (e.path, (KINDS[e.kind].count or "", "by_country", code)))
    used.update({o.country: (ws.project_path, ()) for o in orgs if o.country not in used})
    for eu, iso in EU_CODES.items():
        if eu in used and iso in used:
            path, loc = used[iso]
            yield ws.problem_at(path, loc, "country-twice",
                                f"'{iso}' and '{eu}' are the same country; the tables would "
                                f"show it twice: write '{eu}' everywhere, as EU documents do")


def check_activities(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Every activity says what happened to it: records, or a status; a change has a
    reason. An activity still to come is not asked (its planned date, or the project's
    end, has not passed)."""
    from datetime import date

    held = {e.record.activity for e in ws.entries}
    today = date.today()
    for i, a in enumerate(project.activities):
        loc: tuple[str | int, ...] = ("activities", i)
        due = (a.planned_date or project.period).end < today
        if a.id not in held and a.status is None and a.planned and due:
            yield ws.problem_at(ws.project_path, loc, "activity-status",
                                f"activity {a.id} has no records and no status; add its "
                                "records, or say what happened (status: not implemented, "
                                "postponed, ... with a reason)")
        if a.id not in held and a.status in HAPPENED:
            yield ws.problem_at(ws.project_path, (*loc, "status"), "activity-unrecorded",
                                f"activity {a.id} is {a.status}, but no record belongs to it; "
                                f"add its records (cepa new {KINDS[a.kind].singular}), or "
                                "correct its status")
        if a.status in ("partly implemented", "moved", "postponed", "not implemented") \
                and not a.why:
            yield ws.problem_at(ws.project_path, (*loc, "status"), "activity-status",
                                f"activity {a.id} is {a.status}, with no reason; the funder "
                                "asks why: add 'reason:'")


#: The statuses that say an activity happened.
HAPPENED = ("implemented", "partly implemented", "moved", "unforeseen")

#: Fields of a record that ``basis:`` cannot speak of: what names or describes the record.
_NOT_FACTS = frozenset({"id", "activity", "objectives", "title", "notes", "change",
                        "internal", "sources", "basis", "revision", "publishable"})


def check_basis(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Each ``basis:`` names a field the record (or its count) has, ``split`` only for a
    count, and a split of a known total only when that total lists the record."""
    totals = {k.id: set(k.records) for k in project.known_totals}
    listed = {rid for k in project.known_totals for rid in k.records}
    for e in ws.entries:
        r = e.record
        kind = KINDS[e.kind]
        fields = type(r).model_fields
        for name, b in r.basis.items():
            how = b if isinstance(b, str) else b.how
            loc: tuple[str | int, ...] = ("basis", name)
            if name == kind.count:
                yield ws.problem_at(e.path, loc, "invalid-basis",
                                    f"basis.{name}: say how the count was obtained in its own "
                                    f"basis, e.g. {name}: {{total: 45, basis: {{total: "
                                    "estimated}}")
            elif name not in fields or name in _NOT_FACTS:
                yield ws.problem_at(e.path, loc, "invalid-basis",
                                    f"basis.{name}: a {kind.singular} record has no fact "
                                    f"'{name}' to say it is {how} (date, city, country, "
                                    "hosts, convenor, ...)")
            elif how == "split":
                yield ws.problem_at(e.path, loc, "invalid-basis",
                                    f"basis.{name}: only a count can be a split of a known "
                                    "total; say assumed or estimated")
        count = getattr(r, kind.count, None) if kind.count else None
        if count is None:
            continue
        for name, b in count.basis.items():
            loc = (kind.count or "", "basis", name)
            how = b if isinstance(b, str) else b.how
            of = None if isinstance(b, str) else b.of
            if name != "total" and name not in type(count).model_fields:
                yield ws.problem_at(e.path, loc, "invalid-basis",
                                    f"{kind.count}.basis.{name}: this count has no {name}")
            elif how == "split" and of is not None and of not in totals:
                yield ws.problem_at(e.path, loc, "invalid-basis",
                                    f"{kind.count}.basis.{name}: no known total '{of}' in the "
                                    f"project file (known: {', '.join(totals) or 'none'})")
            elif how == "split" and name == "total" and (
                    r.id not in (totals[of] if of is not None else listed)):
                which = f"'{of}'" if of is not None else "in the project file"
                yield ws.problem_at(e.path, loc, "invalid-basis",
                                    f"{kind.count}.basis.total says split, but no known total "
                                    f"{which} lists '{r.id}'; add it to that known total's "
                                    "records, or say estimated")


def check_periods(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Claims, targets and revisions name reporting periods of the project file."""
    known = project.reporting_periods
    names = ", ".join(known) or "none are defined"
    items: list[tuple[tuple[str | int, ...], str | None]] = [
        *((("claims", i, "period"), c.period) for i, c in enumerate(project.claims)),
        *((("targets", i, "period"), t.period) for i, t in enumerate(project.targets)),
        *((("revisions", i, "period"), r.period) for i, r in enumerate(project.revisions))]
    for loc, name in items:
        if name is not None and name not in known:
            yield ws.problem_at(ws.project_path, loc, "unknown-reference",
                                f"reporting period '{name}' is not defined in the project "
                                f"file (reporting_periods: {names})")


def check_languages(ws: Workspace, project: Project) -> Iterator[Problem]:
    import pycountry

    for e in ws.entries:
        for i, code in enumerate(getattr(e.record, "languages", ())):
            if pycountry.languages.get(alpha_2=code) is None and \
                    pycountry.languages.get(alpha_3=code) is None:
                yield ws.problem_at(e.path, ("languages", i), "invalid-value",
                                    f"'{code}' is not a language code (ISO 639-1, such as "
                                    "en, nl, et)")


def translation_problems(ws: Workspace, language: str) -> list[Problem]:
    """The coordinator's texts not given in ``language`` (``validate --lang``): a translator's
    list. A plain text is in the project's language; the sections of the final report are
    ``difficulties.<language>.md`` and so on."""
    from pydantic import BaseModel

    from cepa.base.problems import problem
    from cepa.base.text import given_in
    from cepa.records.model import PER_LANGUAGE
    from cepa.records.narrative import path_of, read
    from cepa.records.workspace import display

    project = ws.project
    assert project is not None
    if language == project.language:
        return []
    out: list[Problem] = []

    def walk(obj: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(obj, BaseModel):
            for name, f in type(obj).model_fields.items():
                value = getattr(obj, name)
                if PER_LANGUAGE in f.metadata and not given_in(value, language,
                                                               project.language):
                    out.append(ws.problem_at(
                        ws.project_path, (*loc, name), "translation-missing",
                        f"{'.'.join(map(str, (*loc, name)))} has no {language} text; write it "
                        f"as {{{project.language}: ..., {language}: ...}}"))
                else:
                    walk(value, (*loc, name))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, (*loc, i))

    walk(project, ())
    plain = read(ws.root)
    from cepa.records.narrative import SECTIONS

    for s in SECTIONS:
        if s.key in plain and not path_of(ws.root, s, language).is_file():
            out.append(problem(display(path_of(ws.root, s, language)), 1, 1,
                               "translation-missing",
                               f"the section '{s.title}' has no {language} text; translate "
                               f"{s.file}.md into this file"))
    return out


def _unknown_values(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where a record says a fact is not known."""
    from pydantic import BaseModel

    from cepa.base.dates import Span

    if isinstance(value, Span):
        if not value.known:
            yield loc
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            v = getattr(value, name)
            if name == "total" and v is None and loc:
                yield (*loc, name)
            else:
                yield from _unknown_values(v, (*loc, name))
    elif value == UNKNOWN:
        yield loc


def unknown_problems(ws: Workspace) -> list[Problem]:
    """Every fact recorded as not known, and every record naming no objective
    (``validate --final``): the report says 'not recorded' for each."""
    out: list[Problem] = []
    for e in ws.entries:
        for loc in _unknown_values(e.record, ()):
            out.append(ws.problem_at(e.path, loc, "not-recorded",
                                     f"{'.'.join(map(str, loc))} is not known; the report "
                                     "says 'not recorded'"))
        if not e.record.objectives:
            out.append(ws.problem_at(e.path, ("objectives",), "not-recorded",
                                     "the record names no objective; the coverage matrix "
                                     "counts it under none"))
    return out


def narrative_problems(ws: Workspace) -> list[Problem]:
    """The sections of a final report that are not written yet, or are no answer yet
    (``validate --final``)."""
    from cepa.base.problems import problem
    from cepa.records.narrative import SECTIONS, files_read, missing, path_of, read, unwritten
    from cepa.records.workspace import display

    out = [problem(display(path_of(ws.root, s)), 1, 1, "narrative-missing",
                   f"the final report's section '{s.title}' is not written: create this "
                   f"file and answer, in a few paragraphs: {s.asks}")
           for s in missing(ws.root)]
    files = files_read(ws.root)
    by_key = {s.key: s for s in SECTIONS}
    for key, why in unwritten(read(ws.root)).items():
        s = by_key[key]
        out.append(problem(display(files.get(key, path_of(ws.root, s))), 1, 1,
                           "narrative-stub",
                           f"the section '{s.title}' is no answer yet: {why}; answer, in a "
                           f"few paragraphs: {s.asks}"))
    return out


def check_placeholders(ws: Workspace, project: Project) -> Iterator[Problem]:
    from cepa.records.blank import placeholders

    PLACEHOLDERS = placeholders()

    def said(path: str, loc: tuple[str | int, ...], value: str) -> Problem:
        return ws.problem_at(path, loc, "placeholder",
                             f"{'.'.join(map(str, loc))} is still the placeholder '{value}'; "
                             "replace it")

    for loc, value in [(("title",), project.title), (("programme",), project.programme),
                       *[(("partners", i, "name"), p.name)
                         for i, p in enumerate(project.partners)],
                       *[(("objectives", i, f), getattr(o, f))
                         for i, o in enumerate(project.objectives) for f in ("short", "text")]]:
        if isinstance(value, str) and value in PLACEHOLDERS:
            yield said(ws.project_path, loc, value)
    for e in ws.entries:
        for f in ("title", "city", "host", "service"):
            value = getattr(e.record, f, None)
            if value in PLACEHOLDERS:
                yield said(e.path, (f,), value)


CHECKS: tuple[Check, ...] = (
    check_ids,
    check_references,
    check_dates,
    check_breakdowns,
    check_names,
    check_personal_text,
    check_known_totals,
    check_countries,
    check_activities,
    check_languages,
    check_placeholders,
    check_basis,
    check_periods,
)


def check(ws: Workspace) -> list[Problem]:
    """The problems met loading the workspace, and those of every check across records
    (which need the project file: when it is broken, its own problems say so). Unsorted,
    nothing silenced yet: cepa/evidence/checks.py adds the checks on evidence."""
    out = list(ws.problems)
    if ws.project is not None:
        for rule in CHECKS:
            out.extend(rule(ws, ws.project))
    return out


# --- silencing a warning where it stands ---------------------------------------------------

_IGNORE_COMMENT = re.compile(r"(?:^|\s)#\s*cepa:\s*ignore\[([^\]]*)\]")


def _why_not(code: str) -> str | None:
    """Why ``code`` cannot be silenced, or None when it can."""
    c = CATALOGUE.get(code)
    if c is None:
        return f"'{code}' is not a problem code ('cepa codes' lists them)"
    if c.level == "error":
        return f"'{code}' is an error, and errors cannot be silenced: fix the problem"
    if code.startswith("personal-data"):
        return f"'{code}' is about personal data and cannot be silenced: anonymise it instead"
    if code == "bad-ignore":
        return f"'{code}' cannot be silenced"
    return None


def silence(ws: Workspace, problems: list[Problem]) -> list[Problem]:
    """``problems`` less the warnings silenced where they stand.

    A warning goes when its line ends with ``# cepa: ignore[code]`` (or
    ``ignore[code1, code2]``), or when an ``ignore:`` rule of the project file names its
    code and a pattern that matches its file. Errors and personal-data warnings stay
    whatever is written: an ignore that names one, or a code that does not exist, is itself
    warned about (``bad-ignore``) where a problem meets it.
    """
    rules: list[tuple[str, str]] = []
    out: list[Problem] = []
    project = ws.project
    for i, rule in enumerate(project.ignore if project is not None else []):
        why = _why_not(rule.code)
        if why is None:
            rules.append((rule.code, rule.path))
        else:
            out.append(ws.problem_at(ws.project_path, ("ignore", i, "code"), "bad-ignore",
                                     f"ignore: {why}"))
    lines: dict[str, list[str]] = {}
    root = os.path.abspath(ws.root)
    for p in problems:
        comment = _ignore_comment(ws, p, lines)
        if comment is not None:
            col, said = comment
            for code in said:
                why = _why_not(code)
                if why is not None and (code == p.code or code not in CATALOGUE):
                    out.append(problem(p.path, p.line, col, "bad-ignore",
                                       f"cepa: ignore[{code}]: {why}"))
            if p.code in said and _why_not(p.code) is None:
                continue
        if rules and _why_not(p.code) is None:
            rel = Path(os.path.relpath(os.path.abspath(p.path), root)).as_posix()
            if any(code == p.code and fnmatch.fnmatchcase(rel, pattern)
                   for code, pattern in rules):
                continue
        out.append(p)
    return out


def _ignore_comment(ws: Workspace, p: Problem,
                    lines: dict[str, list[str]]) -> tuple[int, list[str]] | None:
    """The column of a ``# cepa: ignore[...]`` comment on the problem's line and the codes
    it names, if there is one. Files are read again only when they have a problem."""
    text = lines.get(p.path)
    if text is None:
        try:
            data, _ = loader.read_bytes(p.path, ws.max_bytes, follow=True)
            text = data.decode("utf-8", errors="replace").splitlines()
        except (OSError, loader.Refused):
            text = []
        lines[p.path] = text
    if not 0 < p.line <= len(text) or "cepa" not in text[p.line - 1]:
        return None
    line = text[p.line - 1]
    m = _IGNORE_COMMENT.search(line)
    if m is None:
        return None
    return line.index("#", m.start()) + 1, [c.strip() for c in m.group(1).split(",")
                                             if c.strip()]
