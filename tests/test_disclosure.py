"""Disclosure control, attacked: what a reader can work out from the published figures alone.

Each test plays the reader who holds one honest report and tries to recover a hidden count: it
enumerates every class consistent with what is published (by brute force, over all count vectors
for small classes) and checks that no hidden cell, and no unpublished count, is pinned to one small
value. The two attacks that recovered counts from the first edition's report are here by name.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict

import pytest

from course.instructor import report
from course.instructor.report.aggregate import _difficulty, _stance_pair
from course.material.api import content

K = 5
REP = {"disagree": 1, "neutral": 3, "agree": 5}  # one scale point per band: the report counts bands


@pytest.fixture(scope="module")
def questions():
    return report._questions(content())


@pytest.fixture(scope="module")
def pair(questions):
    before, after = report._pairs(content())[0]
    return questions[before], questions[after]


@pytest.fixture(scope="module")
def single(questions):
    """A graded single-choice question with one right option and three wrong ones."""
    return next(q for q in questions.values() if q.graded and q.kind == "single" and len(q.options) == 4)


def _published_pair(pair, before, after):
    b_q, a_q = pair
    return _stance_pair(b_q, a_q, {b_q.key: list(before), a_q.key: list(after)}, list(zip(before, after)), K)


def _key(figures) -> str:
    return json.dumps(figures, sort_keys=True)


def _vectors(total, cells):
    """Every vector of `cells` whole numbers of 0 or more adding up to `total`."""
    for cuts in itertools.combinations(range(total + cells - 1), cells - 1):
        edges = (-1, *cuts, total + cells - 1)
        yield tuple(edges[i + 1] - edges[i] - 1 for i in range(cells))


def _hidden_cells(figures) -> list[tuple[str, str]]:
    """(table, cell) for every cell the pair's figures show as hidden."""
    out = []
    for side in ("before_answers", "after_answers"):
        out += [(side, c) for c in figures[side].get("hidden", {})]
    return out


def _true_pair_cells(before, after, pair):
    scale = pair[1].data["scale"]
    from course.instructor.report.disclosure import band_of, move_of

    cells = {}
    for side, values in (("before_answers", before), ("after_answers", after)):
        for band in ("disagree", "neutral", "agree"):
            cells[(side, band)] = sum(band_of(v, scale) == band for v in values)
    for move in ("toward_agree", "stayed", "toward_disagree"):
        cells[("movement", move)] = sum(move_of(b, a, scale) == move for b, a in zip(before, after))
    for b in REP:
        for a in REP:
            cells[("transition", f"{b}>{a}")] = sum(x == REP[b] and y == REP[a] for x, y in zip(before, after))
    return cells


# -- attack 1: ties and the hidden rest ---------------------------------------------------------------
def test_ties_with_the_hidden_rest_no_longer_solve_the_wrong_options(single):
    """17 respondents, 10 right, two wrong options tied at 3 and one at 1: the first edition showed the
    tie as "fewer than 5", and 7 = 2t + d with d < t gave t = 3, d = 1."""
    right = next(key for key, o in single.options.items() if o.get("correct"))
    wrong = [key for key in single.options if key != right]
    values = [right] * 10 + [wrong[0]] * 3 + [wrong[1]] * 3 + [wrong[2]]
    figures = _difficulty(single, values, K)
    assert figures["top_wrong"] is None and figures["top_wrong_status"] == "not published"
    assert "rest" not in json.dumps(figures)
    consistent = [v for v in _vectors(17, 4)
                  if _key(_difficulty(single, [key for key, times in zip(single.options, v) for _ in range(times)], K))
                  == _key(figures)]
    keys = list(single.options)
    for key in wrong:
        possible = {v[keys.index(key)] for v in consistent}
        assert len(possible) >= 2, (key, possible)


# -- attack 2: a mean over hidden cells ---------------------------------------------------------------
def test_a_mean_over_hidden_cells_is_not_published(pair):
    """Before: 0 / x / 8 / y / 0 of 13 with x = 2, y = 3 hidden; after: all 13 at 5. The first edition
    published a mean shift of +1.92, and x + y = 5, 2x + 4y = 16 gave x = 2, y = 3."""
    before = [2] * 2 + [3] * 8 + [4] * 3
    after = [5] * 13
    figures = _published_pair(pair, before, after)
    assert figures["mean_shift"] is None and figures["movement"] is None
    assert figures["before_answers"]["counts"] == {"disagree": None, "neutral": 8, "agree": None}  # 5 = 1+4 = 2+3 ...
    consistent = [v for v in _vectors(13, 5)
                  if _key(_published_pair(pair, [p for p, t in zip(range(1, 6), v) for _ in range(t)], after))
                  == _key(figures)]
    for point in (2, 4):
        assert len({v[point - 1] for v in consistent}) >= 2
    for band in ("disagree", "agree"):
        lows = {sum(v[:2]) if band == "disagree" else sum(v[3:]) for v in consistent}
        assert len(lows) >= 2, (band, lows)


# -- the enumeration: every small class, every hidden cell ---------------------------------------------
def test_no_hidden_stance_cell_is_pinned_in_any_small_class(pair):
    """Every class of 5 to 10 learners who answered both times, as a 3 x 3 table of band before x band
    after: grouped by what the report publishes, each hidden cell takes two values or more within
    its group, and no unpublished count of the finest table (band before x band after) is pinned to
    a value from 1 to K-1. (What the hidden cells of one table add up to is known by design: the
    respondents minus the cells shown; suppression protects each cell, not their sum.)"""
    for n in range(K, 11):
        groups = defaultdict(list)
        for table in _vectors(n, 9):
            before, after = [], []
            for (b, a), times in zip(itertools.product(REP, REP), table):
                before += [REP[b]] * times
                after += [REP[a]] * times
            figures = _published_pair(pair, before, after)
            groups[_key(figures)].append((figures, _true_pair_cells(before, after, pair)))
        for members in groups.values():
            figures = members[0][0]
            for cell in _hidden_cells(figures):
                assert len({cells[cell] for _, cells in members}) >= 2, (n, cell, figures)
            for cell in members[0][1]:
                if cell[0] == "transition":
                    possible = {cells[cell] for _, cells in members}
                    assert not (len(possible) == 1 and 0 < min(possible) < K), (n, cell, figures)


def test_no_hidden_stance_cell_is_pinned_when_some_answered_only_once(pair):
    """The same attack on classes of 5 to 7 where any learner may have answered before only, after only
    or both times (15 kinds of learner, every mix): the respondents before, after and both times are
    published, so what each side's hidden cells add up to is known, and still each hidden cell takes two
    values or more, and no transition among those who answered both is pinned to a value from 1 to K-1,
    except where both tables publish every respondent in one band: then everyone is known to be there
    (5 of 5 agreed before, 5 of 5 after, so the 4 who answered both agreed both times), which is what
    the published table says of each of them, and the README names this limit."""
    b_q, a_q = pair
    kinds = ([("both", b, a) for b, a in itertools.product(REP, REP)]
             + [("before", b, None) for b in REP] + [("after", None, a) for a in REP])
    for n in range(K, 8):
        groups = defaultdict(list)
        for table in _vectors(n, len(kinds)):
            before, after, pairs = [], [], []
            for (kind, b, a), times in zip(kinds, table):
                before += [REP[b]] * times if b else []
                after += [REP[a]] * times if a else []
                pairs += [(REP[b], REP[a])] * times if kind == "both" else []
            figures = _stance_pair(b_q, a_q, {b_q.key: before, a_q.key: after}, pairs, K)
            cells = {("transition", f"{b}>{a}"): times for (kind, b, a), times in zip(kinds, table) if kind == "both"}
            for band in REP:
                cells[("before_answers", band)] = sum(t for (_, b, _), t in zip(kinds, table) if b == band)
                cells[("after_answers", band)] = sum(t for (_, _, a), t in zip(kinds, table) if a == band)
            groups[_key(figures)].append((figures, cells))
        for members in groups.values():
            figures = members[0][0]
            for cell in _hidden_cells(figures):
                assert len({cells[cell] for _, cells in members}) >= 2, (n, cell, figures)
            if _one_band(figures["before_answers"]) and _one_band(figures["after_answers"]):
                continue
            for cell in members[0][1]:
                if cell[0] == "transition":
                    possible = {cells[cell] for _, cells in members}
                    assert not (len(possible) == 1 and 0 < min(possible) < K), (n, cell, figures)


def _one_band(side) -> bool:
    """Whether a published table puts every respondent in one band, for all to see."""
    counts = side.get("counts") or {}
    return bool(counts) and None not in counts.values() and sum(1 for v in counts.values() if v) == 1


def test_no_wrong_option_is_pinned_in_any_small_class(single):
    """Every class of 5 to 14 on a four-option question: no hidden or unpublished count is pinned to
    a small value by the fully-correct share, the most-chosen wrong option and its ties."""
    keys = list(single.options)
    for n in range(K, 15):
        groups = defaultdict(list)
        for v in _vectors(n, 4):
            figures = _difficulty(single, [key for key, times in zip(keys, v) for _ in range(times)], K)
            groups[_key(figures)].append(v)
        for members in groups.values():
            for index, key in enumerate(keys):
                possible = {v[index] for v in members}
                assert not (len(possible) == 1 and 0 < min(possible) < K), (n, key, members[:3])
            right = keys.index(next(key for key in keys if single.options[key].get("correct")))
            correct = {v[right] for v in members}
            figures = _difficulty(single, [key for key, times in zip(keys, members[0]) for _ in range(times)], K)
            if figures["fully_correct"] is None and figures["respondents"]:
                assert len(correct) >= 2


def test_twelve_learners_see_banded_stances(tmp_path):
    """A realistic group of twelve: stance tables show banded counts. Where none is shown, every band
    holds fewer than K (an even spread, itself a picture) or, rarely, the table is withheld whole."""
    from tests.test_report import make_exports

    folder = tmp_path / "exports"
    make_exports(12, folder, seed=21)
    summary = report.build_report([folder], tmp_path / "out", progress=False)
    agg = summary.aggregates
    assert agg["learners"] == 12
    tables = [row["distribution"] for row in agg["stances"] if row["distribution"] is not None]
    tables += [p[side] for p in agg["stance_shift"] for side in ("before_answers", "after_answers")
               if p[side]["counts"] is not None]
    assert len(tables) >= len(agg["stances"])
    with_a_number = [t for t in tables if any(v is not None for v in t["counts"].values())]
    assert len(with_a_number) >= 0.75 * len(tables)
    for table in tables:
        if table not in with_a_number and not table["whole_table_withheld"]:
            assert set(table["hidden"].values()) == {report.SMALL}
    assert sum(t["whole_table_withheld"] for t in tables) <= 0.25 * len(tables)
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "Far more good than harm (4\u20135)" in html


@pytest.mark.parametrize("k", [3, K])
@pytest.mark.parametrize("cells, largest", [(2, 14), (3, 14), (4, 12), (5, 10)])
def test_a_reader_who_knows_the_rule_solves_no_hidden_cell(cells, largest, k):
    """`suppress` on every table of `cells` cells (3 bands, 4 options, 5 word-count bands) and 5 to
    `largest` learners: grouped by what is published (counts, marks and the total), every hidden
    cell keeps two values or more. Knowing the rule is part of the attack: a withheld cell chosen by
    its value, or a second one withheld only when the first was not enough, would give counts away."""
    for n in range(k, largest + 1):
        groups = defaultdict(list)
        for v in _vectors(n, cells):
            shown, status, whole = report.suppress({str(i): x for i, x in enumerate(v)}, k)
            groups[_key([shown, status, whole])].append(v)
        for published, members in groups.items():
            status = json.loads(published)[1]
            for cell in status:
                assert len({v[int(cell)] for v in members}) >= 2, (n, cell, published)
