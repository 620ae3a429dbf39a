"""A small on-disk cache for work that depends only on unchanged data: checked content, rendered charts.

Every notebook kernel would otherwise import the schema validator, parse and validate all content,
and import matplotlib to draw the same charts again (about 3 s per notebook, measured; see
benchmarks/run.py). Entries are keyed by a fingerprint of exactly what they depend on, written
atomically, and ignored if unreadable, so a stale or damaged cache can only cost time, never
change what a learner sees. The cache lives in the user cache folder or $COURSE_CACHE_DIR; set
COURSE_CACHE_DIR to an empty string to turn it off.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from course.version import __version__
from course.paths import APP_NAME

CACHE_ENV = "COURSE_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where cache entries live, or None when caching is turned off."""
    override = os.environ.get(CACHE_ENV)
    if override is not None:
        return Path(override) if override else None
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def fingerprint(*parts: bytes | str) -> str:
    """A key for data made of these parts (and this package version)."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def folder_fingerprint(*folders: Path) -> str:
    """A key for every file under these folders: their relative paths and bytes."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return fingerprint(*parts)


def read(name: str) -> bytes | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Store an entry; a cache that cannot be written is skipped silently (it only saves time)."""
    folder = cache_dir()
    if folder is None:
        return
    from course.atomic import atomic_write_bytes

    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(folder / name, data)
    except OSError:
        pass
