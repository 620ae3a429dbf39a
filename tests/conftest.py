"""Shared fixtures: every test gets its own empty journal folder, never the learner's real one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    """An empty $COURSE_HOME for each test."""
    home = tmp_path / "course-home"
    monkeypatch.setenv("COURSE_HOME", str(home))
    return home
