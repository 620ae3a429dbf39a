"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Used for everything the package writes (the journal, exports, reports, caches, built notebooks),
so that a crash, a full disk or a killed kernel cannot leave a truncated file behind. `emit` is
the one rule every command that writes a single file follows for its `-o`: keep an existing file
unless told to replace it, never write through a link, and "-" for standard output.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple


def _temporary_copy(path: Path, data: bytes) -> str:
    """`data` written and flushed to disk in a new 0600 file beside `path`; returns the file's name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    tmp = _temporary_copy(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def private_dir(path: Path | str) -> Path:
    """Create `path` (and missing parents) as 0700 folders whatever the umask; return it.

    Folders that already exist keep their mode: only what this call creates is made private. On a
    shared machine (a JupyterHub with local users) a learner's journal, cache and exports then stay
    unreadable to other learners even where home folders are created 0755.
    """
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by another process at the same moment: not ours to change
        os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask; chmod is not
    return path


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 `text` atomically (see `atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


class OutputRefused(ValueError):
    """The path named for an output is not a file this package may write (the message says why)."""


def _refusal(path: Path, replace: bool) -> str | None:
    """Why `path` may not be written, or None. Looks at the path itself, never through a link."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return (f"{path} is a symbolic link; it was left as it is. Name the file itself, "
                "or a new file")
    if stat.S_ISDIR(info.st_mode):
        return f"{path} is a folder; name a file to write, inside it or elsewhere"
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file (a device, pipe or socket); it was left as it is"
    if not replace:
        return f"{path} already exists; add --force to replace it, or choose another name"
    return None


def write_output(path: Path, data: bytes, *, replace: bool = False) -> bool:
    """Write an output file the user named, atomically; returns True if it replaced a file.

    Follows the usual conventions for an output path: only a regular file is ever replaced, and
    only with `replace=True`; a symlink (to a file or a folder), a folder, a device node, a FIFO
    or a socket is refused with `OutputRefused` and left untouched. A new file is created with
    `os.link`, which fails if something appeared at the path meanwhile, so even a race cannot make
    this replace what it would have refused. The file is readable by its owner only (0600).
    """
    path = Path(path)
    problem = _refusal(path, replace)
    if problem:
        raise OutputRefused(problem)
    existed = path.exists()
    tmp = _temporary_copy(path, data)
    try:
        problem = _refusal(path, replace)  # again, as late as possible
        if problem:
            raise OutputRefused(problem)
        if not existed:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputRefused(f"{path} appeared while the output was written; "
                                    "it was left as it is, run the command again") from None
            except OSError:  # a file system without hard links: the checks above must do
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
            return False
        os.replace(tmp, path)
        return True
    except BaseException:
        _discard(tmp)
        raise


STANDARD_OUTPUT = "-"
"""The `-o` value that sends a command's output to standard output instead of a file."""


class Emitted(NamedTuple):
    """Where `emit` put a command's output: `where` for a message ("standard output", a path, or a
    path and " (replaced)"), and whether it replaced a file. Reads as `where`."""

    where: str
    replaced: bool = False

    def __str__(self) -> str:
        return self.where


def emit(output: str, data: bytes, *, replace: bool = False, text: bool = True) -> Emitted:
    """Write what a command made where its `-o` points: a file (see `write_output`), or standard output for "-".

    Text sent to standard output ends with a newline (one is added if missing); other bytes go as they are.
    Returns where it went (see `Emitted`). Raises OutputRefused or OSError (BrokenPipeError from a closed pipe,
    which `python -m course` ends quietly with status 141, as Unix tools do).
    """
    if output == STANDARD_OUTPUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data + b"\n" if text and data and not data.endswith(b"\n") else data)
        sys.stdout.buffer.flush()
        return Emitted("standard output")
    replaced = write_output(Path(output), data, replace=replace)
    return Emitted(f"{output} (replaced)" if replaced else str(output), replaced)
