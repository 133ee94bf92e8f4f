"""The coordinator's own words on their way out: what the gate cannot round, it refuses.

The sections a coordinator writes (difficulties, lessons learnt, ...) are outside the
figures the gate plans; a public output refuses one that gives a count of children the gate
would have suppressed, and names the file and what to write instead.
"""

from __future__ import annotations

from pathlib import Path

from cepa.publication.gate import PublicationError
from cepa.records.personal import small_counts


def check_sections(written: dict[str, str], files: dict[str, Path], threshold: int) -> None:
    """Raise ``PublicationError`` for a section that gives a small count of children."""
    for key, text in written.items():
        found = small_counts(text, threshold)
        if found:
            path = files.get(key)
            name = path.name if path else key
            raise PublicationError(
                f"{name} says '{found[0]}', a count of children that publication mode would "
                f"suppress; write a version for publication without it as "
                f"{name[:-3]}.public.md (the public report uses that file), or leave the "
                "count out")
