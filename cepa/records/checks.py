"""The checks of the records stage: of each record, of the project file, and across records.

A check is a generator of problems. ``RECORD_CHECKS`` look at one record with the project
file (``Context``) and nothing else, so their problems are kept with the file in the cache
of checked results (cepa/records/checked.py). ``PROJECT_CHECKS`` look at the project file
alone. ``CROSS_CHECKS`` look across records, at the ``Facts`` of each: the few things of a
record that another record's problems depend on (its id, its references, its cities,
countries and count, what its texts may hold). Facts are kept in the cache too, so a run
with one file changed checks across records without reading the others.
cepa/evidence/checks.py runs them all in ``validate``, with the checks on evidence.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz.distance import Levenshtein

from cepa.base.dates import UNKNOWN
from cepa.base.problems import CATALOGUE, Problem, problem
from cepa.records import loader
from cepa.records.kinds import KINDS, child_kinds
from cepa.records.model import Project
from cepa.records.personal import Candidate
from cepa.records.workspace import Entry, Workspace

Loc = tuple[str | int, ...]


class Context:
    """What the checks need of the project file, worked out once a run."""

    def __init__(self, ws: Workspace, project: Project) -> None:
        self.ws = ws
        self.project = project
        self.objectives = {o.id for o in project.objectives}
        self.obj_list = ", ".join(sorted(self.objectives))
        self.activities = {a.id: a for a in project.activities}
        self.partners = {p.id for p in project.partners}
        self.organisations = {o.id for o in project.organisations()}
        self.children = child_kinds()
        #: misspelt names: a normalised name -> the partner it is close to, or None
        self.likely: dict[str, str | None] = {}
        self.languages_ok: dict[str, bool] = {}

    @cached_property
    def registered(self) -> dict[str, str]:
        """The partners' and associates' names, aliases and ids, normalised -> name."""
        out: dict[str, str] = {}
        for org in self.project.organisations():
            for n in (org.name, *org.aliases, org.id):
                out[_norm(n)] = org.name
        return out

    @cached_property
    def placeholders(self) -> frozenset[str]:
        from cepa.records.blank import placeholders

        return placeholders()

    @cached_property
    def text_languages(self) -> frozenset[str]:
        """The languages whose month names make a date in the texts about children."""
        from cepa.records.personal import languages_of

        project = self.project
        return languages_of({o.country for o in project.organisations()}, project.language)

    def problem(self, path: str, loc: Loc, code: str, message: str) -> Problem:
        return self.ws.problem_at(path, loc, code, message)


RecordCheck = Callable[[Context, Entry], Iterator[Problem]]
ProjectCheck = Callable[[Context], Iterator[Problem]]


def _field(model: Any, name: str) -> Any:
    """A field of a record (or of its count), None when its model has no such field: read
    from the instance, since asking pydantic for a name it lacks costs an exception."""
    return model.__dict__.get(name)


# --- facts: what checks across records need of one record -------------------------------------


class Facts(NamedTuple):
    """What the checks across records need of one record. A tuple of plain values, kept
    in the cache of checked results."""

    kind: str
    id: str
    activity: str
    #: (field, value, kind) of each field that names a record of another kind
    refs: tuple[tuple[str, str, str], ...]
    #: every city it names, with where
    cities: tuple[tuple[str, Loc], ...]
    #: names in it that are no person's (its city, its hosts)
    words: tuple[str, ...]
    #: a record about children: each text that may hold personal data, with where
    texts: tuple[tuple[Loc, tuple[Candidate, ...]], ...]
    #: its count's total: None when it holds no count
    total: int | None
    #: every country code it uses, with where, in order
    countries: tuple[tuple[str, Loc], ...]


def facts_of(ctx: Context, e: Entry) -> Facts:
    from cepa.records.personal import candidates, texts_of

    r = e.record
    kind = KINDS[e.kind]
    refs = tuple((name, value, other) for name, other in kind.record_refs
                 if (value := _field(r, name)) is not None)
    cities: list[tuple[str, Loc]] = []
    words: list[str] = []
    if r.city and r.city != UNKNOWN:
        cities.append((r.city, ("city",)))
        words.append(r.city)
    for i, h in enumerate(_field(r, "hosts") or ()):
        words.append(h.name)
        if h.city:
            cities.append((h.city, ("hosts", i, "city")))
    texts: list[tuple[Loc, tuple[Candidate, ...]]] = []
    if e.kind in ctx.children:
        languages = ctx.text_languages
        for loc, text in texts_of(r, kind):
            if loc and loc[0] == "sources":
                continue  # where the figures come from: file names and checksums
            found = candidates(text, languages)
            if found:
                texts.append((loc, found))
    c = kind.count_of(r)
    countries: list[tuple[str, Loc]] = []
    if r.country and r.country != UNKNOWN:
        countries.append((r.country, ("country",)))
    if c is not None:
        countries += [(code, (kind.count or "", "by_country", code))
                      for code in (_field(c, "by_country") or {})]
    return Facts(e.kind, r.id, r.activity, refs, tuple(cities), tuple(words), tuple(texts),
                 c.total if c is not None else None, tuple(countries))


# --- the checks of one record -----------------------------------------------------------------


def record_references(ctx: Context, e: Entry) -> Iterator[Problem]:
    r = e.record
    for i, o in enumerate(r.objectives):
        if o not in ctx.objectives:
            yield ctx.problem(e.path, ("objectives", i), "unknown-reference",
                              f"objective '{o}' does not exist (the project's objectives "
                              f"are {ctx.obj_list})")
    act = ctx.activities.get(r.activity)
    if act is None:
        yield _missing(ctx, e.path, ("activity",), "activity", r.activity, ctx.activities)
    elif act.kind != e.kind:
        yield ctx.problem(e.path, ("activity",), "wrong-activity",
                          f"activity {act.id} holds {act.kind}, but this record is in "
                          f"{e.kind}/; move the file or correct the activity")
    for name, among in KINDS[e.kind].refs:
        value = _field(r, name)
        known = ctx.partners if among == "partner" else ctx.organisations
        what = "partner" if among == "partner" or name == "conducted_by" else \
            name.replace("_", "-").rstrip("s")
        if isinstance(value, list):
            for i, v in enumerate(value):
                if v not in known and v != UNKNOWN:
                    yield _missing(ctx, e.path, (name, i), what, v, known)
        elif value is not None and value not in known and value != UNKNOWN:
            yield _missing(ctx, e.path, (name,), what, value, known)


def _missing(ctx: Context, path: str, loc: Loc, what: str, value: str,
             known: Sequence[str] | set[str] | dict[str, Any]) -> Problem:
    names = ", ".join(sorted(known)) or "none"
    return ctx.problem(path, loc, "unknown-reference",
                       f"{what} '{value}' is not defined in the project file (known: {names})")


def record_dates(ctx: Context, e: Entry) -> Iterator[Problem]:
    span = e.record.date
    period = ctx.project.period
    if not span.known:
        return
    if span.reversed:
        yield ctx.problem(e.path, ("date",), "date-range-reversed",
                          f"date {span} ends before it starts; swap start and end")
    elif not span.within(period):
        if KINDS[e.kind].may_follow and span.start > period.start:
            yield ctx.problem(e.path, ("date",), "date-after-period",
                              f"date {span} is after the project period {period}; the "
                              f"report gives the {KINDS[e.kind].singular} with its date")
        else:
            yield ctx.problem(e.path, ("date",), "date-outside-period",
                              f"date {span} is outside the project period {period}")


def record_breakdowns(ctx: Context, e: Entry) -> Iterator[Problem]:
    k = KINDS[e.kind]
    whole = _field(e.record, k.count) if k.count else None
    if whole is not None and whole.total is None:
        for b, parts in whole.breakdowns().items():
            yield ctx.problem(
                e.path, (k.count or "", "total"), "breakdown-mismatch",
                f"{k.count}.total is unknown, but {k.count}.{b} adds up to "
                f"{sum(parts.values())}, which is then the total: write it")
            break
    c = k.count_of(e.record)
    if c is not None:
        name = k.count or ""
        for b, parts in c.breakdowns().items():
            s = sum(parts.values())
            if s != c.total:
                yield ctx.problem(
                    e.path, (name, b), "breakdown-mismatch",
                    f"{name}.{b} adds up to {s}, but {name}.total is {c.total}; "
                    "fix the figures or add an 'other' entry for the difference")
        people = _field(c, "people")
        if people is not None and len(set(people)) > c.total:
            yield ctx.problem(e.path, (name, "people"), "breakdown-mismatch",
                              f"{name}.people lists {len(set(people))} different people, "
                              f"more than the total of {c.total}")
    risk = _field(e.record, "risk")
    if risk is not None and e.record.children.total is not None:
        s = risk.reduced + risk.unchanged + risk.increased + risk.not_known
        if s != e.record.children.total:
            yield ctx.problem(
                e.path, ("risk",), "breakdown-mismatch",
                f"risk adds up to {s} (reduced + unchanged + increased + not_known), but "
                f"children.total is {e.record.children.total}")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def _close(a: str, b: str) -> bool:
    """A slip of the keyboard: one edit in a short name, up to one in ten in a long one."""
    allowed = max(1, min(len(a), len(b)) // 10)
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed


def record_names(ctx: Context, e: Entry) -> Iterator[Problem]:
    """Organisation names close to a registered partner's (cities: ``check_cities``)."""
    r = e.record
    names: list[tuple[str, Loc]] = [(h.name, ("hosts", i, "name"))
                                    for i, h in enumerate(_field(r, "hosts") or ())]
    k = KINDS[e.kind]
    c = k.count_of(r)
    if c is not None:
        names += [(org, (k.count or "", "by_organisation", org))
                  for org in (_field(c, "by_organisation") or {})]
    host = _field(r, "host")
    if host:
        names.append((host, ("host",)))
    if not names:
        return
    registered = ctx.registered
    for name, loc in names:
        n = _norm(name)
        if n in registered:
            continue
        if n not in ctx.likely:
            ctx.likely[n] = next((registered[k] for k in registered if _close(n, k)), None)
        likely = ctx.likely[n]
        if likely:
            yield ctx.problem(e.path, loc, "misspelt-name",
                              f"'{name}' looks like a misspelling of the partner "
                              f"'{likely}'; use that spelling, or add '{name}' to its "
                              "aliases in the project file")


def record_countries(ctx: Context, e: Entry) -> Iterator[Problem]:
    from cepa.base.countries import is_code

    r = e.record
    if r.country and r.country != UNKNOWN and not is_code(r.country):
        yield _not_a_country(ctx, e.path, ("country",), r.country)
    k = KINDS[e.kind]
    c = k.count_of(r)
    for code in (_field(c, "by_country") or {}) if c is not None else {}:
        if len(code) == 2 and code.isupper() and not is_code(code):
            yield _not_a_country(ctx, e.path, (k.count or "", "by_country", code), code)


def _not_a_country(ctx: Context, path: str, loc: Loc, code: str) -> Problem:
    from cepa.base.countries import nearest

    guess = nearest(code)
    hint = f"; did you mean {guess}?" if guess and guess != code else ""
    return ctx.problem(path, loc, "unknown-country",
                       f"'{code}' is not a country code (ISO 3166, or UK and EL as EU "
                       f"documents write them){hint}")


def record_languages(ctx: Context, e: Entry) -> Iterator[Problem]:
    for i, code in enumerate(_field(e.record, "languages") or ()):
        ok = ctx.languages_ok.get(code)
        if ok is None:
            import pycountry

            ok = ctx.languages_ok[code] = (pycountry.languages.get(alpha_2=code) is not None
                                           or pycountry.languages.get(alpha_3=code)
                                           is not None)
        if not ok:
            yield ctx.problem(e.path, ("languages", i), "invalid-value",
                              f"'{code}' is not a language code (ISO 639-1, such as "
                              "en, nl, et)")


def record_placeholders(ctx: Context, e: Entry) -> Iterator[Problem]:
    fields = e.record.__dict__
    for f in ("title", "city", "host", "service"):
        value = fields.get(f)
        if isinstance(value, str) and value in ctx.placeholders:
            yield _placeholder(ctx, e.path, (f,), value)


def _placeholder(ctx: Context, path: str, loc: Loc, value: str) -> Problem:
    return ctx.problem(path, loc, "placeholder",
                       f"{'.'.join(map(str, loc))} is still the placeholder '{value}'; "
                       "replace it")


# --- the checks of the project file -----------------------------------------------------------


def project_references(ctx: Context) -> Iterator[Problem]:
    project = ctx.project
    for idx, a in enumerate(project.activities):
        for i, o in enumerate(a.objectives):
            if o not in ctx.objectives:
                yield _missing(ctx, ctx.ws.project_path, ("activities", idx, "objectives", i),
                               "objective", o, ctx.objectives)


def project_dates(ctx: Context) -> Iterator[Problem]:
    project, path = ctx.project, ctx.ws.project_path
    if project.period.reversed:
        yield ctx.problem(path, ("period",), "date-range-reversed",
                          f"the project period {project.period} ends before it starts")
    for name, span in project.reporting_periods.items():
        if span.reversed:
            yield ctx.problem(path, ("reporting_periods", name), "date-range-reversed",
                              f"reporting period '{name}' ({span}) ends before it starts")


def project_countries(ctx: Context) -> Iterator[Problem]:
    from cepa.base.countries import is_code

    project, path = ctx.project, ctx.ws.project_path
    orgs: list[Any] = [*project.partners, *project.associates]
    for i, org in enumerate(orgs):
        if not is_code(org.country):
            what = "partners" if i < len(project.partners) else "associates"
            idx = i if i < len(project.partners) else i - len(project.partners)
            yield _not_a_country(ctx, path, (what, idx, "country"), org.country)
    for code in project.countries:
        if not is_code(code):
            yield _not_a_country(ctx, path, ("countries", code), code)


def project_placeholders(ctx: Context) -> Iterator[Problem]:
    project = ctx.project
    for loc, value in [(("title",), project.title), (("programme",), project.programme),
                       *[(("partners", i, "name"), p.name)
                         for i, p in enumerate(project.partners)],
                       *[(("objectives", i, f), getattr(o, f))
                         for i, o in enumerate(project.objectives) for f in ("short", "text")]]:
        if isinstance(value, str) and value in ctx.placeholders:
            yield _placeholder(ctx, ctx.ws.project_path, loc, value)


# --- the checks across records, on their facts ----------------------------------------------

#: (display path, facts) of every record that passed the schema, in the order of the files
Seen = Sequence[tuple[str, Facts]]
CrossCheck = Callable[[Context, Seen], Iterator[Problem]]


def check_ids(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """One problem for each file that reuses an id, naming the first file to use it: a
    thousand copies give a thousand lines, not a million."""
    first: dict[str, str] = {}
    for path, f in seen:
        taken = first.setdefault(f.id, path)
        if taken != path:
            yield ctx.problem(path, ("id",), "duplicate-id",
                              f"id '{f.id}' is already used by {taken}; give each record "
                              "an id of its own")


def check_record_refs(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """A field that names a record of another kind (a feedback session's visit)."""
    if not any(f.refs for _, f in seen):
        return
    ids_of: dict[str, set[str]] = defaultdict(set)
    for _, f in seen:
        ids_of[f.kind].add(f.id)
    for path, f in seen:
        for name, value, other in f.refs:
            if value not in ids_of[other]:
                yield ctx.problem(path, (name,), "unknown-reference",
                                  f"{name} '{value}' is not the id of any "
                                  f"{KINDS[other].singular} record")


def check_cities(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """Near-duplicate city names: the rarer of two near-identical spellings is probably the
    slip."""
    cities: dict[str, list[tuple[str, Loc]]] = defaultdict(list)
    for path, f in seen:
        for city, loc in f.cities:
            cities[city].append((path, loc))
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
                    yield ctx.problem(path, loc, "misspelt-name",
                                      f"city '{rare}' looks like a misspelling of "
                                      f"'{common}', used in {len(cities[common])} other "
                                      "place(s); use one spelling")


def check_personal_text(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """What looks like personal data in any free text or breakdown key of a record about
    children (cepa/records/personal.py): judged on the candidates each record's facts keep,
    with the names of the project and of every record's cities and hosts allowed."""
    from cepa.records.personal import resolve

    if not any(f.texts for _, f in seen):
        return
    # Words that start with a capital but are no person's name: the project's own names.
    project = ctx.project
    allowed = {o.name for o in project.organisations()}
    allowed |= {a for o in project.organisations() for a in o.aliases}
    for _, f in seen:
        allowed.update(f.words)
    words = frozenset(allowed | {w for n in allowed for w in n.split()})
    for path, f in seen:
        for loc, found in f.texts:
            said = resolve(found, words)
            if said:
                yield ctx.problem(path, loc, "personal-data-text",
                                  f"{'.'.join(map(str, loc))} holds what looks like "
                                  f"{' and '.join(said)}; anonymise it before it reaches "
                                  "a report")


def check_known_totals(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """Each known total names records of one kind, whose counts add up to it."""
    project, ws = ctx.project, ctx.ws
    if not project.known_totals:
        return
    by_id = {f.id: f for _, f in seen}
    broken = bool(ws.broken_files())
    for i, k in enumerate(project.known_totals):
        loc: Loc = ("known_totals", i)
        found = []
        for j, rid in enumerate(k.records):
            f = by_id.get(rid)
            if f is None:
                if not broken:
                    yield ctx.problem(ws.project_path, (*loc, "records", j),
                                      "unknown-reference",
                                      f"known total '{k.id}' names record '{rid}', which "
                                      "does not exist")
                continue
            found.append(f)
        kinds = {f.kind for f in found}
        if len(kinds) > 1:
            yield ctx.problem(ws.project_path, (*loc, "records"), "known-total-mismatch",
                              f"known total '{k.id}' names records of different kinds "
                              f"({', '.join(sorted(kinds))}); a total adds up one kind")
            continue
        if broken or len(found) != len(k.records):
            continue
        if any(f.total is None for f in found):
            yield ctx.problem(ws.project_path, (*loc, "records"), "known-total-mismatch",
                              f"known total '{k.id}' names records that hold no count")
            continue
        s = sum(f.total or 0 for f in found)
        if s != k.total:
            yield ctx.problem(ws.project_path, (*loc, "total"), "known-total-mismatch",
                              f"known total '{k.id}' is {k.total}, but its records add up to "
                              f"{s}; correct the records' split or the total")


def check_country_twice(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """A country written both as EU documents write it and as ISO 3166 does (UK and GB)."""
    from cepa.base.countries import EU_CODES

    used: dict[str, tuple[str, Loc]] = {}
    for path, f in seen:
        for code, loc in f.countries:
            used.setdefault(code, (path, loc))
    project = ctx.project
    orgs: list[Any] = [*project.partners, *project.associates]
    used.update({o.country: (ctx.ws.project_path, ()) for o in orgs if o.country not in used})
    for eu, iso in EU_CODES.items():
        if eu in used and iso in used:
            path, loc = used[iso]
            yield ctx.problem(path, loc, "country-twice",
                              f"'{iso}' and '{eu}' are the same country; the tables would "
                              f"show it twice: write '{eu}' everywhere, as EU documents do")


def check_activities(ctx: Context, seen: Seen) -> Iterator[Problem]:
    """Every activity says what happened to it: records, or a status; a change has a
    reason. An activity still to come is not asked (its planned date, or the project's
    end, has not passed)."""
    project = ctx.project
    held = {f.activity for _, f in seen}
    today = date.today()
    for i, a in enumerate(project.activities):
        loc: Loc = ("activities", i)
        due = (a.planned_date or project.period).end < today
        if a.id not in held and a.status is None and a.planned and due:
            yield ctx.problem(ctx.ws.project_path, loc, "activity-status",
                              f"activity {a.id} has no records and no status; add its "
                              "records, or say what happened (status: not implemented, "
                              "postponed, ... with a reason)")
        if a.id not in held and a.status in HAPPENED:
            yield ctx.problem(ctx.ws.project_path, (*loc, "status"), "activity-unrecorded",
                              f"activity {a.id} is {a.status}, but no record belongs to it; "
                              f"add its records (cepa new {KINDS[a.kind].singular}), or "
                              "correct its status")
        if a.status in ("partly implemented", "moved", "postponed", "not implemented") \
                and not a.why:
            yield ctx.problem(ctx.ws.project_path, (*loc, "status"), "activity-status",
                              f"activity {a.id} is {a.status}, with no reason; the funder "
                              "asks why: add 'reason:'")


def due_until(project: Project) -> str | None:
    """The last day on which the answer of ``check_activities`` stays what it is today
    (the day before the next activity falls due), as YYYY-MM-DD; None when none will."""
    today = date.today()
    ends = [(a.planned_date or project.period).end for a in project.activities]
    coming = [d for d in ends if d >= today]
    return min(coming).isoformat() if coming else None


#: The statuses that say an activity happened.
HAPPENED = ("implemented", "partly implemented", "moved", "unforeseen")

#: Fields of a record that ``basis:`` cannot speak of: what names or describes the record.
_NOT_FACTS = frozenset({"id", "activity", "objectives", "title", "notes", "change",
                        "internal", "sources", "basis", "revision", "publishable"})


def record_basis(ctx: Context, e: Entry) -> Iterator[Problem]:
    """Each ``basis:`` names a field the record (or its count) has, ``split`` only for a
    count, and a split of a known total only when that total lists the record."""
    project = ctx.project
    r = e.record
    kind = KINDS[e.kind]
    fields = type(r).model_fields
    for name, b in r.basis.items():
        how = b if isinstance(b, str) else b.how
        loc: Loc = ("basis", name)
        if name == kind.count:
            yield ctx.problem(e.path, loc, "invalid-basis",
                              f"basis.{name}: say how the count was obtained in its own "
                              f"basis, e.g. {name}: {{total: 45, basis: {{total: "
                              "estimated}}")
        elif name not in fields or name in _NOT_FACTS:
            yield ctx.problem(e.path, loc, "invalid-basis",
                              f"basis.{name}: a {kind.singular} record has no fact "
                              f"'{name}' to say it is {how} (date, city, country, "
                              "hosts, convenor, ...)")
        elif how == "split":
            yield ctx.problem(e.path, loc, "invalid-basis",
                              f"basis.{name}: only a count can be a split of a known "
                              "total; say assumed or estimated")
    count = kind.count_of(r)
    if count is None or not count.basis:
        return
    totals = {k.id: set(k.records) for k in project.known_totals}
    listed = {rid for k in project.known_totals for rid in k.records}
    for name, b in count.basis.items():
        loc = (kind.count or "", "basis", name)
        how = b if isinstance(b, str) else b.how
        of = None if isinstance(b, str) else b.of
        if name != "total" and name not in type(count).model_fields:
            yield ctx.problem(e.path, loc, "invalid-basis",
                              f"{kind.count}.basis.{name}: this count has no {name}")
        elif how == "split" and of is not None and of not in totals:
            yield ctx.problem(e.path, loc, "invalid-basis",
                              f"{kind.count}.basis.{name}: no known total '{of}' in the "
                              f"project file (known: {', '.join(totals) or 'none'})")
        elif how == "split" and name == "total" and (
                r.id not in (totals[of] if of is not None else listed)):
            which = f"'{of}'" if of is not None else "in the project file"
            yield ctx.problem(e.path, loc, "invalid-basis",
                              f"{kind.count}.basis.total says split, but no known total "
                              f"{which} lists '{r.id}'; add it to that known total's "
                              "records, or say estimated")


def project_periods(ctx: Context) -> Iterator[Problem]:
    """Claims, targets and revisions name reporting periods of the project file."""
    project = ctx.project
    known = project.reporting_periods
    names = ", ".join(known) or "none are defined"
    items: list[tuple[Loc, str | None]] = [
        *((("claims", i, "period"), c.period) for i, c in enumerate(project.claims)),
        *((("targets", i, "period"), t.period) for i, t in enumerate(project.targets)),
        *((("revisions", i, "period"), r.period) for i, r in enumerate(project.revisions))]
    for loc, name in items:
        if name is not None and name not in known:
            yield ctx.problem(ctx.ws.project_path, loc, "unknown-reference",
                              f"reporting period '{name}' is not defined in the project "
                              f"file (reporting_periods: {names})")


#: The breakdowns whose keys are words of the project's language (not codes or names).
LABELLED = ("by_sector", "by_function", "by_gender")


def _per_language_items(annotation: Any) -> bool:
    """Is a field a list or a mapping of texts each given per language (``comments``,
    ``labels``)?"""
    import typing

    from cepa.records.model import PER_LANGUAGE

    args = typing.get_args(annotation)
    return bool(args) and any(PER_LANGUAGE in getattr(a, "__metadata__", ()) for a in args)


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

    def lacks(path: str, loc: tuple[str | int, ...]) -> None:
        out.append(ws.problem_at(
            path, loc, "translation-missing",
            f"{'.'.join(map(str, loc))} has no {language} text; write it as "
            f"{{{project.language}: ..., {language}: ...}}"))

    def walk(obj: Any, loc: tuple[str | int, ...], path: str) -> None:
        if isinstance(obj, BaseModel):
            for name, f in type(obj).model_fields.items():
                value = getattr(obj, name)
                if PER_LANGUAGE in f.metadata:
                    if not given_in(value, language, project.language):
                        lacks(path, (*loc, name))
                elif _per_language_items(f.annotation) and isinstance(value, list | dict):
                    items = value.items() if isinstance(value, dict) else enumerate(value)
                    for key, item in items:
                        # a label is given only in other languages: its key is the project's
                        if not given_in(item, language, project.language) and not (
                                isinstance(value, dict) and language == project.language):
                            lacks(path, (*loc, name, key))
                else:
                    walk(value, (*loc, name), path)
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, (*loc, i), path)

    walk(project, (), ws.project_path)
    for e in ws.entries:  # the records' texts: titles, notes, comments, ...
        walk(e.record, (), e.path)
    # the words records use as keys (a sector, a function), each once: a label for each
    labelled = {k for k, v in project.labels.items() if language in v}
    seen: set[str] = set()
    for e in ws.entries:
        kind = KINDS[e.kind]
        count = kind.count_of(e.record)
        for b in LABELLED:
            for key in (getattr(count, b, None) or {}) if count is not None else {}:
                if key in labelled or key in seen or not any(c.isalpha() for c in key):
                    continue
                seen.add(key)
                out.append(ws.problem_at(
                    e.path, (str(kind.count), b, key), "translation-missing",
                    f"'{key}' has no {language} label; add it to the project file as "
                    f"labels: {{{key}: {{{language}: ...}}}}"))
    from cepa.records.narrative import hollow, sections

    plain = read(ws.root, of=sections(project))
    for s in sections(project):  # a placeholder is not printed: nothing to translate
        if s.key in plain and not hollow(plain[s.key]) \
                and not path_of(ws.root, s, language).is_file():
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
    from cepa.records.narrative import files_read, missing, path_of, read, sections, unwritten
    from cepa.records.workspace import display

    def answer(s: Any) -> str:
        return f"answer, in a few paragraphs: {s.asks}" if s.asks else "write it"

    of = sections(ws.project)
    out = [problem(display(path_of(ws.root, s)), 1, 1, "narrative-missing",
                   f"the final report's section '{s.title}' is not written: create this "
                   f"file and {answer(s)}")
           for s in missing(ws.root, of=of)]
    files = files_read(ws.root, of=of)
    by_key = {s.key: s for s in of}
    for key, why in unwritten(read(ws.root, of=of)).items():
        s = by_key[key]
        out.append(problem(display(files.get(key, path_of(ws.root, s))), 1, 1,
                           "narrative-stub",
                           f"the section '{s.title}' is no answer yet: {why}; {answer(s)}"))
    return out


RECORD_CHECKS: tuple[RecordCheck, ...] = (
    record_references,
    record_dates,
    record_breakdowns,
    record_names,
    record_countries,
    record_languages,
    record_placeholders,
    record_basis,
)
PROJECT_CHECKS: tuple[ProjectCheck, ...] = (
    project_references,
    project_dates,
    project_countries,
    project_placeholders,
    project_periods,
)
CROSS_CHECKS: tuple[CrossCheck, ...] = (
    check_ids,
    check_record_refs,
    check_cities,
    check_personal_text,
    check_known_totals,
    check_country_twice,
    check_activities,
)


def check_record(ctx: Context, e: Entry) -> list[Problem]:
    """The problems of one record that the project file alone decides."""
    return [p for rule in RECORD_CHECKS for p in rule(ctx, e)]


def check_project(ctx: Context) -> list[Problem]:
    return [p for rule in PROJECT_CHECKS for p in rule(ctx)]


def check_across(ctx: Context, seen: Seen) -> list[Problem]:
    return [p for rule in CROSS_CHECKS for p in rule(ctx, seen)]


def check(ws: Workspace) -> list[Problem]:
    """The problems met loading the workspace, and those of every check of the records
    stage (which need the project file: when it is broken, its own problems say so).
    Unsorted, nothing silenced yet: cepa/evidence/checks.py adds the checks on evidence."""
    out = list(ws.problems)
    if ws.project is not None:
        ctx = Context(ws, ws.project)
        seen = []
        for e in ws.entries:
            out += check_record(ctx, e)
            seen.append((e.path, facts_of(ctx, e)))
        out += check_project(ctx)
        out += check_across(ctx, seen)
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
