"""cepa secret: make the project's secret for counting unique people."""

from __future__ import annotations

from typing import Annotated

import typer

from cepa.commands._common import PathArg, fail, note, open_project


def secret(
    path: PathArg = None,
    show: Annotated[bool, typer.Option(
        "--print", help="Print a new secret instead of writing it (to put it in "
                        "CEPA_PEOPLE_SECRET).")] = False,
) -> None:
    """Make a random secret of 256 bits and write it to .cepa-secret beside the project
    file, readable only by you (git ignores it); 'cepa import attendance' then stores each
    attendee as a keyed hash, so that unique people can be counted across seminars. An
    existing secret is never replaced: names already hashed with it would count as other
    people.

    Examples:

        cepa secret

        cepa secret --print
    """
    from cepa.base.files import WontOverwrite, atomic_write
    from cepa.intake.attendance import SECRET_FILE, new_secret

    if show:
        typer.echo(new_secret())
        return
    ws = open_project(path)
    target = ws.root / SECRET_FILE
    try:
        atomic_write(target, (new_secret() + "\n").encode(), mode=0o600)
    except WontOverwrite:
        fail(f"{target} already exists; cepa never replaces a secret (names already hashed "
             "with it would count as other people) - delete it yourself if you mean to")
    note(f"wrote {target}, readable only by you; keep it out of git and back it up with "
         "the records")
