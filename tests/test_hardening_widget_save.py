"""A save the disk refuses is told to the learner in the widget, in words, never only in a log.

The journal raises its own JournalWriteError (read-only home, full disk, a lock it cannot take);
every live widget that saves catches it and shows the message where its feedback goes.
"""

from __future__ import annotations

import pytest

import course
from course.learner.journal import Journal, JournalWriteError

REFUSED = "Your answer was NOT saved: the disk is full. Free some space, then save again."


@pytest.fixture
def refusing_journal(tmp_path, monkeypatch):
    journal = Journal(tmp_path)

    def refuse(*args, **kwargs):
        raise JournalWriteError(REFUSED)

    monkeypatch.setattr(journal, "save", refuse)
    monkeypatch.setattr(journal, "forget", refuse)
    return journal


def _first(kind):
    return next(spec.id for spec in course.content().items.values() if spec.type == kind)


@pytest.mark.parametrize("kind,answer", [("single", None), ("stance", None), ("ranking", None)])
def test_a_refused_save_is_shown_in_the_widget(refusing_journal, kind, answer):
    shown = course.item(_first(kind), refusing_journal)
    shown.widget()
    data = shown.data
    value = {"single": lambda: data["options"][0]["key"], "stance": lambda: data["scale"]["min"],
             "ranking": lambda: [e["key"] for e in data["entries"]]}[kind]()
    shown._submit(value)
    assert "NOT saved" in shown._status.value, "the live status line must say the answer was not saved"
    assert shown.value is None


def test_a_refused_stage_of_a_case_is_shown(refusing_journal):
    case = course.item(_first("case"), refusing_journal)
    case.widget()
    first = case.data["stages"][0]["question"]
    case._submit_stage(first["options"][0]["key"] if "options" in first else {"text": "x"}, 1)
    assert "NOT saved" in case._status.value


def test_a_refused_clear_is_shown(refusing_journal):
    shown = course.item(_first("single"), refusing_journal)
    shown.widget()
    shown._confirm_clear()
    assert "NOT saved" in shown._status.value


def test_a_refused_policy_clause_is_shown(refusing_journal):
    builder = course.policy_builder(refusing_journal)
    builder.widget()
    area = next(iter(builder.areas))
    pick, _, reason, view = builder._views[area]
    pick.value = builder.areas[area]["options"][0]["key"]
    reason.value = "why"
    builder._save_from_widget(area)
    assert "NOT saved" in view.value
