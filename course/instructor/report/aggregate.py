"""Counting for the class report: the only place raw counts become figures that may be shown.

Every table goes through `disclosure` (recoding, `suppress`, and the rules for figures computed from
a table). `_aggregate` builds the dict that summary.json holds and that the charts and the page are
drawn from; nothing computed from an item with 1 to k-1 respondents (no percentage, mean or median)
leaves it, and nothing computed from a table with a hidden cell that could help to solve it.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter

from course.instructor.report.answers import _pairs, _Question, _short
from course.instructor.report.disclosure import (BANDS, MOVES, WITHHELD, band_of, band_points, fully_shown, move_of,
                                                 suppress, top_wrong_publishable)
from course.version import __version__

REPORT_FORMAT = "social-media-ethics-class-report/2"


# -- aggregates (only what may be shown leaves this section) ----------------------------------------
def _aggregate(questions, answers, shifts, loaded, k: int, learners: int) -> dict:
    """Everything the report shows, as summary.json holds it: hidden cells are None."""
    enough = learners >= k
    out = {"format": REPORT_FORMAT, "module_version": __version__, "min_count": k,
           "learners": learners if enough or learners == 0 else None,
           "suppression": (f"Stances are counted in three bands (disagree / neutral / agree) and before/after pairs "
                           f"as moves between bands. Counts from 1 to {k - 1} are null (shown as 'fewer than {k}'); "
                           f"cells marked '{WITHHELD}' are hidden so that a small count cannot be worked out from a "
                           f"total; a mean, share, median or most-chosen wrong option is published only where it "
                           f"cannot help to work out a hidden cell; items with 1 to {k - 1} respondents show no "
                           f"figures. Zero is shown as 0."),
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
    titles = {u.id: u.title for u in loaded.units}
    for key in ("stances", "difficulty", "positions", "ranking", "reflections"):
        for row in out[key]:
            row["unit_title"] = titles.get(row["unit"], row["unit"])
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
            "heading": q.heading, "title": q.title or q.heading, "respondents": shown, "too_few": 0 < n < k}, ok


def _bands(scale: dict) -> dict[str, str]:
    """The bands of a scale that hold points, with their labels (the scale's words and points)."""
    points = band_points(scale)
    words = {"disagree": _short(scale["low"], 40), "neutral": "in between", "agree": _short(scale["high"], 40)}
    return {band: f"{words[band]} ({_span(points[band])})" for band in BANDS if points[band]}


def _span(points: list[int]) -> str:
    return str(points[0]) if len(points) == 1 else f"{points[0]}\u2013{points[-1]}"


def _distribution(values, scale, k):
    """Learners per band (disagree / neutral / agree), small counts hidden: recoded before suppressing,
    so that a group of twelve has cells big enough to show."""
    counts = Counter(band_of(v, scale) for v in values)
    shown, status, whole = suppress({band: counts.get(band, 0) for band in _bands(scale)}, k)
    return {"counts": shown, "hidden": status, "whole_table_withheld": whole}


def _stance_item(q, values, k):
    """A stance question: its scale, its bands and how many chose each band."""
    row, ok = _base(q, len(values), k)
    scale = q.data["scale"]
    row["scale"] = dict(scale)
    row["bands"] = _bands(scale)
    row["distribution"] = _distribution(values, scale, k) if ok else None
    return row


def _stance_pair(before_q, after_q, answers, pairs, k):
    """A stance asked twice: both banded distributions, and how those who answered both moved.

    The movement table (toward agree / stayed / toward disagree, between bands) is published only
    when neither side's table hides a cell and no move is small, whole; `mean_shift` (toward agree
    minus toward disagree, over those who answered both: from -1 to +1) with it, so that it is a
    function of published cells and cannot help to solve a hidden one.
    """
    scale = after_q.data["scale"]
    out = {"before": before_q.key, "after": after_q.key, "unit": after_q.unit, "heading": after_q.heading,
           "title": after_q.title or after_q.heading,
           "scale": dict(scale), "bands": _bands(scale),
           "moves": {"toward_agree": f"moved toward \u201c{_short(scale['high'], 40)}\u201d",
                     "stayed": "stayed in the same band",
                     "toward_disagree": f"moved toward \u201c{_short(scale['low'], 40)}\u201d"}}
    sides_shown = True
    for side, q in (("before_answers", before_q), ("after_answers", after_q)):
        n = len(answers[q.key])
        shown, ok = _respondents(n, k)
        out[side] = {"respondents": shown, "too_few": 0 < n < k,
                     **(_distribution(answers[q.key], scale, k) if ok else {"counts": None})}
        sides_shown = sides_shown and fully_shown(out[side]["counts"])
    both, ok = _respondents(len(pairs), k)
    out.update({"both": both, "movement": None, "mean_shift": None,
                "movement_withheld": None})
    if not ok:
        return out
    if not sides_shown:
        out["movement_withheld"] = "a count before or after is hidden, and the moves could help to work it out"
        return out
    moved = Counter(move_of(b, a, scale) for b, a in pairs)
    cells = {m: moved.get(m, 0) for m in MOVES}
    if any(0 < v < k for v in cells.values()):
        # All or nothing: the two sides fix how far the class moved on balance, so one hidden move
        # could be worked out from the others and the bands, whatever cells were withheld with it.
        out["movement_withheld"] = f"one of the moves was made by fewer than {k} learners"
        return out
    out["movement"] = cells
    out["mean_shift"] = round((cells["toward_agree"] - cells["toward_disagree"]) / len(pairs), 2)
    return out


def _difficulty(q, values, k):
    """A graded question: how many answered fully correctly, and the most-chosen wrong option.

    Fully correct and not fully correct are a table of two cells adding up to the respondents; the
    share is published only when neither is hidden. The most-chosen wrong option(s) are named only
    where `top_wrong_publishable` allows (their count shown; no tie or order among hidden counts;
    what the others add up to neither small nor pinning one of them). No "rest" is published.
    """
    row, ok = _base(q, len(values), k)
    row.update({"fully_correct": None, "share_fully_correct": None, "top_wrong": None, "top_wrong_status": None,
                "hidden": {}})
    if not ok:
        return row
    right = {key for key, o in q.options.items() if o.get("correct")}
    chosen, correct = Counter(), 0
    for value, times in Counter(values).items():  # each distinct answer once: a class repeats a few
        picked = {value} if q.kind == "single" else value
        for key in picked:
            chosen[key] += times
        correct += times if picked == right else 0
    n = len(values)
    shown, status, _ = suppress({"correct": correct, "not_correct": n - correct}, k)  # two cells: both or neither
    row["hidden"] = {c: v for c, v in status.items() if c == "correct"}
    row["fully_correct"] = shown["correct"]
    row["share_fully_correct"] = round(correct / n, 4) if fully_shown(shown) else None
    wrong = {key: chosen[key] for key in q.options if key not in right}
    top = max(wrong.values(), default=0)
    if not fully_shown(shown):
        row["top_wrong_status"] = "not published"
    elif top == 0:
        row["top_wrong_status"] = "none chosen"
    else:
        top_keys = sorted(key for key, v in wrong.items() if v == top)
        others = len(wrong) - len(top_keys)
        rest = n - correct - top * len(top_keys) if q.kind == "single" else None
        if top_wrong_publishable(top, len(top_keys), others, rest, k):
            row["top_wrong"] = {"options": top_keys, "count": top,
                                "texts": {key: _short(q.options[key]["text"], 90) for key in top_keys}}
            row["top_wrong_status"] = "shown"
        else:
            row["top_wrong_status"] = "not published"
    return row


def _positions(q, values, k):
    """An ungraded choice: how many chose each option."""
    row, ok = _base(q, len(values), k)
    row["counts"] = None
    row["options"] = {key: _short(o["text"], 90) for key, o in q.options.items()}
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
    row["median_words"] = statistics.median(words) if fully_shown(shown) else None  # a median locates hidden bands
    row["bands"] = [{"label": label, "from": start, "to": None if end == math.inf else end, "count": shown[label],
                     "hidden": status.get(label)} for label, start, end in bands]
    row["whole_table_withheld"] = whole
    row["shared"] = sorted((text for _, text in values if text), key=lambda t: (t.casefold(), t))
    return row


