"""The stored notebooks: built from their sources, executed in order, structured as a lesson.

Strict nbval (in the README's test command) re-runs every notebook and compares outputs; these
tests check what nbval does not: that the stored notebooks match their sources, were executed
top to bottom without errors, open and close as lessons do, and that nbval really fails when a
stored output changes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import course
from course.build.notebooks import WIDGET_VIEW, parse_source, source_path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
UNITS = [u.id for u in course.units()]


def load(unit_id):
    return nbformat.read(NOTEBOOKS / f"{unit_id}.ipynb", as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


@pytest.mark.parametrize("unit_id", UNITS)
class TestStoredNotebook:
    def test_matches_its_source(self, unit_id):
        """A notebook edited by hand would drift from readings/units/; rebuild with `make notebooks`."""
        cells = parse_source(source_path(unit_id).read_text(encoding="utf-8"))
        nb = load(unit_id)
        assert [(c.cell_type, c.source) for c in nb.cells] == cells

    def test_executed_in_order_without_errors(self, unit_id):
        """Execution counts 1..N show the stored outputs come from one clean top-to-bottom run."""
        cells = code_cells(load(unit_id))
        assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
        for cell in cells:
            for out in cell.outputs:
                assert out.output_type != "error", cell.source
                assert not (out.output_type == "stream" and out.name == "stderr"), (cell.source, out.text)

    def test_opens_with_objectives_and_time_and_closes_with_key_points(self, unit_id):
        """Every lesson states objectives, prerequisites and minutes first, and key points last."""
        cells = code_cells(load(unit_id))
        assert f'course.header("{unit_id}")' in cells[0].source
        opening = outputs_text(cells[0])
        assert "Objectives:" in opening and "Prerequisites:" in opening and "minutes" in opening
        assert f'course.key_points("{unit_id}")' in cells[-1].source
        assert "Key points:" in outputs_text(cells[-1])

    def test_shows_every_item_of_its_unit(self, unit_id):
        """An item written in the bank but never shown would be content no learner meets."""
        source = "\n".join(c.source for c in code_cells(load(unit_id)))
        missing = [i for i in course.items(unit_id) if f'"{i}"' not in source]
        assert not missing

    def test_has_quiz_case_and_figure_with_alt_text(self, unit_id):
        """The issue asks each notebook for a quiz, a case (00 excepted) and a figure with alt text."""
        nb = load(unit_id)
        kinds = {course.material.api.content().items[i].type for i in course.items(unit_id)}
        assert kinds & {"single", "multiple"}
        if not unit_id.startswith("00"):
            assert "case" in kinds
        figures = [out for c in code_cells(nb) for out in c.outputs
                   if "image/png" in out.get("data", {})]
        assert figures, "no figure"
        for out in figures:
            html = out["data"]["text/html"]
            alt = re.search(r'<img [^>]*alt="([^"]+)"', html)
            assert alt and len(alt.group(1)) > 40, "figure without meaningful alt text"
            assert out["data"]["text/plain"].startswith("Figure: ")

    def test_stored_outputs_are_portable_and_static(self, unit_id):
        """No live widget views (no model to show), no absolute paths or addresses in what is stored."""
        raw = (NOTEBOOKS / f"{unit_id}.ipynb").read_text(encoding="utf-8")
        assert WIDGET_VIEW not in raw
        assert '"widgets"' not in json.dumps(load(unit_id).metadata)
        for pattern in (r"/tmp/", r"/home/", r"/root/", r"0x[0-9a-f]{8,}", r"course-example-"):
            assert not re.search(pattern, raw), pattern


def test_every_unit_has_a_notebook_and_no_strays():
    """One notebook per manifest unit, named by its id, and nothing else in notebooks/."""
    stored = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert stored == UNITS


def _run_nbval(path: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COURSE_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", str(REPO / "tests" / "nbval-sanitize.cfg"),
         "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, env=env, cwd=path.parent, timeout=600)


def test_nbval_fails_when_a_stored_output_changes(tmp_path):
    """Strict nbval must be able to fail: alter one stored text output and it must report it."""
    nb = load(UNITS[0])
    target = next(c for c in code_cells(nb) if f'course.header("{UNITS[0]}")' in c.source)
    data = next(o for o in target.outputs if "data" in o)["data"]
    data["text/plain"] = data["text/plain"].replace("Objectives:", "Objectives (edited):")
    altered = tmp_path / "altered" / f"{UNITS[0]}.ipynb"
    altered.parent.mkdir()
    nbformat.write(nb, altered)
    result = _run_nbval(altered, tmp_path / "home-altered")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "Objectives (edited):" in result.stdout


def test_nbval_formats_kernel_messages_only_for_a_debug_log(monkeypatch):
    """The root conftest defers nbval's pretty-printing of each kernel message; a debug log still gets it whole.

    Runs nbval's own `RunningKernel.get_message` on a stand-in kernel client, so a change in how nbval
    logs (an f-string would format every message again) fails here.
    """
    import logging
    import pprint
    from types import SimpleNamespace

    import nbval.kernel

    message = {"msg_type": "comm_open", "content": {"data": {"state": {"value": "<b>x</b>" * 40}}}}
    calls = []
    monkeypatch.setattr(pprint, "pformat", lambda obj: calls.append(obj) or "formatted")
    kernel = SimpleNamespace(kc=SimpleNamespace(get_iopub_msg=lambda timeout=None: message))
    logger = nbval.kernel.logger
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logger, "level", logging.WARNING)
    assert nbval.kernel.RunningKernel.get_message(kernel, "iopub") is message
    assert calls == [], "a message was pretty-printed for a log line nobody writes"

    written = []
    handler = logging.Handler()
    handler.emit = lambda record: written.append(record.getMessage())
    logger.addHandler(handler)
    try:
        logger.setLevel(logging.DEBUG)
        nbval.kernel.RunningKernel.get_message(kernel, "iopub")
    finally:
        logger.removeHandler(handler)
    assert calls == [message] and written == ["Kernel message (iopub):\nformatted"]
