"""Fuzzing cepa import attendance (issue 11): generated sign-in sheets - random layouts,
heading rows anywhere in the first rows, hidden sheets, merged titles, totals, several
days, and the column of names under any heading cepa knows (organisation, country, sector,
date) or none - must never leave a name anywhere under the project, nor a traceback."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cepa.intake import attendance as importer
from tests.conftest import RECORDS
from tests.hostile import cli, limits  # noqa: F401 - limits: a fixture
from tests.hostile.sheets import COUNTRIES, ORGS, SECTORS, no_names_under, person, workbook

pytestmark = pytest.mark.usefixtures("limits")

HEADINGS = {
    "name": ["Name", "Nimi", "Naam", "Όνομα", "Participant", "Vārds, uzvārds", "Nom", "Namn"],
    "organisation": ["Organisation", "Organization", "Organisatie", "Asutus", "Οργανισμός",
                     "Arbeitgeber", "Organizācija", "Employer"],
    "country": ["Country", "Land", "Riik", "Χώρα", "Pays", "Valsts", "País"],
    "sector": ["Sector", "Werkveld", "Valdkond", "Τομέας", "Bereich", "Nozare"],
    "date": ["Date", "Datum", "Kuupäev", "Ημερομηνία", "Päivämäärä"],
    "other": ["Comments", "Signature line", "Dietary needs", "Remarks"],
}
TITLES = ["Sign-in sheet", "Organisation: Stade", "Date: 14/06/2005", "Expert seminar, Leeds",
          "Please sign in", ""]


def styled(name: str, style: str) -> str:
    first, _, last = name.partition(" ")
    return {"title": name, "upper": name.upper(), "last-first": f"{last}, {first}"}[style]


@st.composite
def sign_in_sheets(draw: st.DrawFn) -> dict:  # type: ignore[type-arg]
    people = draw(st.integers(1, 24))
    days = draw(st.integers(1, 3))
    style = draw(st.sampled_from(["title", "upper", "last-first"]))
    first = draw(st.integers(0, 255 - people))
    names = [styled(person(first + i), style) for i in range(people)]
    counted = draw(st.lists(st.sampled_from(["organisation", "country", "sector"]),
                            min_size=1, max_size=3, unique=True))
    fields = [*counted, *(["date"] if days > 1 or draw(st.booleans()) else [])]
    # the column of names goes under any heading at all, at any position
    names_as = draw(st.sampled_from(["name", "organisation", "country", "sector", "date",
                                     "other"]))
    order = draw(st.permutations([*fields, "names"]))
    heading = {f: draw(st.sampled_from(HEADINGS[f])) for f in fields}
    heading["names"] = draw(st.sampled_from(HEADINGS[names_as]))
    start = datetime(2005, 6, 14)
    rows: list[list[object]] = []
    for day in range(days):
        for i in range(people):
            if day and draw(st.booleans()):
                continue  # not everyone comes every day
            value = {"names": names[i], "organisation": ORGS[(i * 7 + 3) % len(ORGS)],
                     "country": COUNTRIES[i % len(COUNTRIES)], "sector": SECTORS[i % 5],
                     "date": start + timedelta(days=day)}
            rows.append([value[f] for f in order])
    if draw(st.booleans()):
        rows.append(["Total", len(rows)])
    titles = [[t] for t in draw(st.lists(st.sampled_from(TITLES), max_size=4))]
    return {"fmt": draw(st.sampled_from(["xlsx", "csv"])), "names": names,
            "rows": [*titles, [heading[f] for f in order], *rows],
            "hidden": draw(st.booleans()), "merge": bool(titles) and draw(st.booleans()),
            "secret": draw(st.booleans())}


def _write(folder: Path, sheet: dict) -> Path:  # type: ignore[type-arg]
    if sheet["fmt"] == "xlsx":
        hidden = [["Name", "Organisation"], *([n, "Stade"] for n in sheet["names"])]
        return workbook(folder / "s.xlsx", sheet["rows"],
                        hidden_first=hidden if sheet["hidden"] else None,
                        merges=["A1:D1"] if sheet["merge"] else ())
    path = folder / "s.csv"

    def text(v: object) -> str:
        return v.strftime("%d/%m/%Y") if isinstance(v, datetime) else str(v)

    path.write_text("\n".join(";".join(text(v) for v in r) for r in sheet["rows"]) + "\n",
                    encoding="utf-8")
    return path


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=sign_in_sheets())
def test_no_name_from_a_sheet_ever_reaches_the_project(sheet: dict) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "agis"
        shutil.copytree(RECORDS, root, ignore=shutil.ignore_patterns(".cepa-cache"))
        if sheet["secret"]:
            (root / importer.SECRET_FILE).write_text("a long random secret for the fuzz\n")
        path = _write(Path(tmp), sheet)
        r = cli("import", "attendance", str(path), "--seminar", "fuzz-seminar", "--project",
                str(root), "--yes")
        assert r.exit_code in (0, 1), r.output
        if r.exit_code == 0:
            part = yaml.safe_load((root / "seminars" / "fuzz-seminar.yaml")
                                  .read_text(encoding="utf-8"))["participants"]
            assert 1 <= part["total"] <= len(sheet["names"]) * 3
        assert cli("validate", str(root)).exit_code in (0, 1)  # fills the parse cache
        no_names_under(root, sheet["names"])
        no_names_under(root, [n.partition(",")[0] for n in sheet["names"] if "," in n])
        for n in sheet["names"]:
            assert n not in r.output
