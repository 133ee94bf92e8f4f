"""Sign-in sheets as people make them and as an attacker would (issue 11): headings found
wherever they are, names never counted nor kept, encodings detected and said, bounded work,
ids and paths that stay inside the project. Expected figures are counted by hand from the
rows each test writes."""

from __future__ import annotations

import itertools
import os
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from cepa.intake import attendance as importer
from tests.hostile import cli, files_under, limits, run_bounded  # noqa: F401 - limits: a fixture
from tests.hostile.sheets import no_names_under, raw_xlsx, sheet_xml, workbook, zeros

pytestmark = pytest.mark.usefixtures("limits")

SEMINAR = "uk-seminar-2005-06"
HEAD = ["Name", "Organisation", "Country", "Sector"]
PEOPLE = [
    ["Alice Hughes", "Barnardo's", "UK", "child protection"],
    ["Bram de Vries", "Stade", "NL", "youth work"],
    ["Kadri Tamm", "Tartu Child Support Centre", "Estonia", "child protection"],
    ["Oliver Jones", "Barnardo's", "United Kingdom", "criminal justice"],
    ["Sanne Bakker", "Stade", "Nederland", "youth work"],
    ["Mart Kask", "Politsei- ja Piirivalveamet", "EE", "criminal justice"],
]
NAMES = [p[0] for p in PEOPLE]
# counted by hand from PEOPLE
EXPECTED = {"total": 6,
            "by_organisation": {"Barnardo's": 2, "Stade": 2, "Tartu Child Support Centre": 1,
                                "Politsei- ja Piirivalveamet": 1},
            "by_country": {"UK": 2, "NL": 2, "EE": 2},
            "by_sector": {"child protection": 2, "youth work": 2, "criminal justice": 2}}


@pytest.fixture(autouse=True)
def no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(importer.SECRET_ENV, raising=False)


def record(agis: Path, seminar: str = SEMINAR) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((agis / "seminars" / f"{seminar}.yaml").read_text(encoding="utf-8"))


def imported(agis: Path, sheet: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("import", "attendance", str(sheet), "--seminar", SEMINAR, "--project", str(agis),
               "--yes", *args)


def counts(agis: Path) -> dict:  # type: ignore[type-arg]
    part = record(agis)["participants"]
    return {k: v for k, v in part.items() if k in EXPECTED}


def refused(agis: Path, r, *said: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 1 with a message saying ``said``; the record untouched; no name anywhere."""
    assert r.exit_code == 1, r.output
    for s in said:
        assert s in r.stderr, r.stderr
    assert record(agis)["participants"]["total"] == 45
    no_names_under(agis, NAMES)
    for n in NAMES:
        assert n not in r.output


# --- layouts -------------------------------------------------------------------------------


def test_headings_below_titles_and_organisation_and_date_lines(agis: Path,
                                                               tmp_path: Path) -> None:
    rows = [["Sign-in sheet: UK expert seminar on inter-agency working"],
            ["Organisation: Barnardo's"], ["Date:", "14 June 2005"], ["Organisation:", "Stade"],
            [], HEAD, *PEOPLE, ["Total", 6]]
    sheet = workbook(tmp_path / "s.xlsx", rows, merges=["A1:D1"])
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    assert counts(agis) == EXPECTED
    assert "headings on row 6" in r.stderr and "1 row(s) of totals left out" in r.stderr
    no_names_under(agis, NAMES)


def test_the_visible_sheet_with_headings_not_a_hidden_first_one(agis: Path,
                                                                tmp_path: Path) -> None:
    old = [HEAD, ["Grace Evans", "Stade", "NL", "education"]] * 3
    sheet = workbook(tmp_path / "s.xlsx", [HEAD, *PEOPLE], hidden_first=old)
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    assert counts(agis) == EXPECTED
    assert "sheet 'Sign-in'" in r.stderr and "hidden sheet(s) not read: Old list" in r.stderr
    no_names_under(agis, [*NAMES, "Grace Evans"])


def test_merged_cells_count_for_every_row_they_cover(agis: Path, tmp_path: Path) -> None:
    rows = [["Attendance", None, None, None], HEAD,
            ["Alice Hughes", "Barnardo's", "UK", "child protection"],
            ["Oliver Jones", None, "UK", "criminal justice"],
            ["Grace Evans", None, "UK", "child protection"],
            ["Bram de Vries", "Stade", "NL", "youth work"],
            ["Sanne Bakker", None, "NL", "youth work"]]
    sheet = workbook(tmp_path / "s.xlsx", rows, merges=["A1:D1", "B3:B5", "B6:B7"])
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    part = record(agis)["participants"]
    assert part["total"] == 5
    assert part["by_organisation"] == {"Barnardo's": 3, "Stade": 2}


def test_several_days_in_one_sheet(agis: Path, tmp_path: Path) -> None:
    d1, d2 = datetime(2005, 6, 14), datetime(2005, 6, 15)
    rows = [["Name", "Organisation", "Country", "Date"],
            ["Alice Hughes", "Barnardo's", "UK", d1], ["Bram de Vries", "Stade", "NL", d1],
            ["Kadri Tamm", "Stade", "NL", d1], ["Oliver Jones", "Barnardo's", "UK", d1],
            ["Total", 4],
            ["Name", "Organisation", "Country", "Date"],
            ["ALICE HUGHES", "Barnardo's", "UK", d2], ["Bram de Vries", "Stade", "NL", d2],
            ["Kadri Tamm", "Stade", "NL", d2], ["Mart Kask", "TransAct", "EE", d2]]
    sheet = workbook(tmp_path / "s.xlsx", rows)
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    part = record(agis)["participants"]
    # 8 attendances; Alice, Bram, Kadri came both days: 5 people
    assert part["total"] == 5
    assert part["by_organisation"] == {"Barnardo's": 2, "Stade": 2, "TransAct": 1}
    assert part["by_country"] == {"UK": 2, "NL": 2, "EE": 1}
    assert part["note"] == ("sign-in sheet: 8 attendances over 2 days (2005-06-14: 4; "
                            "2005-06-15: 4), 5 people")
    assert "estimated" not in part
    assert "8 attendance(s) over 2 days: 2005-06-14: 4, 2005-06-15: 4" in r.stderr
    no_names_under(agis, ["Alice Hughes", "Bram de Vries", "Kadri Tamm", "Mart Kask"])


def test_several_days_without_names_is_an_estimate(agis: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("Organisation;Date\nStade;14/06/2005\nStade;14/06/2005\nTransAct;14/06/2005\n"
                     "Stade;15/06/2005\n", encoding="utf-8")
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    part = record(agis)["participants"]
    assert part["total"] == 3 and part["by_organisation"] == {"Stade": 2, "TransAct": 1}
    assert part["estimated"] == ["total", "by_organisation"]
    assert part["note"] == "sign-in sheet: 4 attendances over 2 days (2005-06-14: 3; 2005-06-15: 1)"


# --- names are never counted ---------------------------------------------------------------


@pytest.mark.parametrize(("head", "args", "said"), [
    (["Name", "Organisation", "Country"], ["--map", "Name=organisation"],
     "column 'Name' holds people's names, by its heading"),
    (["Όνομα", "Χώρα"], ["--map", "Όνομα=sector"], "column 'Όνομα' holds people's names"),
])
def test_a_column_headed_as_names_is_never_counted(agis: Path, tmp_path: Path, head: list[str],
                                                   args: list[str], said: str) -> None:
    rows = [[p[0], p[1], "UK"][:len(head)] for p in PEOPLE]
    sheet = tmp_path / "s.csv"
    sheet.write_text("\n".join(";".join(r) for r in [head, *rows]) + "\n", encoding="utf-8")
    refused(agis, imported(agis, sheet, *args), said)


def test_names_under_a_heading_cepa_does_not_know_stay_in_the_sheet(agis: Path,
                                                                     tmp_path: Path) -> None:
    sheet = workbook(tmp_path / "s.xlsx", [["Delegates", "Country"],
                                           *([p[0], p[2]] for p in PEOPLE)])
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    assert record(agis)["participants"] == {"total": 6, "by_country": {"UK": 2, "NL": 2,
                                                                       "EE": 2}}
    no_names_under(agis, NAMES)


@pytest.mark.parametrize(("column", "said"), [
    ("Organisation", "column 'Organisation' looks like people's names"),
    ("Sector", "column 'Sector' looks like people's names"),
    ("Country", "row 2: in column 'Country' is not a country"),
    ("Date", "row 2: in column 'Date' is not a date"),
])
def test_names_in_a_counted_column_stop_the_import(agis: Path, tmp_path: Path, column: str,
                                                  said: str) -> None:
    others = [h for h in ("Organisation", "Sector", "Country") if h != column]
    rows = [[column, *others]] + [[p[0], "Stade" if others[0] == "Organisation" else "UK",
                                   "UK"] for p in PEOPLE]
    sheet = workbook(tmp_path / "s.xlsx", rows)
    refused(agis, imported(agis, sheet), said)


def test_a_name_copied_into_the_organisation_column(agis: Path, tmp_path: Path) -> None:
    rows = [HEAD, *PEOPLE[:5], ["Mart Kask", "Alice Hughes", "EE", "education"]]
    sheet = workbook(tmp_path / "s.xlsx", rows)
    refused(agis, imported(agis, sheet),
            "row 7: column 'Organisation' holds the name of someone on the sheet")


@pytest.mark.parametrize("value", ["65", "ZZ", "Narnia"])
def test_a_country_that_is_not_one_is_an_error_naming_the_row(agis: Path, tmp_path: Path,
                                                              value: str) -> None:
    sheet = workbook(tmp_path / "s.xlsx", [HEAD, *PEOPLE[:3], ["Grace Evans", "Stade", int(value)
                                           if value.isdigit() else value, "education"]])
    refused(agis, imported(agis, sheet), f"row 5: '{value}' in column 'Country' is not a country")


# --- encodings ------------------------------------------------------------------------------

ENCODED = {
    "cp1253": ("Όνομα;Οργανισμός;Χώρα\nΓιώργος Παπαδόπουλος;Αστυνομία Αθηνών;EL\n"
               "Μαρία Κωνσταντίνου;Κέντρο Παιδιού;EL\nΝίκος Γεωργίου;Αστυνομία Αθηνών;EL\n",
               "Windows-1253 (Greek)", {"Αστυνομία Αθηνών": 2, "Κέντρο Παιδιού": 1}),
    "cp1257": ("Vārds;Organizācija;Valsts\nJānis Bērziņš;Valsts policija;LV\n"
               "Rūta Žemaitė;Vaiko teisių tarnyba;LT\nĀrija Ķēniņa;Rīgas dome;LV\n",
               "Windows-1257 (Baltic)",
               {"Valsts policija": 1, "Vaiko teisių tarnyba": 1, "Rīgas dome": 1}),
    "cp1252": ("Name;Organisation;Country\nJürgen Müller;Straße e.V.;DE\n"
               "Zoë Brontë;Café Crème Association;FR\nAnn Lee;Straße e.V.;DE\n",
               "Windows-1252 (Western European)",
               {"Straße e.V.": 2, "Café Crème Association": 1}),
    "utf-16": ("Name,Organisation,Country\nKadri Tamm,Tartu Laste Tugikeskus,EE\n"
               "Märt Õun,Politsei- ja Piirivalveamet,EE\n", "UTF-16",
               {"Tartu Laste Tugikeskus": 1, "Politsei- ja Piirivalveamet": 1}),
}


@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_the_encoding_is_detected_and_said(agis: Path, tmp_path: Path, encoding: str) -> None:
    text, said, orgs = ENCODED[encoding]
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    r = imported(agis, sheet)
    assert r.exit_code == 0, r.output
    assert f"read as {said}" in r.stderr
    assert record(agis)["participants"]["by_organisation"] == orgs
    no_names_under(agis, [line.split(text[4] if encoding == "utf-16" else ";")[0]
                          for line in text.splitlines()[1:]])


# --- bounded work ---------------------------------------------------------------------------


def bounded(agis: Path, sheet: Path, *args: str):  # type: ignore[no-untyped-def]
    r = run_bounded("import", "attendance", str(sheet), "--seminar", SEMINAR, "--project",
                    str(agis), "--yes", *args)
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr, r.stderr
    assert r.seconds < 30
    return r


def test_a_dimension_claiming_a_million_rows_is_not_believed(agis: Path, tmp_path: Path) -> None:
    rows = [(1, HEAD), *((i + 2, p) for i, p in enumerate(PEOPLE))]
    sheet = raw_xlsx(tmp_path / "s.xlsx", sheet_xml(rows, dimension="A1:XFD1048576"))
    r = bounded(agis, sheet)
    assert r.returncode == 0, r.stderr
    assert counts(agis) == EXPECTED


@pytest.mark.parametrize("layout", ["a-million-rows", "one-cell-at-the-last-row"])
def test_a_sheet_of_a_million_rows_is_refused_in_seconds(agis: Path, tmp_path: Path,
                                                         layout: str) -> None:
    if layout == "a-million-rows":
        rows = ((n, ["Stade", "NL"]) for n in range(2, 1_000_001))
    else:
        rows = iter([(2, ["Stade", "NL"]), (1_048_576, ["Stade", "NL"])])
    sheet = raw_xlsx(tmp_path / "s.xlsx", sheet_xml(itertools.chain(
        [(1, ["Organisation", "Country"])], rows)))
    r = bounded(agis, sheet)
    assert r.returncode == 1 and "more than 20,000 rows" in r.stderr and "--max-rows" in r.stderr


def _not_a_zip(p: Path) -> Path:
    p.write_bytes(b"PK\x03\x04 not really a zip")
    return p


_MANY = [(1, HEAD), *((i + 2, PEOPLE[i % 6]) for i in range(400))]


@pytest.mark.parametrize(("make", "said"), [
    (lambda p: raw_xlsx(p, zeros(300)), "is it a zip bomb?"),
    (lambda p: raw_xlsx(p, sheet_xml([(1, HEAD)]), extra=1500), "is it a zip bomb?"),
    (lambda p: raw_xlsx(p, sheet_xml(_MANY), truncate=300), "is damaged"),
    (lambda p: raw_xlsx(p, sheet_xml(_MANY), truncate=20_000), "is damaged"),
    (_not_a_zip, "not a readable .xlsx"),
], ids=["zip-bomb", "many-parts", "truncated-early", "truncated-late", "not-a-zip"])
def test_a_hostile_workbook_is_a_clear_error(agis: Path, tmp_path: Path, make,  # type: ignore[no-untyped-def]
                                             said: str) -> None:
    r = bounded(agis, make(tmp_path / "s.xlsx"))
    assert r.returncode == 1 and said in r.stderr, r.stderr
    assert record(agis)["participants"]["total"] == 45


@pytest.mark.parametrize(("content", "said"), [
    (b"Organisation,Notes\nStade," + b"x" * 200_000 + b"\n", "row 2: a field longer than 128 KB"),
    (b"Organisation,Country\n" + b"Stade,NL\n" * 1_000_000, "more than 20,000 rows"),
    (b"Organisation,Country\n" + b"Stade,NL," * 2_000_000 + b"\n", "larger than 16 MB"),
], ids=["long-field", "a-million-rows", "too-large"])
def test_a_hostile_csv_is_a_clear_error(agis: Path, tmp_path: Path, content: bytes,
                                        said: str) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(content)
    r = bounded(agis, sheet)
    assert r.returncode == 1 and said in r.stderr, r.stderr


def test_max_rows_raises_the_cap(agis: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(b"Organisation,Country\n" + b"Stade,NL\n" * 30_000)
    assert bounded(agis, sheet).returncode == 1
    r = bounded(agis, sheet, "--max-rows", "40000")
    assert r.returncode == 0, r.stderr
    assert record(agis)["participants"]["total"] == 30_000


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_sheet_that_is_no_file_is_never_read(agis: Path, tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        sheet = tmp_path / "s.csv"
        os.mkfifo(sheet)
    else:
        sheet = tmp_path / "zero.csv"
        sheet.symlink_to("/dev/zero")
    r = bounded(agis, sheet)
    assert r.returncode == 1 and "not a file" in r.stderr


def test_a_secret_that_is_a_named_pipe(agis: Path, tmp_path: Path) -> None:
    os.mkfifo(agis / importer.SECRET_FILE)
    sheet = workbook(tmp_path / "s.xlsx", [HEAD, *PEOPLE])
    r = bounded(agis, sheet)
    assert r.returncode == 1 and ".cepa-secret cannot be used as the secret" in r.stderr


# --- ids and paths stay inside the project --------------------------------------------------


@pytest.mark.parametrize("seminar", ["../x", "../../etc/x", "/tmp/x", "a/b", ".hidden", "x\ny",
                                     ""])
def test_the_seminar_id_is_checked(agis: Path, tmp_path: Path, seminar: str) -> None:
    sheet = workbook(tmp_path / "s.xlsx", [HEAD, *PEOPLE])
    before = sorted(str(p) for p in files_under(tmp_path))
    r = cli("import", "attendance", str(sheet), "--seminar", seminar, "--project", str(agis),
            "--yes")
    assert r.exit_code == 2 and "is not a record id" in r.stderr
    assert sorted(str(p) for p in files_under(tmp_path)) == before


def test_a_seminars_folder_linked_out_of_the_project(agis: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (agis / "seminars").rename(tmp_path / "moved")
    (agis / "seminars").symlink_to(outside)
    sheet = workbook(tmp_path / "s.xlsx", [HEAD, *PEOPLE])
    r = cli("import", "attendance", str(sheet), "--seminar", "new-one", "--project", str(agis),
            "--yes")
    assert r.exit_code == 1 and "outside the project" in r.stderr
    assert list(outside.iterdir()) == []


# --- a workbook from cepa export --------------------------------------------------------------


def test_an_export_whose_figures_were_edited_into_text(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "e.xlsx"
    assert cli("export", str(agis), "-o", str(out)).exit_code == 0
    wb = load_workbook(out)
    ws = wb["Seminars"]
    head = [c.value for c in next(ws.iter_rows(min_row=1, max_row=20))]
    rows = list(ws.iter_rows())
    at = next(i for i, r in enumerate(rows) if r[0].value == "id")
    col = [c.value for c in rows[at]].index("participants")
    row = next(r for r in rows if r[0].value == SEMINAR)
    row[col].value = "forty-five"
    wb.save(out)
    assert head  # the sheet was found
    r = imported(agis, out)
    assert r.exit_code == 1 and "participants is 'forty-five', not a count" in r.stderr


def test_an_export_without_the_seminar_names_it(agis: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.xlsx"
    assert cli("export", str(agis), "-o", str(out)).exit_code == 0
    r = cli("import", "attendance", str(out), "--seminar", "no-such-seminar", "--project",
            str(agis), "--yes")
    assert r.exit_code == 1 and "no seminar 'no-such-seminar'" in r.stderr
