"""Counting and disclosure control for the class report: the only place raw counts become figures
that may be shown.

`suppress` hides every count of 1 to k-1 learners, and withholds larger cells where a hidden small
count could be worked out by subtraction from a total the report shows. `_aggregate` builds the
dict that summary.json holds and that the charts and the page are drawn from; nothing computed from
an item with 1 to k-1 respondents (no percentage, mean or median) leaves it.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter

from course.instructor.report.answers import _pairs, _Question, _short
from course.version import __version__

REPORT_FORMAT = "social-media-ethics-class-report/1"
SMALL, WITHHELD = "fewer-than-min", "withheld"


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


# -- aggregates (only what may be shown leaves this section) ----------------------------------------
def _aggregate(questions, answers, shifts, loaded, k: int, learners: int) -> dict:
    """Everything the report shows, as summary.json holds it: hidden cells are None."""
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


def _respondents(n: int, k: int):
    """(shown n, whether figures may be computed)."""
    if 0 < n < k:
        return None, False
    return n, n > 0


def _base(q: _Question, n: int, k: int) -> dict:
    """The fields every question's row has, and whether figures may be computed from it."""
    shown, ok = _respondents(n, k)
    return {"question": q.key, "item": q.item, "stage": q.stage, "unit": q.unit, "type": q.kind,
            "heading": q.heading, "respondents": shown, "too_few": 0 < n < k}, ok


def _distribution(values, points, k):
    """Learners per scale point, small counts hidden."""
    counts = Counter(values)
    cells = {str(p): counts.get(p, 0) for p in points}
    shown, status, whole = suppress(cells, k)
    return {"counts": shown, "hidden": status, "whole_table_withheld": whole}


def _stance_item(q, values, k):
    """A stance question: its scale and how many chose each point."""
    row, ok = _base(q, len(values), k)
    scale = q.data["scale"]
    row["scale"] = dict(scale)
    row["distribution"] = _distribution(values, range(scale["min"], scale["max"] + 1), k) if ok else None
    return row


def _stance_pair(before_q, after_q, answers, pairs, k):
    """A stance asked twice: both distributions and the mean shift of those who answered both."""
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
    """A graded question: how many answered fully correctly, and the most-chosen wrong option."""
    row, ok = _base(q, len(values), k)
    row.update({"fully_correct": None, "share_fully_correct": None, "top_wrong": None, "hidden": {},
                "whole_table_withheld": False})
    if not ok:
        return row
    right = {key for key, o in q.options.items() if o.get("correct")}
    chosen, correct = Counter(), 0
    for value, times in Counter(values).items():  # each distinct answer once: a class repeats a few
        picked = {value} if q.kind == "single" else value
        for key in picked:
            chosen[key] += times
        correct += times if picked == right else 0
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
    """An ungraded choice: how many chose each option."""
    row, ok = _base(q, len(values), k)
    row["counts"] = None
    if ok:
        chosen = Counter()
        for value, times in Counter(values).items():
            for key in ({value} if q.kind == "single" else value):
                chosen[key] += times
        shown, status, whole = suppress({key: chosen[key] for key in q.options}, k, partition=q.kind == "single")
        row.update({"counts": shown, "hidden": status, "whole_table_withheld": whole})
    return row


def _ranking(q, values, k):
    """A ranking task: each entry's mean position, the class order, and its agreement with the reference."""
    row, ok = _base(q, len(values), k)
    keys = [e["key"] for e in q.data["entries"]]
    reference = list(q.data["reference_order"])
    row.update({"entries": {e["key"]: _short(e["text"], 90) for e in q.data["entries"]}, "reference_order": reference,
                "mean_position": None, "consensus_order": None, "pairs_as_reference": None})
    if not ok:
        return row
    sums = dict.fromkeys(keys, 0)
    for order, times in Counter(values).items():
        for position, key in enumerate(order, 1):
            sums[key] += position * times
    means = {key: round(sums[key] / len(values), 2) for key in keys}
    rank_in_reference = {key: i for i, key in enumerate(reference)}
    consensus = sorted(keys, key=lambda key: (means[key], rank_in_reference.get(key, len(keys)), key))
    place = {key: i for i, key in enumerate(consensus)}
    ordered = [(a, b) for i, a in enumerate(reference) for b in reference[i + 1:] if a in place and b in place]
    row.update({"mean_position": means, "consensus_order": consensus,
                "pairs_as_reference": [sum(place[a] < place[b] for a, b in ordered), len(ordered)]})
    return row


def _word_bands(words_spec) -> list[tuple[str, int, float]]:
    """(label, from, to) word-count bands around the suggested length."""
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
    """A reflection: its length by bands, the median, and the texts learners chose to share."""
    row, ok = _base(q, len(values), k)
    bands = _word_bands(q.data["words"])
    row.update({"suggested_words": dict(q.data["words"]), "median_words": None, "bands": None, "shared": []})
    if not ok:
        return row
    words = [w for w, _ in values]
    counts = {label: 0 for label, _, _ in bands}
    for w, times in Counter(words).items():
        for label, start, end in bands:
            if start <= w <= end:
                counts[label] += times
                break
    shown, status, whole = suppress(counts, k)
    row["median_words"] = statistics.median(words)
    row["bands"] = [{"label": label, "from": start, "to": None if end == math.inf else end, "count": shown[label],
                     "hidden": status.get(label)} for label, start, end in bands]
    row["whole_table_withheld"] = whole
    row["shared"] = sorted((text for _, text in values if text), key=lambda t: (t.casefold(), t))
    return row


