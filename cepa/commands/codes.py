"""cepa codes: the catalogue of problem codes that validate reports."""

from __future__ import annotations

from typing import Annotated

import typer


def codes(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/problems.md.")] = False,
) -> None:
    """List every problem code cepa validate can report, with what it means.

    Example:

        cepa codes
    """
    from cepa.base.problems import CATALOGUE, catalogue_markdown

    if markdown:
        typer.echo(catalogue_markdown(), nl=False)
        return
    width = max(len(c) for c in CATALOGUE)
    for c in CATALOGUE.values():
        typer.echo(f"{c.code:<{width}}  {c.level:<7}  {c.title}")
