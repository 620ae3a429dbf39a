"""Issue 10, defects 2 and 7: a crafted number or a file swapped for a FIFO cannot break the class report.

2: every number read from an export is range-checked before anything is computed from it, so
   `words: 10**4000` is an answer that does not fit, counted and ignored, not an OverflowError.
7: a file is opened first, without following links and without blocking, and only what was opened
   is checked, so a swap between a check and the open cannot make the report wait forever.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from pathlib import Path

import pytest

from course.instructor import report
from course.instructor.report import reading

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("report_bench", ROOT / "benchmarks" / "report_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_huge_word_count_is_ignored_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "_charts", lambda agg, k: {name: b"\x89PNG stub" for name in report.CHART_FILES.values()})
    exports = tmp_path / "exports"
    exports.mkdir()
    paths = _bench().make_exports(12, exports, seed=5)
    huge = "1" + "0" * 4000
    for path in paths:
        text = path.read_text("utf-8")
        doc = json.loads(text)
        reflections = [a for a in doc["answers"] if a["type"] == "reflection" and isinstance(a["value"], dict)]
        assert reflections
        for answer in reflections:
            answer["value"]["words"] = 0  # a marker, replaced by the huge literal below
        text = json.dumps(doc).replace('"words": 0', f'"words": {huge}')
        path.write_text(text, "utf-8")
    summary = report.build_report([exports], tmp_path / "out", min_count=5, progress=False)
    assert summary.ignored_answers > 0
    assert (tmp_path / "out" / "index.html").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_file_swapped_for_a_fifo_after_its_check_cannot_hang_the_report(tmp_path, monkeypatch):
    decoy = tmp_path / "decoy.json"
    decoy.write_text("{}", "utf-8")
    fifo = tmp_path / "swapped.json"
    os.mkfifo(fifo)
    real_stat = os.stat
    # What a check made before the swap saw: a regular file.
    monkeypatch.setattr(reading.os, "stat", lambda p, *a, **k: real_stat(decoy) if Path(p) == fifo else real_stat(p, *a, **k))
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("r", reading._read_bytes(fifo)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():
        with open(fifo, "wb"):  # let the stuck open go, so the test process can finish
            pass
        pytest.fail("reading a file swapped for a FIFO blocked")
    raw, skipped = result["r"]
    assert raw is None and "not a regular file" in skipped.reason


def test_a_symbolic_link_is_not_followed(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("{}", "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    raw, skipped = reading._read_bytes(link)
    assert raw is None and "symbolic link" in skipped.reason
