"""The floor of a warm check: a Python process that stats every file under a folder.

    python benchmarks/stat_floor.py FOLDER

It does what any check must do to know that nothing changed (list every folder, stat every
file) and nothing else; ``run.py`` measures cepa's warm ``validate`` against it.
"""

from __future__ import annotations

import os
import sys


def stat_all(top: str) -> int:
    n = 0
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as it:
            for d in it:
                if d.is_dir(follow_symlinks=False):
                    stack.append(d.path)
                else:
                    os.stat(d.path)
                    n += 1
    return n


if __name__ == "__main__":
    print(stat_all(sys.argv[1]))
