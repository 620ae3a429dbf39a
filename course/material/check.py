"""`python -m course check [DIR]`: validate all content and print every problem as `path:line: message`."""

from __future__ import annotations

import sys
from pathlib import Path

from course.material.catalog import load
from course.paths import content_root


def run(directory: str | None = None, out=None) -> int:
    """Check the content folder; print problems (exit 1) or a one-line summary (exit 0)."""
    out = out or sys.stdout
    root = Path(directory) if directory else content_root()
    content, problems = load(root, shown_root=directory)
    for problem in problems:
        print(problem, file=out)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"course check: {len(problems)} {noun} found", file=out)
        return 1
    sections = sum(len(r.sections) for r in content.readings.values())
    claims = sum(len(s.claims) for r in content.readings.values() for s in r.sections)
    print(
        f"course check: ok: {_count(len(content.units), 'unit')}, {_count(len(content.readings), 'reading')} "
        f"({_count(sections, 'section')}, {_count(claims, 'claim')}), "
        f"{_count(len(content.references), 'reference')}, {_count(len(content.items), 'item')}",
        file=out,
    )
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
