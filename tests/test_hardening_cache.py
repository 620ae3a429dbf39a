"""Issue 10, defect 1: nothing the content cache reads from disk can run code or be planted by someone else.

The cache folder may be shared (COURSE_CACHE_DIR on a lab machine) or created world-writable under umask 000;
another user who can write an entry must not be able to run code as the learner, nor change what the learner is
shown. Entries are plain data, folders are created 0700, and an entry that is not the user's own or that others
can write is refused with a warning.
"""

from __future__ import annotations

import os
import pickle
import stat
import warnings
from pathlib import Path

import pytest

import course
import course.material.api

TITLE = "Medical Education Monday"  # part of a digest title, in every form of the cached content




class _Planted:
    """A pickle payload: unpickling it creates the file at `path`."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith("content-"))


def _reload():
    course.material.api._load_checked.cache_clear()
    return course.material.api.content()


def _titles(content) -> str:
    return " ".join(r.title for r in content.readings.values())


def test_a_planted_pickle_in_the_cache_runs_no_code(private_cache, readings_copy, tmp_path):
    """Whatever another user writes under an entry's name, loading the content never executes it."""
    course.material.api.content()
    marker = tmp_path / "code-ran"
    entries = _entries(private_cache)
    assert entries
    for entry in entries:
        entry.write_bytes(pickle.dumps(_Planted(marker)))
        entry.chmod(0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        content = _reload()
    assert not marker.exists(), "a pickle planted in the cache ran code as the learner"
    assert TITLE in _titles(content)


def test_cache_and_data_folders_are_created_private_under_umask_000(private_cache, readings_copy, tmp_path):
    """Under umask 000 the folders must still be 0700, so that no one else can plant an entry or read a journal."""
    home = tmp_path / "data" / "home"
    old = os.umask(0)
    try:
        course.material.api.content()
        course.Journal(home).save("q1", "a")
    finally:
        os.umask(old)
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o666, 0o620])
def test_an_entry_others_can_write_is_refused_with_a_warning(private_cache, readings_copy, mode):
    """A group- or world-writable entry may have been changed by someone else: it is not believed."""
    course.material.api.content()
    for entry in _entries(private_cache):
        data = entry.read_bytes()
        assert TITLE.encode() in data
        entry.write_bytes(data.replace(TITLE.encode(), b"Medical Education Hacked"))
        entry.chmod(mode)
    with pytest.warns(UserWarning, match="cache"):
        content = _reload()
    assert TITLE in _titles(content) and "Hacked" not in _titles(content)


def test_an_entry_owned_by_someone_else_is_refused_with_a_warning(private_cache, readings_copy, monkeypatch):
    """An entry another user owns (planted in a shared cache folder) is not believed."""
    course.material.api.content()
    for entry in _entries(private_cache):
        entry.write_bytes(entry.read_bytes().replace(TITLE.encode(), b"Medical Education Hacked"))
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)
    monkeypatch.setattr(os, "geteuid", lambda: me + 1)
    with pytest.warns(UserWarning, match="cache"):
        content = _reload()
    assert "Hacked" not in _titles(content)


def test_an_entry_that_is_a_symbolic_link_is_refused_with_a_warning(private_cache, readings_copy, tmp_path):
    """A link in a shared cache folder may point at a file someone else controls: it is not followed."""
    course.material.api.content()
    for entry in _entries(private_cache):
        planted = tmp_path / f"planted-{entry.name}"
        planted.write_bytes(entry.read_bytes().replace(TITLE.encode(), b"Medical Education Hacked"))
        planted.chmod(0o600)
        entry.unlink()
        entry.symlink_to(planted)
    with pytest.warns(UserWarning, match="cache"):
        content = _reload()
    assert "Hacked" not in _titles(content)


def test_content_from_the_cache_equals_content_checked_afresh(private_cache, readings_copy, monkeypatch):
    """The cached form rebuilds the same frozen objects, types included, as a fresh check."""
    first = course.material.api.content()
    assert _entries(private_cache)
    cached = _reload()
    monkeypatch.setenv("COURSE_CACHE_DIR", "")
    fresh = _reload()
    assert cached is not fresh
    assert _shape(cached) == _shape(fresh) == _shape(first)


def _shape(value):
    """A comparable picture of a content object: every value together with its exact type."""
    import dataclasses

    if dataclasses.is_dataclass(value):
        return (type(value).__name__, tuple((f.name, _shape(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return (type(value).__name__, tuple((_shape(k), _shape(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_shape(v) for v in value))
    return (type(value).__name__, str(value))
