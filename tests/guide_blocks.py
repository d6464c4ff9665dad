"""Running a guide's ``python`` blocks as its reader would, and holding it to what it shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any


def blocks(text: str, lang: str) -> list[str]:
    """The fenced ``lang`` blocks of a Markdown text, in order."""
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)


def run_python_blocks(guide: Path, namespace: dict[str, Any]) -> list[str]:
    """Run every ``python`` block of ``guide`` top to bottom in ``namespace``.

    ``print(...)  # shown`` promises the reader that exact line: each promise must be
    among the lines the block printed.

    :return: the blocks run.
    """
    found = blocks(guide.read_text(encoding="utf-8"), "python")
    for index, block in enumerate(found):
        where = f"{guide.name}: python block {index + 1}"
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(block, where, "exec"), namespace)  # noqa: S102
        shown = out.getvalue().splitlines()
        for promised in re.findall(r"^\s*print\(.*\)  # (.+)$", block, re.M):
            assert promised in shown, f"{where}: printed {shown}, the guide says {promised!r}"
    return found
