"""Hand in: put the learner's JSON export into the instructor's collection folder, a drop box.

The folder is configured by the instructor, not the learner: $COURSE_HANDIN_DIR (a hub sets it for
every server) or `handin_dir` in the course config file (see `course.paths.handin_dir`). What is
handed in is exactly `python -m course export --format json`: a random learner code, no name unless
asked for, and the text of a reflection only where the learner ticked "share".

The drop box (deploy/setup-handin.sh makes it): a folder owned by root, group = the instructors'
group, mode 3753 (sticky, setgid; rwx for root, r-x for the instructors, -wx for everyone else).
Learners can create a file in it but cannot list it; the setgid bit gives each new file the
instructors' group, and the file is written 0640, so the instructors can read it and other learners
cannot. The sticky bit means only a file's owner can replace or delete it. Each learner's file is
named by their login name (`<user>.json`): one file per account, a second hand-in replaces the first,
and a file whose owner is not the user it is named for can be spotted (`handin_files`).
"""

from __future__ import annotations

import getpass
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from course.paths import handin_dir
from course.learner.journal import Journal
from course.learner.journal import journal as default_journal
from course.tools.export import export_data

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class HandInError(RuntimeError):
    """The hand-in could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class HandIn:
    """What was handed in: the file, and the data it holds (shown to the learner as text)."""

    path: Path
    data: dict
    replaced: bool

    def summary(self) -> str:
        answers = self.data["answers"]
        shared = private = 0
        for answer in answers:
            for value in _reflections(answer):
                if value.get("share"):
                    shared += 1
                else:
                    private += 1
        verb = "replaced your earlier hand-in with" if self.replaced else "handed in"
        lines = [f"{verb} {len(answers)} answer(s) as learner {self.data['learner_code']}: {self.path}"]
        if shared or private:
            lines.append(f"reflections: {shared} shared with their text, {private} private (only a word count)")
        lines.append("your name is " + ("included" if self.data.get("learner_name") else "not included"))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def _reflections(answer: dict):
    value = answer.get("value")
    if answer.get("type") == "reflection" and isinstance(value, dict):
        yield value
    elif answer.get("type") == "case" and isinstance(value, dict):
        yield from (v for v in value.values() if isinstance(v, dict) and "share" in v)


def login_name() -> str:
    """The unix user handing in; the hand-in file is named after it."""
    try:
        import pwd

        name = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        name = getpass.getuser()
    return _SAFE_NAME.sub("_", name) or "learner"


def folder_problems(folder: Path) -> list[str]:
    """Why `folder` is not a safe drop box for other people's hand-ins (empty if it is, or if it is your own)."""
    st = folder.stat()
    if st.st_uid == os.getuid():
        return []  # your own folder (a single-user set-up): nobody else hands in there
    problems = []
    if st.st_mode & stat.S_IROTH:
        problems.append("anyone can list it")
    if st.st_mode & stat.S_IWOTH and not st.st_mode & stat.S_ISVTX:
        problems.append("anyone can delete or replace other people's files in it (no sticky bit)")
    return problems


def hand_in(journal: Journal | None = None, name: str | None = None, folder: Path | str | None = None) -> HandIn:
    """Write this learner's JSON export into the configured hand-in folder, replacing their earlier one.

    Raises HandInError (with what to do) when no folder is configured, it is missing or unsafe, or
    the file there is not yours. Returns what was handed in; its text shows the learner what it holds.
    """
    if folder is None:
        folder, source = handin_dir()
        if folder is None:
            raise HandInError("no hand-in folder is configured for this course, so nothing was handed in "
                              f"({source}). Ask your instructor; meanwhile `python -m course export "
                              "--format json -o my-answers.json` saves the same file for you to send.")
    folder = Path(folder)
    try:
        problems = folder_problems(folder)
    except FileNotFoundError:
        raise HandInError(f"the hand-in folder {folder} does not exist; tell your instructor") from None
    except OSError as exc:
        raise HandInError(f"the hand-in folder {folder} cannot be reached ({exc.strerror}); tell your instructor") from None
    if problems:
        raise HandInError(f"nothing was handed in: the hand-in folder {folder} is not a drop box ("
                          + "; ".join(problems) + "). Ask your instructor to run deploy/setup-handin.sh.")
    data = export_data(journal or default_journal(), name=name)
    target = folder / f"{login_name()}.json"
    replaced = _write(folder, target, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return HandIn(target, data, replaced)


def _write(folder: Path, target: Path, payload: bytes) -> bool:
    """Atomically write the hand-in (0640 in a setgid drop box, else 0600); True if it replaced one."""
    try:
        before = target.lstat()
    except FileNotFoundError:
        before = None
    except OSError:
        before = None
    if before is not None and before.st_uid != os.getuid():
        raise HandInError(f"{target} exists and belongs to someone else, so it was left alone and nothing was "
                          "handed in; tell your instructor")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise HandInError(f"cannot write into the hand-in folder {folder} ({exc.strerror}); tell your instructor") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            # The setgid bit gave the file the instructors' group: let that group read it, nobody else.
            setgid = folder.stat().st_mode & stat.S_ISGID
            os.fchmod(handle.fileno(), 0o640 if setgid else 0o600)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, PermissionError):
            raise HandInError(f"{target} could not be replaced ({exc.strerror}); it may belong to someone else: "
                              "tell your instructor") from None
        raise
    return before is not None


def handin_files(folder: Path | str) -> tuple[list[Path], list[str]]:
    """The hand-ins in `folder` an instructor should read, and warnings about the others.

    A file counts only if its owner is the user it is named after (nobody can hand in as someone
    else), so each account contributes at most one file.
    """
    import pwd

    good, warnings = [], []
    for path in sorted(Path(folder).glob("*.json")):
        if path.name.startswith("."):
            continue
        st = path.lstat()
        try:
            owner = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            owner = str(st.st_uid)
        if not stat.S_ISREG(st.st_mode):
            warnings.append(f"{path.name}: not a regular file, skipped")
        elif _SAFE_NAME.sub("_", owner) != path.stem:
            warnings.append(f"{path.name}: owned by {owner}, not by {path.stem}, skipped")
        else:
            good.append(path)
    return good, warnings
