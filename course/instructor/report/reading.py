"""Reading learners' export files for the class report: finding them, reading each once, spotting
repeats, and checking each against the export schema.

A file that cannot be used becomes a `Skipped` (for the instructor's terminal, never the page);
nothing here raises on any input. The schema check is export.schema.json compiled by jsonschema-rs
once per process; jsonschema runs only on a file the compiled check rejects, to confirm the
rejection and word the problem.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from course.problems import printable
from course.version import __version__

MAX_BYTES = 2 * 1024 * 1024
EXPORT_FORMAT = "social-media-ethics-export/1"
SKIP_KINDS = ("malformed", "too large", "unreadable", "duplicate", "other version")


@dataclass
class Skipped:
    """A file the report did not use, and why (for the instructor's terminal, never the page)."""

    path: str
    kind: str  # one of SKIP_KINDS
    reason: str


@dataclass
class ReportSummary:
    """What build_report read, skipped and wrote; `aggregates` is what summary.json holds."""

    outdir: Path
    files: int = 0
    learners: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    ignored_answers: int = 0
    min_count: int = 5
    validation: str = "fast"  # "fast" (the compiled schema) or "jsonschema" (it could not be compiled)
    aggregates: dict = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.outdir / "index.html"

    def skipped_counts(self) -> dict[str, int]:
        counts = Counter(s.kind for s in self.skipped)
        return {kind: counts[kind] for kind in SKIP_KINDS if counts[kind]}

    def line(self) -> str:
        """`report: N learners from M files; skipped K (2 malformed, 1 duplicate); wrote OUTDIR/index.html`"""
        parts = [f"{n} {_plural(kind, n)}" for kind, n in self.skipped_counts().items()]
        skipped = f"skipped {len(self.skipped)}" + (f" ({', '.join(parts)})" if parts else "")
        ignored = (f"; ignored {self.ignored_answers} answer{'s' if self.ignored_answers != 1 else ''} that did not "
                   "fit their items" if self.ignored_answers else "")
        return (f"report: {self.learners} learner{'s' if self.learners != 1 else ''} from {self.files} "
                f"file{'s' if self.files != 1 else ''}; {skipped}{ignored}; wrote {_shown(self.index)}")


def _plural(kind: str, n: int) -> str:
    return kind + "s" if n != 1 and kind in ("duplicate", "other version") else kind


def _shown(path) -> str:
    """A file name as a report line may show it: one terminal-safe line, cut if very long."""
    return printable(str(path), 200)


def _os_reason(exc: OSError) -> str:
    """The system's words for why a file could not be used, without a traceback."""
    return exc.strerror or type(exc).__name__


# -- finding and reading files ------------------------------------------------------------------
def _find_files(paths, outdir: Path) -> tuple[list[Path], list[Skipped]]:
    """Files in the order given; a directory stands for the *.json directly inside it, sorted."""
    found, skipped = [], []
    own_summary = _resolved(outdir / "summary.json")
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except (OSError, ValueError):
            is_dir = False  # reading it will say what is wrong
        if not is_dir:
            found.append(path)
            continue
        try:
            entries = sorted(e for e in path.iterdir() if e.name.lower().endswith(".json") and not e.name.startswith("."))
        except OSError as exc:
            skipped.append(Skipped(_shown(path), "unreadable", f"cannot list this folder ({_os_reason(exc)})"))
            continue
        found.extend(e for e in entries if e.name != "summary.json" or _resolved(e) != own_summary)
    return found, skipped


def _resolved(path: Path):
    """The real path where it can be worked out (so the report never reads its own summary.json)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _read_bytes(path: Path) -> tuple[bytes | None, Skipped | None]:
    """(the file's bytes, None) or (None, why not); never follows a link, never blocks on a pipe or device.

    The file is opened first, without following a symbolic link and without waiting (O_NOFOLLOW,
    O_NONBLOCK), and only what was opened is checked, with fstat: a file swapped for a FIFO between
    a check and the open cannot make the report hang (issue 10, defect 7).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
            return None, Skipped(_shown(path), "unreadable", "is a symbolic link; give the file itself")
        reason = _os_reason(exc) if isinstance(exc, OSError) else "not a valid path"
        return None, Skipped(_shown(path), "unreadable", f"cannot be read ({reason})")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a folder named x.json, a pipe, a device: never read
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            return None, Skipped(_shown(path), "unreadable", f"is {what}, not an export file")
        if info.st_size > MAX_BYTES:
            return None, Skipped(_shown(path), "too large", f"too large ({info.st_size:,} bytes; an export is far "
                                                     f"under {MAX_BYTES // (1024 * 1024)} MB)")
        try:
            raw = _read_regular(fd, info.st_size)
        except OSError as exc:
            return None, Skipped(_shown(path), "unreadable", f"cannot be read ({_os_reason(exc)})")
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        return None, Skipped(_shown(path), "too large", f"too large (over {MAX_BYTES // (1024 * 1024)} MB)")
    return raw, None


def _read_regular(fd: int, size: int) -> bytes:
    """Up to MAX_BYTES + 1 bytes of the open regular file `fd`, with one unbuffered read where it can.

    It asks for the size fstat gave and one byte more (a 2 MB buffer for every file cost 0.03 ms
    an export, measured); a file that grew since is read on, to the same limit.
    """
    chunks, total, ask = [], 0, min(size, MAX_BYTES) + 1
    while total <= MAX_BYTES:
        chunk = os.read(fd, ask)
        if not chunk:  # the end of the file
            break
        chunks.append(chunk)
        total += len(chunk)
        ask = MAX_BYTES + 1 - total
    return b"".join(chunks)


def _parse(raw: bytes):
    """(document, None) or (None, reason)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (bad byte at position {exc.start})"
    if not text.strip():
        return None, "empty file"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    except (ValueError, RecursionError, MemoryError):  # huge integers, absurd nesting
        return None, "not valid JSON (too deeply nested or a number too long)"


# -- the export schema ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _compiled():
    """export.schema.json compiled by jsonschema-rs, or None if it cannot be compiled.

    Compiled once per process (about 1 ms, and 40 ms to import the library). It only answers
    whether a document is valid; it never changes the document it checks.
    """
    from importlib import resources

    try:
        import jsonschema_rs
    except ImportError:  # not installed (it is a dependency): jsonschema checks every file
        return None
    text = (resources.files("course") / "schemas" / "export.schema.json").read_text("utf-8")
    try:
        return jsonschema_rs.validator_for(json.loads(text))
    except Exception:  # noqa: BLE001 -- a schema this version cannot read: jsonschema checks every file
        return None


class _Checker:
    """Schema check: the compiled schema accepts most files at once; jsonschema has the last word
    on every file it rejects, and on every file if the schema cannot be compiled (`fast` False)."""

    def __init__(self):
        self.compiled = _compiled()
        self.fast = self.compiled is not None

    def accepts(self, doc) -> bool:
        """Whether the compiled schema accepts `doc` (if it does, jsonschema would too)."""
        if not self.fast:
            return False
        try:
            return self.compiled.is_valid(doc)
        except Exception:  # noqa: BLE001 -- a value it cannot take (lone surrogate, huge number): jsonschema decides
            return False

    def problem(self, doc) -> str | None:
        """None if `doc` matches the export schema, else the problem in words."""
        if self.accepts(doc):
            return None
        from course.material.schema import _validators

        try:
            errors = list(_validators()["export"].iter_errors(doc))
        except RecursionError:
            return "does not match the export format (too deeply nested)"
        if not errors:  # e.g. a learner code ending in a newline: `$` in a JSON Schema pattern allows it
            return None
        from jsonschema.exceptions import best_match

        error = best_match(errors)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        return printable(f"does not match the export format ({where or 'top level'}: {error.message})", 240)


def _export_problem(doc) -> bool:
    """True if `doc` breaks export.schema.json: the compiled check rejects it and jsonschema agrees."""
    return _Checker().problem(doc) is not None


def _same_minor(version: str) -> bool:
    """Whether an export's module_version has this module's major.minor (digits compared as text,
    so a 5,000-digit version cannot trip Python's int() limit)."""
    theirs = _minor(version)
    return theirs is not None and theirs == _OWN_MINOR


def _minor(text: str):
    """("major", "minor") of a version, leading zeros dropped; None if it has none."""
    match = re.match(r"([0-9]+)\.([0-9]+)", text)
    return tuple(p.lstrip("0") or "0" for p in match.groups()) if match else None


_OWN_MINOR = _minor(__version__)


def _read_one(path: Path, checker: _Checker, seen_bytes: dict, seen_codes: dict):
    """The export document, or a Skipped saying why not."""
    raw, skipped = _read_bytes(path)
    if skipped:
        return skipped

    def skip(kind, reason):
        return Skipped(_shown(path), kind, reason)

    digest = hashlib.blake2b(raw, digest_size=20).digest()
    if digest in seen_bytes:
        return skip("duplicate", f"duplicate: the same bytes as {_shown(seen_bytes[digest])}")
    seen_bytes[digest] = path
    doc, reason = _parse(raw)
    if reason is None:
        reason = checker.problem(doc)
    if reason is not None:
        return skip("malformed", reason)
    if not _same_minor(doc["module_version"]):
        return skip("other version", f"from module version {printable(doc['module_version'], 40)}; "
                                     f"this report reads version {'.'.join(__version__.split('.')[:2])}.x")
    code = doc["learner_code"]
    if code in seen_codes:
        return skip("duplicate", f"duplicate: the same learner code as {printable(str(seen_codes[code]), 200)}")
    seen_codes[code] = path
    return doc
