"""``cepa`` and ``python -m cepa``: the command line.

A plain ``cepa validate`` runs without the command-line framework (cepa/commands/checking.py):
when nothing changed since the last run its answer comes from the cache of checked results
sooner than Typer could load. Every other command line goes to the Typer app (cepa/cli.py).
"""

from __future__ import annotations

import sys


def main() -> None:
    from cepa.commands.checking import answer_argv

    code = answer_argv(sys.argv[1:])
    if code is not None:
        sys.stdout.flush()
        sys.exit(code)
    from cepa.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
