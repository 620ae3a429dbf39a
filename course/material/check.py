"""`python -m course check [DIR]`: validate all content and print every problem as `path:line: message`.

Clean content gets a summary line; where items carry levels and the manifest gives `module.timing`,
also the share of graded questions per level and each notebook's minutes as computed from its
content (see `course.material.timing`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from course.material.catalog import load
from course.material.timing import all_unit_times, graded_levels
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
    counts = graded_levels(content)
    if sum(n for level, n in counts.items() if level != "no level"):
        print(_levels_line(counts), file=out)
    for line in _minutes_lines(content):
        print(line, file=out)
    return 0


def _levels_line(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    parts = [f"{level} {n} ({round(100 * n / total)}%)" for level, n in counts.items() if n or level != "no level"]
    return f"graded questions by level: {', '.join(parts)}"


def _minutes_lines(content) -> list[str]:
    times = all_unit_times(content)
    if not times:
        return []  # the manifest gives no module.timing
    lines = [f"minutes: {t.unit_id} {t.core_minutes} ({t.reading_minutes} reading, {t.exercise_minutes} exercises)"
             + (f" + {t.optional_minutes} optional" if t.optional_minutes else "") for t in times]
    core, extra = sum(t.core_minutes for t in times), sum(t.optional_minutes for t in times)
    lines.append(f"minutes: the module {core} in all ({core / 60:.1f} h) + {extra} optional")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
