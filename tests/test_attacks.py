"""Issue 20: children's data against an attacker who knows cepa's rules. Each numbered attack
of the issue, reproduced as written, and what it now meets."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import build_tree
from tests.projects import YOUTH_NET, YOUTH_NET_PRIVATE

runner = CliRunner()


def run(*args: str, **env: str) -> Any:
    return runner.invoke(app, list(args), env=env or None)


def ok(*args: str) -> str:
    r = run(*args)
    assert r.exit_code == 0, r.output
    return r.stdout


PROJECT = """\
code: T/20
title: Attacked
programme: P
period: {start: 2021-01, end: 2021-12}
partners: [{id: p, name: Partner, country: LV, type: NGO}]
objectives: [{id: 1, text: Keep children safe}]
activities:
  - {id: D, title: Feedback sessions, kind: feedback, objectives: [1]}
  - {id: E, title: Outcome monitoring, kind: outcomes, objectives: [1]}
disclosure: {threshold: 7, base: 5}
"""


def outcome(rid: str, country: str, n: int, date: str = "2021-05") -> str:
    return (f"id: {rid}\nactivity: E\nobjectives: [1]\ntitle: Monitoring\ndate: {date}\n"
            f"service: Service {rid}\npartner: p\ncountry: {country}\n"
            f"children: {{total: {n}}}\n")


def project(root: Path, records: dict[str, str], extra: str = "") -> Path:
    return build_tree(root, {"cepa-project.yaml": PROJECT + extra, **records})


# --- 1. row order ---------------------------------------------------------------------------


def _four(root: Path, counts: tuple[int, int, int, int]) -> Path:
    countries = ("AT", "BE", "CZ", "DK")
    return project(root, {f"outcomes/o{i}.yaml": outcome(f"o{i}", c, n)
                          for i, (c, n) in enumerate(zip(countries, counts, strict=True))})


def test_1_row_order_says_nothing(tmp_path: Path) -> None:
    """Four outcome records in four countries of 1, 2, 3 and 4 children: the rows are in the
    order of their keys, whatever the counts, so every order of the counts publishes the
    same outputs."""
    seen = set()
    for counts in ((1, 2, 3, 4), (4, 3, 2, 1), (2, 4, 1, 3)):
        root = _four(tmp_path / "-".join(map(str, counts)), counts)
        by = ok("summarize", str(root), "--public", "--by", "country", "--kind", "outcomes",
                "-f", "json")
        figures = json.loads(by)["figures"]
        assert list(figures) == ["AT", "BE", "CZ", "DK"]
        assert all(f["value"] is None for f in figures.values())
        s = json.loads(ok("summarize", str(root), "--public", "-f", "json"))
        assert s["outcomes"]["children"]["value"] == 10  # 8 to 12
        table = ok("summarize", str(root), "--public", "--by", "country", "--kind",
                   "outcomes")
        seen.add(by + table + json.dumps(s["outcomes"], sort_keys=True))
    assert len(seen) == 1
    # and the audit, against the attacker who knows the rules: each country keeps at least
    # the threshold's number of values
    r = run("audit-disclosure", str(root), "-f", "json")
    assert r.exit_code == 0, r.output
    cells = json.loads(r.stdout)["cells"]
    assert all(c["values"] is None or c["values"] >= 7 for c in cells)


# --- 2. the pattern of suppression ----------------------------------------------------------


def test_2_what_is_hidden_tells_nothing_more(tmp_path: Path) -> None:
    """Records of 9 and 2 in one country and 11 in another: an attacker who re-runs cepa's
    own gate over every set of counts the published total allows finds the 2 among at least
    seven values."""
    from dataclasses import replace

    from cepa.evidence.periods import whole
    from cepa.evidence.results import as_json
    from cepa.publication import breakdowns, results
    from cepa.records.workspace import load

    root = project(tmp_path / "p", {"outcomes/a.yaml": outcome("a", "LV", 9, "2021-03"),
                                    "outcomes/b.yaml": outcome("b", "LV", 2, "2021-04"),
                                    "outcomes/c.yaml": outcome("c", "LT", 11, "2021-05")})
    ws = load(root)
    assert ws.project is not None
    per = whole(ws.project)

    def published(counts: tuple[int, int, int]) -> str:
        entries = [replace(e, record=e.record.model_copy(update={"children": e.record.children
                   .model_copy(update={"total": n})}))
                   for e, n in zip(sorted(ws.entries, key=lambda e: e.record.id), counts,
                                   strict=True)]
        w = replace(ws, entries=entries)
        s, cov = results(w, per, public=True)
        return json.dumps([as_json(s), as_json(cov), as_json(breakdowns(
            w, per, "country", ["outcomes"], public=True))], sort_keys=True, default=str)

    truth = published((9, 2, 11))
    shown = json.loads(truth)[0]["outcomes"]
    assert shown["children"]["value"] == 20  # 22: 18 to 22
    # every candidate whose total the published 20 allows, through the real pipeline
    same = [(a, b, c) for a in range(23) for b in range(23 - a) for c in range(23 - a - b)
            if 18 <= a + b + c <= 22 and published((a, b, c)) == truth]
    values = {b for _, b, _ in same}
    assert (9, 2, 11) in same and len(values) >= 7, sorted(values)


# --- 3. roll-ups ----------------------------------------------------------------------------


def test_3_a_project_is_published_the_same_in_every_roll_up(tmp_path: Path) -> None:
    """A project's figures are its own plan's, alone and in a roll-up with a project of a
    larger threshold and base; the audit takes both projects."""
    one = project(tmp_path / "one", {"outcomes/a.yaml": outcome("a", "LV", 20),
                                     "outcomes/b.yaml": outcome("b", "LV", 7, "2021-06")})
    two = build_tree(tmp_path / "two", {
        "cepa-project.yaml": PROJECT.replace("T/20", "T/21").replace(
            "{threshold: 7, base: 5}", "{threshold: 10, base: 10}"),
        "outcomes/x.yaml": outcome("x", "EE", 33)})
    alone = json.loads(ok("summarize", str(one), "--public", "-f", "json"))
    both = json.loads(ok("summarize", str(one), str(two), "--public", "-f", "json"))
    mine = both["projects"][0]
    for key in ("children",):
        assert mine["outcomes"][key]["value"] == alone["outcomes"][key]["value"] == 25
    assert [r["count"]["value"] for r in mine["outcomes"]["rows"]] == \
        [r["count"]["value"] for r in alone["outcomes"]["rows"]]
    # the roll-up's total is the sum of what the projects publish
    assert both["rollup"]["children_monitored"]["total"]["value"] == 25 + 30
    r = run("audit-disclosure", str(one), str(two), "-f", "json", "--all")
    assert r.exit_code == 0, r.output
    assert any(c["where"].startswith("roll-up") for c in json.loads(r.stdout)["cells"])


# --- 4. texts and indicators ----------------------------------------------------------------


@pytest.fixture
def youth(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "youth-net", YOUTH_NET)


def _add(youth: Path, text: str) -> None:
    """Add claims to the project file's list of claims."""
    p = youth / "cepa-project.yaml"
    p.write_text(p.read_text().replace("targets:\n", text + "targets:\n"))


def test_4_claims_and_targets_that_give_a_count_are_not_published(youth: Path) -> None:
    _add(youth, "  - id: spoke\n    text: Three young people spoke at the first session\n"
                "    quantity: {measure: feedback_sessions}\n    value: 3\n")
    p = youth / "cepa-project.yaml"
    p.write_text(p.read_text().replace("text: Young people heard,",
                                       "text: At least 3 care leavers heard,"))
    s = json.loads(ok("summarize", str(youth), "--public", "-f", "json"))
    spoke = next(c for c in s["claims"] if c["id"] == "spoke")
    assert spoke["status"] == "not published" and "Three" not in spoke["text"]
    assert spoke["text"] == "c young people spoke at the first session"
    target = s["targets"][0]
    assert target["withheld"] and "3" not in target["text"]
    # counted apart from claims that do not hold, in a roll-up too
    import shutil

    twin = youth.parent / "twin"
    shutil.copytree(youth, twin)
    (twin / "cepa-project.yaml").write_text((twin / "cepa-project.yaml").read_text().replace(
        "code: JUST/2021/YOUTH/007", "code: JUST/2021/YOUTH/008"))
    both = json.loads(ok("summarize", str(youth), str(twin), "--public", "-f", "json"))
    assert both["rollup"]["claims_not_holding"]["total"]["value"] == 0


@pytest.mark.parametrize(("where", "text"), [
    ("  - {id: X, title: Extra, kind: feedback, objectives: [1],\n"
     "     results: 3 care-experienced young people took part}\n", "3 care-experienced"),
    ("summary: 'young people: 3'\n", "young people: 3")])
def test_4_titles_results_and_summaries_that_give_a_count_stop_the_output(
        youth: Path, where: str, text: str) -> None:
    p = youth / "cepa-project.yaml"
    body = p.read_text()
    if where.startswith("  - {id: X"):
        body = body.replace("reporting_periods:", where + "reporting_periods:")
    else:
        body = body.replace("lead: saule\n", "lead: saule\n" + where)
    p.write_text(body)
    for args in (["summarize", str(youth), "--public"],
                 ["report", str(youth), "--public", "-o", str(youth / "r.docx")]):
        r = run(*args)
        assert r.exit_code == 1 and text in r.stderr and "Traceback" not in r.output, r.output
    assert not (youth / "r.docx").exists()
    assert run("summarize", str(youth)).exit_code == 0  # the private summary shows it


def test_4_an_indicator_given_as_a_number_is_not_published(youth: Path) -> None:
    p = youth / "cepa-project.yaml"
    p.write_text(p.read_text().replace(
        "  - {id: F, title: Feedback sessions with young people, kind: feedback, "
        "objectives: [1, 2]}",
        "  - {id: F, title: Feedback sessions with young people, kind: feedback, "
        "objectives: [1, 2],\n     indicators: [{text: Young people heard, target: 40, "
        "actual: 3}]}"))
    s = json.loads(ok("summarize", str(youth), "--public", "-f", "json"))
    ind = next(a for a in s["activities"] if a["id"] == "F")["indicators"][0]
    assert ind["actual"]["value"] is None and ind["actual"]["withheld"]


@pytest.mark.parametrize("said", ["3 care-experienced young people", "young people: 3",
                                  "3 youngsters", "3 teens", "3 adolescents", "two survivors",
                                  "two care leavers"])
def test_4_the_narrative_check_catches_every_form(youth: Path, said: str) -> None:
    (youth / "lessons-learnt.md").write_text(f"We heard from {said} at the club.\n")
    out = youth / "r.docx"
    r = run("report", str(youth), "--public", "-o", str(out))
    assert r.exit_code == 1 and "lessons-learnt.md" in r.stderr and not out.exists()


def test_4_a_public_report_does_not_confirm_a_claim_about_children(youth: Path) -> None:
    """A claim about children that the records contradict stops the private report, not
    the public one (whose being written would confirm the number it states)."""
    p = youth / "cepa-project.yaml"
    p.write_text(p.read_text().replace("    value: 3\n", "    value: 4\n"))
    assert run("report", str(youth), "-o", str(youth / "private.docx")).exit_code == 1
    r = run("report", str(youth), "--public", "-o", str(youth / "public.docx"))
    assert r.exit_code == 0, r.output


# --- 5. identifiers and places --------------------------------------------------------------


def test_5_no_id_place_quote_or_file_of_a_private_record(youth: Path) -> None:
    _add(youth, "  - {id: sessions, text: Three feedback sessions were held, quantity: "
                "{measure: feedback_sessions}, value: 3}\n"
                "  - {id: services, text: Two services monitored outcomes, quantity: "
                "{measure: services}, value: 2}\n")
    f = youth / "feedback" / "fb-2021-03.yaml"
    f.write_text(f.read_text().replace("country: LV\n", "country: LV\ncity: Flat 2 Rose "
                                                         "Court Whitby\n"))
    g = youth / "feedback" / "fb-2021-09.yaml"
    g.write_text(g.read_text() + "quotes:\n  - {text: They listened, publishable: true}\n"
                                 "  - {text: My foster carer Ann found out}\n")
    (youth / "feedback" / "jane-smith-age-14.yaml").write_text("id: [broken\n")
    texts = [ok("summarize", str(youth), "--public", "-f", "json"),
             ok("summarize", str(youth), "--public", "--by", "city", "--kind", "all"),
             ok("coverage", str(youth), "--public", "-f", "json")]
    out = youth / "public.docx"
    ok("report", str(youth), "--public", "--allow-errors", "-o", str(out))
    from tests.test_public_numbers import _docx_text

    texts.append(_docx_text(out))
    for text in texts:
        for secret in (*YOUTH_NET_PRIVATE, "Rose Court", "Whitby", "foster carer",
                       "jane-smith"):
            assert secret not in text, secret
    s = json.loads(texts[0])
    sessions = next(c for c in s["claims"] if c["id"] == "sessions")
    assert "feedback record 1" in sessions["records"]
    assert "They listened" in texts[0]


# --- 6. names -------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["JOHN SMITH", "Mary Jones (freelance)",
                                  "Tom Harris, foster carer", "Smith, Jane", "J. Smith"])
def test_6_a_name_in_the_organisation_column_is_refused(agis: Path, tmp_path: Path,
                                                        cell: str) -> None:
    from tests.hostile.sheets import workbook

    rows = [["Name", "Organisation", "Country"], ["Alice Hughes", "Barnardo's", "UK"],
            ["Bram de Vries", "Stade", "NL"], ["Kadri Tamm", cell, "EE"]]
    sheet = workbook(tmp_path / "s.xlsx", rows)
    r = run("import", "attendance", str(sheet), "--seminar", "uk-seminar-2005-06",
            "--project", str(agis), "--yes")
    assert r.exit_code == 1 and "row 4" in r.stderr, r.output
    assert "person's name" in r.stderr or "people's names" in r.stderr
    assert cell not in (agis / "seminars" / "uk-seminar-2005-06.yaml").read_text()


#: Names in the partners' languages and alphabets, and the forms the scan must see
NAMES = ["Kärt Tamm", "Jānis Bērziņš", "Rūta Kazlauskienė", "Μαρία Παπαδοπούλου",
         "Иван Петров", "Łukasz Wiśniewski", "Jan van Dijk", "Jürgen Müller",
         "Mikko Virtanen", "Giulia Rossi", "José García", "Bram de Vries",
         "Jane\u2009Smith", "Jane\u202fSmith", "Jane\tSmith", "JOHN SMITH", "Smith, Jane",
         "J. Smith"]


@pytest.mark.parametrize("text", [*NAMES, "born March 2009", "dob 03032009",
                                  "12 acacia road"])
def test_6_the_scan_finds_names_dates_of_birth_and_addresses(text: str) -> None:
    from cepa.records.personal import personal_data_in

    assert personal_data_in(f"Met with {text} today")


def test_6_a_record_about_children_with_a_name_is_warned(youth: Path) -> None:
    f = youth / "feedback" / "fb-2021-09.yaml"
    f.write_text(f.read_text().replace("Autumn session in Riga", "Session with JOHN SMITH"))
    r = run("validate", str(youth))
    assert "personal-data-text" in r.stdout and "JOHN SMITH" in r.stdout


# --- 7. files at rest -----------------------------------------------------------------------


def test_7_every_output_with_records_about_children_is_yours_only(youth: Path) -> None:
    private = {"r.docx": ["report", str(youth), "-o"],
               "e.xlsx": ["export", str(youth), "-o"],
               "e.json": ["export", str(youth), "-f", "json", "-o"]}
    for name, args in private.items():
        r = run(*args, str(youth / name))
        assert r.exit_code == 0 and "only by you" in r.stderr, r.output
        assert stat.S_IMODE(os.stat(youth / name).st_mode) == 0o600, name
    r = run("export", str(youth), "-f", "csv", "-o", str(youth / "csv"))
    assert r.exit_code == 0
    for p in (youth / "csv").iterdir():
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    ok("report", str(youth), "--public", "-o", str(youth / "public.docx"))
    assert stat.S_IMODE(os.stat(youth / "public.docx").st_mode) != 0o600


def test_7_a_weak_people_secret_is_refused_and_cepa_makes_a_strong_one(agis: Path,
                                                                       tmp_path: Path) -> None:
    from cepa.intake.attendance import SECRET_BITS, secret_bits
    from tests.hostile.sheets import workbook

    sheet = workbook(tmp_path / "s.xlsx", [["Name", "Organisation", "Country"],
                                           ["Alice Hughes", "Barnardo's", "UK"]])
    args = ("import", "attendance", str(sheet), "--seminar", "uk-seminar-2005-06",
            "--project", str(agis), "--yes")
    r = run(*args, CEPA_PEOPLE_SECRET="a")
    assert r.exit_code == 1 and "bits" in r.stderr and "cepa secret" in r.stderr
    ok("secret", str(agis))
    made = agis / ".cepa-secret"
    assert stat.S_IMODE(os.stat(made).st_mode) == 0o600
    assert secret_bits(made.read_bytes().strip()) >= SECRET_BITS
    assert run("secret", str(agis)).exit_code == 1  # never replaced
    r = run(*args, CEPA_PEOPLE_SECRET="")
    assert r.exit_code == 0, r.output


# --- 8. resources ---------------------------------------------------------------------------


def test_8_a_workbook_of_forty_million_shared_strings_is_refused_at_once(
        agis: Path, tmp_path: Path) -> None:
    import time

    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(b'<sst count="40000000" uniqueCount="40000000">')
            chunk = b"<si><t>a</t></si>" * 500_000
            for _ in range(80):
                f.write(chunk)
            f.write(b"</sst>")
    assert book.stat().st_size < 8 << 20  # a few MB: 40 million texts of one letter
    started = time.monotonic()
    r = run("import", "records", str(book), "--project", str(agis), "--dry-run")
    assert r.exit_code != 0 and "zip bomb" in r.output, r.output
    assert time.monotonic() - started < 10


def test_8_a_template_cannot_take_the_memory_or_the_time(agis: Path, tmp_path: Path) -> None:
    import time

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "title.md.j2").write_text('{{ ("ab"*1500000000)|length }}\n')
    started = time.monotonic()
    r = run("report", str(agis), "-o", str(tmp_path / "r.docx"), "--texts", str(texts))
    assert r.exit_code == 1 and "title.md.j2" in r.stderr and "longer than" in r.stderr
    assert time.monotonic() - started < 30


def _change_two_records(agis: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """A workbook that changes two records' titles."""
    book = tmp_path / "e.xlsx"
    ok("export", str(agis), "-o", str(book))
    from openpyxl import load_workbook

    wb = load_workbook(book)
    sheet = wb["Seminars"]
    head = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    changed = []
    for row in sheet.iter_rows(min_row=2):
        cells = {h: c for h, c in zip(head, row, strict=False)}
        title = next(c for h, c in cells.items() if str(h).lower().startswith("title"))
        if title.value and len(changed) < 2:
            title.value = f"{title.value} (changed)"
            rid = next(c.value for h, c in cells.items() if str(h).lower() == "id")
            changed.append(agis / "seminars" / f"{rid}.yaml")
    wb.save(book)
    return book, changed


def test_8_a_killed_import_changes_every_file_or_none(agis: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    book, changed = _change_two_records(agis, tmp_path)
    before = {p: p.read_bytes() for p in changed}
    real = os.replace
    calls = {"n": 0}

    def killed(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if str(dst).endswith(".yaml") and calls["n"] > 2:  # after the first record
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "replace", killed)
    r = run("import", "records", str(book), "--project", str(agis), "--yes")
    assert r.exit_code != 0
    monkeypatch.setattr(os, "replace", real)
    # half-way: the next run finishes it, and says so
    r = run("validate", str(agis))
    assert "finished an earlier change" in r.stderr, r.output
    assert all(p.read_bytes() != before[p] for p in changed)
    assert not (agis / ".cepa-journal").exists()


def test_8_a_killed_import_before_it_began_changes_nothing(
        agis: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cepa.base import files

    book, changed = _change_two_records(agis, tmp_path)
    before = {p: p.read_bytes() for p in changed}
    real = files._sync

    def killed(folder: Path) -> None:  # stopped while the journal is written
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_sync", killed)
    (agis / ".cepa-journal").mkdir()
    (agis / ".cepa-journal" / "0.part").write_text("half")  # as a killed run leaves it
    monkeypatch.setattr(files, "_sync", real)
    r = run("import", "records", str(book), "--project", str(agis), "--dry-run")
    assert "dropped" in r.stderr, r.output
    assert all(p.read_bytes() == before[p] for p in changed)


def test_8_a_paragraph_that_reads_like_cepa_s_own_marker_is_a_paragraph(
        agis: Path, tmp_path: Path) -> None:
    (agis / "lessons-learnt.md").write_text("cepa-spliced-table-0\n\ncepa-table-0-0\n")
    out = tmp_path / "r.docx"
    ok("report", str(agis), "-o", str(out))
    from tests.test_public_numbers import _docx_text

    text = _docx_text(out)
    assert "cepa-spliced-table-0" in text and "cepa-table-0-0" in text


def test_yaml_of_the_attacks_is_plain() -> None:
    assert yaml.safe_load(PROJECT)["disclosure"] == {"threshold": 7, "base": 5}
