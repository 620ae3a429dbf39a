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
        where = f"{printable(self.field)}: " if self.field else ""
        return f"{printable(self.path)}:{self.line}: {where}{printable(self.message)}"


def printable(text: str, limit: int | None = None) -> str:
    """Text safe for one terminal line: line breaks become spaces, any other control character is
    shown escaped (so no ANSI escape can act), and a text longer than `limit` is cut."""
    if len(text.splitlines()) > 1:
        text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "\u2026"


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
