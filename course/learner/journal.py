"""The learner's journal store: every answer, saved at once to one JSON file on this machine only.

Guarantees, because a learner's answers are precious:
- each save is atomic (a temporary file in the same folder, flushed to disk, then `os.replace`),
  so a crash or SIGKILL leaves either the old or the new journal, never half of one;
- saves are read-modify-write under a file lock, so two kernels answering at once lose nothing;
- a journal that cannot be read is moved aside (never overwritten) and a warning says where;
- a journal that is a symbolic link, read-only or another user's is never replaced: the save is refused;
- a save that fails raises `JournalWriteError`, whose message says in words that the answer was NOT saved
  and what to do (never a raw error about a lock file or an errno);
- nothing is sent anywhere: the file stays in $COURSE_HOME or the platform's user data folder.

The file format (`journal.json`, UTF-8 JSON, one object):

    {"format": "social-media-ethics-journal/1",   # the file family; never changes for additive revisions
     "format_version": 2,                         # the revision of the layout (absent = 1)
     "module_version": "0.1.0",                   # the release that last saved
     "learner_code": "K7QF-2M9X",                 # random, 4+4 of A-Z and 2-9 without 0/O/1/I; or null
     "earlier_learner_code": ...,                 # revision 2: a code that was not valid, kept as it was
     "answers": {"<item id>": {"value": ..., "saved": "<UTC time>", "module_version": "0.1.0"}}}

Revision 1 is what releases up to 0.1.0 wrote: the same object without `format_version`.
Revision 2 adds `format_version` and `earlier_learner_code`. Revisions only ever add fields, and
every field this release does not know is kept as it is, so an older release can still read
and save a newer file. `upgrade` turns a revision-1 journal into revision 2 in memory when it is
read (answers are untouched: a journal of the earlier release means exactly what it meant) and
the next save writes it. A saved value that no longer fits the content is kept; see
`course.learner.compat`.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
import warnings
from datetime import datetime, timezone
from pathlib import Path

from course.atomic import atomic_write_bytes, atomic_write_text, private_dir
from course.paths import learner_home
from course.version import __version__

FORMAT = "social-media-ethics-journal/1"
FORMAT_VERSION = 2  # see the module docstring for each revision
FILE_NAME = "journal.json"
_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")  # export.schema.json's learner_code
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud in class


class JournalDamagedWarning(UserWarning):
    """The journal file could not be read; it was kept aside under another name."""


class JournalTextWarning(UserWarning):
    """Part of an answer could not be stored as text and was replaced; the rest was saved."""


class JournalWriteError(OSError):
    """An answer was NOT saved; the message says why, in words, and what to do. Earlier answers are unchanged."""


_NOT_SAVED = "Your answer was NOT saved"
_UNCHANGED = "Answers saved earlier are unchanged."


def _write_error(exc: OSError, home: Path, failed: str = _NOT_SAVED) -> JournalWriteError:
    """The package's own error for a failed save, worded for a learner."""
    from filelock import Timeout

    if isinstance(exc, Timeout):
        return JournalWriteError(f"{failed}: another notebook kept your journal busy for 30 seconds. "
                                 f"Wait a moment and save again. {_UNCHANGED}")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why, fix = "the disk is full (or your storage quota is used up)", "Free some space, then save again."
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = f"the folder {home} cannot be written ({(exc.strerror or 'permission denied').lower()})"
        fix = ("Ask for a home folder you can write to, or set COURSE_HOME to such a folder before starting "
               "the notebook, then save again.")
    else:
        why = f"the journal in {home} could not be written ({exc.strerror or type(exc).__name__})"
        fix = "Check that the folder exists and that you can write to it, then save again."
    error = JournalWriteError(f"{failed}: {why}. {fix} {_UNCHANGED}")
    error.errno = exc.errno
    return error


def _storable(value):
    """`value` with every string made storable as UTF-8, and how many characters had to be replaced.

    A lone surrogate (half of an emoji, left by a broken copy-and-paste) cannot be written as UTF-8: it
    becomes U+FFFD. Two halves of one character that arrived separately are joined into that character.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value, 0
        except UnicodeEncodeError:
            fixed = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
            return fixed, fixed.count("\ufffd") - value.count("\ufffd")
    if isinstance(value, dict):
        out, replaced = {}, 0
        for key, inner in value.items():
            (key, n), (inner, m) = _storable(key), _storable(inner)
            out[key], replaced = inner, replaced + n + m
        return out, replaced
    if isinstance(value, (list, tuple)):
        parts = [_storable(inner) for inner in value]
        return type(value)(p[0] for p in parts), sum(p[1] for p in parts)
    return value, 0


def new_learner_code() -> str:
    """A random code like 'K7QF-2M9X' that lets a class report merge files without names."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _valid(data) -> bool:
    return (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("answers"), dict)
        and all(isinstance(v, dict) and "value" in v for v in data["answers"].values())
    )


def valid_code(code) -> bool:
    """Whether `code` is a learner code this module would make (and an export may carry)."""
    return type(code) is str and _CODE.match(code) is not None


def upgrade(data: dict) -> dict:
    """A journal of any earlier revision, brought to FORMAT_VERSION in place (and returned).

    Answers are never changed. A learner code that is not a valid code (a number, a name, a
    code of another alphabet) is kept as `earlier_learner_code` and the journal gets a new one
    at its next save. A newer revision than this release knows is left as it is.
    """
    version = data.get("format_version")
    if type(version) is not int or version < 1:
        version = 1  # revision 1 had no format_version
    code = data.get("learner_code")
    if code is not None and not valid_code(code):
        data.setdefault("earlier_learner_code", code)
        data["learner_code"] = None
    data["format_version"] = max(version, FORMAT_VERSION)
    return data


class Journal:
    """One learner's answers, keyed by stable item id, in `<home>/journal.json`."""

    def __init__(self, home: Path | str | None = None):
        self.home = Path(home) if home is not None else learner_home()
        self.path = self.home / FILE_NAME
        self._lock = None

    def __repr__(self) -> str:
        return f"Journal({len(self.answers())} answers)"

    # -- reading ------------------------------------------------------------------------------
    def read(self) -> dict:
        """The whole journal as a dict (an empty one if nothing was saved yet).

        Reading needs no lock: writes replace the file atomically. A damaged file is reported
        here but only moved aside by the next save, which holds the lock.
        """
        data, problem = self._load()
        if problem:
            warnings.warn(f"{problem}; it will be kept aside when you next save an answer",
                          JournalDamagedWarning, stacklevel=2)
            return self._empty()
        return data

    def answers(self) -> dict[str, dict]:
        """Item id -> saved record (`value`, `saved`, `module_version`)."""
        return self.read()["answers"]

    def get(self, item_id: str):
        """The saved record for one item, or None."""
        return self.answers().get(item_id)

    @property
    def learner_code(self) -> str | None:
        return self.read().get("learner_code")

    def _load(self) -> tuple[dict, str | None]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._empty(), None
        except OSError as exc:
            return self._empty(), f"your journal {self.path.name} cannot be read ({exc.strerror})"
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._empty(), f"your journal {self.path.name} is damaged (not valid JSON)"
        if not _valid(data):
            return self._empty(), f"your journal {self.path.name} is damaged (not a journal of this module)"
        return upgrade(data), None

    def _empty(self) -> dict:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, "module_version": __version__,
                "learner_code": None, "answers": {}}

    # -- writing ------------------------------------------------------------------------------
    def _locked(self):
        if self._lock is None:
            from filelock import FileLock

            private_dir(self.home)  # 0700 whatever the umask: on a shared server no one else reads it
            self._lock = FileLock(str(self.path) + ".lock", timeout=30, mode=0o600)
        return self._lock

    def _update(self, change, failed: str = _NOT_SAVED) -> dict:
        """Apply `change(data)` under the lock and save atomically; return the saved data.

        Raises `JournalWriteError` (in words: NOT saved, and what to do) if the journal cannot be written.
        """
        try:
            return self._update_locked(change, failed)
        except JournalWriteError:
            raise
        except OSError as exc:
            raise _write_error(exc, self.home, failed) from exc

    def _refuse_to_replace(self, failed: str) -> None:
        """Refuse a save that would replace something other than this learner's own writable journal file."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(st.st_mode):
            target = os.readlink(self.path)
            raise JournalWriteError(
                f"{failed}: your journal {self.path} is a symbolic link (to {target}); saving would replace "
                f"the link with a file, and {target} would stop receiving your answers. Set COURSE_HOME to the "
                f"folder that holds the real journal (or put the file itself in place of the link), then save "
                f"again. {_UNCHANGED}")
        if not stat.S_ISREG(st.st_mode):
            raise JournalWriteError(f"{failed}: {self.path} is not a regular file, so it was left alone. "
                                    f"Move it away or set COURSE_HOME to another folder, then save again.")
        if st.st_nlink > 1:
            raise JournalWriteError(f"{failed}: your journal {self.path} has another name (a hard link); saving "
                                    f"would separate the two, and the other name would stop receiving your "
                                    f"answers. Keep one name only, then save again. {_UNCHANGED}")
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise JournalWriteError(f"{failed}: the journal {self.path} belongs to another user, so it was "
                                    f"left alone. Set COURSE_HOME to a folder of your own, then save again.")
        if not st.st_mode & stat.S_IWUSR:
            raise JournalWriteError(
                f"{failed}: your journal {self.path} is read-only, so it was not overwritten. If you mean to "
                f"keep answering, make it writable again (for example `chmod u+w {self.path}`) or set COURSE_HOME "
                f"to another folder, then save again. {_UNCHANGED}")

    def _update_locked(self, change, failed: str) -> dict:
        with self._locked():
            self._refuse_to_replace(failed)
            data, problem = self._load()
            if problem:
                aside = self._keep_aside()
                warnings.warn(f"{problem}. It was kept as {aside.name} in {self.home.name}/ and a new "
                              "journal was started; nothing was deleted.", JournalDamagedWarning, stacklevel=4)
            self._remove_stale_temporaries()
            data.setdefault("learner_code", None)
            if not data["learner_code"]:
                data["learner_code"] = new_learner_code()
            data["module_version"] = __version__
            change(data)
            atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
            return data

    def ensure_code(self) -> str:
        """This learner's random code, created (and saved) if the journal has none yet."""
        code = self.learner_code
        if code:
            return code
        return self._update(lambda data: None, "Your learner code was NOT saved")["learner_code"]

    def save(self, item_id: str, value) -> dict:
        """Save one answer at once; returns its record. `value` must be JSON-serialisable.

        Raises `JournalWriteError` if it cannot be saved; warns (`JournalTextWarning`) if a character that
        cannot be stored as text had to be replaced.
        """
        json.dumps(value)  # fail before touching the file if it cannot be stored
        value, replaced = _storable(value)
        record = {"value": value, "saved": _now(), "module_version": __version__}

        def change(data):
            data["answers"][item_id] = record

        self._update(change)
        if replaced:
            warnings.warn(f"{replaced} character{'s' if replaced != 1 else ''} in your answer could not be stored "
                          "(half of an emoji or symbol, usually left by a broken copy-and-paste) and "
                          f"{'were' if replaced != 1 else 'was'} replaced by \ufffd; the rest of your answer was "
                          "saved.", JournalTextWarning, stacklevel=2)
        return record

    def forget(self, item_id: str | None = None, *, confirm: bool = False) -> int:
        """Delete one item's answer (or all with item_id=None). Needs confirm=True; returns how many."""
        if not confirm:
            raise PermissionError("nothing was deleted: pass confirm=True to delete saved answers")
        removed = []

        def change(data):
            keys = list(data["answers"]) if item_id is None else [item_id]
            for key in keys:
                if data["answers"].pop(key, None) is not None:
                    removed.append(key)

        self._update(change, "Nothing was deleted")
        return len(removed)

    def _keep_aside(self) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            aside = self.path.with_name(f"journal.damaged-{stamp}{suffix}.json")
            if not aside.exists():
                os.replace(self.path, aside)
                return aside
        raise RuntimeError("too many damaged journals kept aside")

    def _remove_stale_temporaries(self) -> None:
        # Only called under the lock, so no temporary file here belongs to a live writer.
        for stale in self.home.glob(f".{FILE_NAME}.*.tmp"):
            try:
                stale.unlink()
            except OSError:
                pass


_default: Journal | None = None


def journal() -> Journal:
    """The journal for this kernel ($COURSE_HOME or the user data folder, looked up once)."""
    global _default
    if _default is None or _default.home != learner_home():
        _default = Journal()
    return _default
