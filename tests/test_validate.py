"""cepa validate: the shipped records, every problem code, and the CLI's contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.base.problems import CATALOGUE
from cepa.cli import app
from cepa.evidence.checks import problems as validate
from cepa.records.workspace import find_root, load
from tests.conftest import RECORDS, edit_yaml

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stdout, r.stderr


def test_shipped_records_validate_clean() -> None:
    ws = load(RECORDS)
    assert validate(ws) == []
    assert len(ws.entries) == 30


def test_cli_clean_exit_0() -> None:
    code, out, err = run("validate", str(RECORDS))
    assert code == 0 and out == ""
    assert "0 error(s)" in err


def test_project_is_found_from_a_subfolder_and_from_the_repo_top(monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    assert find_root(RECORDS / "seminars") == RECORDS
    assert find_root(RECORDS.parent) == RECORDS
    monkeypatch.chdir(RECORDS / "visits")
    assert run("validate")[0] == 0


def test_no_project_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path))
    assert code == 2 and "cepa init" in err


def problems_of(root: Path) -> list[tuple[str, str]]:
    return [(Path(p.path).name, p.code) for p in validate(load(root))]


# Each case: a file dropped among the shipped records, and the problem it must give.
BROKEN: dict[str, tuple[str, bytes]] = {
    "not-utf8": ("seminars/bad.yaml", "id: x\ntitle: Café\n".encode("cp1252")),
    "too-large": ("seminars/big.yaml", b"notes: " + b"x" * (1 << 20) + b"\n"),
    "control-character": ("seminars/ctl.yaml", b"id: x\x1b\n"),
    "yaml-syntax": ("seminars/syntax.yaml", b"id: [x\n"),
    "empty-file": ("seminars/empty.yaml", b""),
    "multiple-documents": ("seminars/two.yaml", b"id: a\n---\nid: b\n"),
    "not-a-mapping": ("seminars/list.yaml", b"- id: a\n"),
    "duplicate-key": ("seminars/dup.yaml", b"id: a\nid: b\n"),
    "alias": ("seminars/alias.yaml", b"a: &x 1\nb: *x\n"),
    "tag": ("seminars/tag.yaml", b"id: !!python/name:os.system x\n"),
    "complex-key": ("seminars/ck.yaml", b"? [a]\n: 1\n"),
    "too-deep": ("seminars/deep.yaml", b"notes: " + b"[" * 50 + b"]" * 50 + b"\n"),
    "stray-file": ("seminar/typo.yaml", b"id: a\n"),
}

SEMINAR = """\
id: {id}
activity: {activity}
objectives: [{objective}]
title: A seminar
date: {date}
city: Tartu
country: EE
convenor: {convenor}
participants:
  total: {total}
  by_country: {{EE: {uk}}}
"""


def seminar(**kw: object) -> bytes:
    values = {"id": "extra-seminar", "activity": "B", "objective": 1, "date": "2005-09",
              "convenor": "tcsc", "total": 30, "uk": 30}
    values.update(kw)
    return SEMINAR.format(**values).encode()


BAD_RECORDS: dict[str, bytes] = {
    "unknown-field": seminar() + b"particpants: 3\n",
    "missing-field": seminar().replace(b"date: 2005-09\n", b""),
    "wrong-type": seminar(total="yes", uk="yes"),
    "invalid-value": seminar().replace(b"country: EE", b"country: Estonia"),
    "invalid-date": seminar(date="2006-02-30"),
    "negative-count": seminar(total=-3, uk=-3),
    "duplicate-id": seminar(id="uk-seminar-2005-06"),
    "unknown-reference": seminar(objective=5),
    "wrong-activity": seminar(activity="A"),
    "date-outside-period": seminar(date="2004-03"),
    "date-range-reversed": seminar(date="{start: 2006-05, end: 2005-01}"),
    "breakdown-mismatch": seminar(total=30, uk=29),
    "misspelt-name": seminar().replace(b"by_country: {EE: 30}", b"by_organisation: {Stadee: 30}"),
}


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_broken_file_among_the_shipped_records(agis: Path, code: str) -> None:
    rel, data = BROKEN[code]
    (agis / rel).parent.mkdir(exist_ok=True)
    (agis / rel).write_bytes(data)
    found = problems_of(agis)
    name = Path(rel).name if code != "stray-file" else "seminar"
    assert (name, code) in found
    # the other files are still read: the shipped seminars are all there
    assert len(load(agis).of_kind("seminars")) == 7


@pytest.mark.parametrize("code", sorted(BAD_RECORDS))
def test_bad_record_gives_its_code_and_a_good_one_does_not(agis: Path, code: str) -> None:
    (agis / "seminars" / "extra.yaml").write_bytes(BAD_RECORDS[code])
    # an id used twice is reported on the file after the first one (by path) to use it
    where = "uk-seminar-2005-06.yaml" if code == "duplicate-id" else "extra.yaml"
    assert (where, code) in problems_of(agis)


def test_a_good_extra_record_gives_no_problem(agis: Path) -> None:
    (agis / "seminars" / "extra.yaml").write_bytes(seminar())
    assert problems_of(agis) == []


def test_a_known_total_the_records_do_not_add_up_to(agis: Path) -> None:
    p = agis / "seminars" / "uk-seminar-2005-06.yaml"
    p.write_text(p.read_text().replace("total: 45", "total: 44").replace("child protection: 27",
                                                                          "child protection: 26"))
    code, out, _ = run("validate", str(agis))
    assert code == 1
    assert "known total 'uk-seminars' is 127, but its records add up to 126" in out
    assert "(known-total-mismatch)" in out


def test_every_catalogue_code_is_tested() -> None:
    from tests.hostile import CASES

    tested = set(BROKEN) | set(BAD_RECORDS) | {c.code for c in CASES} | {
        "unreadable", "claim-contradicted", "claim-invalid", "personal-data-field",
        "personal-data-text", "placeholder", "known-total-mismatch", "unknown-country",
        "activity-status", "narrative-missing", "translation-missing", "bad-ignore",
        "country-twice", "not-recorded", "date-after-period",  # tests/test_unknown.py
        "narrative-stub",  # tests/test_officer.py
        "template-error", "template-stale", "template-unused",  # tests/test_templates.py
        "template-look",  # tests/test_look.py
        "activity-unrecorded",  # tests/test_coverage.py, tests/test_unknown.py
        "invalid-basis",  # tests/test_grades.py
        "submitted-changed", "submission-invalid"}  # tests/test_submit.py
    assert set(CATALOGUE) <= tested


def test_problem_line_points_at_the_field(agis: Path) -> None:
    (agis / "seminars" / "extra.yaml").write_bytes(seminar(total="yes", uk=30))
    code, out, _ = run("validate", str(agis))
    assert code == 1
    line = next(x for x in out.splitlines() if "wrong-type" in x)
    assert "extra.yaml:10:" in line and "total should be a whole number, not 'yes'" in line


def test_yes_is_not_a_number_and_no_is_a_country(agis: Path) -> None:
    (agis / "seminars" / "extra.yaml").write_bytes(
        seminar().replace(b"by_country: {EE: 30}", b"by_country: {NO: 30}"))
    assert problems_of(agis) == []


def test_claim_contradicted_shows_sentence_and_computed_value(agis: Path) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["claims"][1]["value"] = 239

    edit_yaml(agis / "cepa-project.yaml", change)
    code, out, _ = run("validate", str(agis))
    assert code == 1
    assert "Total 238 UK & NL participants" in out and "says = 239" in out and "give 238" in out
    assert "(claim-contradicted)" in out


def test_claim_with_unknown_measure(agis: Path) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["claims"][0]["quantity"]["measure"] = "visitors"

    edit_yaml(agis / "cepa-project.yaml", change)
    assert ("cepa-project.yaml", "claim-invalid") in problems_of(agis)


@pytest.mark.parametrize("field", ["name", "date_of_birth", "address"])
@pytest.mark.parametrize("kind", ["feedback/feedback-uk.yaml", "outcomes/outcomes-service-01.yaml"])
def test_personal_data_field_in_child_records(agis: Path, kind: str, field: str) -> None:
    p = agis / kind
    p.write_text(p.read_text() + f"{field}: something\n")
    code, out, _ = run("validate", str(agis))
    assert code == 1
    assert f"'{field}' would hold personal data" in out and "(personal-data-field)" in out


def test_personal_data_in_free_text_is_warned(agis: Path) -> None:
    p = agis / "feedback" / "feedback-uk.yaml"
    p.write_text(p.read_text() + "quotes:\n  - text: Ask Jane Smith, jane@example.org\n")
    code, out, _ = run("validate", str(agis))
    assert code == 0 and "(personal-data-text)" in out and "e-mail" in out


@pytest.mark.parametrize(("field", "text"), [
    ("title", "Session with Kärt Tamm"), ("host", "at Mary Ann Smith's house"),
    ("young_people:\n  total: 2\n  note", "counted by jane; girl named liis"),
    ("young_people:\n  total: 2\n  by_age_band", "{Ann Lee: 1, 13-15: 1}"),
    # a name in a translation is a name all the same
    ("title", "{en: A session, nl: Sessie met Kärt Tamm}"),
])
def test_every_free_text_field_and_key_of_a_child_record_is_scanned(agis: Path, field: str,
                                                                    text: str) -> None:
    p = agis / "feedback" / "feedback-nl.yaml"
    key = field.split(":")[0] + ":"
    lines: list[str] = []
    dropping = False
    for x in p.read_text().splitlines():  # the field's line, and the lines indented under it
        dropping = x.startswith(key) or (dropping and x.startswith(" "))
        if not dropping:
            lines.append(x)
    p.write_text("\n".join(lines) + f"\n{field}: {text}\n")
    code, out, _ = run("validate", str(agis))
    assert "feedback-nl.yaml" in out and "(personal-data-text)" in out, out


def test_unreadable_file(agis: Path) -> None:
    p = agis / "seminars" / "locked.yaml"
    p.symlink_to(agis / "does-not-exist.yaml")
    assert ("locked.yaml", "unreadable") in problems_of(agis)


def test_json_format(agis: Path) -> None:
    (agis / "seminars" / "extra.yaml").write_bytes(seminar(total=-1, uk=-1))
    code, out, _ = run("validate", str(agis), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["valid"] is False
    assert {"path", "line", "col", "level", "message", "code"} <= set(data["problems"][0])


def test_output_is_sorted_and_one_per_line(agis: Path) -> None:
    (agis / "seminars" / "a.yaml").write_bytes(b"id: [\n")
    (agis / "seminars" / "b.yaml").write_bytes(seminar(id="b", total=-1, uk=-1))
    _, out, _ = run("validate", str(agis))
    lines = out.splitlines()
    assert lines == sorted(lines, key=lambda x: (x.split(":")[0], int(x.split(":")[1])))
    assert all(" error: " in x or " warning: " in x for x in lines)


def test_schema_for_every_kind() -> None:
    for kind in ["project", "visit", "seminar", "interview", "feedback", "outcome"]:
        code, out, _ = run("schema", kind)
        assert code == 0 and json.loads(out)["type"] == "object"
    assert run("schema", "meeting")[0] == 2


def test_shipped_schemas_are_current() -> None:
    from cepa.records.kinds import json_schema, names, singular

    for kind in ["project", *names()]:
        shipped = json.loads((RECORDS.parent / "schemas" / f"{singular(kind)}.json").read_text())
        assert shipped == json.loads(json.dumps(json_schema(kind))), \
            f"run 'cepa schema all --write schemas/' ({kind})"


def test_every_record_carries_the_schema_line() -> None:
    for p in RECORDS.rglob("*.yaml"):
        assert p.read_text().startswith("# yaml-language-server: $schema="), p


def test_problem_docs_are_current() -> None:
    from cepa.base.problems import catalogue_markdown

    assert (RECORDS.parent / "docs" / "problems.md").read_text() == catalogue_markdown(), \
        "run 'cepa codes --markdown > docs/problems.md'"


def test_tab_indentation_is_explained(agis: Path) -> None:
    (agis / "seminars" / "tab.yaml").write_bytes(b"id: x\n\tnotes: tab\n")
    _, out, _ = run("validate", str(agis))
    assert "tab.yaml:2:1: error: YAML syntax error: a tab cannot indent YAML" in out


def test_a_bare_number_for_a_count_says_how_to_write_it(agis: Path) -> None:
    (agis / "seminars" / "extra.yaml").write_bytes(
        seminar().replace(b"participants:\n  total: 30\n  by_country: {EE: 30}\n",
                          b"participants: 30\n"))
    _, out, _ = run("validate", str(agis))
    assert "write it as 'participants: {total: 30}'" in out


def test_a_broken_record_does_not_make_true_claims_look_false(agis: Path) -> None:
    p = agis / "seminars" / "uk-seminar-2005-06.yaml"
    p.write_text(p.read_text().replace("total: 45", "total: forty-five"))
    _, out, _ = run("validate", str(agis))
    assert "(wrong-type)" in out and "claim-contradicted" not in out


@pytest.mark.parametrize(("text", "expected"), [
    ("Jane Smith (15) said to call her mum on 087 123 4567",
     ["a phone number ('087 123 4567')", "a person's name ('Jane Smith')"]),
    ("Mary O'Brien lives at 12 Main Street, Dublin D08 XY12",
     ["a street address ('12 Main Street')", "a postcode ('D08 XY12')",
      "a person's name ('Mary O'Brien')"]),
    ("met on 2006-03-02", ["a full date ('2006-03-02')"]),
    ("write to someone@example.org", ["an e-mail address ('someone@example.org')"]),
    ("Barnardo's Outcome Monitoring Tool applied in the Tartu Child Support Centre", []),
    ("Young people said they felt listened to", []),
    # three words, diacritics, particles, other alphabets
    ("Mary Ann Smith came twice", ["a person's name ('Mary Ann Smith')"]),
    ("Kärt Tamm ja Jürgen Müller", ["a person's name ('Kärt Tamm')",
                                    "a person's name ('Jürgen Müller')"]),
    ("referred by Jan van Dijk", ["a person's name ('Jan van Dijk')"]),
    ("η Μαρία Παπαδοπούλου μίλησε", ["a person's name ('Μαρία Παπαδοπούλου')"]),
    # names in lower case after a naming word
    ("a girl called jane smith", ["a person's name ('jane smith')"]),
    ("tüdruk nimega kärt", ["a person's name ('kärt')"]),
    # dates written in words, in the partners' languages
    ("born on 3 March 2006", ["a date ('3 March 2006')"]),
    ("sündinud 3. märts 2006", ["a date ('3. märts 2006')"]),
    ("geboren op 2 maart", ["a date ('2 maart')"]),
    ("seen on March 3rd, 2006", ["a date ('March 3rd, 2006')"]),
    ("the March seminar", []),
])
def test_what_looks_like_personal_data(text: str, expected: list[str]) -> None:
    from cepa.records.personal import personal_data_in

    assert personal_data_in(text) == expected


def test_shipped_month_names_are_babels() -> None:
    """cepa/months.json spares validate Babel's locale data; it must say what Babel says."""
    from cepa.records.personal import EU_LANGUAGES, _shipped_months, babel_months

    assert _shipped_months() == {code: babel_months(code) for code in EU_LANGUAGES}, \
        "run python -m cepa.records.personal"


def test_a_claim_given_per_language_is_quoted_in_the_projects_language(agis: Path) -> None:
    p = agis / "cepa-project.yaml"
    text = p.read_text(encoding="utf-8")
    at = text.index("conducted_by: barnardos}}")
    p.write_text(text[:at] + text[at:].replace("value: 58", "value: 59", 1), encoding="utf-8")
    r = runner.invoke(app, ["validate", str(agis)])
    assert r.exit_code == 1
    assert ("claim 'A further 58 interviews were conducted with NGO Barnardo's child "
            "protection professionals' says = 59, but the records give 58") in r.stdout, r.stdout
    assert "{'en'" not in r.stdout


def test_an_unforeseen_activity_is_not_planned(agis: Path) -> None:
    import cepa

    def unforeseen(planned: bool | None):  # type: ignore[no-untyped-def]
        def change(d):  # type: ignore[no-untyped-def]
            d["activities"].append({"id": "H", "title": "Press conference", "kind": "events",
                                    "status": "unforeseen"})
            if planned is not None:
                d["activities"][-1]["planned"] = planned
        return change

    edit_yaml(agis / "cepa-project.yaml", unforeseen(None))
    activities = cepa.open(agis).frames().activities.set_index("id")
    assert not activities.loc["H", "planned"] and activities.loc["G", "planned"]
    edit_yaml(agis / "cepa-project.yaml", lambda d: d["activities"].pop())
    edit_yaml(agis / "cepa-project.yaml", unforeseen(True))
    r = runner.invoke(app, ["validate", str(agis)])
    assert r.exit_code == 1 and "cannot be both planned and unforeseen" in r.stdout, r.stdout
