"""Statistical disclosure control for the class report: recoding, cell suppression, and the rules
that decide whether a figure computed from a table (a mean, a share, a ranking) may be published.

The approach is the one official statistics use for frequency tables:

1. Recode before suppressing. A 5-point stance becomes three bands (disagree / neutral / agree), a
   before/after pair becomes three movements (toward agree / stayed / toward disagree), so that a
   group of twelve has cells big enough to show.
2. Suppress the table: every count of 1 to k-1 is hidden ("fewer than k"), and where the cells add
   up to a published total, larger cells are withheld until no hidden small count can be worked out
   from the total (each keeps two possible values or more); failing that, the whole table is withheld.
3. Treat every other figure as part of its table. A figure is published only if it adds nothing a
   reader could use to solve a hidden cell: a mean only when no cell of its table is hidden (it is
   then a function of published cells), the most-chosen wrong option only when its count is shown
   and what it implies about the other options (their total, and that each is smaller) pins none of
   them to a small count, a median only when no band is hidden. No "rest" cell is published.

`tests/test_disclosure.py` checks this by brute force: for small classes it enumerates every table
consistent with what is published (for a stance pair, also with learners who answered only once)
and finds no hidden cell pinned to one value. What no suppression can hide is what a table says of
all its respondents: when every one of them is in one band, so is each of them.
"""

from __future__ import annotations

import math

SMALL, WITHHELD = "fewer-than-min", "withheld"
BANDS = ("disagree", "neutral", "agree")
MOVES = ("toward_agree", "stayed", "toward_disagree")


# -- recoding --------------------------------------------------------------------------------------
def band_of(point: int, scale: dict) -> str:
    """The band of a scale point: below the middle, the middle, above it (an even scale has no middle)."""
    middle = (scale["min"] + scale["max"]) / 2
    return "disagree" if point < middle else "agree" if point > middle else "neutral"


def band_points(scale: dict) -> dict[str, list[int]]:
    """The scale points in each band, by band (empty for an even scale's middle)."""
    out = {band: [] for band in BANDS}
    for p in range(scale["min"], scale["max"] + 1):
        out[band_of(p, scale)].append(p)
    return out


def move_of(before: int, after: int, scale: dict) -> str:
    """How one learner moved between bands (a move inside a band counts as staying)."""
    b, a = BANDS.index(band_of(before, scale)), BANDS.index(band_of(after, scale))
    return "toward_agree" if a > b else "toward_disagree" if a < b else "stayed"


# -- small-count suppression -----------------------------------------------------------------------
def suppress(counts: dict, k: int, partition: bool = True) -> tuple[dict, dict, bool]:
    """Hide small counts. Returns (shown, status, whole):

    shown[c] is the count, or None where hidden; status[c] is SMALL (1..k-1) or WITHHELD (a larger
    cell hidden so that a small one cannot be worked out from the published total).

    For a partition (cells that add up to a total the report shows) the reader is assumed to know
    this rule, so no choice it makes may depend on a hidden value in a way that gives it away:
    - one small cell: the first cell of k or more, in the table's own order (not the smallest,
      which would bound the withheld one by the cells shown), is withheld with it;
    - then, if a hidden small count still has fewer than two possible values (two small cells of
      1 each, say), the whole table is withheld, zeros too (`whole` is True), rather than a further
      cell, whose withholding would itself say that the first hiding was not enough;
    - a table of two cells, or with no more learners than cells, is withheld whole whenever it has
      a small count (otherwise the tables withheld whole would be too few to hide among).
    Otherwise zero is never hidden.
    """
    small = [c for c, v in counts.items() if 0 < v < k]
    hidden = list(small)
    if partition and small:
        if len(counts) <= 2 or sum(counts.values()) <= len(counts):
            # Two cells (4 + 4 of 8 would be the only table withheld whole), or no more learners than
            # cells (1 + 1 + 1 + 1 + 1 of 5 would be): any small count withholds the whole table.
            return dict.fromkeys(counts), dict.fromkeys(counts, WITHHELD), True
        if len(small) == 1:
            large = [c for c, v in counts.items() if v >= k]
            hidden += large[:1]
        if not _ambiguous(counts, hidden, set(small), k):
            return dict.fromkeys(counts), dict.fromkeys(counts, WITHHELD), True
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


def fully_shown(shown: dict | None) -> bool:
    """Whether a suppressed table was published with no hidden cell (a mean over it adds nothing)."""
    return shown is not None and all(v is not None for v in shown.values())


# -- figures computed from a table -----------------------------------------------------------------
def top_wrong_publishable(top: int, tied: int, others: int, rest: int | None, k: int) -> bool:
    """Whether the most-chosen wrong option(s) may be named with their count `top`.

    Naming them says that each of the `others` wrong options not named was chosen fewer than `top`
    times. For a single-choice question `rest` (what those others add up to) also follows from the
    published respondents, fully correct and `top` x `tied`: it must be 0 or at least k, and no
    other option may be pinned by it to one small count. A multiple-choice question has no such
    total (rest None): each option is counted on its own.
    """
    if top < k:  # a hidden count: its ties and its rank among the others are not shown either
        return False
    if rest is None:
        return True
    if 0 < rest < k or rest > others * (top - 1):
        return False
    if others == 0 or rest == 0:
        return True
    least = max(0, rest - (others - 1) * (top - 1))
    most = min(top - 1, rest)
    return not (least == most and 0 < least < k)
