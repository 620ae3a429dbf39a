"""Defect 4, data side (issue 10): the journal has a format version and a tested upgrade path,
and the JSON export tolerates saved values that no longer fit the content.

A journal written by the release before the format version (revision 1) must load unchanged in
meaning. A value that no longer fits (a removed option key, a number where a key is expected, a
non-string learner code) is kept and exported marked as from an earlier version; nothing raises.
"""

from __future__ import annotations

import json

import pytest

from course.learner import journal as journal_module
from course.learner.journal import Journal
from course.material.schema import _validators
from course.tools.export import export_data, render

# Exactly what the release before format_version wrote (Journal._update: indent=1, sort_keys).
REVISION_1 = {
    "answers": {
        "orientation-howto-1": {"module_version": "0.1.0", "saved": "2026-10-01T09:00:00Z", "value": "b"},
        "orientation-stance-benefits": {"module_version": "0.1.0", "saved": "2026-10-01T09:01:00Z", "value": 4},
        "orientation-reflection-start": {"module_version": "0.1.0", "saved": "2026-10-01T09:02:00Z",
                                         "value": {"share": False, "text": "my private thoughts here"}},
    },
    "format": "social-media-ethics-journal/1",
    "learner_code": "K7QF-2M9X",
    "module_version": "0.1.0",
}


def _write(home, data):
    home.mkdir(parents=True, exist_ok=True)
    (home / "journal.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")


def test_the_journal_declares_its_format_version(tmp_path):
    j = Journal(tmp_path / "h")
    j.save("orientation-howto-1", "a")
    on_disk = json.loads(j.path.read_text("utf-8"))
    assert on_disk["format_version"] == journal_module.FORMAT_VERSION == 2
    assert on_disk["format"] == "social-media-ethics-journal/1"  # older releases can still read it
    assert j.path.name == "journal.json"


def test_a_revision_1_journal_loads_unchanged_in_meaning(tmp_path):
    home = tmp_path / "h"
    _write(home, REVISION_1)
    j = Journal(home)
    data = j.read()
    assert data["answers"] == REVISION_1["answers"]
    assert data["learner_code"] == "K7QF-2M9X"
    assert data["format_version"] == 2
    assert j.path.read_text("utf-8") == json.dumps(REVISION_1, ensure_ascii=False, indent=1, sort_keys=True), \
        "reading must not write"


def test_a_revision_1_journal_is_upgraded_on_the_next_save(tmp_path):
    home = tmp_path / "h"
    _write(home, REVISION_1)
    j = Journal(home)
    j.save("orientation-howto-2", "c")
    on_disk = json.loads(j.path.read_text("utf-8"))
    assert on_disk["format_version"] == 2
    assert on_disk["learner_code"] == "K7QF-2M9X"
    for key, record in REVISION_1["answers"].items():
        assert on_disk["answers"][key] == record
    assert not list(home.glob("journal.damaged-*"))


def test_a_newer_revision_keeps_its_version_and_unknown_fields(tmp_path):
    home = tmp_path / "h"
    _write(home, {**REVISION_1, "format_version": 7, "something_new": {"x": 1}})
    j = Journal(home)
    j.save("orientation-howto-2", "c")
    on_disk = json.loads(j.path.read_text("utf-8"))
    assert on_disk["format_version"] == 7 and on_disk["something_new"] == {"x": 1}


@pytest.mark.parametrize("code", [12345, ["K7QF-2M9X"], {"a": 1}, True, "not a code", ""])
def test_a_learner_code_that_is_not_a_code_is_kept_and_replaced(tmp_path, code):
    home = tmp_path / "h"
    _write(home, {**REVISION_1, "learner_code": code})
    j = Journal(home)
    data = export_data(j)
    assert _validators()["export"].is_valid(data)
    assert data["learner_code"] != code
    on_disk = json.loads(j.path.read_text("utf-8"))
    if code:
        assert on_disk["earlier_learner_code"] == code
    assert on_disk["learner_code"] == data["learner_code"]


MISFITS = {
    "orientation-howto-1": "z",  # an option key removed in a later release
    "orientation-howto-2": 3,  # a number where a key is expected
    "orientation-stance-benefits": "agree",  # text where a point on the scale is expected
    "sponsorship-rank-posts": ["a", "b"],  # an entry added since
    "benefits-evidence-anecdote": "a",  # a key where a list is expected
    "benefits-case-demystify": {"1": "q", "9": "a"},  # a key removed, a stage removed
}


def _misfit_journal(tmp_path):
    answers = {k: {"value": v, "saved": "2025-01-01T00:00:00Z", "module_version": "0.0.9"} for k, v in MISFITS.items()}
    answers["orientation-reflection-start"] = {"value": {"text": 42, "share": "yes"}, "saved": 7}
    answers["benefits-reflection-who-benefits"] = {"value": ["private words I wrote", "more"], "module_version": "0.0.9"}
    home = tmp_path / "h"
    _write(home, {**REVISION_1, "learner_code": 31337, "answers": answers})
    return Journal(home)


def test_values_that_no_longer_fit_are_exported_marked_and_nothing_raises(tmp_path):
    j = _misfit_journal(tmp_path)
    data = export_data(j)
    assert _validators()["export"].is_valid(data)
    by_item = {a["item"]: a for a in data["answers"]}
    for item_id in ("orientation-howto-1", "orientation-howto-2", "orientation-stance-benefits",
                    "sponsorship-rank-posts", "benefits-evidence-anecdote"):
        value = by_item[item_id]["value"]
        assert value == {"earlier_version": True, "module_version": "0.0.9", "value": MISFITS[item_id]}
    case = by_item["benefits-case-demystify"]["value"]
    assert case["1"] == {"earlier_version": True, "module_version": "0.0.9", "value": "q"}
    assert case["9"]["earlier_version"] is True
    assert by_item["orientation-reflection-start"]["value"]["earlier_version"] is True
    assert "saved" not in by_item["orientation-reflection-start"]  # 7 is not a time


def test_unfitting_free_text_is_not_shared_without_include_private(tmp_path):
    j = _misfit_journal(tmp_path)
    shared = json.dumps(export_data(j))
    assert "private words I wrote" not in shared
    private = json.dumps(export_data(j, include_private=True))
    assert "private words I wrote" in private


def test_the_json_export_of_an_old_journal_renders_and_validates(tmp_path):
    j = _misfit_journal(tmp_path)
    doc = json.loads(render("json", j))
    assert _validators()["export"].is_valid(doc)
    saved = json.loads(j.path.read_text("utf-8"))
    assert saved["answers"]["orientation-howto-1"]["value"] == "z", "the journal keeps the value"


def test_the_class_report_counts_marked_answers_as_not_fitting(tmp_path):
    from course.instructor.report import build_report

    j = _misfit_journal(tmp_path)
    out = tmp_path / "me.json"
    out.write_text(render("json", j), "utf-8")
    summary = build_report([out], tmp_path / "report", min_count=1, progress=False)
    assert summary.learners == 1 and not summary.skipped
    assert summary.ignored_answers >= 5
