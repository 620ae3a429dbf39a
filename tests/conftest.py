"""Shared fixtures: every test gets its own empty journal folder, never the learner's real one;
tests of the content cache get their own cache folder and their own copy of readings/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_READINGS = Path(__file__).resolve().parent.parent / "readings"


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    """An empty $COURSE_HOME for each test."""
    home = tmp_path / "course-home"
    monkeypatch.setenv("COURSE_HOME", str(home))
    return home


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """An empty $COURSE_CACHE_DIR, and no content remembered in this process before or after."""
    import course.material.api

    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(folder))
    course.material.api._load_checked.cache_clear()
    yield folder
    course.material.api._load_checked.cache_clear()


@pytest.fixture
def readings_copy(tmp_path, monkeypatch):
    """A copy of readings/ that a test may change, made the content folder."""
    target = tmp_path / "readings"
    shutil.copytree(REPO_READINGS, target)
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(target))
    return target
