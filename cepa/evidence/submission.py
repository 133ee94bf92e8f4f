"""What was submitted for a period, and what changed since.

``cepa submit --period final`` freezes the period's figures (every figure of its summary,
by its place in the summary's JSON: value, grade and the records behind it), each record's
fingerprint, the project file's, and the SHA-256 of the documents sent, in
``submissions/final.json`` beside the project file: a text file to commit and review in
git, one figure a line, so that a diff shows a changed figure as a changed line. ``cepa
diff final`` computes the summary again and lists every figure whose value moved, with the
old and new values and the records behind it that changed, were added or are gone;
``validate`` warns about each changed record that does not say why (``revision:``, or a
``revisions:`` entry of the project file for the period).

Like Akvo RSR's locked periods and DHIS2's approved data, a submitted period is not to
change in silence; unlike them, nothing is locked: the records stay text in git, and the
change and its reason are reviewed there.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cepa.base.problems import Problem, problem
from cepa.evidence.figures import Grade
from cepa.evidence.fingerprints import of_record, of_records, of_value
from cepa.evidence.periods import Period, in_period, resolve_period
from cepa.evidence.results import (
    ADDED,
    CHANGED,
    GONE,
    Diff,
    DocumentCheck,
    FigureChange,
    RecordChange,
    figures_of,
)
from cepa.evidence.summary import summarize
from cepa.records.kinds import KINDS
from cepa.records.workspace import Workspace, display

FORMAT = "cepa.submission/1"
#: The folder, beside the project file, of what ``cepa submit`` froze: JSON files, which the
#: loader of records never reads.
FOLDER = "submissions"
#: The largest submission file read (a programme of 100,000 records writes about 70 MB).
MAX_BYTES = 1 << 28


class SubmissionError(ValueError):
    """A submission that cannot be made or read; the message says what to do."""


#: A figure made of more records than this keeps their number, not their ids: the ids of a
#: project's totals would make the file as long as the project (the records' own
#: fingerprints are kept once, under ``records``).
LISTED = 25


@dataclass
class Frozen:
    """One figure as submitted: its value, grade and the records behind it (their ids, or
    only how many when they are more than ``LISTED``)."""

    value: int | None
    grade: str
    records: list[str]
    #: how many records are behind it (when their ids are not listed)
    behind: int = 0


@dataclass
class Document:
    """A document sent with the submission."""

    file: str
    sha256: str
    #: the fingerprint of the records the document says it came from (None: it says none)
    fingerprint: str | None = None


@dataclass
class Submission:
    project: str
    period: str
    start: str
    end: str
    submitted: str
    fingerprint: str
    project_file: str
    #: each record's fingerprint, by ``kind/id``
    records: dict[str, str]
    figures: dict[str, Frozen]
    documents: list[Document] = field(default_factory=list)


# --- making one ----------------------------------------------------------------------------


def path_of(ws: Workspace, period: str) -> Path:
    return ws.root / FOLDER / f"{period}.json"


def freeze(ws: Workspace, per: Period, documents: list[Path] | None = None,
           today: date | None = None) -> Submission:
    """The period's figures and records as they are now, and the documents sent."""
    project = ws.project
    assert project is not None and per.name is not None
    entries, _ = in_period(ws.entries, per)
    s = summarize(ws, per)
    figures = {where: Frozen(f.value, _grade(f), list(f.records))
               if len(f.records) <= LISTED else Frozen(f.value, _grade(f), [], len(f.records))
               for where, f in figures_of(s)}
    fingerprint = of_records(project, entries)
    docs = []
    for d in documents or []:
        try:
            data = d.read_bytes()
        except OSError as e:
            raise SubmissionError(f"cannot read {d}: {e.strerror or e}") from None
        said = embedded_fingerprint(d, data)
        if said is not None and said != fingerprint:
            raise SubmissionError(
                f"{d} was written from other records (fingerprint {said[:12]}, the records of "
                f"'{per.name}' are {fingerprint[:12]} now): write it again from these records, "
                "then submit")
        # named from the project's folder, so that 'cepa diff' finds it from anywhere
        where = Path(os.path.relpath(d.resolve(), ws.root.resolve())).as_posix()
        docs.append(Document(where, hashlib.sha256(data).hexdigest(), said))
    return Submission(project.code, per.name, per.span.start.isoformat(),
                      per.span.end.isoformat(), (today or date.today()).isoformat(),
                      fingerprint, of_value(project),
                      {f"{e.kind}/{e.record.id}": of_record(e) for e in entries}, figures,
                      docs)


def _grade(f: Any) -> str:
    return str(f.grade if f.value is not None else Grade.NOT_RECORDED)


_IDENTIFIER = re.compile(rb"<dc:identifier[^>]*>cepa-records:([0-9a-f]{64})</dc:identifier>")
_JSON_FINGERPRINT = re.compile(rb'"(?:records_)?fingerprint":\s*"([0-9a-f]{64})"')


def embedded_fingerprint(path: Path, data: bytes) -> str | None:
    """The fingerprint of the records a document cepa wrote says it came from: a .docx's
    or .xlsx's identifier, a JSON document's ``fingerprint``; None for any other file."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".xlsx"):
        try:
            import io

            with zipfile.ZipFile(io.BytesIO(data)) as z:
                core = z.read("docProps/core.xml")
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        m = _IDENTIFIER.search(core)
        return m.group(1).decode() if m else None
    if suffix == ".json":
        m = _JSON_FINGERPRINT.search(data[:1_000_000])
        return m.group(1).decode() if m else None
    return None


def dump(sub: Submission) -> str:
    """The submission as the JSON file cepa writes: one record, one figure a line, sorted,
    so that git shows a change as a changed line."""
    import json

    def q(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = {
        "about": f"Written by 'cepa submit --period {sub.period}' on {sub.submitted}: the "
                 "figures of the period as submitted, and the fingerprints of the records "
                 f"behind them. Keep it in git; 'cepa diff {sub.period}' compares the records "
                 "with it.",
        "format": FORMAT, "project": sub.project,
        "period": {"name": sub.period, "start": sub.start, "end": sub.end},
        "submitted": sub.submitted, "fingerprint": sub.fingerprint,
        "project_file": sub.project_file}
    lines = ["{"] + [f" {q(k)}: {q(v)}," for k, v in head.items()]

    def block(name: str, items: list[str], last: bool = False) -> None:
        lines.append(f" {q(name)}: " + ("[" if name == "documents" else "{"))
        lines.extend(f"  {x}," if i < len(items) - 1 else f"  {x}"
                     for i, x in enumerate(items))
        lines.append(" " + ("]" if name == "documents" else "}") + ("" if last else ","))

    block("documents", [q({"file": d.file, "sha256": d.sha256, "fingerprint": d.fingerprint})
                        for d in sub.documents])
    block("records", [f"{q(rid)}: {q(fp)}" for rid, fp in sorted(sub.records.items())])
    block("figures", [f"{q(where)}: " + q({"value": f.value, "grade": f.grade,
                                           **({"behind": f.behind} if f.behind
                                              else {"records": f.records})})
                      for where, f in sorted(sub.figures.items())], last=True)
    return "\n".join([*lines, "}"]) + "\n"


# --- reading one -----------------------------------------------------------------------------


def submitted(ws: Workspace) -> list[str]:
    """The periods with a submission file."""
    folder = ws.root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if p.is_file())


def read(ws: Workspace, period: str) -> tuple[Submission | None, list[Problem]]:
    """The submission of ``period``, or None and the problems that stop it being read."""
    import json

    from cepa.records import loader

    path = path_of(ws, period)
    shown = display(path)
    try:
        data, _ = loader.read_bytes(str(path), MAX_BYTES)
        value = json.loads(data.decode("utf-8"))
        return _parse(value), []
    except (OSError, loader.Refused) as e:
        why = f"cannot read it: {e}"
    except (UnicodeDecodeError, RecursionError, json.JSONDecodeError) as e:
        why = f"not a submission cepa wrote ({str(e)[:80]})"
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        why = f"not a submission cepa wrote ({str(e)[:80]})"
    return None, [problem(shown, 1, 1, "submission-invalid",
                          f"{why}; restore it from git, or submit '{period}' again")]


def _parse(v: Any) -> Submission:
    if not isinstance(v, dict) or v.get("format") != FORMAT:
        raise ValueError(f"its format is not {FORMAT}")
    per = v["period"]
    figures = {str(k): Frozen(None if f["value"] is None else int(f["value"]), str(f["grade"]),
                              [str(r) for r in f.get("records") or []],
                              int(f.get("behind") or 0))
               for k, f in (v.get("figures") or {}).items()}
    docs = [Document(str(d["file"]), str(d["sha256"]),
                     None if d.get("fingerprint") is None else str(d["fingerprint"]))
            for d in (v.get("documents") or [])]
    return Submission(str(v["project"]), str(per["name"]), str(per["start"]),
                      str(per["end"]), str(v["submitted"]), str(v["fingerprint"]),
                      str(v["project_file"]),
                      {str(k): str(x) for k, x in (v.get("records") or {}).items()},
                      figures, docs)


# --- what changed ----------------------------------------------------------------------------


def compare(ws: Workspace, sub: Submission) -> Diff:
    """Every figure of the submitted period whose value moved, and the records behind it
    that changed since."""
    project = ws.project
    assert project is not None
    per = resolve_period(project, sub.period)
    entries, _ = in_period(ws.entries, per)
    now = {e.record.id: e for e in entries}
    prints = {rid: of_record(e) for rid, e in now.items()}
    reasons = _reasons(ws, sub.period)
    changes: dict[str, RecordChange] = {}
    for rid, e in now.items():
        old = sub.records.get(f"{e.kind}/{rid}")
        if old is None or old != prints[rid]:
            changes[rid] = RecordChange(rid, e.kind, ADDED if old is None else CHANGED,
                                        ws.source(e.path), _reason(e, reasons))
    for key in sub.records:
        kind, _sep, rid = key.partition("/")
        if rid not in now or now[rid].kind != kind:
            changes.setdefault(rid, RecordChange(rid, kind, GONE, "",
                                                 reasons.get(rid, reasons.get(""))))
    gone = [rid for rid, c in changes.items() if c.change == GONE]
    s = summarize(ws, per)
    current = {where: f for where, f in figures_of(s)}
    figures: list[FigureChange] = []
    for where in sorted(set(current) | set(sub.figures)):
        old_f = sub.figures.get(where)
        new_f = current.get(where)
        old_v = old_f.value if old_f is not None else None
        new_v = new_f.value if new_f is not None else None
        if old_f is not None and new_f is not None and old_v == new_v:
            continue
        if old_v is None and new_v in (None, 0) or new_v is None and old_v == 0:
            continue  # a figure of nothing that appears or goes: nothing moved
        # a figure of many records kept only their number: the records gone since may
        # have been behind it
        was = (old_f.records if not old_f.behind else gone) if old_f is not None else []
        behind = list(dict.fromkeys([*was, *(new_f.records if new_f else [])]))
        figures.append(FigureChange(
            where, old_v, new_v, old_f.grade if old_f else "",
            _grade(new_f) if new_f is not None else "",
            [r for r in behind if r in changes],
            CHANGED if old_f is not None and new_f is not None else
            (ADDED if old_f is None else GONE)))
    moved = {r for f in figures for r in f.records}
    docs = []
    for d in sub.documents:
        p = ws.root / d.file  # from the project's folder (an older file: from where it ran)
        if not p.is_file():
            p = Path(d.file)
        if not p.is_file():
            docs.append(DocumentCheck(d.file, "missing"))
        else:
            same = hashlib.sha256(p.read_bytes()).hexdigest() == d.sha256
            docs.append(DocumentCheck(d.file, "unchanged" if same else "changed"))
    return Diff(sub.project, sub.period, sub.submitted, sub.fingerprint,
                of_records(project, entries), of_value(project) != sub.project_file,
                figures, [c for rid, c in sorted(changes.items()) if rid in moved], docs)


def _reasons(ws: Workspace, period: str) -> dict[str, str]:
    """The project file's reasons for changes to a submitted period, by record id ('' for
    one that explains every change)."""
    project = ws.project
    assert project is not None
    out: dict[str, str] = {}
    for r in project.revisions:
        if r.period != period:
            continue
        for rid in r.records or [""]:
            out[rid] = r.reason
    return out


def _reason(e: Any, reasons: dict[str, str]) -> str | None:
    return e.record.revision or reasons.get(e.record.id) or reasons.get("")


# --- validate ---------------------------------------------------------------------------------


def check_submissions(ws: Workspace) -> list[Problem]:
    """``validate``: each submission file that cannot be read, and each record behind a
    submitted figure that moved, changed with no reason recorded."""
    project = ws.project
    if project is None or not (ws.root / FOLDER).is_dir():
        return []
    out: list[Problem] = []
    by_id = {e.record.id: e for e in ws.entries}
    for period in submitted(ws):
        sub, problems = read(ws, period)
        out += problems
        if sub is None:
            continue
        if period not in project.reporting_periods:
            out.append(problem(display(path_of(ws, period)), 1, 1, "submission-invalid",
                               f"'{period}' was submitted, but the project file has no "
                               "reporting period of that name any more"))
            continue
        diff = compare(ws, sub)
        if not diff.figures:
            continue
        moved = {c.id: [f for f in diff.figures if c.id in f.records] for c in diff.records}
        for c in diff.records:
            if c.revision:
                continue
            figs = sorted(moved[c.id], key=lambda f: (f".rows[{c.id}]" not in f.figure,
                                                      len(f.figure), f.figure))
            said = ", ".join(f"{f.figure} {_v(f.submitted)} -> "
                             f"{'gone' if f.change == GONE else _v(f.now)}" for f in figs[:3])
            more = f" and {len(figs) - 3} more" if len(figs) > 3 else ""
            if c.change == GONE:
                out.append(problem(display(path_of(ws, period)), 1, 1, "submitted-changed",
                                   f"record '{c.id}' was behind figures submitted for "
                                   f"'{period}' and is gone ({said}{more}); say why under "
                                   f"revisions: in the project file (period: {period}, "
                                   f"records: [{c.id}])"))
                continue
            e = by_id[c.id]
            how = "was added to" if c.change == ADDED else "changed since"
            out.append(ws.problem_at(
                e.path, ("id",), "submitted-changed",
                f"{KINDS[e.kind].singular} '{c.id}' {how} "
                f"'{period}' was submitted, moving {len(figs)} submitted figure(s): "
                f"{said}{more}; add 'revision:' saying why (cepa diff {period} lists them)"))
        unexplained = [f for f in diff.figures if not f.records]
        if unexplained and "" not in _reasons(ws, period):
            f = unexplained[0]
            out.append(ws.problem_at(
                ws.project_path, (), "submitted-changed",
                f"{len(unexplained)} figure(s) submitted for '{period}' moved with no record "
                f"changing (the project file did: {f.figure} {_v(f.submitted)} -> "
                f"{_v(f.now)}); say why under revisions: (period: {period})"))
    return out


def _v(value: int | None) -> str:
    return "not recorded" if value is None else f"{value:,}"
