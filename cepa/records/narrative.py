"""The coordinator's own words for the sections of a final report that no record holds.

A final technical report asks for the difficulties met, the European added value, the
lessons learnt, the dissemination and the follow-up. The coordinator writes each in a
Markdown file next to the project file (``difficulties.md``, ...), in the project's
language, or per language (``difficulties.nl.md``); the report places them in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cepa.base.text import N_


@dataclass(frozen=True)
class Section:
    key: str
    file: str       #: the file's name without ``.md``
    title: str      #: the section's heading in the report
    asks: str       #: what the funder asks, for the placeholder and for validate


SECTIONS: tuple[Section, ...] = (
    Section("difficulties", "difficulties", N_("Difficulties encountered"),
            N_("What difficulties did the project meet, and how were they dealt with?")),
    Section("added_value", "european-added-value", N_("European added value"),
            N_("What did working across countries add that one country alone could not?")),
    Section("lessons", "lessons-learnt", N_("Lessons learnt"),
            N_("What would the partners do again, and what differently?")),
    Section("dissemination", "dissemination", N_("Dissemination"),
            N_("How were the results made known, to whom, and where can they be found?")),
    Section("follow_up", "follow-up", N_("Follow-up"),
            N_("What happens next: what continues, who takes the results further?")),
)


def path_of(root: Path, section: Section, language: str | None = None,
            public: bool = False) -> Path:
    parts = [section.file, *([language] if language else []), *(["public"] if public else [])]
    return root / (".".join(parts) + ".md")


def read(root: Path, language: str | None = None, public: bool = False
         ) -> dict[str, str]:
    """The sections written, as Markdown text: the language's file first, then the plain
    one; for a public output, a ``.public.md`` version before either. A section that is
    not written is missing from the result."""
    out: dict[str, str] = {}
    for s in SECTIONS:
        langs = [language, None] if language else [None]
        paths = [path_of(root, s, x, True) for x in langs] if public else []
        paths += [path_of(root, s, x) for x in langs]
        for p in paths:
            try:
                text = p.read_text(encoding="utf-8-sig").strip()
            except (OSError, UnicodeDecodeError):
                continue
            if text:
                out[s.key] = text
                break
    return out


def files_read(root: Path, language: str | None = None, public: bool = False
               ) -> dict[str, Path]:
    """Which file each written section came from (for messages)."""
    out: dict[str, Path] = {}
    for s in SECTIONS:
        langs = [language, None] if language else [None]
        paths = [path_of(root, s, x, True) for x in langs] if public else []
        paths += [path_of(root, s, x) for x in langs]
        found = next((p for p in paths if p.is_file()), None)
        if found is not None:
            out[s.key] = found
    return out


def missing(root: Path, language: str | None = None) -> list[Section]:
    have = read(root, language)
    return [s for s in SECTIONS if s.key not in have]
