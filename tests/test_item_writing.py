"""Item-writing rules that make the graded items measure understanding, not test-taking skill.

A learner who always picks the longest option, or always (a), must not score well; every graded
question must say what it tests (recall, comprehension or application); and most must ask the learner
to apply the readings to a situation, not to recall them. The items are read through the public API,
so the rules hold for whatever the banks contain.
"""

from __future__ import annotations

from collections import Counter

import pytest

import course

LEVELS = {"recall", "comprehension", "application"}
MAX_SHARE = 0.40  # no key position and no length rank may hold the key in more than this share
MIN_APPLICATION = 2 / 3


def graded_questions() -> list[tuple[str, str, dict]]:
    """(label, type, question) for every graded question: single, multiple, ranking, graded case stages."""
    found = []
    for spec in course.content().items.values():
        data = spec.data
        if spec.type in ("single", "multiple") and data.get("graded", True):
            found.append((spec.id, spec.type, data))
        elif spec.type == "ranking":
            found.append((spec.id, spec.type, data))
        elif spec.type == "case":
            for number, stage in enumerate(data["stages"], 1):
                question = stage["question"]
                if question["type"] != "reflection" and question.get("graded", True):
                    found.append((f"{spec.id}#{number}", question["type"], question))
    return found


GRADED = graded_questions()
SINGLES = [(label, q) for label, kind, q in GRADED if kind == "single"]


def key_position(question) -> int:
    """0 for a key shown first, 1 for second, ..."""
    (index,) = [i for i, o in enumerate(question["options"]) if o["correct"]]
    return index


def key_length_rank(question) -> int:
    """1 if the key is the longest option (ties count as longest), 2 if one option is longer, ..."""
    options = question["options"]
    key = options[key_position(question)]
    return 1 + sum(len(o["text"]) > len(key["text"]) for o in options)


def shares(counter: Counter, total: int) -> dict:
    return {k: f"{v}/{total}" for k, v in sorted(counter.items())}


def test_there_are_graded_single_answer_questions_to_measure():
    """The rules below would pass vacuously on an empty bank."""
    assert len(SINGLES) >= 10


def test_no_position_holds_the_key_too_often():
    """A learner who always picks (a), or always (b), must not score well."""
    positions = Counter("abcdefgh"[key_position(q)] for _, q in SINGLES)
    worst, count = positions.most_common(1)[0]
    assert count / len(SINGLES) <= MAX_SHARE, (
        f"option ({worst}) is the key in {count} of {len(SINGLES)} graded single-answer questions; "
        f"spread the keys (positions: {shares(positions, len(SINGLES))})")


def test_no_length_rank_holds_the_key_too_often():
    """A learner who always picks the longest (or second-longest) option must not score well."""
    ranks = Counter(key_length_rank(q) for _, q in SINGLES)
    worst, count = ranks.most_common(1)[0]
    longest = [label for label, q in SINGLES if key_length_rank(q) == 1]
    assert count / len(SINGLES) <= MAX_SHARE, (
        f"the key has length rank {worst} in {count} of {len(SINGLES)} graded single-answer questions "
        f"(ranks: {shares(ranks, len(SINGLES))}; key longest in: {', '.join(longest)})")


@pytest.mark.parametrize("label,kind,question", GRADED, ids=[label for label, _, _ in GRADED])
def test_every_graded_question_has_a_level(label, kind, question):
    """A school needs to see what each question tests before it relies on the scores."""
    assert question.get("level") in LEVELS, (
        f"{label} ({kind}) needs 'level: recall | comprehension | application' (has {question.get('level')!r})")


def test_most_graded_questions_test_application():
    """Judgement in a situation, not recall of the readings, is what a professionalism session is for."""
    levels = Counter(q.get("level") for _, _, q in GRADED)
    assert levels["application"] / len(GRADED) >= MIN_APPLICATION, (
        f"{levels['application']} of {len(GRADED)} graded questions test application; at least two thirds "
        f"should (levels: {shares(levels, len(GRADED))})")


def test_item_specs_carry_the_level():
    """The level reaches the item model, so other tools (check, report) can use it without re-reading YAML."""
    for spec in course.content().items.values():
        if spec.type in ("single", "multiple", "ranking"):
            assert spec.level == spec.data.get("level"), spec.id


def test_single_answer_questions_have_one_key():
    """Single best answer: exactly one option is right (the loader checks this too; here for the counts above)."""
    for label, question in SINGLES:
        assert sum(bool(o["correct"]) for o in question["options"]) == 1, label
