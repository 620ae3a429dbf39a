"""The anonymised class report: what a seminar group answered, without showing any one learner.

    python -m course seminar report FILES_OR_DIRS... -o OUTDIR [--min-count 5]

reads learners' JSON exports (`course/schemas/export.schema.json`; a directory stands for the
`*.json` files directly inside it) and writes, atomically:

- `OUTDIR/index.html`: a one-screen summary (stances before and after, the three most-missed
  questions with the most-chosen wrong answer where publishable, a few shared reflections), then
  four charts, each a `<figure>` with alt text that describes the data, a caption and a table of
  the same numbers, then headings per unit. Questions are named by their (shortened) text.
  A Content-Security-Policy forbids scripts; the only external files are the PNGs beside it.
- `OUTDIR/stance-shift.png`, `difficulty.png`, `ranking.png`, `word-counts.png`.
- `OUTDIR/summary.json`: the same aggregates for instructors' own analysis (hidden cells null).

Privacy (min_count = N, default 5; the rules are `disclosure`'s, the threat model is in README.md):
- Recode before suppressing: stances are counted in three bands (disagree / neutral / agree),
  a stance asked twice as moves between bands (toward agree / stayed / toward disagree).
- No count of 1 to N-1 learners is shown, in the page, the charts or summary.json: such a cell
  reads "fewer than N" and is not drawn. An item with 1 to N-1 respondents shows only
  "fewer than N responses", and nothing computed from it (no percentage, mean or median).
- Zero is shown as 0. It names nobody (it says that no one chose something), and hiding it would
  hide the most useful fact about a wrong option or an empty band. A unanimous answer is
  therefore visible, as a class result.
- Where the cells of a table add up to a total the page shows, a lone small cell is "withheld"
  with the first large cell in the table's order; if a hidden small count could still be worked
  out, the whole table is withheld. The choice never depends on hidden values in a way a reader
  who knows the rule could use.
- Every other figure is part of its table: the movement and net movement only when no cell of
  either side is hidden (all or nothing); the share fully correct only when neither right nor
  wrong answers are fewer than N; the most-chosen wrong answer only when its count is shown and
  the rest it implies pins no other option; a median only when no band is hidden. No "rest",
  tie or order among hidden counts is published.
- Reflection text appears only where the export says `"share": true` and carries a text, and
  only for items at least N learners answered; texts are sorted, not in file order. Learner
  codes, names and file names never appear in the report (file problems go to the terminal).

Robustness: a file that cannot be read, is over 2 MB, is not UTF-8 JSON, does not match the
export schema, comes from another major.minor module version, or repeats a learner code or the
bytes of an earlier file is reported and skipped; no input makes this module raise. An answer
that does not fit its item (unknown item or option, wrong type, stance off the scale) is
ignored and counted.

Speed: each file is read, hashed and parsed once, then checked against export.schema.json
compiled by jsonschema-rs (once per process, about 1 ms). jsonschema runs only on files the
compiled check rejects, to confirm the rejection and word the problem (it alone decides: a
pattern's `$` allows a final newline in jsonschema, not in jsonschema-rs), and on every file if
the schema cannot be compiled. Measured on 500 synthetic exports of 55 answers (2-core machine,
shared, 2026-12-02): jsonschema-rs takes 0.011 to 0.019 ms an export, fastjsonschema, which it
replaced, 0.095 to 0.129 ms, and the hand-written mirror before that about 0.02 ms; parsing the
JSON takes 0.036 ms. Python's cyclic garbage collector is paused while a report is built (counting
keeps every answer alive, and its full passes over that growing heap cost about 0.5 s at 10,000
learners). Time grows linearly with the number of files; the charts cost the same for any class size.

The work is split by job: `reading` (files, hashing, the schema check), `answers` (the questions
and each learner's answers fitted to them), `disclosure` (recoding, suppression, which figures may
be published), `aggregate` (counting, through `disclosure`),
`charts` (figures and alt text) and `pages` (index.html from templates, summary.json). This module
ties them together; `build_report` looks up `_charts` and the `draw_*` functions here at call
time, so a caller (the benchmark, a test) may replace them.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from course.atomic import atomic_write_bytes, atomic_write_text
from course.instructor.report.aggregate import REPORT_FORMAT, _aggregate
from course.instructor.report.answers import (PROGRESS_MIN_FILES, _collect, _count_doc, _fit, _pairs, _Progress,
                                              _Question, _questions)
from course.instructor.report.charts import CHART_FILES, draw_difficulty, draw_ranking, draw_stance, draw_words
from course.instructor.report.disclosure import SMALL, WITHHELD, suppress
from course.instructor.report.pages import CSP, MAX_SHOWN_CHARS, page_html, summary_json
from course.instructor.report.reading import (EXPORT_FORMAT, MAX_BYTES, SKIP_KINDS, ReportSummary, Skipped, _Checker,
                                              _export_problem, _find_files, _os_reason, _read_one)
from course.problems import printable

__all__ = ["CHART_FILES", "CSP", "EXPORT_FORMAT", "MAX_BYTES", "MAX_SHOWN_CHARS", "PROGRESS_MIN_FILES",
           "REPORT_FORMAT", "SKIP_KINDS", "SMALL", "WITHHELD", "ReportSummary", "Skipped", "add_arguments",
           "build_report", "draw_difficulty", "draw_ranking", "draw_stance", "draw_words", "run", "suppress"]
# Also importable from here, for the tests and the benchmark: _Checker, _export_problem, _read_one,
# _Question, _questions, _pairs, _fit, _collect, _count_doc, _Progress, _aggregate, _charts.
_PRIVATE = (_Checker, _export_problem, _read_one, _Question, _questions, _pairs, _fit, _collect, _count_doc,
            _Progress, _aggregate)


# -- writing ----------------------------------------------------------------------------------------
def _charts(agg: dict, k: int) -> dict[str, bytes]:
    """The four charts as PNG bytes, by file name (drawn by the draw_* functions of this module)."""
    unit_ids = [u["id"] for u in agg["units"]]
    return {CHART_FILES["stance"]: draw_stance(agg["stance_shift"], k),
            CHART_FILES["difficulty"]: draw_difficulty(agg["difficulty"], unit_ids, k),
            CHART_FILES["ranking"]: draw_ranking(agg["ranking"], k),
            CHART_FILES["words"]: draw_words(agg["reflections"], unit_ids, k)}


@contextmanager
def _cycle_collector_paused():
    """Pause Python's cyclic garbage collector while a report is built, and restore it afterwards.

    Counting keeps every countable answer alive, so the collector's full passes, set off by that
    growth, walk an ever larger heap: at 10,000 learners they took about 0.5 s of the report
    (median of alternating runs on the benchmark's exports). Nothing here needs cycles freed promptly: reference
    counting frees what the report drops, and the few cycles it makes (matplotlib's figures) are
    collected once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_report(paths, outdir, min_count: int = 5, progress: bool = True) -> ReportSummary:
    """Read the exports in `paths` (files or folders of *.json) and write the report to `outdir`.

    With `progress`, a bar on stderr follows the reading of a class of PROGRESS_MIN_FILES or more.

    Bad files are skipped and listed in the returned summary; only writing `outdir` can raise
    (OSError). Raises ValueError if min_count is below 1.
    """
    from course.material.api import content

    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a whole number of at least 1 (got {min_count!r})")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    loaded = content()
    outdir = Path(outdir)
    summary = ReportSummary(outdir=outdir, min_count=min_count)
    files, summary.skipped = _find_files(paths, outdir)
    questions = _questions(loaded)
    pairs = _pairs(loaded)
    with _cycle_collector_paused():
        answers, shifts = _collect(files, questions, pairs, summary, progress)
        agg = _aggregate(questions, answers, shifts, loaded, min_count, summary.learners)
        summary.aggregates = agg
        outdir.mkdir(parents=True, exist_ok=True)
        if agg["learners"] is not None:
            for name, png in _charts(agg, min_count).items():
                atomic_write_bytes(outdir / name, png)
                summary.written.append(outdir / name)
        else:  # too few learners: no charts, and none left over from an earlier run
            for name in CHART_FILES.values():
                try:
                    (outdir / name).unlink()
                except FileNotFoundError:
                    pass
        atomic_write_text(outdir / "summary.json", summary_json(agg))
        atomic_write_text(outdir / "index.html", page_html(agg, loaded, min_count))
        summary.written += [outdir / "summary.json", outdir / "index.html"]
    return summary


# -- command line -----------------------------------------------------------------------------------
def _min_count(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_arguments(parser) -> None:
    """The arguments of `python -m course seminar report`."""
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                        help="learners' JSON exports, or folders holding them (*.json)")
    parser.add_argument("-o", "--out", required=True, help="folder to write index.html, the charts and summary.json to")
    parser.add_argument("--min-count", type=_min_count, default=5, metavar="N",
                        help="hide any count of fewer than N learners (default 5)")
    parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")


def run(args) -> int:
    """Build the report; print skipped files to stderr and one summary line to stdout."""
    from course.problems import ContentError

    try:
        summary = build_report(args.paths, args.out, min_count=args.min_count,
                               progress=not getattr(args, "no_progress", False))
    except ContentError as exc:
        print(f"report: the course content has problems, fix them first:\n{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"report: cannot write the report to {printable(str(args.out), 200)} ({_os_reason(exc)})", file=sys.stderr)
        return 1
    for skipped in summary.skipped:
        print(f"report: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    if summary.validation != "fast":
        print("report: note: the export schema could not be compiled; every file was checked with jsonschema "
              "(slower)",
              file=sys.stderr)
    print(summary.line())
    if summary.learners < summary.min_count:
        print(f"report: fewer than {summary.min_count} learners' exports could be used, so the report shows no figures",
              file=sys.stderr)
        return 1
    return 0
