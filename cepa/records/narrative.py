"""The coordinator's own words for the sections of a final report that no record holds.

A final technical report asks for the difficulties met, the European added value, the
lessons learnt, the dissemination and the follow-up. The coordinator writes each in a
Markdown file next to the project file (``difficulties.md``, ...), in the project's
language, or per language (``difficulties.nl.md``); the report places them in order.
"""

from __future__ import annotations

import re
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


#: What a section says when it is a placeholder, or says that the sources do not cover it
#: (in the partners' languages).
_STUB = re.compile(
    r"(?i)\b(?:does not (?:describe|cover|say)|do not (?:describe|cover)|not described|"
    r"not covered|not given|to be (?:written|completed|added)|todo|tbd|tbc|lorem ipsum|"
    r"placeholder|niet beschreven|beschrijft (?:dit|het) niet|nog te schrijven|nog in te "
    r"vullen|ei kirjelda|kirjeldamata|kirjutamata|täiendatakse)\b")
#: Fewer words than this is no answer to what the funder asks.
MIN_WORDS = 12


def stub(text: str, others: list[str] = ()) -> str | None:  # type: ignore[assignment]
    """Why a written section is no answer yet (None when it is one): it is a placeholder,
    says the sources do not cover it, is a line or two, or repeats another section."""
    words = len(text.split())
    if _STUB.search(text):
        return "it says the section is not written, or that the sources do not cover it"
    if words < MIN_WORDS:
        return f"it is {words} word{'s' if words != 1 else ''} long"
    if any(" ".join(text.split()) == " ".join(o.split()) for o in others):
        return "it repeats another section word for word"
    return None


def hollow(text: str) -> bool:
    """Whether the section is nothing but a placeholder: it says it is not written or not
    covered, and without those sentences fewer than ``MIN_WORDS`` words are left. (A short
    answer of the coordinator's own is kept: it is theirs to lengthen.)"""
    sentences = re.split(r"(?<=[.!?])\s+|\n\s*\n", text)
    rest = " ".join(x for x in sentences if not _STUB.search(x))
    return bool(_STUB.search(text)) and len(rest.split()) < MIN_WORDS


def unwritten(written: dict[str, str]) -> dict[str, str]:
    """The sections of ``written`` that are no answer yet, by key, with why."""
    out = {}
    for key, text in written.items():
        why = stub(text, [t for k, t in written.items() if k != key])
        if why:
            out[key] = why
    return out
