"""cepa import attendance: sign-in sheets in, counts into the record, names kept out."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cepa.cli import app
from cepa.intake import attendance as importer

runner = CliRunner()
SEMINAR = "uk-seminar-2005-06"
ORGS = ["Barnardo's", "Police Scotland", "City Council", "Stade"]
COUNTRIES = ["UK", "UK", "NL", "EE"]
SECTORS = ["child protection", "criminal justice", "education"]


def _people(n: int = 40) -> list[tuple[str, str, str, str]]:
    rnd = random.Random(143)
    first = ["Alice", "Bram", "Kadri", "Oliver", "Sanne", "Mart", "Grace", "Pieter"]
    last = ["Hughes", "de Vries", "Tamm", "Jones", "Bakker", "Kask", "Evans", "Smit"]
    return [(f"{first[i % 8]} {last[(i * 3 + i // 8) % 8]}-{i}", rnd.choice(ORGS),
             rnd.choice(COUNTRIES), rnd.choice(SECTORS)) for i in range(n)]


def _xlsx(path: Path, people, header=("Name", "Organisation", "Country", "Sector")) -> Path:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Sign-in sheet, UK expert seminar, June 2005"])
    ws.append(list(header))
    for p in people:
        ws.append(list(p))
    wb.save(path)
    return path


def _record(agis: Path, seminar: str = SEMINAR) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((agis / "seminars" / f"{seminar}.yaml").read_text(encoding="utf-8"))


def _import(agis: Path, sheet: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["import", "attendance", str(sheet), "--seminar", SEMINAR,
                               "--project", str(agis), *args], input=input)


def _expected(people) -> tuple[dict, dict, dict]:  # type: ignore[no-untyped-def]
    from collections import Counter

    return (dict(Counter(p[1] for p in people)), dict(Counter(p[2] for p in people)),
            dict(Counter(p[3] for p in people)))


def _no_names_under(root: Path, people) -> None:  # type: ignore[no-untyped-def]
    for f in root.rglob("*"):
        if f.is_file():
            text = f.read_bytes().decode("utf-8", errors="replace").casefold()
            for p in people:
                assert p[0].casefold() not in text, (f, p[0])


def test_forty_row_sheet_gives_counts_and_no_names(agis: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(importer.SECRET_ENV, raising=False)
    people = _people(40)
    sheet = _xlsx(tmp_path / "signin.xlsx", people)
    r = _import(agis, sheet, "--yes")
    assert r.exit_code == 0, r.output
    part = _record(agis)["participants"]
    orgs, countries, sectors = _expected(people)
    assert part["total"] == 40
    assert part["by_organisation"] == orgs
    assert part["by_country"] == countries
    assert part["by_sector"] == sectors
    assert "estimated" not in part and "people" not in part  # no secret: nothing personal
    _no_names_under(agis, people)
    for p in people:
        assert p[0] not in r.output
    src = _record(agis)["sources"]
    assert any(s.startswith("attendance sheet: ") and "sha256:" in s for s in src)
    v = runner.invoke(app, ["validate", str(agis)])
    assert f"{SEMINAR}.yaml" not in v.output


def test_keyed_people_with_a_secret(agis: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(importer.SECRET_ENV, raising=False)
    (agis / importer.SECRET_FILE).write_text("kV3p9Q-xT7mZr2LwY8bN4cJ6hF1dS5gA0eUqRtPo\n")
    people = _people(40)
    people[1] = ("  ALICE   hughes-0 ", *people[1][1:])  # the same person as row 0
    sheet = _xlsx(tmp_path / "signin.xlsx", people)
    r = _import(agis, sheet, "--yes")
    assert r.exit_code == 0, r.output
    part = _record(agis)["participants"]
    assert part["total"] == 39  # 40 rows, one person signed twice: 39 people
    assert len(part["people"]) == 39
    key = importer.person_key("Alice Hughes-0", b"kV3p9Q-xT7mZr2LwY8bN4cJ6hF1dS5gA0eUqRtPo")
    assert key in part["people"] and len(key) == 32
    _no_names_under(agis / "seminars", people)
    s = runner.invoke(app, ["summarize", str(agis), "--format", "json"])
    assert '"unique_people"' in s.output and '"people": 39' in s.output


def test_shows_the_diff_and_writes_nothing_without_yes(agis: Path, tmp_path: Path) -> None:
    before = (agis / "seminars" / f"{SEMINAR}.yaml").read_text(encoding="utf-8")
    sheet = _xlsx(tmp_path / "signin.xlsx", _people(12))
    r = _import(agis, sheet, input="n\n")
    assert r.exit_code == 1
    assert "-  total: 45" in r.output and "+  total: 12" in r.output
    assert (agis / "seminars" / f"{SEMINAR}.yaml").read_text(encoding="utf-8") == before
    r = _import(agis, sheet, input="y\n")
    assert r.exit_code == 0
    assert _record(agis)["participants"]["total"] == 12


def test_keeps_comments_and_key_order(agis: Path, tmp_path: Path) -> None:
    path = agis / "seminars" / f"{SEMINAR}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "participants:\n", "# The summary gives 127 for the three UK seminars together\n"
                           "participants:\n"), encoding="utf-8")
    keys_before = list(_record(agis))
    sheet = _xlsx(tmp_path / "signin.xlsx", _people(30))
    assert _import(agis, sheet, "--yes").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/seminar.json\n")
    assert "# The summary gives 127 for the three UK seminars together" in text
    assert list(_record(agis)) == keys_before
    assert "objectives: [1, 2, 3, 4]" in text


@pytest.mark.parametrize("encoding,delimiter", [
    ("utf-8", ","), ("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("cp1252", ","),
])
def test_csv_variants(agis: Path, tmp_path: Path, encoding: str, delimiter: str) -> None:
    people = [("Jürgen Müller", "Straße e.V.", "de", "child protection"),
              ("Zoë Brontë", "Café Crème", "NL", "criminal justice"),
              ("Ann Lee", "Straße e.V.", "DE", "child protection")]
    lines = [delimiter.join(["NAME", "organisation", "Country", "SECTOR"])]
    lines += [delimiter.join(p) for p in people]
    sheet = tmp_path / "signin.csv"
    sheet.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    r = _import(agis, sheet, "--yes")
    assert r.exit_code == 0, r.output
    part = _record(agis)["participants"]
    assert part["total"] == 3
    assert part["by_organisation"] == {"Straße e.V.": 2, "Café Crème": 1}
    assert part["by_country"] == {"DE": 2, "NL": 1}
    text = (agis / "seminars" / f"{SEMINAR}.yaml").read_text(encoding="utf-8")
    assert "Müller" not in text and "Zoë" not in text


def test_map_for_odd_headings(agis: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "signin.csv"
    sheet.write_text("Wie;Van welke club;Waar vandaan;Wat doet u\nA B;Stade;NL;youth work\n"
                     "C D;TransAct;NL;youth work\n", encoding="utf-8")
    r = _import(agis, sheet, "--yes")
    assert r.exit_code == 1 and "--map" in r.output
    r = _import(agis, sheet, "--yes", "--map", "Van welke club=organisation", "--map",
                "Waar vandaan=country", "--map", "wat doet u=sector", "--map", "Wie=name")
    assert r.exit_code == 0, r.output
    part = _record(agis)["participants"]
    assert part == {"total": 2, "by_sector": {"youth work": 2},
                    "by_organisation": {"Stade": 1, "TransAct": 1}, "by_country": {"NL": 2}}
    assert runner.invoke(app, ["import", "attendance", str(sheet), "--seminar", SEMINAR,
                               "--project", str(agis), "--map", "Org"]).exit_code == 2


def test_dutch_headings_need_no_map(agis: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "signin.csv"
    sheet.write_text("Naam;Werkgever;Land;Werkveld\nA B;Stade;NL;youth work\n"
                     "C D;TransAct;NL;youth work\n", encoding="utf-8")
    assert _import(agis, sheet, "--yes").exit_code == 0
    assert _record(agis)["participants"]["by_organisation"] == {"Stade": 1, "TransAct": 1}


def test_creates_a_missing_record(agis: Path, tmp_path: Path) -> None:
    sheet = _xlsx(tmp_path / "signin.xlsx", _people(5))
    r = runner.invoke(app, ["import", "attendance", str(sheet), "--seminar", "uk-seminar-extra",
                            "--project", str(agis), "--yes"])
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load((agis / "seminars" / "uk-seminar-extra.yaml").read_text())
    assert rec["id"] == "uk-seminar-extra" and rec["participants"]["total"] == 5


def test_round_trip_export_then_import(agis: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_text(encoding="utf-8") for p in (agis / "seminars").iterdir()}
    figures = {n: yaml.safe_load(t)["participants"] for n, t in before.items()}
    out = tmp_path / "e.xlsx"
    assert runner.invoke(app, ["export", str(agis), "-o", str(out)]).exit_code == 0
    for name in before:  # spoil every seminar's figures, then import them back
        p = agis / "seminars" / name
        rec = yaml.safe_load(p.read_text(encoding="utf-8"))
        seminar = rec["id"]
        p.write_text(before[name].replace(f"total: {rec['participants']['total']}",
                                          "total: 1"), encoding="utf-8")
        r = runner.invoke(app, ["import", "attendance", str(out), "--seminar", seminar,
                                "--project", str(agis), "--yes"])
        assert r.exit_code == 0, r.output
        assert yaml.safe_load(p.read_text(encoding="utf-8"))["participants"] == figures[name]
        assert p.read_text(encoding="utf-8") == before[name]


def test_country_names_become_codes() -> None:
    from cepa.intake.sheets import country_code

    project = {"EE": "Estonia", "UK": "United Kingdom"}
    assert [country_code(v, project) for v in ("Estonia", "ee", "Eesti", "GB", "Royaume-Uni",
                                              "Nederland", "Ελλάδα", "EL", "Narnia", "ZZ",
                                              "65")] == [
        "EE", "EE", "EE", "UK", "UK", "NL", "EL", "EL", None, None, None]
    assert country_code("United Kingdom", {"GB": "United Kingdom"}) == "GB"


def test_hmac_key_is_normalised() -> None:
    k = b"s"
    assert importer.person_key("Ann  LEE", k) == importer.person_key(" ann lee ", k)
    assert importer.person_key("Ann Lee", k) != importer.person_key("Ann Lee", b"t")
    c = importer.attendance([{"name": "Ann", "organisation": "X"}, {"organisation": "Y"}])
    assert c.people is None and c.by_organisation == {"X": 1, "Y": 1}


def test_a_broken_workbook_is_an_error_not_a_crash(agis: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "signin.xlsx"
    sheet.write_bytes(b"not a workbook")
    r = _import(agis, sheet, "--yes")
    assert r.exit_code == 1 and "not a readable .xlsx" in r.output
