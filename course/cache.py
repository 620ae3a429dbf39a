"""A small on-disk cache for work that depends only on unchanged data: checked content, rendered charts.

Every notebook kernel would otherwise import the schema validator, parse and validate all content,
and import matplotlib to draw the same charts again (about 3 s per notebook, measured; see
benchmarks/run.py). Entries are keyed by a fingerprint of exactly what they depend on, written
atomically, and ignored if unreadable, so a stale or damaged cache can only cost time, never
change what a learner sees. The cache lives in the user cache folder or $COURSE_CACHE_DIR; set
COURSE_CACHE_DIR to an empty string to turn it off.

A cache folder may be shared or writable by others (a lab machine's COURSE_CACHE_DIR), so entries are
data that cannot run code (JSON, PNG), folders are created 0700 whatever the umask, and an entry that
is not a regular file of this user's, or that others can write, is refused with a `CacheWarning`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
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


class CacheWarning(UserWarning):
    """A cache entry was not used because someone other than this user could have written it."""


def _untrusted(st: os.stat_result) -> str | None:
    """Why an entry with this status may not be believed, or None."""
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return "it belongs to another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "other users can write it"
    return None


def read(name: str) -> bytes | None:
    """An entry's bytes, or None if absent, unreadable or not trustworthy (the last with a CacheWarning).

    The entry is opened without following a link and without blocking (a FIFO cannot hang a kernel),
    and what was opened is checked, so that it cannot be swapped between the check and the read.
    """
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / name
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError:
        if path.is_symlink():
            _refuse(path, "it is a symbolic link")
        return None
    try:
        problem = _untrusted(os.fstat(fd))
        if problem:
            _refuse(path, problem)
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    except OSError:
        return None
    finally:
        if fd != -1:
            os.close(fd)


def _refuse(path: Path, why: str) -> None:
    warnings.warn(f"the cache entry {path} was not used because {why}; it is rebuilt instead. "
                  f"Delete the entry, or point {CACHE_ENV} at a folder only you can write, to stop this warning.",
                  CacheWarning, stacklevel=3)


def write(name: str, data: bytes) -> None:
    """Store an entry; a cache that cannot be written is skipped silently (it only saves time)."""
    folder = cache_dir()
    if folder is None:
        return
    from course.atomic import atomic_write_bytes, private_dir

    try:
        private_dir(folder)
        atomic_write_bytes(folder / name, data)
    except OSError:
        pass
