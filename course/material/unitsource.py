"""Unit sources (readings/units/<unit>.md): Markdown with fenced ```python blocks, split into cells.

Each fenced ```python block is a code cell, everything between them a Markdown cell, and a line
`+++` splits Markdown into separate cells. The loader uses this to check a source; the notebook
builder uses it to build the notebook.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^```python\s*$")


class SourceError(ValueError):
    """A unit source that cannot be split into cells; `line` says where."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def parse_source(text: str) -> list[tuple[str, str]]:
    """Split a unit source into ("markdown" | "code", source) cells."""
    cells: list[tuple[str, str]] = []
    block: list[str] = []
    in_code = False
    opened = 0

    def flush(kind):
        source = "\n".join(block).strip("\n")
        if source.strip():
            cells.append((kind, source))
        block.clear()

    for number, line in enumerate(text.splitlines(), 1):
        if not in_code and _FENCE.match(line):
            flush("markdown")
            in_code, opened = True, number
        elif in_code and line.strip() == "```":
            flush("code")
            in_code = False
        elif not in_code and line.strip() == "+++":
            flush("markdown")
        else:
            block.append(line)
    if in_code:
        raise SourceError(f"the ```python block opened at line {opened} is never closed", opened)
    flush("markdown")
    return cells
