"""Content problems: what `python -m course check` reports, one `path:line: message` each.

A `Problem` names the file, the line and (where there is one) the field; the loader collects
every problem it finds instead of stopping at the first, and raises `ContentError` carrying them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file, located to a line (1-based)."""

    path: str
    line: int
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}: {where}{self.message}"


class ContentError(Exception):
    """Raised when course content does not load; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def field_path(parts) -> str:
    """Render a JSON path such as ('items', 3, 'options', 1) as `items[3].options[1]`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
