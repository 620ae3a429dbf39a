"""Build the notebooks from their sources in readings/units/ and store them executed.

`python -m course build-notebooks` (or `make notebooks`) turns each unit's Markdown source into
a notebook, runs it top to bottom like a learner would, in manifest order, with one temporary
journal (never the learner's real one), and stores the outputs that strict nbval compares.

A unit source is Markdown; each fenced ```python block becomes a code cell, everything between
them a Markdown cell, and a line `+++` splits Markdown into separate cells.

Stored outputs keep `text/plain`, `text/html` and images but drop the live widget view: a saved
widget view has no model until its cell runs again, so JupyterLab, GitHub and nbviewer show the
static rendering instead, and the live widget appears as soon as the learner runs the cell.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from course.material.api import content, units
from course.material.unitsource import SourceError, parse_source  # noqa: F401  (part of this module's API)
from course.learner.items.base import WIDGET_VIEW
from course.paths import HOME_ENV

def source_path(unit_id: str) -> Path:
    return content().root / "units" / f"{unit_id}.md"


def notebook_from_source(unit_id: str):
    """The unexecuted notebook for one unit, built from readings/units/<unit>.md."""
    import nbformat

    cells = parse_source(source_path(unit_id).read_text(encoding="utf-8"))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = [nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
                for kind, src in cells]
    for index, cell in enumerate(nb.cells):
        cell.id = f"{unit_id}-{index:02d}"  # stable ids: no random cell ids in stored notebooks
    return nb


def strip_for_storage(nb) -> None:
    """Remove what must not be stored: live widget views, widget state and timing metadata."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
            output.get("metadata", {}).pop(WIDGET_VIEW, None)


def build(out_dir: Path, only: list[str] | None = None, log=print) -> list[Path]:
    """Execute every unit's notebook in order, sharing one temporary journal, and store it."""
    import nbformat
    from nbclient import NotebookClient

    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = [u for u in units() if not only or u.id in only or u.id.split("-")[0] in only]
    written = []
    previous = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory(prefix="course-build-") as home:
        os.environ[HOME_ENV] = home
        try:
            for number, unit in enumerate(chosen, 1):
                started = time.perf_counter()
                log(f"[{number}/{len(chosen)}] {unit.id}: executing ...", flush=True)
                nb = notebook_from_source(unit.id)
                client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                                        resources={"metadata": {"path": str(out_dir)}})
                client.execute()
                strip_for_storage(nb)
                target = out_dir / unit.notebook
                nbformat.write(nb, target)
                written.append(target)
                log(f"[{number}/{len(chosen)}] {unit.id}: {len(nb.cells)} cells stored in "
                    f"{target.name} ({time.perf_counter() - started:.1f} s)", flush=True)
        finally:
            if previous is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = previous
    return written


def main(out_dir: str | None, only: list[str] | None) -> int:
    target = Path(out_dir) if out_dir else content().root.parent / "notebooks"
    try:
        build(target, only)
        if not only:
            from course.instructor.seminar import write_guide

            print(f"facilitator guide: {write_guide(target).relative_to(target.parent)}")
    except Exception as exc:  # a failing cell: say which, without a wall of kernel traceback
        print(f"build-notebooks: failed: {type(exc).__name__}: {str(exc)[-2000:]}", file=sys.stderr)
        return 1
    return 0
