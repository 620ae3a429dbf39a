"""The anonymised class report: what a seminar group answered, without showing any one learner.

    python -m course seminar report FILES_OR_DIRS... -o OUTDIR [--min-count 5]

reads learners' JSON exports (`course/schemas/export.schema.json`; a directory stands for the
`*.json` files directly inside it) and writes, atomically:

- `OUTDIR/index.html`: headings per unit; four charts, each a `<figure>` with alt text that
  describes the data, a caption and a table of the same numbers; shared reflections, escaped.
  A Content-Security-Policy forbids scripts; the only external files are the PNGs beside it.
- `OUTDIR/stance-shift.png`, `difficulty.png`, `ranking.png`, `word-counts.png`.
- `OUTDIR/summary.json`: the same aggregates for instructors' own analysis (hidden cells null).

Privacy (min_count = N, default 5):
- No count of 1 to N-1 learners is shown, in the page, the charts or summary.json: such a cell
  reads "fewer than N" and is not drawn. An item with 1 to N-1 respondents shows only
  "fewer than N responses", and nothing computed from it (no percentage, mean or median).
- Zero is shown as 0. It names nobody (it says that no one chose something), and hiding it would
  hide the most useful fact about a wrong option or an empty band. A unanimous answer is
  therefore visible, as a class result.
- Where the cells of a table add up to a total the page shows (a scale's points add up to the
  respondents), one hidden cell could be worked out by subtraction. So cells are also
  "withheld" until no hidden small count can be worked out exactly; if even that fails, the
  whole table is withheld.
- Reflection text appears only where the export says `"share": true` and carries a text, and
  only for items at least N learners answered; texts are sorted, not in file order. Learner
  codes, names and file names never appear in the report (file problems go to the terminal).

Robustness: a file that cannot be read, is over 2 MB, is not UTF-8 JSON, does not match the
export schema, comes from another major.minor module version, or repeats a learner code or the
bytes of an earlier file is reported and skipped; no input makes this module raise. An answer
that does not fit its item (unknown item or option, wrong type, stance off the scale) is
ignored and counted.

Speed: each file is read, hashed and parsed once, then checked by a structural check that
mirrors export.schema.json exactly (`_export_problem`; 0.03 ms an export against 2 ms);
jsonschema runs only on files that fail it, to word the problem, and on every file if the
schema changes from the one mirrored (`MIRRORED_SCHEMA_SHA256`). Time grows linearly with the
number of files; the charts cost the same for any class size.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import statistics
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from pathlib import Path

from course.version import __version__
from course.problems import printable
from course.render import PALETTE
from course.atomic import atomic_write_bytes, atomic_write_text

MAX_BYTES = 2 * 1024 * 1024
EXPORT_FORMAT = "social-media-ethics-export/1"
REPORT_FORMAT = "social-media-ethics-class-report/1"
CHART_FILES = {"stance": "stance-shift.png", "difficulty": "difficulty.png", "ranking": "ranking.png",
               "words": "word-counts.png"}
SKIP_KINDS = ("malformed", "too large", "unreadable", "duplicate", "other version")
SMALL, WITHHELD = "fewer-than-min", "withheld"
MAX_SHOWN_CHARS = 5000  # a shared reflection longer than this is cut, with a note

# sha256 of the canonical JSON (sort_keys, no spaces) of the export schema `_export_problem` mirrors.
MIRRORED_SCHEMA_SHA256 = "3b9c6937f60357ab2e16fa5c05856cda33b436318e405aa2ab9e9ac48132dd74"


# -- the result ---------------------------------------------------------------------------------
@dataclass
class Skipped:
    """A file the report did not use, and why (for the instructor's terminal, never the page)."""

    path: str
    kind: str  # one of SKIP_KINDS
    reason: str


@dataclass
class ReportSummary:
    """What build_report read, skipped and wrote; `aggregates` is what summary.json holds."""

    outdir: Path
    files: int = 0
    learners: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    ignored_answers: int = 0
    min_count: int = 5
    validation: str = "fast"  # "fast" (mirrored schema) or "jsonschema" (schema changed)
    aggregates: dict = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.outdir / "index.html"

    def skipped_counts(self) -> dict[str, int]:
        counts = Counter(s.kind for s in self.skipped)
        return {kind: counts[kind] for kind in SKIP_KINDS if counts[kind]}

    def line(self) -> str:
        """`report: N learners from M files; skipped K (2 malformed, 1 duplicate); wrote OUTDIR/index.html`"""
        parts = [f"{n} {_plural(kind, n)}" for kind, n in self.skipped_counts().items()]
        skipped = f"skipped {len(self.skipped)}" + (f" ({', '.join(parts)})" if parts else "")
        ignored = (f"; ignored {self.ignored_answers} answer{'s' if self.ignored_answers != 1 else ''} that did not "
                   "fit their items" if self.ignored_answers else "")
        return (f"report: {self.learners} learner{'s' if self.learners != 1 else ''} from {self.files} "
                f"file{'s' if self.files != 1 else ''}; {skipped}{ignored}; wrote {_shown(self.index)}")


def _shown(path) -> str:
    """A file name as a report line may show it: one terminal-safe line, cut if very long."""
    return printable(str(path), 200)


def _plural(kind: str, n: int) -> str:
    return kind + "s" if n != 1 and kind in ("duplicate", "other version") else kind


# -- finding and reading files ------------------------------------------------------------------
def _find_files(paths, outdir: Path) -> tuple[list[Path], list[Skipped]]:
    """Files in the order given; a directory stands for the *.json directly inside it, sorted."""
    found, skipped = [], []
    own_summary = _resolved(outdir / "summary.json")
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except (OSError, ValueError):
            is_dir = False  # reading it will say what is wrong
        if not is_dir:
            found.append(path)
            continue
        try:
            entries = sorted(e for e in path.iterdir() if e.name.lower().endswith(".json") and not e.name.startswith("."))
        except OSError as exc:
            skipped.append(Skipped(_shown(path), "unreadable", f"cannot list this folder ({_os_reason(exc)})"))
            continue
        found.extend(e for e in entries if e.name != "summary.json" or _resolved(e) != own_summary)
    return found, skipped


def _resolved(path: Path):
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _read_bytes(path: Path) -> tuple[bytes | None, Skipped | None]:
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = _os_reason(exc) if isinstance(exc, OSError) else "not a valid path"
        return None, Skipped(_shown(path), "unreadable", f"cannot be read ({reason})")
    if not stat.S_ISREG(info.st_mode):  # a folder named x.json, a pipe, a device: never opened
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return None, Skipped(_shown(path), "unreadable", f"is {what}, not an export file")
    if info.st_size > MAX_BYTES:
        return None, Skipped(_shown(path), "too large", f"too large ({info.st_size:,} bytes; an export is far under "
                                                 f"{MAX_BYTES // (1024 * 1024)} MB)")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, Skipped(_shown(path), "unreadable", f"cannot be read ({_os_reason(exc)})")
    if len(raw) > MAX_BYTES:
        return None, Skipped(_shown(path), "too large", f"too large (over {MAX_BYTES // (1024 * 1024)} MB)")
    return raw, None


def _parse(raw: bytes):
    """(document, None) or (None, reason)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (bad byte at position {exc.start})"
    if not text.strip():
        return None, "empty file"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    except (ValueError, RecursionError, MemoryError):  # huge integers, absurd nesting
        return None, "not valid JSON (too deeply nested or a number too long)"


# -- the export schema, fast ----------------------------------------------------------------------
_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+")
_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TOP_KEYS = frozenset({"format", "module_version", "learner_code", "learner_name", "answers"})
_ANSWER_KEYS = frozenset({"item", "unit", "type", "saved", "value"})
_ANSWER_TYPES = frozenset({"single", "multiple", "ranking", "stance", "reflection", "case", "builder"})


_GOOD_IDS: set[str] = set()  # ids that matched _ID already: the same few dozen recur in every file


def _id_ok(text: str) -> bool:
    if text in _GOOD_IDS:
        return True
    if not _ID.search(text):
        return False
    if len(_GOOD_IDS) < 10_000:
        _GOOD_IDS.add(text)
    return True


def _export_problem(doc) -> bool:
    """True if `doc` breaks export.schema.json. Mirrors the schema keyword for keyword (patterns
    are searched, as jsonschema does); tests check it agrees with jsonschema on many documents."""
    if type(doc) is not dict or not _TOP_KEYS.issuperset(doc):
        return True
    fmt, version, code, answers = (doc.get("format"), doc.get("module_version"), doc.get("learner_code"),
                                   doc.get("answers"))
    if type(fmt) is not str or fmt != EXPORT_FORMAT:
        return True
    if type(version) is not str or not _VERSION.search(version):
        return True
    if type(code) is not str or not _CODE.search(code):
        return True
    if "learner_name" in doc and (type(doc["learner_name"]) is not str or len(doc["learner_name"]) > 200):
        return True
    if type(answers) is not list:
        return True
    for answer in answers:
        if type(answer) is not dict or len(answer) < 4 or not _ANSWER_KEYS.issuperset(answer):
            return True
        item, unit, kind = answer.get("item"), answer.get("unit"), answer.get("type")
        if "value" not in answer or type(item) is not str or type(unit) is not str or type(kind) is not str:
            return True
        if kind not in _ANSWER_TYPES or not _id_ok(item) or not _id_ok(unit):
            return True
        if "saved" in answer and type(answer["saved"]) is not str:
            return True
    return False


class _Checker:
    """Schema check: the fast mirror when the schema is the mirrored one, else jsonschema for all."""

    def __init__(self):
        from course.material.schema import _validators

        self.validator = _validators()["export"]
        canonical = json.dumps(self.validator.schema, sort_keys=True, separators=(",", ":"))
        self.fast = hashlib.sha256(canonical.encode("utf-8")).hexdigest() == MIRRORED_SCHEMA_SHA256

    def problem(self, doc) -> str | None:
        if self.fast and not _export_problem(doc):
            return None
        try:
            errors = list(self.validator.iter_errors(doc))
        except RecursionError:
            return "does not match the export format (too deeply nested)"
        if not errors:
            return None
        from jsonschema.exceptions import best_match

        error = best_match(errors)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        return printable(f"does not match the export format ({where or 'top level'}: {error.message})", 240)


def _same_minor(version: str) -> bool:
    """Whether an export's module_version has this module's major.minor (digits compared as text,
    so a 5,000-digit version cannot trip Python's int() limit)."""
    def parts(text):
        match = re.match(r"([0-9]+)\.([0-9]+)", text)
        return tuple(p.lstrip("0") or "0" for p in match.groups()) if match else None

    return parts(version) is not None and parts(version) == parts(__version__)


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
    out = {}
    for spec in loaded.items.values():
        if spec.type != "case":
            out[spec.id] = _Question(spec.id, spec.id, None, spec.unit, spec.type, spec.data,
                                     _short(spec.data["prompt"], 110))
            continue
        stages = spec.data["stages"]
        for number, stage in enumerate(stages, 1):
            key = f"{spec.id}#{number}"
            out[key] = _Question(key, spec.id, number, spec.unit, stage["question"]["type"], stage["question"],
                                 f"Case: {_short(spec.data['title'], 60)}, stage {number} of {len(stages)}: "
                                 f"{_short(stage['question']['prompt'], 80)}")
    return out


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


_NO = object()  # an answer that does not fit its question


def _fit(question: _Question, value):
    """The answer in a countable form, or _NO if it does not fit the question."""
    kind, data = question.kind, question.data
    if kind == "single":
        return value if type(value) is str and value in question.options else _NO
    if kind == "multiple":
        if (type(value) is list and value and all(type(k) is str and k in question.options for k in value)
                and len(set(value)) == len(value)):
            return frozenset(value)
        return _NO
    if kind == "stance":
        scale = data["scale"]
        return value if type(value) is int and scale["min"] <= value <= scale["max"] else _NO
    if kind == "ranking":
        if (type(value) is list and all(type(k) is str for k in value)
                and sorted(value) == question.entry_keys):
            return tuple(value)
        return _NO
    if kind == "reflection":
        if type(value) is not dict or type(value.get("share")) is not bool:
            return _NO
        words = value.get("words")
        if type(words) is not int or words < 0:
            return _NO
        text = value.get("text")
        shared = _clean(text) if value["share"] is True and type(text) is str and text.strip() else None
        return words, shared
    return _NO


_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _clean(text: str) -> str:
    """Learner text made safe to store and show: no lone surrogates, control or bidi characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


# -- reading all exports into per-question answers -------------------------------------------------
PROGRESS_MIN_FILES = 100  # a smaller class is read in a blink: no bar


class _Progress:
    """`reading exports [#####.....] 500/1000` on stderr, redrawn at most 21 times (0 to 20 steps);
    on a terminal each redraw replaces the last, elsewhere (a log) each is a line."""

    def __init__(self, total: int, enabled: bool, stream=None):
        self.total, self.stream = total, stream or sys.stderr
        self.enabled = enabled and total >= PROGRESS_MIN_FILES
        self.shown = -1
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        step = done * 20 // self.total
        if step == self.shown:
            return
        self.shown = step
        bar = "#" * step + "." * (20 - step)
        end = "\r" if self.tty and done < self.total else "\n"
        try:
            self.stream.write(f"reading exports [{bar}] {done}/{self.total}{end}")
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False


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
    bar.update(0)
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


def _read_one(path: Path, checker: _Checker, seen_bytes: dict, seen_codes: dict):
    """The export document, or a Skipped saying why not."""
    raw, skipped = _read_bytes(path)
    if skipped:
        return skipped

    def skip(kind, reason):
        return Skipped(_shown(path), kind, reason)

    digest = hashlib.blake2b(raw, digest_size=20).digest()
    if digest in seen_bytes:
        return skip("duplicate", f"duplicate: the same bytes as {_shown(seen_bytes[digest])}")
    seen_bytes[digest] = path
    doc, reason = _parse(raw)
    if reason is None:
        reason = checker.problem(doc)
    if reason is not None:
        return skip("malformed", reason)
    if not _same_minor(doc["module_version"]):
        return skip("other version", f"from module version {printable(doc['module_version'], 40)}; "
                                     f"this report reads version {'.'.join(__version__.split('.')[:2])}.x")
    code = doc["learner_code"]
    if code in seen_codes:
        return skip("duplicate", f"duplicate: the same learner code as {printable(str(seen_codes[code]), 200)}")
    seen_codes[code] = path
    return doc


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


# -- small-count suppression ------------------------------------------------------------------------
def suppress(counts: dict, k: int, partition: bool = True) -> tuple[dict, dict, bool]:
    """Hide small counts. Returns (shown, status, whole):

    shown[c] is the count, or None where hidden; status[c] is SMALL (1..k-1) or WITHHELD (a larger
    cell hidden so that a small one cannot be worked out from the published total). For a
    partition (cells that add up to a total the report shows), cells are withheld, smallest first,
    until every hidden small count has at least two possible values; if that cannot be reached,
    every cell (zeros too) is withheld and `whole` is True. Otherwise zero is never hidden.
    """
    small = [c for c, v in counts.items() if 0 < v < k]
    hidden = list(small)
    if partition and hidden:
        while not _ambiguous(counts, hidden, set(small), k):
            rest = [c for c, v in counts.items() if c not in hidden and v > 0]
            if not rest:  # labels (or zeros) would still give a small count away: withhold the table
                return dict.fromkeys(counts), dict.fromkeys(counts, WITHHELD), True
            hidden.append(min(rest, key=lambda c: counts[c]))
    status = {c: (SMALL if c in small else WITHHELD) for c in hidden}
    return {c: (None if c in status else v) for c, v in counts.items()}, status, False


def _ambiguous(counts, hidden, small, k) -> bool:
    """Whether each hidden small cell has two or more values consistent with the hidden total,
    knowing that small cells hold 1..k-1 and withheld cells k or more."""
    total = sum(counts[c] for c in hidden)
    low = {c: 1 if c in small else k for c in hidden}
    high = {c: k - 1 if c in small else math.inf for c in hidden}
    sum_low, sum_high = sum(low.values()), sum(high.values())
    for c in hidden:
        if c not in small:
            continue
        least = max(low[c], total - (sum_high - high[c]))
        most = min(high[c], total - (sum_low - low[c]))
        if most - least < 1:
            return False
    return True


def _cell_text(value, status, k: int) -> str:
    if value is not None:
        return f"{value:,}"
    return f"fewer than {k}" if status == SMALL else "withheld"


# -- aggregates (only what may be shown leaves this section) ----------------------------------------
def _aggregate(questions, answers, shifts, loaded, k: int, learners: int) -> dict:
    enough = learners >= k
    out = {"format": REPORT_FORMAT, "module_version": __version__, "min_count": k,
           "learners": learners if enough or learners == 0 else None,
           "suppression": (f"Counts from 1 to {k - 1} are null (shown as 'fewer than {k}'); cells marked "
                           f"'{WITHHELD}' are hidden so that a small count cannot be worked out from a total; "
                           f"items with 1 to {k - 1} respondents show no figures. Zero is shown as 0."),
           "units": [{"id": u.id, "title": u.title} for u in loaded.units],
           "stance_shift": [], "stances": [], "difficulty": [], "positions": [], "ranking": [], "reflections": []}
    for before, after in _pairs(loaded):
        out["stance_shift"].append(_stance_pair(questions[before], questions[after], answers, shifts[(before, after)], k))
    for q in questions.values():
        values = answers[q.key]  # with fewer than k learners, every item has fewer than k respondents
        if q.kind == "stance":
            out["stances"].append(_stance_item(q, values, k))
        elif q.graded:
            out["difficulty"].append(_difficulty(q, values, k))
        elif q.kind in ("single", "multiple"):
            out["positions"].append(_positions(q, values, k))
        elif q.kind == "ranking":
            out["ranking"].append(_ranking(q, values, k))
        elif q.kind == "reflection":
            out["reflections"].append(_reflection(q, values, k))
    return out


def _pairs(loaded) -> list[tuple[str, str]]:
    return [(spec.data["revisits"], spec.id) for spec in loaded.items.values()
            if spec.type == "stance" and spec.data.get("revisits") in loaded.items]


def _respondents(n: int, k: int):
    """(shown n, whether figures may be computed)."""
    if 0 < n < k:
        return None, False
    return n, n > 0


def _base(q: _Question, n: int, k: int) -> dict:
    shown, ok = _respondents(n, k)
    return {"question": q.key, "item": q.item, "stage": q.stage, "unit": q.unit, "type": q.kind,
            "heading": q.heading, "respondents": shown, "too_few": 0 < n < k}, ok


def _distribution(values, points, k):
    counts = Counter(values)
    cells = {str(p): counts.get(p, 0) for p in points}
    shown, status, whole = suppress(cells, k)
    return {"counts": shown, "hidden": status, "whole_table_withheld": whole}


def _stance_item(q, values, k):
    row, ok = _base(q, len(values), k)
    scale = q.data["scale"]
    row["scale"] = dict(scale)
    row["distribution"] = _distribution(values, range(scale["min"], scale["max"] + 1), k) if ok else None
    return row


def _stance_pair(before_q, after_q, answers, pairs, k):
    scale = after_q.data["scale"]
    points = range(scale["min"], scale["max"] + 1)
    out = {"before": before_q.key, "after": after_q.key, "unit": after_q.unit, "heading": after_q.heading,
           "scale": dict(scale)}
    for side, q in (("before_answers", before_q), ("after_answers", after_q)):
        n = len(answers[q.key])
        shown, ok = _respondents(n, k)
        out[side] = {"respondents": shown, "too_few": 0 < n < k,
                     **(_distribution(answers[q.key], points, k) if ok else {"counts": None})}
    both, ok = _respondents(len(pairs), k)
    out["both"] = both
    out["mean_shift"] = round(sum(a - b for b, a in pairs) / len(pairs), 2) if ok else None
    return out


def _difficulty(q, values, k):
    row, ok = _base(q, len(values), k)
    row.update({"fully_correct": None, "share_fully_correct": None, "top_wrong": None, "hidden": {},
                "whole_table_withheld": False})
    if not ok:
        return row
    right = {key for key, o in q.options.items() if o.get("correct")}
    chosen = Counter()
    correct = 0
    for value in values:
        picked = {value} if q.kind == "single" else value
        chosen.update(picked)
        correct += picked == right
    wrong = {key: chosen[key] for key in q.options if key not in right and chosen[key] > 0}
    top = max(wrong.values()) if wrong else 0
    top_keys = sorted(key for key, v in wrong.items() if v == top)
    n = len(values)
    if q.kind == "single":  # correct, the top wrong options and the rest add up to n
        cells = {"correct": correct, **{f"wrong:{key}": top for key in top_keys}}
        cells["rest"] = n - sum(cells.values())
        shown, status, whole = suppress(cells, k)
    else:  # fully correct and not add up to n; each wrong option is counted on its own
        shown, status, whole = suppress({"correct": correct, "rest": n - correct}, k)
        if top_keys and not whole:
            wrong_shown, wrong_status, _ = suppress({f"wrong:{key}": top for key in top_keys}, k, partition=False)
            shown.update(wrong_shown)
            status.update(wrong_status)
    status.pop("rest", None)
    row["fully_correct"] = shown["correct"]
    row["share_fully_correct"] = round(shown["correct"] / n, 4) if shown["correct"] is not None else None
    if top_keys:
        row["top_wrong"] = {"options": top_keys, "count": None if whole else shown[f"wrong:{top_keys[0]}"]}
    row["hidden"] = {c.replace("wrong:", ""): s for c, s in status.items() if c == "correct" or c.startswith("wrong:")}
    row["whole_table_withheld"] = whole
    return row


def _positions(q, values, k):
    row, ok = _base(q, len(values), k)
    row["counts"] = None
    if ok:
        chosen = Counter()
        for value in values:
            chosen.update({value} if q.kind == "single" else value)
        shown, status, whole = suppress({key: chosen[key] for key in q.options}, k, partition=q.kind == "single")
        row.update({"counts": shown, "hidden": status, "whole_table_withheld": whole})
    return row


def _ranking(q, values, k):
    row, ok = _base(q, len(values), k)
    keys = [e["key"] for e in q.data["entries"]]
    reference = list(q.data["reference_order"])
    row.update({"entries": {e["key"]: _short(e["text"], 90) for e in q.data["entries"]}, "reference_order": reference,
                "mean_position": None, "consensus_order": None, "pairs_as_reference": None})
    if not ok:
        return row
    sums = dict.fromkeys(keys, 0)
    for order in values:
        for position, key in enumerate(order, 1):
            sums[key] += position
    means = {key: round(sums[key] / len(values), 2) for key in keys}
    rank_in_reference = {key: i for i, key in enumerate(reference)}
    consensus = sorted(keys, key=lambda key: (means[key], rank_in_reference.get(key, len(keys)), key))
    place = {key: i for i, key in enumerate(consensus)}
    ordered = [(a, b) for i, a in enumerate(reference) for b in reference[i + 1:] if a in place and b in place]
    row.update({"mean_position": means, "consensus_order": consensus,
                "pairs_as_reference": [sum(place[a] < place[b] for a, b in ordered), len(ordered)]})
    return row


def _word_bands(words_spec) -> list[tuple[str, int, float]]:
    low, high = words_spec["min"], words_spec["max"]
    bands = [(f"under {low}", 0, low - 1)] if low > 0 else []
    step = max(1, math.ceil((high - low + 1) / 3))
    start = low
    while start <= high:
        end = min(high, start + step - 1)
        bands.append((f"{start}\u2013{end}", start, end))
        start = end + 1
    bands.append((f"over {high}", high + 1, math.inf))
    return bands


def _reflection(q, values, k):
    row, ok = _base(q, len(values), k)
    bands = _word_bands(q.data["words"])
    row.update({"suggested_words": dict(q.data["words"]), "median_words": None, "bands": None, "shared": []})
    if not ok:
        return row
    words = [w for w, _ in values]
    counts = {label: 0 for label, _, _ in bands}
    for w in words:
        for label, start, end in bands:
            if start <= w <= end:
                counts[label] += 1
                break
    shown, status, whole = suppress(counts, k)
    row["median_words"] = statistics.median(words)
    row["bands"] = [{"label": label, "from": start, "to": None if end == math.inf else end, "count": shown[label],
                     "hidden": status.get(label)} for label, start, end in bands]
    row["whole_table_withheld"] = whole
    row["shared"] = sorted((text for _, text in values if text), key=lambda t: (t.casefold(), t))
    return row


# -- charts ------------------------------------------------------------------------------------------
UNIT_STYLE = [(PALETTE["blue"], ""), (PALETTE["orange"], "//"), (PALETTE["green"], ".."),
              (PALETTE["vermillion"], "xx"), (PALETTE["purple"], "\\\\"), (PALETTE["sky"], "++")]
BEFORE_STYLE = (PALETTE["orange"], "//")
AFTER_STYLE = (PALETTE["blue"], "")


def _figure(width, height, rows=1, cols=1):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=False)
    return figure, [ax for row in axes for ax in row]


def _png(figure) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def _percent_axis(ax, axis="y"):
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(100, decimals=0))


def _empty(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, transform=ax.transAxes, wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])


def _unit_style(unit_id: str, unit_ids: list[str]):
    return UNIT_STYLE[unit_ids.index(unit_id) % len(UNIT_STYLE)] if unit_id in unit_ids else (PALETTE["grey"], "")


def draw_stance(pairs: list[dict], k: int) -> bytes:
    """Grouped bars per scale point, before and after, as a share of each side's respondents."""
    figure, axes = _figure(7.5, 0.6 + 2.1 * max(1, len(pairs)), rows=max(1, len(pairs)))
    if not pairs:
        _empty(axes[0], "No stance question is asked twice in this course.")
    for ax, pair in zip(axes, pairs):
        scale = pair["scale"]
        points = list(range(scale["min"], scale["max"] + 1))
        for offset, side, (colour, hatch), label in ((-0.2, "before_answers", BEFORE_STYLE, "before (orientation)"),
                                                     (0.2, "after_answers", AFTER_STYLE, "after (policy workshop)")):
            part = pair[side]
            counts, n = part["counts"], part["respondents"]
            if counts is None:
                if part["too_few"]:
                    ax.text(points[0] - 0.4, 50 + offset * 100, f"{label}: fewer than {k} responses", fontsize=8)
                continue
            drawn = [p for p in points if counts[str(p)] is not None]  # hidden cells are not drawn at all
            ax.bar([p + offset for p in drawn], [100 * counts[str(p)] / n for p in drawn], width=0.38, color=colour,
                   hatch=hatch, edgecolor="white", label=label)
            for p in points:
                if counts[str(p)] is None:
                    ax.text(p + offset, 1, "hidden", rotation=90, ha="center", va="bottom", fontsize=7,
                            color=PALETTE["grey"])
        ax.set_xticks(points, [f"{p}\n{_short(scale['low'], 30)}" if p == points[0] else
                               f"{p}\n{_short(scale['high'], 30)}" if p == points[-1] else str(p) for p in points],
                      fontsize=8)
        ax.set_xlim(points[0] - 0.6, points[-1] + 0.6)
        ax.set_ylim(0, 100)
        _percent_axis(ax)
        shift = pair["mean_shift"]
        note = f"mean shift {shift:+.2f}" if shift is not None else "shift not shown (too few answered both)"
        ax.set_title(f"{_short(pair['heading'], 80)}\n({note})", fontsize=9)
        ax.set_ylabel("Share of respondents", fontsize=8)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="upper right")
    return _png(figure)


def draw_difficulty(rows: list[dict], unit_ids: list[str], k: int) -> bytes:
    """One horizontal bar per graded question: the share answering fully correctly."""
    figure, (ax,) = _figure(8, 1.2 + 0.24 * max(1, len(rows)))
    if not rows:
        _empty(ax, "No graded questions.")
        return _png(figure)
    used = set()
    for row_number, row in enumerate(rows):
        colour, hatch = _unit_style(row["unit"], unit_ids)
        share = row["share_fully_correct"]
        if share is None:
            why = (f"fewer than {k} responses" if row["too_few"] else "no responses" if not row["respondents"]
                   else "hidden to protect small counts")
            ax.text(1, row_number, why, va="center", fontsize=7, color=PALETTE["grey"])
            continue
        label = row["unit"] if row["unit"] not in used else None
        used.add(row["unit"])
        ax.barh(row_number, 100 * share, color=colour, hatch=hatch, edgecolor="white", label=label)
    ax.set_yticks(range(len(rows)), [_short(r["question"], 34) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    _percent_axis(ax, "x")
    ax.grid(True, axis="x", color="#dddddd")
    ax.set_xlabel("Share of respondents answering fully correctly")
    ax.set_title("How hard each graded question was", fontsize=10)
    if used:
        ax.legend(title="Unit", fontsize=7, title_fontsize=7, loc="lower right")
    return _png(figure)


def draw_ranking(rows: list[dict], k: int) -> bytes:
    """Per ranking task: each entry's mean class position beside its reference position."""
    heights = [1.3 + 0.42 * max(3, len(r["entries"])) for r in rows] or [2]
    figure, axes = _figure(7.5, sum(heights), rows=len(heights))
    if not rows:
        _empty(axes[0], "No ranking tasks.")
    for ax, row in zip(axes, rows):
        reference = row["reference_order"]
        keys = reference + [key for key in row["entries"] if key not in reference]
        ax.scatter([reference.index(key) + 1 if key in reference else None for key in keys], range(len(keys)),
                   marker="D", s=70, facecolor="white", edgecolor=PALETTE["orange"], linewidth=2, zorder=3,
                   label="position in the reference order")
        if row["mean_position"] is not None:
            ax.scatter([row["mean_position"][key] for key in keys], range(len(keys)), marker="o", s=60,
                       color=PALETTE["blue"], zorder=4, label="class mean position")
        else:
            ax.text(1, len(keys) - 0.5, "class positions not shown: " + (f"fewer than {k} responses" if row["too_few"]
                                                                         else "no responses"), fontsize=8)
        ax.set_yticks(range(len(keys)), [f"({key}) {_short(row['entries'][key], 40)}" for key in keys], fontsize=7)
        ax.set_ylim(len(keys) - 0.5, -0.5)
        ax.set_xlim(0.5, len(keys) + 0.5)
        ax.set_xticks(range(1, len(keys) + 1))
        ax.grid(True, axis="x", color="#eeeeee")
        ax.set_xlabel("Position (1 = most acceptable)", fontsize=8)
        ax.set_title(row["question"], fontsize=9)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, frameon=False)
    return _png(figure)


def draw_words(rows: list[dict], unit_ids: list[str], k: int) -> bytes:
    """Per reflection: share of respondents in each word-count band."""
    cols = 3 if len(rows) > 4 else 2 if len(rows) > 1 else 1
    nrows = max(1, math.ceil(len(rows) / cols))
    figure, axes = _figure(3.2 * cols, 0.4 + 2.5 * nrows, rows=nrows, cols=cols)
    if not rows:
        _empty(axes[0], "No reflections.")
    for index, ax in enumerate(axes):
        if index >= len(rows):
            ax.set_axis_off()
            continue
        row = rows[index]
        ax.set_title(_short(row["question"], 40), fontsize=8)
        if row["bands"] is None:
            _empty(ax, f"fewer than {k} responses" if row["too_few"] else "no responses")
            continue
        colour, hatch = _unit_style(row["unit"], unit_ids)
        n = row["respondents"]
        drawn = [x for x, b in enumerate(row["bands"]) if b["count"] is not None]
        ax.bar(drawn, [100 * row["bands"][x]["count"] / n for x in drawn], color=colour, hatch=hatch, edgecolor="white")
        for x, band in enumerate(row["bands"]):
            if band["count"] is None:
                ax.text(x, 1, "hidden", rotation=90, ha="center", va="bottom", fontsize=7, color=PALETTE["grey"])
        ax.set_xticks(range(len(row["bands"])), [b["label"] for b in row["bands"]], rotation=35, ha="right",
                      fontsize=7)
        ax.set_ylim(0, 100)
        _percent_axis(ax)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_xlabel(f"words (median {_number(row['median_words'])})", fontsize=7)
    return _png(figure)


def _number(value) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# -- alt text, tables and the page -------------------------------------------------------------------
def _pct(share) -> str:
    return f"{100 * share:.0f}%"


def _alt_stance(pairs, k) -> str:
    if not pairs:
        return "No stance question is asked twice in this course, so there is nothing to compare."
    parts = []
    for pair in pairs:
        shift = pair["mean_shift"]
        scale = pair["scale"]
        if shift is None:
            parts.append(f"\u201c{_short(pair['heading'], 70)}\u201d: too few learners answered both times to show a shift")
        else:
            way = (f"towards \u201c{scale['high']}\u201d" if shift > 0 else f"towards \u201c{scale['low']}\u201d"
                   if shift < 0 else "no net movement")
            parts.append(f"\u201c{_short(pair['heading'], 70)}\u201d: mean shift {shift:+.2f} points, {way}, "
                         f"among {pair['both']:,} learners who answered both times")
    return (f"Grouped bar charts, one for each of the {len(pairs)} stance questions asked in the orientation and again "
            f"in the policy workshop: for each point of the scale, the share of respondents before (orange, hatched) "
            f"and after (blue). " + "; ".join(parts) + f". Bars for fewer than {k} learners are not drawn.")


def _alt_difficulty(rows, k) -> str:
    drawn = [r for r in rows if r["share_fully_correct"] is not None]
    if not drawn:
        return f"No graded question has enough responses to show (each needs at least {k})."
    ordered = sorted(drawn, key=lambda r: r["share_fully_correct"])
    hardest = ", ".join(f"{r['question']} ({_pct(r['share_fully_correct'])})" for r in ordered[:3])
    easiest = ", ".join(f"{r['question']} ({_pct(r['share_fully_correct'])})" for r in ordered[-3:][::-1])
    missing = len(rows) - len(drawn)
    return (f"Horizontal bars, one per graded question ({len(rows)} in all, grouped by unit by colour and pattern), "
            f"giving the share of respondents who answered fully correctly. Hardest: {hardest}. Easiest: {easiest}."
            + (f" {missing} of the questions are not drawn because they have too few responses or a count would "
               f"be below {k}." if missing else ""))


def _alt_ranking(rows, k) -> str:
    if not rows:
        return "No ranking tasks."
    parts = []
    for row in rows:
        if row["consensus_order"] is None:
            parts.append(f"\u201c{_short(row['heading'], 60)}\u201d: not enough responses to show the class's order")
        else:
            same, total = row["pairs_as_reference"]
            parts.append(f"\u201c{_short(row['heading'], 60)}\u201d: class order {', '.join(row['consensus_order'])}; "
                         f"reference order {', '.join(row['reference_order'])} ({same} of {total} pairs in the same "
                         f"order)")
    return ("Dot charts, one per ranking task: each entry's mean position in the class (filled circle) beside its "
            "position in the reference order (open diamond). " + "; ".join(parts) + ".")


def _alt_words(rows, k) -> str:
    if not rows:
        return "No reflections."
    parts = [f"\u201c{_short(r['heading'], 50)}\u201d median {_number(r['median_words'])} words "
             f"(suggested {r['suggested_words']['min']} to {r['suggested_words']['max']})" if r["median_words"] is not None
             else f"\u201c{_short(r['heading'], 50)}\u201d not shown (too few responses)" for r in rows]
    return (f"Bar charts, one per reflection ({len(rows)} in all), giving the share of respondents whose reflection "
            f"falls in each word-count band. " + "; ".join(parts) + f". Bands with fewer than {k} learners are not "
            "drawn.")


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + f'<th scope="row">{escape(r[0])}</th>' + "".join(f"<td>{escape(c)}</td>" for c in r[1:])
                   + "</tr>" for r in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _respondents_text(row, k) -> str:
    if row.get("too_few"):
        return f"fewer than {k} responses"
    return f"{row['respondents']:,}" if row["respondents"] else "no responses"


def _side_cells(part, points, k) -> list[str]:
    if part["counts"] is None:
        return [f"fewer than {k} responses" if part["too_few"] else "no responses"] + [""] * (len(points) - 1)
    return [_cell_text(part["counts"][str(p)], part["hidden"].get(str(p)), k) for p in points]


def _stance_tables(pairs, k) -> str:
    out = []
    for pair in pairs:
        scale = pair["scale"]
        points = list(range(scale["min"], scale["max"] + 1))
        head = ["When"] + [f"{p} ({scale['low']})" if p == points[0] else f"{p} ({scale['high']})" if p == points[-1]
                           else str(p) for p in points] + ["Respondents"]
        rows = [["Before (orientation)"] + _side_cells(pair["before_answers"], points, k)
                + [_respondents_text(pair["before_answers"], k)],
                ["After (policy workshop)"] + _side_cells(pair["after_answers"], points, k)
                + [_respondents_text(pair["after_answers"], k)]]
        shift = (f"mean shift {pair['mean_shift']:+.2f} points among {pair['both']:,} learners who answered both"
                 if pair["mean_shift"] is not None else "shift not shown: too few learners answered both times")
        out.append(_table(f"{pair['heading']} ({shift})", head, rows))
    return "".join(out)


def _wrong_text(row, k) -> tuple[str, str]:
    top = row["top_wrong"]
    if top is None:
        return ("none chosen", "0") if row["share_fully_correct"] is not None or row["respondents"] else ("", "")
    keys = ", ".join(f"({key})" for key in top["options"])
    return keys, _cell_text(top["count"], row["hidden"].get(top["options"][0]), k)


def _difficulty_rows(rows, k) -> list[list[str]]:
    out = []
    for row in rows:
        if row["too_few"] or not row["respondents"]:
            out.append([row["question"], row["unit"], _respondents_text(row, k), "", "", ""])
            continue
        if row["share_fully_correct"] is not None:
            correct = f"{row['fully_correct']:,} ({_pct(row['share_fully_correct'])})"
        else:
            correct = _cell_text(None, row["hidden"].get("correct"), k)
        option, count = _wrong_text(row, k)
        out.append([row["question"], row["unit"], _respondents_text(row, k), correct, option, count])
    return out


DIFFICULTY_HEAD = ["Question", "Unit", "Respondents", "Fully correct", "Most-chosen wrong option", "Chosen by"]


def _ranking_table(row, k) -> str:
    keys = list(row["entries"])
    head = ["Entry", "Class mean position", "Class order", "Reference order"]
    if row["mean_position"] is None:
        rows = [[f"({key}) {row['entries'][key]}", _respondents_text(row, k), "",
                 str(row["reference_order"].index(key) + 1) if key in row["reference_order"] else ""] for key in keys]
    else:
        rows = [[f"({key}) {row['entries'][key]}", f"{row['mean_position'][key]:.2f}",
                 str(row["consensus_order"].index(key) + 1),
                 str(row["reference_order"].index(key) + 1) if key in row["reference_order"] else ""] for key in keys]
    return _table(f"{row['heading']} (respondents: {_respondents_text(row, k)})", head, rows)


def _words_table(row, k) -> str:
    if row["bands"] is None:
        return f"<p>{escape(row['heading'])}: {escape(_respondents_text(row, k))}.</p>"
    rows = [[b["label"] + " words", _cell_text(b["count"], b["hidden"], k)] for b in row["bands"]]
    return _table(f"{row['heading']} (respondents: {row['respondents']:,}; median {_number(row['median_words'])} "
                  "words)", ["Length", "Learners"], rows)


def _figure_html(name: str, alt: str, caption: str, table_html: str) -> str:
    return (f'<figure><img src="{escape(name)}" alt="{escape(alt)}"><figcaption>{escape(caption)}</figcaption>'
            f"</figure><details><summary>The data in this chart, as a table</summary>{table_html}</details>")


CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}
img{max-width:100%;height:auto}table{border-collapse:collapse;margin:0.6em 0 1.2em}caption{text-align:left;font-weight:600;padding:0.3em 0}
th,td{border:1px solid #bbb;padding:0.25em 0.5em;text-align:left;vertical-align:top}thead th{background:#eef3f8}
blockquote{border-left:4px solid #0072B2;margin:0.5em 0;padding:0.2em 0.8em;background:#f6f8fa}
figure{margin:1em 0}figcaption{font-style:italic}.note{color:#444}
a:focus-visible,summary:focus-visible{outline:3px solid #0072B2;outline-offset:2px}"""

CSP = ("default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")


def _page(agg: dict, loaded, k: int) -> str:
    learners = agg["learners"]
    title = f"Class report: {loaded.module.get('title', 'the module')}"
    parts = [f"<h1>{escape(title)}</h1>"]
    if learners is None:
        parts.append(f"<p>This report is based on fewer than {k} learners' exports, so it shows no figures: "
                     f"with so few, any figure could point to one person.</p>")
        return _document(title, "".join(parts))
    parts.append(f"<p>Based on {learners:,} learners' exported journals. Nothing here names or identifies a learner: "
                 f"a count of fewer than {k} learners is shown as \u201cfewer than {k}\u201d and is not drawn; "
                 f"\u201cwithheld\u201d marks a larger count hidden so that a small one cannot be worked out by "
                 f"subtraction; a question with fewer than {k} responses shows no figures. Zero is shown as 0. "
                 f"Reflections appear only where the learner chose to share them, and only for questions that at least "
                 f"{k} learners answered.</p>")
    nav = "".join(f'<li><a href="#unit-{escape(u["id"])}">{escape(u["title"])}</a></li>' for u in agg["units"])
    parts.append(f'<nav aria-label="Units"><ul><li><a href="#charts">The class at a glance</a></li>{nav}</ul></nav>')
    parts.append('<h2 id="charts">The class at a glance</h2>')
    parts.append(_figure_html(CHART_FILES["stance"], _alt_stance(agg["stance_shift"], k),
                              "Stances before and after the module", _stance_tables(agg["stance_shift"], k)))
    parts.append(_figure_html(CHART_FILES["difficulty"], _alt_difficulty(agg["difficulty"], k),
                              "Share answering each graded question fully correctly",
                              _table("Graded questions", DIFFICULTY_HEAD, _difficulty_rows(agg["difficulty"], k))))
    parts.append(_figure_html(CHART_FILES["ranking"], _alt_ranking(agg["ranking"], k),
                              "The class's order for each ranking task, against the reference order",
                              "".join(_ranking_table(r, k) for r in agg["ranking"])))
    parts.append(_figure_html(CHART_FILES["words"], _alt_words(agg["reflections"], k),
                              "How long the reflections were", "".join(_words_table(r, k) for r in agg["reflections"])))
    for unit in agg["units"]:
        parts.append(f'<h2 id="unit-{escape(unit["id"])}">{escape(unit["title"])}</h2>')
        parts.append(_unit_html(unit["id"], agg, k) or "<p>No answers to show for this unit.</p>")
    return _document(title, "".join(parts))


def _unit_html(unit_id: str, agg: dict, k: int) -> str:
    out = []
    for row in agg["stances"]:
        if row["unit"] != unit_id:
            continue
        out.append(f"<h3>Where do you stand? {escape(row['heading'])}</h3>")
        if row["distribution"] is None:
            out.append(f"<p>{escape(_respondents_text(row, k))}.</p>")
        else:
            scale = row["scale"]
            points = list(range(scale["min"], scale["max"] + 1))
            dist = row["distribution"]
            cells = [[f"{p}" + (f" ({scale['low']})" if p == points[0] else f" ({scale['high']})" if p == points[-1]
                                else ""), _cell_text(dist["counts"][str(p)], dist["hidden"].get(str(p)), k)]
                     for p in points]
            out.append(_table(f"Answers (respondents: {row['respondents']:,})", ["Scale point", "Learners"], cells))
        for pair in agg["stance_shift"]:
            if pair["after"] == row["question"]:
                out.append(f"<p>{escape(_pair_sentence(pair))}</p>")
    rows = [r for r in agg["difficulty"] if r["unit"] == unit_id]
    if rows:
        out.append("<h3>Graded questions</h3>")
        out.append(_table("Fully correct answers and the most-chosen wrong option", DIFFICULTY_HEAD,
                          _difficulty_rows(rows, k)))
        out.append("<ul>" + "".join(f"<li><strong>{escape(r['question'])}</strong>: {escape(r['heading'])}</li>"
                                    for r in rows) + "</ul>")
    for row in agg["positions"]:
        if row["unit"] == unit_id:
            out.append(f"<h3>Positions: {escape(row['heading'])}</h3>")
            if row["counts"] is None:
                out.append(f"<p>{escape(_respondents_text(row, k))}.</p>")
            else:
                cells = [[f"({key})", _cell_text(value, row["hidden"].get(key), k)] for key, value in row["counts"].items()]
                out.append(_table(f"Positions chosen (no single right answer; respondents: {row['respondents']:,})",
                                  ["Option", "Learners"], cells))
    for row in agg["ranking"]:
        if row["unit"] == unit_id:
            out.append(f"<h3>Ranking: {escape(row['heading'])}</h3>{_ranking_table(row, k)}")
    for row in agg["reflections"]:
        if row["unit"] == unit_id:
            out.append(f"<h3>Reflection: {escape(row['heading'])}</h3>{_words_table(row, k)}{_shared_html(row, k)}")
    return "".join(out)


def _pair_sentence(pair) -> str:
    if pair["mean_shift"] is None:
        return "Compared with the orientation: too few learners answered both times to show a shift."
    return (f"Compared with the orientation, the {pair['both']:,} learners who answered both times moved "
            f"{pair['mean_shift']:+.2f} points on average (positive: towards \u201c{pair['scale']['high']}\u201d).")


def _shared_html(row, k) -> str:
    if row["bands"] is None:
        return ""
    if not row["shared"]:
        return "<p class='note'>No learner chose to share this reflection.</p>"
    quotes = []
    for text in row["shared"]:
        cut = text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS].rstrip() + " [\u2026]"
        paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in cut.split("\n\n") if p.strip())
        quotes.append(f"<blockquote>{paragraphs}</blockquote>")
    return ("<details><summary>Reflections learners chose to share (anonymous, in alphabetical order)</summary>"
            + "".join(quotes) + "</details>")


def _document(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
            "<meta name='referrer' content='no-referrer'><meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>\n")


# -- writing ----------------------------------------------------------------------------------------
def _charts(agg: dict, k: int) -> dict[str, bytes]:
    unit_ids = [u["id"] for u in agg["units"]]
    return {CHART_FILES["stance"]: draw_stance(agg["stance_shift"], k),
            CHART_FILES["difficulty"]: draw_difficulty(agg["difficulty"], unit_ids, k),
            CHART_FILES["ranking"]: draw_ranking(agg["ranking"], k),
            CHART_FILES["words"]: draw_words(agg["reflections"], unit_ids, k)}


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
    atomic_write_text(outdir / "summary.json", json.dumps(agg, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(outdir / "index.html", _page(agg, loaded, min_count))
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
        print("report: note: the export schema changed; every file was checked with jsonschema (slower)",
              file=sys.stderr)
    print(summary.line())
    if summary.learners < summary.min_count:
        print(f"report: fewer than {summary.min_count} learners' exports could be used, so the report shows no figures",
              file=sys.stderr)
        return 1
    return 0
