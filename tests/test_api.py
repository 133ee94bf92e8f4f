"""cepa from Python: cepa.open(), its results and its DataFrames."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cepa
from tests.conftest import RECORDS, build_tree
from tests.projects import YOUTH_NET


def test_open_gives_records_summary_coverage_and_frames() -> None:
    p = cepa.open(RECORDS)
    assert len(p.records) == 30  # 28 evidence records and 2 outputs
    s = p.summary()
    assert s.attendance.total.value == 302 and not s.attendance.total.estimated
    assert p.coverage().short == []
    assert p.problems() == []
    f = p.frames()
    # one row per record; seminar participants by country where held: 127, 111, 64
    sem = f.records[f.records.kind == "seminars"]
    assert len(f.records) == 30 and sem["count"].sum() == 302
    assert sem.groupby("country")["count"].sum().to_dict() == {"EE": 64, "NL": 111, "UK": 127}
    # one row per breakdown cell: the final seminar's 38 + 6 + 9 + 11
    tartu = f.breakdowns[(f.breakdowns.id == "final-seminar-tartu")
                         & (f.breakdowns.breakdown == "by_organisation")]
    assert sorted(tartu["value"]) == [6, 9, 11, 38]
    # one row per figure of the summary, by its place in the summary's JSON
    figures = f.figures.set_index("figure")["value"]
    assert figures["outcomes.children"] == 226 and figures["attendance.by_country[UK]"] == 127


def test_a_period_and_publication_mode(tmp_path: Path) -> None:
    p = cepa.open(build_tree(tmp_path / "y", YOUTH_NET))
    assert p.summary("interim").feedback.young_people.value == 23
    public = p.summary(public=True)
    assert public.feedback.young_people.value == 50 and public.feedback.young_people.rounded
    assert len(p.frames("interim").records) == 4  # one seminar, two sessions, one service


def test_no_project_is_an_error(tmp_path: Path) -> None:
    from cepa.api import OpenError

    with pytest.raises(OpenError, match="cepa init"):
        cepa.open(tmp_path)


def test_import_cepa_and_open_load_nothing_heavy_until_frames() -> None:
    code = ("import sys, cepa; p = cepa.open(sys.argv[1]); p.summary(); "
            "heavy = {'pandas', 'openpyxl', 'docx', 'matplotlib'} & set(sys.modules); "
            "assert not heavy, heavy; p.frames(); assert 'pandas' in sys.modules")
    r = subprocess.run([sys.executable, "-c", code, str(RECORDS)], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
