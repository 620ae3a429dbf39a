"""What the class report counts: the questions the course asks, each learner's answers fitted to
them, and the reading of every export into per-question answer lists (with a progress bar).

Nothing here is shown to anyone: it produces raw counts for `aggregate`, which alone decides what
may leave the report.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from course.instructor.report.reading import ReportSummary, Skipped, _Checker, _read_one

PROGRESS_MIN_FILES = 100  # a smaller class is read in a blink: no bar


# -- what can be answered, from the course content ------------------------------------------------
@dataclass
class _Question:
    """A top-level item, or one stage of a case: the unit the report counts answers in."""

    key: str  # item id, or "case-id#2" for stage 2
    item: str
    stage: int | None
    unit: str
    kind: str  # single | multiple | stance | ranking | reflection
    data: object
    heading: str
    title: str = ""  # a short name for charts and summary lines: the question itself, not its scenario

    @property
    def graded(self) -> bool:
        return self.kind in ("single", "multiple") and self.data.get("graded", True)

    @cached_property
    def options(self) -> dict:
        return {o["key"]: o for o in self.data["options"]}

    @cached_property
    def entry_keys(self) -> list[str]:
        return sorted(e["key"] for e in self.data["entries"])


def _questions(loaded) -> dict[str, _Question]:
    """Every question of the loaded course, by key, in content order."""
    out = {}
    for spec in loaded.items.values():
        if spec.type != "case":
            out[spec.id] = _Question(spec.id, spec.id, None, spec.unit, spec.type, spec.data,
                                     _short(spec.data["prompt"], 110), _asked(spec.data["prompt"], 70))
            continue
        stages = spec.data["stages"]
        for number, stage in enumerate(stages, 1):
            key = f"{spec.id}#{number}"
            out[key] = _Question(key, spec.id, number, spec.unit, stage["question"]["type"], stage["question"],
                                 f"Case: {_short(spec.data['title'], 60)}, stage {number} of {len(stages)}: "
                                 f"{_short(stage['question']['prompt'], 80)}",
                                 f"{_short(spec.data['title'], 28)} ({number}/{len(stages)}): "
                                 f"{_asked(stage['question']['prompt'], 40)}")
    return out


def _pairs(loaded) -> list[tuple[str, str]]:
    """(before, after) for each stance question that revisits an earlier one."""
    return [(spec.data["revisits"], spec.id) for spec in loaded.items.values()
            if spec.type == "stance" and spec.data.get("revisits") in loaded.items]


_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+(?=[A-Z\u201c\"(])")  # "5.2, as" or "e.g. the" go on


def _asked(prompt: str, limit: int) -> str:
    """What a prompt asks, shortened: its last sentence ending in "?" (the scenario before it is
    left out), or else its last sentence (often "Which of these ...:")."""
    text = " ".join(str(prompt).split())
    sentences = [x for x in _SENTENCE_END.split(text) if x] or [text]
    asked = [i for i, x in enumerate(sentences) if x.endswith("?")]
    at = asked[-1] if asked else len(sentences) - 1
    question = sentences[at]
    if len(question) < limit // 2 and at > 0:  # "What should she do?": the sentence before says who
        room = limit - len(question) - 3
        return f"{_short(sentences[at - 1], room)} \u2014 {question}"
    return _short(question, limit)


def _short(text: str, limit: int) -> str:
    """Text on one line, cut with an ellipsis at `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


_NO = object()  # an answer that does not fit its question


def _fit(question: _Question, value):
    """The answer in a countable form, or _NO if it does not fit the question."""
    fit = _FITS.get(question.kind)
    return fit(question, value) if fit else _NO


def _fit_single(question, value):
    return value if type(value) is str and value in question.options else _NO


def _fit_multiple(question, value):
    """A non-empty list of distinct option keys, as a frozenset."""
    if type(value) is not list or not value:
        return _NO
    try:
        keys = frozenset(value)
    except TypeError:  # a list or object inside: not an option key
        return _NO
    # Only strings are option keys, so this also checks every entry is a string.
    return keys if len(keys) == len(value) and keys <= question.options.keys() else _NO


def _fit_stance(question, value):
    scale = question.data["scale"]
    return value if type(value) is int and scale["min"] <= value <= scale["max"] else _NO


def _fit_ranking(question, value):
    """Every entry key exactly once, as a tuple in the learner's order."""
    if type(value) is not list:
        return _NO
    try:
        same = sorted(value) == question.entry_keys  # entries that are not strings never equal the keys
    except TypeError:  # entries that cannot be ordered against each other
        return _NO
    return tuple(value) if same else _NO


MAX_WORDS = 100_000
"""The longest reflection a word count may claim; a journal holds far less (issue 10, defect 2)."""


def _fit_reflection(question, value):
    """(words, the shared text or None): text only where the learner chose to share it."""
    if type(value) is not dict or type(value.get("share")) is not bool:
        return _NO
    words = value.get("words")
    if type(words) is not int or not 0 <= words <= MAX_WORDS:  # a crafted 10**4000 must not reach statistics
        return _NO
    text = value.get("text")
    shared = _clean(text) if value["share"] is True and type(text) is str and text.strip() else None
    return words, shared


_FITS = {"single": _fit_single, "multiple": _fit_multiple, "stance": _fit_stance, "ranking": _fit_ranking,
         "reflection": _fit_reflection}


_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _clean(text: str) -> str:
    """Learner text made safe to store and show: no lone surrogates, control or bidi characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


# -- reading all exports into per-question answers -------------------------------------------------
class _Progress:
    """`reading exports [#####...............] 500/1000` on stderr, drawn by tqdm at most 21 times
    (0 to 20 steps), each redraw replacing the last (a carriage return between redraws, a newline
    at the end, on a terminal or not); only with `enabled` and PROGRESS_MIN_FILES files or more.
    A stream that stops taking writes turns the bar off; it never stops the report."""

    STEPS = 20

    def __init__(self, total: int, enabled: bool, stream=None):
        self.total, self.bar, self.shown = total, None, 0
        if not enabled or total < PROGRESS_MIN_FILES:
            return
        from tqdm import tqdm

        try:
            self.bar = tqdm(total=total, desc="reading exports", file=stream or sys.stderr, ascii=".#",
                            bar_format="{desc} [{bar:%d}] {n_fmt}/{total_fmt}" % self.STEPS, mininterval=0,
                            miniters=1, dynamic_ncols=False, leave=True)
        except (OSError, ValueError):
            self.bar = None

    def update(self, done: int) -> None:
        """Move the bar to `done` files; redraws only when a step is passed, closes at the end."""
        if self.bar is None:
            return
        step = done * self.STEPS // self.total
        try:
            if done >= self.total:  # closing draws the full bar once, and ends the line
                self.bar.n = done
                self.bar.close()
                self.bar = None
            elif step != self.shown:
                self.shown = step
                self.bar.update(done - self.bar.n)
        except (OSError, ValueError):
            self.bar = None


def _collect(files: list[Path], questions: dict[str, _Question], pairs, summary: ReportSummary, progress: bool):
    """Read every file; returns {question key: [countable answers]} and {pair: [(before, after)]}."""
    checker = _Checker()
    summary.validation = "fast" if checker.fast else "jsonschema"
    answers: dict[str, list] = {key: [] for key in questions}
    shifts: dict[tuple[str, str], list[tuple[int, int]]] = {pair: [] for pair in pairs}
    item_types = {}
    for q in questions.values():
        item_types[q.item] = "case" if q.stage else q.kind
    stages = {}
    for q in questions.values():
        if q.stage:
            stages.setdefault(q.item, {})[str(q.stage)] = q
    seen_bytes: dict[bytes, str] = {}
    seen_codes: dict[str, str] = {}
    bar = _Progress(len(files), progress)
    for done, path in enumerate(files, 1):
        doc = _read_one(path, checker, seen_bytes, seen_codes)
        if isinstance(doc, Skipped):
            summary.skipped.append(doc)
        else:
            summary.learners += 1
            summary.ignored_answers += _count_doc(doc, questions, item_types, stages, pairs, answers, shifts)
        bar.update(done)
    summary.files = len(files)
    return answers, shifts


def _count_doc(doc, questions, item_types, stages, pairs, answers, shifts) -> int:
    """Add one learner's answers; returns how many answers were ignored."""
    ignored, mine, seen = 0, {}, set()
    for answer in doc["answers"]:
        item, kind, value = answer["item"], answer["type"], answer["value"]
        if kind == "builder" and item == "policy-builder":
            continue  # the policy builder's drafts are free text: not aggregated
        if item_types.get(item) != kind or item in seen:
            ignored += 1  # unknown item, wrong type, or the same item twice
            continue
        seen.add(item)
        if kind != "case":
            fitted = _fit(questions[item], value)
            if fitted is _NO:
                ignored += 1
            else:
                mine[item] = fitted
            continue
        if type(value) is not dict:
            ignored += 1
            continue
        for stage, stage_value in value.items():
            question = stages[item].get(stage)
            fitted = _fit(question, stage_value) if question else _NO
            if fitted is _NO:
                ignored += 1
            else:
                mine[question.key] = fitted
    for key, fitted in mine.items():
        answers[key].append(fitted)
    for before, after in pairs:
        b, a = mine.get(before), mine.get(after)
        if type(b) is int and type(a) is int:
            shifts[(before, after)].append((b, a))
    return ignored
