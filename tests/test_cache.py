"""The on-disk cache saves time only: a damaged, stale or missing entry never changes what is shown."""

from __future__ import annotations


import pytest

import course
import course.material.api
from course import cache


def test_checked_content_is_cached_and_read_back(private_cache, readings_copy):
    """The second kernel loads the same content from the cache."""
    first = course.material.api.content()
    entries = list(private_cache.glob("content-*.json"))
    assert len(entries) == 1
    course.material.api._load_checked.cache_clear()
    second = course.material.api.content()
    assert second is not first and second.items.keys() == first.items.keys()
    assert second.resolve("meded-monday#comment-c").title == first.resolve("meded-monday#comment-c").title


def test_a_damaged_entry_is_ignored(private_cache, readings_copy):
    """Garbage in the cache means the content is checked again, not a crash."""
    course.material.api.content()
    entry = next(private_cache.glob("content-*.json"))
    entry.write_bytes(b"not a pickle")
    course.material.api._load_checked.cache_clear()
    assert len(course.material.api.content().items) > 0


def test_editing_content_invalidates_the_cache(private_cache, readings_copy):
    """A changed file gets a new fingerprint, so a broken edit is reported, never hidden by the cache."""
    course.material.api.content()
    (readings_copy / "manifest.yaml").write_text("units: oops\n", encoding="utf-8")
    course.material.api._load_checked.cache_clear()
    with pytest.raises(course.ContentError):
        course.material.api.content()


def test_caching_can_be_turned_off(tmp_path, monkeypatch, readings_copy):
    """COURSE_CACHE_DIR set to an empty string writes nothing anywhere."""
    monkeypatch.setenv("COURSE_CACHE_DIR", "")
    course.material.api._load_checked.cache_clear()
    course.material.api.content()
    assert cache.cache_dir() is None
    course.material.api._load_checked.cache_clear()


def test_charts_come_back_identical_from_the_cache(private_cache):
    """A chart drawn once is served from the cache byte for byte."""
    first = course.figures.module_map().png
    assert list(private_cache.glob("chart-*.png"))
    assert course.figures.module_map().png == first
