"""Issue 10, defects 6 (API half), 14 and 15: a save that cannot be made says so in words, and nothing is
silently replaced or lost.

- 6: a read-only home or a full disk raises the package's own `JournalWriteError`, whose message says the
  answer was NOT saved and what to do, never a raw PermissionError/OSError about a lock file.
- 14: a reflection holding a lone surrogate (left by a broken copy-and-paste) is saved, with the character
  replaced and a warning that says so, instead of failing with a raw codec message.
- 15: a journal that is a symbolic link, or that is read-only, is refused with a clear message; the link and
  its target, or the read-only file, are left exactly as they were.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import warnings

import pytest

import course.atomic
from course.learner import journal as store
from course.learner.journal import FILE_NAME, Journal

as_root = os.name == "posix" and os.geteuid() == 0


class _NoSuchError(Exception):
    """Stands in where the package has no JournalWriteError, so that the failure shows what was raised instead."""


def _error_class():
    return getattr(store, "JournalWriteError", _NoSuchError)


def _says_not_saved(message: str) -> None:
    assert "NOT saved" in message, message
    assert ".lock" not in message and "Errno" not in message, message  # no lock file, no raw codes


# -- 6: a failed save raises the package's own error, in words ----------------------------------------------------
@pytest.mark.skipif(as_root, reason="root can write a read-only folder")
def test_read_only_home_raises_journal_write_error_in_words(course_home):
    course_home.mkdir()
    course_home.chmod(0o500)
    try:
        with pytest.raises(_error_class()) as caught:
            Journal(course_home).save("q1", "a")
    finally:
        course_home.chmod(0o700)
    _says_not_saved(str(caught.value))
    assert "write" in str(caught.value)
    assert not (course_home / FILE_NAME).exists()


def test_a_lock_that_cannot_be_taken_raises_journal_write_error(course_home, monkeypatch):
    """As on a read-only home (also for root, who could write one): the lock file cannot be created."""
    import filelock

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(course_home / f"{FILE_NAME}.lock"))

    monkeypatch.setattr(filelock.BaseFileLock, "acquire", refused)
    with pytest.raises(_error_class()) as caught:
        Journal(course_home).save("q1", "a")
    _says_not_saved(str(caught.value))
    assert "COURSE_HOME" in str(caught.value)


def test_full_disk_raises_journal_write_error_and_keeps_the_old_journal(course_home, monkeypatch):
    j = Journal(course_home)
    j.save("q1", "a")
    before = (course_home / FILE_NAME).read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store, "atomic_write_text", full)
    monkeypatch.setattr(course.atomic, "atomic_write_text", full)
    with pytest.raises(_error_class()) as caught:
        j.save("q2", "b")
    _says_not_saved(str(caught.value))
    assert "full" in str(caught.value).lower() or "space" in str(caught.value).lower()
    assert "Errno" not in str(caught.value)
    assert (course_home / FILE_NAME).read_bytes() == before


# -- 14: a lone surrogate ----------------------------------------------------------------------------------------
def test_a_lone_surrogate_is_replaced_with_a_warning_and_the_rest_is_saved(course_home):
    j = Journal(course_home)
    text = "I would say who I am \ud83d because patients trust names."
    with pytest.warns(UserWarning, match="replaced"):
        record = j.save("r1", {"text": text, "share": False})
    saved = json.loads((course_home / FILE_NAME).read_text(encoding="utf-8"))["answers"]["r1"]["value"]
    assert saved["text"] == "I would say who I am \ufffd because patients trust names."
    assert record["value"] == saved


def test_a_split_surrogate_pair_is_joined_not_dropped(course_home):
    """Two halves of one emoji, as separate code points, are the emoji, saved without a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Journal(course_home).save("r1", "thanks \ud83d\ude00")
    assert Journal(course_home).get("r1")["value"] == "thanks \U0001F600"


# -- 15: a symlinked or read-only journal --------------------------------------------------------------------------
def test_a_symlinked_journal_is_refused_and_left_alone(course_home, tmp_path):
    elsewhere = tmp_path / "synced" / "journal.json"
    Journal(elsewhere.parent).save("q1", "a")
    target_before = elsewhere.read_bytes()
    course_home.mkdir()
    (course_home / FILE_NAME).symlink_to(elsewhere)
    with pytest.raises(_error_class()) as caught:
        Journal(course_home).save("q2", "b")
    _says_not_saved(str(caught.value))
    assert "link" in str(caught.value)
    assert (course_home / FILE_NAME).is_symlink()
    assert elsewhere.read_bytes() == target_before


def test_a_read_only_journal_is_refused_and_left_alone(course_home):
    j = Journal(course_home)
    j.save("q1", "a")
    path = course_home / FILE_NAME
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(_error_class()) as caught:
            j.save("q2", "b")
    finally:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(0o600)
    _says_not_saved(str(caught.value))
    assert "read-only" in str(caught.value)
    assert path.read_bytes() == before and mode == 0o444


def test_a_hard_linked_journal_is_refused_and_both_names_keep_the_answers(course_home, tmp_path):
    """Replacing a journal that has a second name would leave that name behind, silently."""
    j = Journal(course_home)
    j.save("q1", "a")
    other = tmp_path / "backup.json"
    os.link(course_home / FILE_NAME, other)
    with pytest.raises(_error_class()) as caught:
        j.save("q2", "b")
    _says_not_saved(str(caught.value))
    assert os.path.samefile(course_home / FILE_NAME, other)


def test_forgetting_in_a_read_only_journal_says_nothing_was_deleted(course_home):
    j = Journal(course_home)
    j.save("q1", "a")
    (course_home / FILE_NAME).chmod(0o444)
    try:
        with pytest.raises(_error_class(), match="Nothing was deleted"):
            j.forget("q1", confirm=True)
    finally:
        (course_home / FILE_NAME).chmod(0o600)
    assert Journal(course_home).get("q1")["value"] == "a"
