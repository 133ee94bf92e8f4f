"""Markdown - the coordinator's own and the report texts' - as document blocks.

markdown-it-py parses it (CommonMark): headings, paragraphs with bold, emphasis, code and
links, bullet and numbered lists, block quotes. ``escape`` makes any text read as itself
in Markdown: a value a template prints (a record's title, a note with a line break, a
figure such as '45*') can never become a heading, a list or emphasis.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from cepa.document.nodes import Block, Heading, Items, Paragraph, Run

#: Every ASCII punctuation character may be escaped with a backslash in CommonMark.
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def escape(text: str) -> str:
    """``text`` as Markdown that reads as ``text``: punctuation escaped, its line breaks
    spaces (a value's own lines never start a block)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


class Markdown(str):
    """Text that is Markdown already (the coordinator's sections): printed as it is."""


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def blocks(text: str, shift: int = 0, top: int = 1) -> list[Block]:
    """The blocks of a Markdown text. ``shift`` moves headings down (a coordinator's '#'
    under a section's own heading); no heading rises above level ``top``."""
    out: list[Block] = []
    items: list[list[Run]] | None = None
    ordered = False
    heading: int | None = None
    in_item = False
    for tok in _parser().parse(text):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            if items is None:  # a list inside a list is flattened into its items
                items, ordered = [], t == "ordered_list_open"
        elif t in ("bullet_list_close", "ordered_list_close"):
            if items is not None and tok.level == 0:
                out.append(Items(items, ordered))
                items = None
        elif t == "list_item_open":
            in_item = True
            if items is not None:
                items.append([])
        elif t == "list_item_close":
            in_item = False
        elif t == "heading_open":
            heading = max(top, int(tok.tag[1]) + shift)
        elif t == "heading_close":
            heading = None
        elif t == "inline":
            runs = _runs(tok.children or [])
            if heading is not None:
                out.append(Heading(min(heading, 3), "".join(r.text for r in runs)))
            elif in_item and items is not None:
                if items[-1]:
                    items[-1].append(Run(" "))
                items[-1].extend(runs)
            elif runs:
                out.append(Paragraph(runs))
        elif t in ("fence", "code_block"):
            out.append(Paragraph([Run(tok.content.rstrip("\n"))]))
    return out


def _runs(children: list[Any]) -> list[Run]:
    runs: list[Run] = []
    strong = emphasis = 0
    link: str | None = None
    for c in children:
        t = c.type
        if t == "text" or t == "code_inline":
            if c.content:
                runs.append(Run(c.content, strong > 0, emphasis > 0, link))
        elif t == "softbreak":
            runs.append(Run(" ", strong > 0, emphasis > 0, link))
        elif t == "hardbreak":
            runs.append(Run("\n", strong > 0, emphasis > 0, link))
        elif t == "strong_open":
            strong += 1
        elif t == "strong_close":
            strong -= 1
        elif t == "em_open":
            emphasis += 1
        elif t == "em_close":
            emphasis -= 1
        elif t == "link_open":
            link = str(c.attrs.get("href") or "") or None
        elif t == "link_close":
            link = None
        elif t == "image":
            runs.append(Run(c.content or "", strong > 0, emphasis > 0, link))
    return _merged(runs)


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of the same look as one."""
    out: list[Run] = []
    for r in runs:
        if out and (out[-1].strong, out[-1].emphasis, out[-1].link) == (
                r.strong, r.emphasis, r.link):
            out[-1] = Run(out[-1].text + r.text, r.strong, r.emphasis, r.link)
        else:
            out.append(r)
    return out
