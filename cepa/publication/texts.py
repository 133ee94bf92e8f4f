"""The coordinator's own words on their way out: what the gate cannot round, it withholds or
refuses.

Claims, targets, titles, results, summaries, indicators, record notes and the narrative
sections are the coordinator's sentences, outside the figures the plan publishes. A number
of children written in one ("Three young people spoke", "young people: 3", "kolm last")
would tell what the plan hides, so in publication mode:

* a claim or a target that gives a count of children has that number shown as 'c' and is
  "not published" (neither its figure nor whether it holds); one about a protected measure
  has every such number shown as 'c';
* any other text that reaches a public output and gives a count of children of 1 to the
  threshold stops the output, with a message naming where it is and what to write instead;
* a narrative section that does is replaced by its ``.public.md`` version, or refused.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cepa.evidence.figures import Breakdown, Figure
from cepa.publication.plan import PublicationError
from cepa.records.personal import count_phrases, small_counts

#: Words that say a text is about children or young people (an indicator's given figure
#: under such a text counts them).
_ABOUT_CHILDREN = re.compile(
    r"(?i)\b(?:child|children|young\s+people|young\s+persons?|youngsters?|teenagers?|"
    r"teens?|adolescents?|minors?|girls?|boys?|pupils?|service\s+users?|survivors?|"
    r"victims?|care\s+leavers?|kinderen|jongeren|tieners|minderjarigen|leerlingen|"
    r"slachtoffers|lapsed|lapsi|last|noored|noori|noort|alaealised|õpilased|ohvrid)\b")


def about_children(text: Any) -> bool:
    return any(_ABOUT_CHILDREN.search(t) for t in _strings(text))


def mask_counts(text: Any, threshold: int, *, everything: bool = False) -> tuple[Any, bool]:
    """``text`` (a string, or one per language) with each count of children of 1 to
    ``threshold`` - or of any size, when ``everything`` - shown as 'c'; and whether any
    was."""
    if isinstance(text, dict):
        out = {k: mask_counts(v, threshold, everything=everything) for k, v in text.items()}
        return {k: v for k, (v, _) in out.items()}, any(m for _, m in out.values())
    if not isinstance(text, str):
        return text, False
    spans = [span for span, n, _ in count_phrases(text)
             if everything or 1 <= n <= threshold]
    for start, end in reversed(spans):
        text = text[:start] + "c" + text[end:]
    return text, bool(spans)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def small_counts_in(result: Any, threshold: int, where: str = "") -> Iterator[tuple[str, str]]:
    """Every text of a (gated) result that gives a count of children of 1 to the threshold:
    where it stands (a dotted path) and the phrase."""
    if isinstance(result, str):
        for _span, n, phrase in count_phrases(result):
            if 1 <= n <= threshold:
                yield where, phrase
    elif isinstance(result, Figure | int | float | bool) or result is None:
        return
    elif isinstance(result, Breakdown):
        for key in result.cells:
            yield from small_counts_in(key, threshold, f"{where}[{key}]")
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        for f in dataclasses.fields(result):
            yield from small_counts_in(getattr(result, f.name), threshold,
                                       f"{where}.{f.name}" if where else f.name)
    elif isinstance(result, dict):
        for k, v in result.items():
            yield from small_counts_in(v, threshold, f"{where}[{k}]")
    elif isinstance(result, list | tuple):
        for i, v in enumerate(result):
            label = getattr(v, "id", None)
            yield from small_counts_in(v, threshold,
                                       f"{where}[{label if label is not None else i}]")


def refuse_small_counts(result: Any, threshold: int, what: str,
                        names: Callable[[], dict[str, str]] | None = None) -> None:
    """Raise ``PublicationError`` for the first text of a gated result that gives a count of
    children of 1 to the threshold. ``names``: the record each alias stands for, to say
    where to change the text (the message is the coordinator's, never published)."""
    for where, phrase in small_counts_in(result, threshold):
        place = _place(where, names() if names else {})
        raise PublicationError(
            f"a public output would print '{phrase}' ({place}, in the "
            f"{what}), a count of children that publication mode would suppress; write it "
            "without the number (e.g. 'a few young people') in the project file or the "
            "record, then publish again")


_ROW = re.compile(r"^kinds\[([^\]]+)\]\.rows\[([^\]]+)\]\.?(.*)$")


def _place(where: str, names: dict[str, str]) -> str:
    """A result's dotted path as a coordinator reads it: 'activities[D].results', 'record
    o1 (outcomes/o1.yaml), its revision'."""
    where = re.sub(r"^(?:summary|coverage)\.", "", where)
    m = _ROW.match(where)
    if m:
        kind, rid, rest = m.groups()
        record = names.get(rid, f"'{rid}'")
        return f"{kind} record {record}" + (f", its {rest}" if rest else "")
    return where.replace("kinds[", "records of ")


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
