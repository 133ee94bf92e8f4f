"""The project's own section texts through upgrades: version marks, what `cepa validate`
finds in them (every branch, final and interim), `cepa templates diff`, and no value ever
printed as Python writes it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import REPO

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def own(root: Path, name: str, text: str) -> Path:
    path = root / "templates" / "report" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def shipped(name: str) -> str:
    return (REPO / "templates" / "report" / name).read_text(encoding="utf-8")


def test_every_shipped_template_carries_its_version_and_the_manifest_is_current() -> None:
    """A template changed without a new version mark (and its old text kept under
    templates/report/history/VERSION/) fails here."""
    from cepa import __version__
    from cepa.document.templates import manifest, shipped_names, version_key, version_of

    for name in shipped_names():
        mark = version_of(shipped(name))
        assert mark is not None, f"{name} has no version mark"
        assert version_key(mark) <= version_key(__version__), name
        assert shipped(name).startswith("{# cepa template "), name
    assert (REPO / "templates" / "report" / "versions.txt").read_text() == manifest(), \
        ("a template changed: set its first line's version to the coming one, keep its "
         "old text as templates/report/history/OLD/NAME.md.j2, then write "
         "templates/report/versions.txt from cepa.document.templates.manifest()")
    for old in (REPO / "templates" / "report" / "history").glob("*/*.md.j2"):
        assert version_of(old.read_text(encoding="utf-8")) == old.parent.name, old


def test_the_version_mark_prints_nothing(agis: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "cepa template" not in text and "{#" not in text


def test_a_copy_carries_the_mark_and_validate_is_content(agis: Path) -> None:
    code, _, err = run("templates", "copy", "claims", "-p", str(agis))
    assert code == 0, err
    copied = (agis / "templates" / "report" / "claims.md.j2").read_text(encoding="utf-8")
    assert copied == shipped("claims.md.j2")
    code, out, _ = run("validate", str(agis))
    assert code == 0 and out == ""
    code, out, _ = run("templates", "list", "-p", str(agis))
    assert "claims                  (the project has its own)" in out


def test_validate_names_a_broken_template_and_one_for_an_older_cepa(agis: Path) -> None:
    """The done-when: a typo inside {% if not final %} (which only an interim report
    would meet), an override of an older version and one without a mark, by file and
    line."""
    own(agis, "claims.md.j2", "{# cepa template 0.1.0 #}\n# {{ heading }}\n\n"
                              "{% if not final %}\n"
                              "Interim figures: {{ attendance.totl | fig }}.\n"
                              "{% endif %}\n")
    own(agis, "coverage.md.j2", shipped("coverage.md.j2").replace("cepa template 0.1.0",
                                                                  "cepa template 0.0.9"))
    own(agis, "annexes.md.j2", "# {{ heading }}\n\nOur annexes.\n")
    code, out, _ = run("validate", str(agis))
    assert code == 1
    lines = out.splitlines()
    broken = next(x for x in lines if "claims.md.j2" in x)
    assert re.search(r"templates/report/claims\.md\.j2:5:1: error: unknown placeholder "
                     r"'attendance\.totl'", broken) and broken.endswith("(template-error)")
    older = next(x for x in lines if "coverage.md.j2" in x)
    assert re.search(r"coverage\.md\.j2:1:1: warning: it was written from cepa's coverage of "
                     r"version 0\.0\.9, which has changed since \(version 0\.1\.0\)", older)
    assert "'cepa templates diff coverage'" in older and older.endswith("(template-stale)")
    unmarked = next(x for x in lines if "annexes.md.j2" in x)
    assert "annexes.md.j2:1:1: warning: it has no version mark" in unmarked
    code, out, _ = run("validate", str(agis), "--format", "json")
    import json

    found = {(Path(p["path"]).name, p["line"], p["code"]) for p in json.loads(out)["problems"]}
    assert {("claims.md.j2", 5, "template-error"), ("coverage.md.j2", 1, "template-stale"),
            ("annexes.md.j2", 1, "template-stale")} <= found
    # the final report is made all the same: the typo is in the interim branch only
    code, _, err = run("report", str(agis), "-o", str(agis.parent / "final.docx"))
    assert code == 0, err


@pytest.mark.parametrize(("text", "line", "said"), [
    ("# {{ heading }}\n\n{% for o in objectives %}\n- {{ o.text }}\n", 4,
     "Unexpected end of template"),
    ("# {{ heading }}\n\n{{ claims_holding | fg }}\n", 3, "no filter 'fg'"),
    ("# {{ heading }}\n\n{% if claims %}{{ nosuch }}{% endif %}\n", 3,
     "unknown placeholder 'nosuch'"),
    ("# {{ heading }}\n\n{{ coverage }}\n", 3, "it prints a whole Coverage"),
])
def test_validate_finds_what_a_report_would_stop_at(agis: Path, text: str, line: int,
                                                    said: str) -> None:
    own(agis, "claims.md.j2", text)
    code, out, _ = run("validate", str(agis))
    assert code == 1
    found = next(x for x in out.splitlines() if "claims.md.j2" in x and "error" in x)
    assert f"claims.md.j2:{line}:1: error: " in found and said in found


def test_a_template_cepa_has_not_is_named(agis: Path) -> None:
    own(agis, "claim.md.j2", "# Claims\n")
    code, out, _ = run("validate", str(agis))
    assert code == 0
    assert "claim.md.j2:1:1: warning: cepa has no template named claim.md.j2" in out
    assert out.rstrip().endswith("(template-unused)")


def test_diff_shows_cepas_changes_since_the_copy(agis: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """With the text of the version the copy was written from kept under history/, the
    diff is cepa's changes; without it, the copy against cepa's."""
    from cepa.document import templates

    folder = tmp_path / "shipped"
    shutil.copytree(REPO / "templates", folder, ignore=shutil.ignore_patterns("*.docx"))
    old = ("{# cepa template 0.0.9: keep this line - 'cepa validate' compares it with cepa's "
           "own template -#}\n# {% trans n=annex %}Annex {{ n }}: Claims checked{% endtrans %}"
           "\n\nThe claims.\n")
    (folder / "report" / "history" / "0.0.9").mkdir(parents=True)
    (folder / "report" / "history" / "0.0.9" / "claims.md.j2").write_text(old)
    monkeypatch.setattr(templates, "shipped", lambda: folder)
    own(agis, "claims.md.j2", old.replace("The claims.", "Our own words on the claims."))
    code, out, err = run("templates", "diff", "claims", "-p", str(agis))
    assert code == 0, err
    assert out.splitlines()[:2] == ["--- cepa's claims.md.j2 of 0.0.9",
                                    "+++ cepa's claims.md.j2 of 0.1.0"]
    assert "-The claims." in out and "+# {{ heading }}" in out
    assert "Our own words" not in out  # the writer's rewording is not cepa's change
    assert "since the version" in err
    # a copy without a mark: against cepa's own
    own(agis, "coverage.md.j2", "# {{ heading }}\n\nOurs.\n")
    code, out, err = run("templates", "diff", "coverage", "-p", str(agis))
    assert out.splitlines()[1] == "+++ cepa's coverage.md.j2 of 0.1.0"
    assert "-Ours." in out and "how " in err
    code, out, err = run("templates", "diff", "appendix", "-p", str(agis))
    assert code == 0 and out == "" and "has no appendix.md.j2 of its own" in err


def test_a_value_never_prints_as_python_writes_it(agis: Path, tmp_path: Path) -> None:
    """A template from before notes had a text printed RecordNote(id=..., text=...): a
    value with a text prints its text, a list its items."""
    import docx

    own(agis, "activity.md.j2", "## Activity {{ activity.id }}\n\n"
                                "{% for n in notes %}- {{ n }}\n{% endfor %}\n"
                                "Places: {{ places }}. Final: {{ final }}.\n")
    out = tmp_path / "r.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--public")
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "RecordNote" not in text and "(id=" not in text and "['" not in text
    assert 'The summary spells the town "Middlesborough"' in text
    places = next(x for x in text.splitlines() if x.startswith("Places: "))
    assert "Middlesbrough, United Kingdom, " in places and "Final: yes." in places


def test_printing_a_whole_object_stops_at_its_line(agis: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "activity.md.j2").write_text("## {{ activity.title }}\n\n{{ activity }}\n",
                                          encoding="utf-8")
    code, _, err = run("report", str(agis), "-o", str(tmp_path / "r.docx"), "--texts",
                       str(texts))
    assert code == 1 and "activity.md.j2, line 3: it prints a whole ActivityRow" in err
    assert "Traceback" not in err and not (tmp_path / "r.docx").exists()


def test_the_docs_of_the_outline_and_look_are_current() -> None:
    from cepa.commands.templates import docs_markdown

    assert (REPO / "docs" / "templates.md").read_text() == docs_markdown(), \
        "run 'cepa templates docs > docs/templates.md'"
    code, out, _ = run("templates", "docs")
    assert code == 0 and out == docs_markdown()


def test_a_template_not_in_utf8_is_named_not_a_traceback(agis: Path, tmp_path: Path) -> None:
    path = own(agis, "claims.md.j2", "")
    path.write_bytes("# {{ heading }}\n\nCaf\u00e9\n".encode("cp1252"))
    code, out, _ = run("validate", str(agis))
    assert code == 1 and "claims.md.j2:1:1: error: it is not UTF-8 text" in out
    code, _, err = run("report", str(agis), "-o", str(tmp_path / "r.docx"))
    assert code == 1 and "claims.md.j2: it is not UTF-8 text" in err
    assert "Traceback" not in err
