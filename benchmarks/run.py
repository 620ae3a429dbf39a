"""Performance figures, each printed as a ratio measured in this one run (`make bench`).

Ratios, not absolute times, are the targets, because a ratio measured side by side on the same
machine in the same run cancels out how fast that machine is:

  import course        vs import ipywidgets alone                       target <= 0.1x
  one answer's save    vs a bare atomic write of the same file (p50, p99) target <= 3x
  class report         at 100, 1,000 and 10,000 learners                  target <= 12x per 10x
  strict nbval suite   vs its floor (every code cell replaced by pass)    target <= 1.3x
  JupyterLab run-all   of the biggest notebook vs an empty one            (reported)

Run one part with `python benchmarks/run.py import save report nbval browser`.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _import_time(module: str) -> float:
    code = ("import time; t = time.perf_counter(); import " + module +
            "; print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return float(out.stdout.strip())


def bench_import(rounds: int = 15) -> dict:
    """Median time of `import course` and `import ipywidgets` in fresh interpreters, interleaved."""
    _import_time("course"), _import_time("ipywidgets")  # warm the file cache
    course_t, widgets_t = [], []
    for _ in range(rounds):
        course_t.append(_import_time("course"))
        widgets_t.append(_import_time("ipywidgets"))
    c, w = statistics.median(course_t), statistics.median(widgets_t)
    ratio = c / w
    print(f"import course: {c * 1000:.1f} ms; import ipywidgets: {w * 1000:.1f} ms; "
          f"ratio {ratio:.2f}x (target <= 0.1x)")
    return {"import_course_ms": c * 1000, "import_ipywidgets_ms": w * 1000, "import_ratio": ratio}


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def bench_save(rounds: int = 400) -> dict:
    """One answer's save (lock, read, merge, atomic write) vs a bare atomic write of the same bytes."""
    from course.learner.journal import Journal
    from course.atomic import atomic_write_text

    with tempfile.TemporaryDirectory() as home:
        journal = Journal(home)
        for i in range(60):  # a journal of realistic size: a learner who answered every item
            journal.save(f"item-{i}", {"text": "word " * 80, "share": False} if i % 7 == 0 else "b")
        bare_path = Path(home) / "bare.json"
        save_t, bare_t = [], []
        for i in range(rounds):
            t = time.perf_counter()
            journal.save(f"item-{i % 60}", "c" if i % 2 else "b")
            save_t.append(time.perf_counter() - t)
            payload = journal.path.read_text(encoding="utf-8")
            t = time.perf_counter()
            atomic_write_text(bare_path, payload)
            bare_t.append(time.perf_counter() - t)
    result = {}
    for q in (50, 99):
        s, b = _percentile(save_t, q), _percentile(bare_t, q)
        result[f"save_p{q}_ms"], result[f"bare_p{q}_ms"], result[f"save_ratio_p{q}"] = s * 1000, b * 1000, s / b
    print(f"answer save: p50 {result['save_p50_ms']:.2f} ms vs bare atomic write {result['bare_p50_ms']:.2f} ms "
          f"= {result['save_ratio_p50']:.2f}x; p99 {result['save_p99_ms']:.2f} ms vs {result['bare_p99_ms']:.2f} ms "
          f"= {result['save_ratio_p99']:.2f}x (target <= 3x)")
    return result


def bench_report() -> dict:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from report_bench import main as report_main

    return report_main()


def _nbval_seconds(folder: Path) -> float:
    env = {**os.environ, "COURSE_HOME": tempfile.mkdtemp(prefix="course-bench-")}
    t = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", str(REPO / "tests" / "nbval-sanitize.cfg"),
         "--rootdir", str(folder), str(folder)], capture_output=True, text=True, env=env, cwd=folder)
    elapsed = time.perf_counter() - t
    if result.returncode != 0:
        raise RuntimeError(f"nbval failed in {folder}:\n{result.stdout[-3000:]}")
    return elapsed


def bench_nbval(rounds: int = 5) -> dict:
    """Strict nbval over all notebooks vs the same notebooks with every code cell replaced by `pass`.

    The two suites alternate, floor then real, for `rounds` rounds. Each round's ratio compares two
    runs made seconds apart, so a burst of load from a neighbour on a shared machine falls on both;
    the figure is the median of those paired ratios. Every round is printed, and so is the ratio of
    each side's fastest run, which pairs runs made minutes apart. Both suites run with the project's
    `conftest.py`, the nbval settings `make test` uses.
    """
    import nbformat

    with tempfile.TemporaryDirectory() as tmp:
        real, floor = Path(tmp) / "real", Path(tmp) / "floor"
        real.mkdir(), floor.mkdir()
        for path in sorted((REPO / "notebooks").glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            nbformat.write(nb, real / path.name)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.source, cell.outputs = "pass", []
            nbformat.write(nb, floor / path.name)
        for folder in (real, floor):  # both run with the project's nbval settings, as `make test` runs them
            shutil.copy(REPO / "conftest.py", folder / "conftest.py")
        _nbval_seconds(real)  # one unmeasured run first: the content and chart caches are built once per machine
        floors, reals = [], []
        for n in range(1, rounds + 1):
            floors.append(_nbval_seconds(floor))
            reals.append(_nbval_seconds(real))
            print(f"  nbval round {n}: {reals[-1]:.1f} s vs floor {floors[-1]:.1f} s ({reals[-1] / floors[-1]:.2f}x)")
    real_s, floor_s = statistics.median(reals), statistics.median(floors)
    ratio = statistics.median(r / f for r, f in zip(reals, floors))
    fastest = min(reals) / min(floors)
    print(f"strict nbval, all notebooks: {real_s:.1f} s; floor (code cells = pass): {floor_s:.1f} s (medians of "
          f"{rounds} rounds); ratio {ratio:.2f}x, the median of the rounds' ratios (target <= 1.3x); "
          f"fastest against fastest {fastest:.2f}x")
    return {"nbval_s": real_s, "nbval_floor_s": floor_s, "nbval_ratio": ratio, "nbval_ratio_fastest": fastest}


def bench_browser() -> dict:
    sys.path.insert(0, str(REPO / "tests"))
    from browser_lab import benchmark_run_all

    return benchmark_run_all()


PARTS = {"import": bench_import, "save": bench_save, "report": bench_report, "nbval": bench_nbval,
         "browser": bench_browser}


def main(argv: list[str]) -> int:
    chosen = argv or list(PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        print(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    figures = {}
    for part in chosen:
        try:
            figures.update(PARTS[part]())
        except Exception as exc:  # report a part that cannot run here and go on with the rest
            print(f"{part}: not measured ({type(exc).__name__}: {exc})")
    print(json.dumps(figures, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
