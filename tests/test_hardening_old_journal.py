"""A journal from an older release, whose answers no longer fit the content, never breaks what a learner sees.

The answer is kept in the journal untouched, shown as "answered in an earlier version of the module",
and the item can be answered again; item displays, `my_journal()` and the md and html exports all work.
"""

from __future__ import annotations

import json

import pytest

import course
from course.learner.journal import Journal

# Values an older release could have saved, or a damaged file could hold, for each kind of item.
UNFIT = {
    "single": ["z", 3, ["a"], {"key": "a"}],
    "multiple": [["z"], "a", [1, 2], [], [["a"]]],
    "stance": [99, "3", 2.5, -40, [1]],
    "ranking": [["a"], "abcde", [1, 2, 3, 4, 5], {"a": 1}],
    "reflection": ["plain text", {"text": 5}, {"text": "x", "share": "yes"}, 7],
    "case": [{"9": "a"}, ["a"], "a", {"1": 42}],
}


def _items_by_kind():
    seen = {}
    for spec in course.content().items.values():
        seen.setdefault(spec.type, spec.id)
    return seen


def _write_answer(journal: Journal, item_id: str, value):
    """Put a raw value in the journal file, as an older release would have left it."""
    path = journal.path
    data = json.loads(path.read_text("utf-8")) if path.exists() else {"format": "social-media-ethics-journal/1",
                                                                       "answers": {}}
    data["answers"][item_id] = {"value": value, "saved": "2025-01-01T00:00:00Z"}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize("kind,value", [(k, v) for k, values in UNFIT.items() for v in values])
def test_an_answer_that_no_longer_fits_is_shown_kept_and_can_be_answered_again(tmp_path, kind, value):
    journal = Journal(tmp_path)
    item_id = _items_by_kind()[kind]
    _write_answer(journal, item_id, value)
    shown = course.item(item_id, journal)
    assert shown.value is None and shown.earlier_value == value
    assert "earlier version of the module" in shown.text()
    assert "earlier version of the module" in shown.html()
    assert shown.feedback() is None
    assert "earlier version" in course.my_journal(journal)._repr_mimebundle_()["text/plain"]
    for fmt in ("md", "html", "json"):
        course.export(tmp_path / f"out.{fmt}", fmt, journal=journal)
    assert journal.get(item_id)["value"] == value, "the earlier answer must stay in the journal"


def test_an_unfit_policy_draft_area_is_kept_but_not_shown(tmp_path):
    journal = Journal(tmp_path)
    builder = course.policy_builder(journal)
    area = next(iter(builder.areas))
    other = list(builder.areas)[1]
    _write_answer(journal, "policy-builder", {area: {"option": "zz", "reason": 3}})
    assert course.policy_builder(journal).draft == {}
    course.export(tmp_path / "out.md", "md", journal=journal)
    course.my_journal(journal)
    fresh = course.policy_builder(journal)
    fresh.choose(other, fresh.areas[other]["options"][0]["key"], "A reason.")
    saved = journal.get("policy-builder")["value"]
    assert area in saved and other in saved, "saving another area must keep the earlier one in the journal"
