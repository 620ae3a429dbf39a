"""Benchmark the class report: 100, 1,000 and 10,000 learners' exports, in one run.

    .venv/bin/python benchmarks/report_bench.py

prints each time and the growth ratios, e.g. `report 1000 learners: 1.23 s; 10x learners: 9.8x time`;
each ratio must be at most 12 (linear scaling). Exit status 1 if one is not.
`make_exports(n, folder, seed)` writes realistic synthetic exports for every item of the real content
(the tests use it too); `main()` returns the figures as a dict, for benchmarks/run.py.

The times cover build_report alone (progress=False): reading, checking, counting, charts and writing.
Loading the course content and importing matplotlib happen once per process and are done before
timing, so the first size is not charged for them.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from course import __version__  # noqa: E402
from course.material.api import content  # noqa: E402

SIZES = (100, 1000, 10000)
MAX_RATIO = 12.0
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_FILLER = ("patients public trust posts anonymity professional students evidence sponsorship disclosure "
           "mentorship guidance school policy harm benefit identity privacy consent audience accountable "
           "I think we should because although however reader colleague online careful share").split()


def _choice(rng: random.Random, question: dict):
    """A single/multiple answer: right with a fair chance, else a plausible mistake."""
    options = question["options"]
    keys = [o["key"] for o in options]
    right = [o["key"] for o in options if o.get("correct")]
    graded = question.get("graded", True)
    if question["type"] == "single":
        if graded and rng.random() < 0.7:
            return right[0]
        wrong = [k for k in keys if k not in right] if graded else keys
        weights = [len(wrong) - i for i in range(len(wrong))]  # some mistakes more common than others
        return rng.choices(wrong, weights)[0]
    picked = sorted({k for k in keys if rng.random() < (0.85 if k in right else 0.15)})
    return picked or [rng.choice(keys)]


def _reflection(rng: random.Random, words_spec: dict, share_rate: float = 0.3) -> dict:
    low, high = words_spec["min"], words_spec["max"]
    words = max(1, int(rng.triangular(low * 0.5, high * 1.3, (low + high) / 2)))
    if rng.random() >= share_rate:
        return {"share": False, "words": words}
    text = " ".join(rng.choice(_FILLER) for _ in range(words)).capitalize() + "."
    return {"share": True, "words": words, "text": text}


def _ranking(rng: random.Random, spec_data: dict) -> list[str]:
    order = list(spec_data["reference_order"])
    for _ in range(rng.randint(0, 3)):  # a few neighbour swaps away from the reference
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    return order


def _learner_code(rng: random.Random, taken: set) -> str:
    while True:
        chars = "".join(rng.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"{chars[:4]}-{chars[4:]}"
        if code not in taken:
            taken.add(code)
            return code


def make_export(rng: random.Random, code: str, answer_rate: float = 0.92, share_rate: float = 0.3) -> dict:
    """One learner's export, shaped exactly as `python -m course export --format json` writes it."""
    loaded = content()
    leaning = rng.uniform(-1, 1)  # a learner's general outlook, so stances correlate
    stances: dict[str, int] = {}
    answers = []
    for spec in loaded.items.values():
        data = spec.data
        if spec.type == "stance":
            scale = data["scale"]
            if "revisits" in data and data["revisits"] in stances:
                value = stances[data["revisits"]] + rng.choice((-1, 0, 0, 1, 1))
            else:
                value = round((scale["min"] + scale["max"]) / 2 + leaning * 1.5 + rng.gauss(0, 1))
            value = min(scale["max"], max(scale["min"], value))
            stances[spec.id] = value
        if rng.random() >= answer_rate:
            continue
        if spec.type == "stance":
            value = stances[spec.id]
        elif spec.type in ("single", "multiple"):
            value = _choice(rng, data)
        elif spec.type == "ranking":
            value = _ranking(rng, data)
        elif spec.type == "reflection":
            value = _reflection(rng, data["words"], share_rate)
        elif spec.type == "case":
            value = {}
            for number, stage in enumerate(data["stages"], 1):
                if rng.random() >= 0.95:
                    break  # cases unfold in order: a learner may stop part way
                question = stage["question"]
                value[str(number)] = (_reflection(rng, question["words"], share_rate)
                                      if question["type"] == "reflection" else _choice(rng, question))
            if not value:
                continue
        else:
            continue
        answers.append({"item": spec.id, "unit": spec.unit, "type": spec.type, "value": value,
                        "saved": f"2025-03-{rng.randint(1, 28):02d}T{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}:00Z"})
    builder = loaded.extra.get("policy_builder")
    if builder and rng.random() < 0.6:
        draft = {area["id"]: {"option": rng.choice([o["key"] for o in area["options"]]),
                              "reason": " ".join(rng.choice(_FILLER) for _ in range(12))}
                 for area in builder["areas"] if rng.random() < 0.8}
        answers.append({"item": "policy-builder", "unit": "04-policy-workshop", "type": "builder", "value": draft,
                        "saved": "2025-03-28T10:00:00Z"})
    answers.sort(key=lambda a: a["item"])
    return {"format": "social-media-ethics-export/1", "module_version": __version__, "learner_code": code,
            "answers": answers}


def make_exports(n: int, folder, seed: int = 0, share_rate: float = 0.3) -> list[Path]:
    """Write `n` synthetic learners' exports to `folder` (learner-00000.json, ...); returns the paths."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    paths = []
    for index in range(n):
        doc = make_export(rng, _learner_code(rng, taken), share_rate=share_rate)
        path = folder / f"learner-{index:05d}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


def _warm_up(folder: Path) -> None:
    """Load the content and import matplotlib once, outside the timed runs."""
    from course.instructor.report import build_report

    make_exports(10, folder / "warm", seed=99)
    build_report([folder / "warm"], folder / "warm-out", progress=False)


def main(sizes=SIZES, seed: int = 1, verbose: bool = True) -> dict:
    """Time build_report at each size. Returns {"seconds": {n: s}, "charts_seconds": {n: s},
    "ratios": {"1000/100": r, ...}, "ratios_without_charts": {...}, "max_ratio": 12, "ok": bool};
    ok is whether every total ratio is at most 12."""
    from course.instructor import report

    seconds: dict[int, float] = {}
    charts: dict[int, float] = {}
    drawing = report._charts

    def timed_charts(agg, k):  # the charts cost the same at any size: timed apart to show the rest is linear
        start = time.perf_counter()
        try:
            return drawing(agg, k)
        finally:
            charts[current] = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        tmp = Path(tmp)
        _warm_up(tmp)
        report._charts = timed_charts
        try:
            for current in sizes:
                folder = tmp / f"exports-{current}"
                make_exports(current, folder, seed=seed)
                start = time.perf_counter()
                summary = report.build_report([folder], tmp / f"report-{current}", progress=False)
                seconds[current] = time.perf_counter() - start
                if summary.learners != current:
                    raise RuntimeError(f"expected {current} learners, the report read {summary.learners}")
                if verbose:
                    print(f"report {current} learners: {seconds[current]:.2f} s (charts {charts[current]:.2f} s, "
                          f"everything else {seconds[current] - charts[current]:.2f} s)", flush=True)
        finally:
            report._charts = drawing
    steps = list(zip(sizes, sizes[1:]))
    ratios = {f"{b}/{a}": seconds[b] / seconds[a] for a, b in steps}
    rest = {f"{b}/{a}": (seconds[b] - charts[b]) / (seconds[a] - charts[a]) for a, b in steps}
    ok = all(r <= MAX_RATIO for r in ratios.values())
    if verbose:
        for (a, b), key in zip(steps, ratios):
            print(f"report {b} learners: {seconds[b]:.2f} s; {b // a}x learners: {ratios[key]:.1f}x time "
                  f"({rest[key]:.1f}x without the charts' constant cost; limit {MAX_RATIO:.0f}x)")
        print("ok: scales linearly" if ok else f"FAILED: a ratio is over {MAX_RATIO:.0f}x")
    return {"seconds": seconds, "charts_seconds": charts, "ratios": ratios, "ratios_without_charts": rest,
            "max_ratio": MAX_RATIO, "ok": ok}


if __name__ == "__main__":
    sys.exit(0 if main()["ok"] else 1)
