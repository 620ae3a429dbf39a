"""The learner's journal store: every answer, saved at once to one JSON file on this machine only.

Guarantees, because a learner's answers are precious:
- each save is atomic (a temporary file in the same folder, flushed to disk, then `os.replace`),
  so a crash or SIGKILL leaves either the old or the new journal, never half of one;
- saves are read-modify-write under a file lock, so two kernels answering at once lose nothing;
- a journal that cannot be read is moved aside (never overwritten) and a warning says where;
- nothing is sent anywhere: the file stays in $COURSE_HOME or the platform's user data folder.
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from datetime import datetime, timezone
from pathlib import Path

from course.atomic import atomic_write_bytes, atomic_write_text
from course.paths import learner_home, private_dir
from course.version import __version__

FORMAT = "social-media-ethics-journal/1"
FILE_NAME = "journal.json"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud in class


class JournalDamagedWarning(UserWarning):
    """The journal file could not be read; it was kept aside under another name."""


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
        return data, None

    def _empty(self) -> dict:
        return {"format": FORMAT, "module_version": __version__, "learner_code": None, "answers": {}}

    # -- writing ------------------------------------------------------------------------------
    def _locked(self):
        if self._lock is None:
            from filelock import FileLock

            private_dir(self.home)  # 0700 whatever the umask: on a shared server no one else reads it
            self._lock = FileLock(str(self.path) + ".lock", timeout=30, mode=0o600)
        return self._lock

    def _update(self, change) -> dict:
        """Apply `change(data)` under the lock and save atomically; return the saved data."""
        with self._locked():
            data, problem = self._load()
            if problem:
                aside = self._keep_aside()
                warnings.warn(f"{problem}. It was kept as {aside.name} in {self.home.name}/ and a new "
                              "journal was started; nothing was deleted.", JournalDamagedWarning, stacklevel=3)
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
        return self._update(lambda data: None)["learner_code"]

    def save(self, item_id: str, value) -> dict:
        """Save one answer at once; returns its record. `value` must be JSON-serialisable."""
        json.dumps(value)  # fail before touching the file if it cannot be stored
        record = {"value": value, "saved": _now(), "module_version": __version__}

        def change(data):
            data["answers"][item_id] = record

        self._update(change)
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

        self._update(change)
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
