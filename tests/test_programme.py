"""A programme of projects in pandas: cepa.open(a, b, ...), frames with fixed, documented
dtypes, one code per country, and the programme tables of docs/programme.py, by hand.

The programme: the shipped AGIS records (UK, NL, EE), ERASMUS (Greece written EL) and HELLAS
(Greece written GR, the United Kingdom GB), from tests/projects.py, and an empty project.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cepa
from cepa.api import OpenError
from tests.conftest import RECORDS, REPO, build_tree, load_script
from tests.projects import ERASMUS, HELLAS

EMPTY = {"cepa-project.yaml": """\
code: EMPTY-1
title: Nothing recorded yet
programme: Test programme
period: {start: 2024-01, end: 2025-12}
partners: [{id: p, name: Partner, country: EL, type: NGO}]
objectives: [{id: 1, text: An objective}]
activities: [{id: A, title: Meetings, kind: events, objectives: [1]}]
"""}


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    top = tmp_path_factory.mktemp("programme")
    return [RECORDS, build_tree(top / "erasmus", ERASMUS), build_tree(top / "hellas", HELLAS),
            build_tree(top / "empty", EMPTY)]


def test_the_frames_have_the_documented_dtypes_whatever_a_project_holds(
        programme: list[Path]) -> None:
    from cepa.evidence.frames import frames

    each = [cepa.open(p).frames() for p in programme]
    together = cepa.open(*programme).frames()
    for name, (_what, cols) in frames().items():
        for f in [*each, together]:
            df = getattr(f, name)
            assert list(df.columns) == [c.name for c in cols], name
            for c in cols:
                dtype = str(df[c.name].dtype)
                assert dtype == ("str" if c.dtype == "string" and dtype == "str"
                                 else c.dtype), (name, c.name, dtype)
        # pd.concat of the projects' own frames keeps every dtype: nothing becomes object
        glued = pd.concat([getattr(f, name) for f in each], ignore_index=True)
        assert glued.dtypes.equals(getattr(together, name).dtypes), name
    empty = each[-1]
    assert len(empty.records) == 0 and empty.records["count"].dtype == "Int64"


def test_the_records_frame(programme: list[Path]) -> None:
    r = cepa.open(*programme).frames().records
    assert set(r["project"]) == {"JAI/2004/AGIS/143", "2020-1-DE02-KA201-000123",
                                 "JUST/2019/GR/011"}
    tartu = r.set_index("id").loc["final-seminar-tartu"]
    assert tartu["count"] == 64 and tartu["start"] == pd.Timestamp("2006-10-01")
    assert tartu["objectives"] == ["1", "2", "3", "4"] and tartu["assumed"] == ["convenor"]
    visit = r.set_index("id").loc["visit-uk-to-ee"]
    assert pd.isna(visit["start"]) and pd.isna(visit["count"])  # not dated, nobody counted
    assert r.set_index("id").loc["t-london", "grade"] == "unsourced"
    # Greece is EL whether a project wrote EL (ERASMUS) or GR (HELLAS); GB is UK
    assert "GR" not in set(r["country"].dropna()) and "GB" not in set(r["country"].dropna())
    events = r[r["kind"] == "events"]
    by_country = events.groupby("country")["count"].sum().to_dict()
    # ERASMUS: Athens 13 + 38; HELLAS: Athens 30 + Thessaloniki 60; GB: London 20
    assert by_country["EL"] == 13 + 38 + 30 + 60 and by_country["UK"] == 20


def test_the_activities_and_outputs_frames(programme: list[Path]) -> None:
    f = cepa.open(*programme).frames()
    a = f.activities.set_index(["project", "id"])
    moved = a.loc[("2020-1-DE02-KA201-000123", "2")]
    assert moved["status"] == "moved" and moved["planned_date"] == "2021-04"
    assert moved["planned_start"] == pd.Timestamp("2021-04-01")
    assert moved["planned_place"] == "Tampere, Finland" and moved["modes"] == ["online"]
    assert moved["types"] == ["training"] and moved["people"] == 24
    assert not a.loc[("2020-1-DE02-KA201-000123", "6"), "planned"]  # unforeseen
    said = a.loc[("JUST/2019/GR/011", "M")]
    assert said["implemented"] and said["records"] == 0 and pd.isna(said["people"])
    o = f.outputs.set_index("id")
    assert o.loc["toolkit", "languages"] == ["en", "de", "el", "fi", "it"]
    assert o.loc["toolkit", "language_count"] == 5 and o.loc["toolkit", "reach"] == 1200


def test_the_programme_tables_of_docs(programme: list[Path]) -> None:
    script = load_script(REPO / "docs" / "programme.py")
    t = script.programme_tables(*map(str, programme))
    # people by country and kind: AGIS seminars EE 64, NL 111, UK 127; interviews UK 22 + 58,
    # NL 21, EE 21; events EL 141 (above), DE 12 + 45, FI 25 + 9, UK 20
    country = t["people by country"]
    assert country.loc["UK", "seminars"] == 127 and country.loc["UK", "interviews"] == 80
    assert country.loc["EL", "events"] == 141 and country.loc["DE", "events"] == 57
    assert country.loc["FI", "events"] == 34 and country.loc["UK", "events"] == 20
    # by year: events 2019: 30 + 20; 2020: 12 + 60; 2021: 11 + 24; 2022: 13 + 45 + 38 + 25 + 9
    year = t["people by year"]
    assert list(year.loc[[2019, 2020, 2021, 2022], "events"]) == [50, 72, 35, 130]
    assert year.loc[2005, "seminars"] == 45 + 38 + 40
    acts = t["activities"]
    # AGIS: 7 planned, all implemented. ERASMUS: 5 planned (1-5) of which 1, 2 (moved) and 3
    # happened, 4 partly, 5 not; 6 unforeseen. HELLAS: 4 planned, all implemented, 2 of them
    # (M, W) without a record. The empty project: 1 planned, not implemented.
    assert acts.loc["JAI/2004/AGIS/143"].tolist() == [7, 7, 0, 0, 0]
    assert acts.loc["2020-1-DE02-KA201-000123"].tolist() == [5, 4, 1, 1, 0]
    assert acts.loc["JUST/2019/GR/011"].tolist() == [4, 4, 0, 0, 2]
    assert acts.loc["EMPTY-1"].tolist() == [1, 0, 1, 0, 0]
    lang = t["outputs by language"]
    assert lang.loc["en"].to_dict() == {"2020-1-DE02-KA201-000123": 1, "JAI/2004/AGIS/143": 2,
                                         "JUST/2019/GR/011": 1}
    assert lang.loc["el"].sum() == 1 + 2  # the toolkit; the guide and the leaflet


def test_two_projects_with_one_code_are_refused(programme: list[Path]) -> None:
    with pytest.raises(OpenError, match="two projects have the code JAI/2004/AGIS/143"):
        cepa.open(RECORDS, RECORDS)


def test_the_frames_documentation_is_current() -> None:
    from cepa.evidence.frames import markdown

    assert (REPO / "docs" / "frames.md").read_text(encoding="utf-8") == markdown(), (
        "docs/frames.md is stale: run python -m cepa.evidence.frames docs/")


def test_the_roll_up_counts_claims_on_estimates_apart(programme: list[Path]) -> None:
    """AGIS: 12 claims hold on exact figures, 'at least 30 at each' on estimates; HELLAS:
    both its claims hold on estimates; its helpline monitoring happened with no record, so
    the programme's children monitored are at least AGIS's 226."""
    import json

    from typer.testing import CliRunner

    from cepa.cli import app

    r = CliRunner().invoke(app, ["summarize", str(RECORDS), str(programme[2]), "-f", "json"])
    roll = json.loads(r.stdout)["rollup"]
    assert roll["claims_holding"]["total"]["value"] == 12
    assert roll["claims_on_estimates"]["JUST/2019/GR/011"]["value"] == 2
    assert roll["claims_on_estimates"]["total"]["value"] == 3
    assert roll["claims_not_holding"]["total"]["value"] == 0
    monitored = roll["children_monitored"]
    assert monitored["JUST/2019/GR/011"]["value"] is None
    assert (monitored["total"]["value"], monitored["total"]["unrecorded"]) == (226, 1)


def test_a_roll_up_by_country_has_one_row_per_country(programme: list[Path]) -> None:
    """ERASMUS writes Greece EL (Athens: 13 + 38), HELLAS GR (Athens and Thessaloniki: 30 +
    60) and the United Kingdom GB (London: 20): one row for each country."""
    import json

    from typer.testing import CliRunner

    from cepa.cli import app

    r = CliRunner().invoke(app, ["summarize", str(programme[1]), str(programme[2]), "--by",
                                 "country", "--kind", "events", "-f", "json"])
    events = json.loads(r.stdout)["kinds"]["events"]
    assert "GR" not in events and "GB" not in events
    assert events["EL"]["total"]["value"] == 13 + 38 + 30 + 60
    assert events["EL"]["JUST/2019/GR/011"]["value"] == 90
    assert events["UK"]["total"]["value"] == 20
