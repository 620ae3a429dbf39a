"""Compiled templates kept inside the installed package, the way Python keeps its .pyc files.

Jinja turns each template into Python code on first use. A fresh kernel spent about 80 ms doing
that for the fifteen templates a notebook needs, and every notebook starts a fresh kernel; with the
code loaded from this cache the same templates take about 5 ms.

What the cache holds is code, so it lives where the package's code lives, in
`course/render/compiled/`, with the package's trust and no more: never in a learner's cache folder,
whose files the course promises never to run. Jinja checks each entry against the template's
checksum and the running Python's bytecode version, so a stale entry, or one from another Python,
is compiled afresh instead of used, and a damaged entry is ignored the same way.

Entries are written the way Python writes .pyc files: when a template is compiled, if the folder
can be written and Python itself may write bytecode (`PYTHONDONTWRITEBYTECODE` unset); a read-only
install just compiles in memory. `python -m course compile-templates` writes every entry whatever
that setting, as `make` does after installing and the hub set-up does for its shared environment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

# Inside the package, beside the templates; git-ignored, and left out of the wheel.
CACHE_DIR = Path(__file__).resolve().parent / "compiled"


class PackageBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, made safe to use from a read-only package folder."""

    def __init__(self, directory: Path = CACHE_DIR, write: bool | None = None, read: bool = True):
        super().__init__(str(directory))
        self.write = (not sys.dont_write_bytecode) if write is None else write
        self.read = read

    def load_bytecode(self, bucket: Bucket) -> None:
        if not self.read:
            return
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile from the template instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self.write:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)  # a temporary file renamed into place: never half written
            # Readable as the package's own files are (Jinja's temporary file is owner-only), so the
            # learners of a hub can use what its administrator compiled, as they use its .pyc files.
            os.chmod(self._get_cache_filename(bucket), os.stat(__file__).st_mode & 0o666)
        except OSError:  # a read-only install: the template was compiled in memory, and that is enough
            pass


def compile_all(environment: jinja2.Environment, directory: Path = CACHE_DIR) -> int:
    """Compile every template of `environment` into the cache at `directory`; returns how many."""
    # cache_size=0: load each template now, through the cache, not from the parent's memory
    # read=False: write every entry anew, whatever is there
    writer = environment.overlay(bytecode_cache=PackageBytecodeCache(directory, write=True, read=False),
                                 cache_size=0)
    names = writer.list_templates()
    for name in names:
        writer.get_template(name)
    return len(names)
