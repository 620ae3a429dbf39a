"""The learner journal must never lose or corrupt an answer: not on damage, not under concurrency, not on SIGKILL."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

import course
from course.learner import journal as store
from course.learner.journal import FILE_NAME, FORMAT, Journal, JournalDamagedWarning

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")  # no 0/O/1/I


def journal_path(home: Path) -> Path:
    return home / FILE_NAME


def temporaries(home: Path) -> list[Path]:
    return sorted(home.glob(f".{FILE_NAME}.*.tmp"))


def read_quietly(home: Path) -> dict:
    """Parse the journal file as strict JSON, failing on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return json.loads(journal_path(home).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------ basics
class TestSaveGetForget:
    def test_default_journal_lives_in_course_home(self, course_home):
        """The conftest sandbox must really be used, or tests would write into a learner's real journal."""
        assert course.journal().home == course_home
        assert isinstance(course.journal(), course.Journal)

    def test_save_then_get_returns_value_and_record(self, course_home):
        """What is saved is what is read back, with a timestamp and the module version that saved it."""
        j = Journal(course_home)
        assert j.get("q1") is None
        record = j.save("q1", {"text": "hé ✓", "share": False})
        assert record["value"] == {"text": "hé ✓", "share": False}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["saved"])
        assert record["module_version"] == course.__version__
        assert Journal(course_home).get("q1") == record
        j.save("q1", "b")
        assert Journal(course_home).get("q1")["value"] == "b"

    def test_forget_without_confirm_refuses_and_deletes_nothing(self, course_home):
        """A slip of the keyboard must not wipe a learner's answers."""
        j = Journal(course_home)
        j.save("q1", "a")
        j.save("q2", "b")
        before = journal_path(course_home).read_bytes()
        with pytest.raises(PermissionError, match="confirm=True"):
            j.forget("q1")
        with pytest.raises(PermissionError):
            j.forget()
        assert journal_path(course_home).read_bytes() == before
        assert set(j.answers()) == {"q1", "q2"}

    def test_forget_with_confirm_deletes_one_or_all(self, course_home):
        """Deleting on purpose works and reports how many answers went."""
        j = Journal(course_home)
        for key in ("q1", "q2", "q3"):
            j.save(key, key)
        assert j.forget("q1", confirm=True) == 1
        assert j.forget("q1", confirm=True) == 0
        assert set(j.answers()) == {"q2", "q3"}
        assert j.forget(confirm=True) == 2
        assert j.answers() == {}

    def test_learner_code_created_on_first_save_and_stable(self, course_home):
        """The pseudonymous code merges class reports; it must exist after a save and never change."""
        j = Journal(course_home)
        assert j.learner_code is None
        j.save("q1", "a")
        code = j.learner_code
        assert code and CODE.match(code), code
        for n in range(5):
            j.save(f"q{n}", n)
        j.forget("q1", confirm=True)
        j.forget(confirm=True)
        assert j.learner_code == code
        assert Journal(course_home).learner_code == code


class TestFileFormat:
    def test_journal_json_has_format_version_and_answers(self, course_home):
        """Other tools (class report, export) rely on the documented top-level shape."""
        Journal(course_home).save("q1", ["a", "c"])
        data = read_quietly(course_home)
        assert data["format"] == FORMAT
        assert data["module_version"] == course.__version__
        assert CODE.match(data["learner_code"])
        assert data["answers"]["q1"]["value"] == ["a", "c"]
        assert set(data["answers"]["q1"]) == {"value", "saved", "module_version"}

    def test_atomic_write_leaves_no_temporary_files(self, course_home):
        """Temporary files from atomic writes must not pile up in the learner's folder."""
        j = Journal(course_home)
        for n in range(30):
            j.save(f"q{n}", n)
        j.forget("q3", confirm=True)
        assert temporaries(course_home) == []
        assert sorted(p.name for p in course_home.iterdir()) == [FILE_NAME, FILE_NAME + ".lock"]

    def test_failed_replace_keeps_old_journal_and_cleans_up(self, course_home, monkeypatch):
        """If the final rename fails (disk full, crash), the old journal stays whole and no temp is left."""
        j = Journal(course_home)
        j.save("q1", "a")
        before = journal_path(course_home).read_bytes()

        def broken_replace(src, dst):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(store.os, "replace", broken_replace)
        with pytest.raises(OSError):
            j.save("q2", "b")
        monkeypatch.undo()
        assert journal_path(course_home).read_bytes() == before
        assert temporaries(course_home) == []

    def test_stale_temporary_from_a_crash_is_removed_by_next_save(self, course_home):
        """A temp file left by a killed writer is cleaned up, not mistaken for the journal."""
        j = Journal(course_home)
        j.save("q1", "a")
        stale = course_home / f".{FILE_NAME}.crash123.tmp"
        stale.write_text('{"half": ', encoding="utf-8")
        assert j.get("q1")["value"] == "a"
        j.save("q2", "b")
        assert not stale.exists()
        assert set(j.answers()) == {"q1", "q2"}

    @pytest.mark.parametrize("value", [object(), {1, 2}, b"bytes"], ids=["object", "set", "bytes"])
    def test_unserialisable_value_raises_before_touching_file(self, course_home, value):
        """A bad value must fail loudly and leave the journal byte-for-byte as it was."""
        j = Journal(course_home)
        j.save("q1", "a")
        path = journal_path(course_home)
        before, mtime = path.read_bytes(), path.stat().st_mtime_ns
        listing = sorted(p.name for p in course_home.iterdir())
        with pytest.raises(TypeError):
            j.save("q2", value)
        assert path.read_bytes() == before
        assert path.stat().st_mtime_ns == mtime
        assert sorted(p.name for p in course_home.iterdir()) == listing

    def test_circular_value_raises_and_creates_nothing(self, course_home):
        """Even the first save must not create a journal (or folder) for a value that cannot be stored."""
        loop: list = []
        loop.append(loop)
        with pytest.raises(ValueError):
            Journal(course_home).save("q1", loop)
        assert not course_home.exists()


# ------------------------------------------------------------------------------------ damage
DAMAGED = {
    "invalid-json": b'{"format": "social-media-ethics-journal/1", "answers": {"q1": {"value": "a"',
    "wrong-shape": json.dumps({"format": FORMAT, "answers": {"q1": "a"}}).encode(),
    "other-format": json.dumps({"format": "something-else/9", "answers": {}}).encode(),
    "json-list": b"[1, 2, 3]",
    "not-utf8": b'{"format": "\xff\xfe\xfa", "answers": {}}',
    "empty": b"",
}


class TestDamagedJournal:
    @pytest.mark.parametrize("raw", DAMAGED.values(), ids=DAMAGED.keys())
    def test_reading_warns_returns_empty_and_touches_nothing(self, course_home, raw):
        """Reading a damaged journal must not destroy the evidence a teacher could still recover."""
        course_home.mkdir(parents=True)
        path = journal_path(course_home)
        path.write_bytes(raw)
        mtime = path.stat().st_mtime_ns
        j = Journal(course_home)
        with pytest.warns(JournalDamagedWarning, match="damaged"):
            assert j.answers() == {}
        with pytest.warns(JournalDamagedWarning):
            assert j.get("q1") is None
        assert path.read_bytes() == raw
        assert path.stat().st_mtime_ns == mtime
        assert [p.name for p in course_home.iterdir()] == [FILE_NAME]

    @pytest.mark.parametrize("raw", DAMAGED.values(), ids=DAMAGED.keys())
    def test_next_save_keeps_damaged_file_aside_and_starts_fresh(self, course_home, raw):
        """The damaged bytes are kept under another name, intact, and the learner is told where."""
        course_home.mkdir(parents=True)
        journal_path(course_home).write_bytes(raw)
        j = Journal(course_home)
        with pytest.warns(JournalDamagedWarning, match=r"journal\.damaged-.*\.json") as caught:
            j.save("new", "b")
        asides = sorted(course_home.glob("journal.damaged-*.json"))
        assert len(asides) == 1
        assert asides[0].name in str(caught[0].message)
        assert asides[0].read_bytes() == raw
        data = read_quietly(course_home)
        assert list(data["answers"]) == ["new"]
        assert data["answers"]["new"]["value"] == "b"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert j.get("new")["value"] == "b"

    def test_two_damages_in_the_same_second_keep_both_files(self, course_home):
        """A second damaged journal must never overwrite the first one kept aside."""
        course_home.mkdir(parents=True)
        j = Journal(course_home)
        for n, raw in enumerate([b"{first", b"{second"]):
            journal_path(course_home).write_bytes(raw)
            with pytest.warns(JournalDamagedWarning):
                j.save(f"q{n}", n)
        kept = {p.read_bytes() for p in course_home.glob("journal.damaged-*.json")}
        assert kept == {b"{first", b"{second"}

    def test_item_api_on_damaged_journal_warns_and_saves(self, course_home):
        """Through the learner API a damaged journal shows as unanswered, and answering recovers."""
        course_home.mkdir(parents=True)
        journal_path(course_home).write_bytes(b"\x00\x01garbage")
        from course.material.api import content

        item_id = next(s.id for s in content().items.values() if s.type == "single")
        with pytest.warns(JournalDamagedWarning):
            found = course.item(item_id)
            assert found.value is None
        with pytest.warns(JournalDamagedWarning):
            found.answer(found.data["options"][0]["key"])
        assert found.value == found.data["options"][0]["key"]
        assert len(list(course_home.glob("journal.damaged-*.json"))) == 1


# ------------------------------------------------------------------------------------ concurrency
CONCURRENT_WRITER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from course.learner.journal import Journal

    who, home, sync, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    journal = Journal(home)
    (sync / f"ready-{who}").touch()
    deadline = time.monotonic() + 30
    while not (sync / "go").exists():
        if time.monotonic() > deadline:
            sys.exit("no start signal")
        time.sleep(0.0005)
    for n in range(count):
        if n == count - 1:
            last_begins = time.time()
        journal.save(f"{who}-{n}", n)
        journal.save("shared", [who, n])
        if n == 0:
            first_done = time.time()
    (sync / f"times-{who}").write_text(json.dumps([first_done, last_begins]))
""")


class TestConcurrency:
    def test_two_processes_saving_at_once_lose_nothing(self, course_home, tmp_path):
        """Two kernels answering at the same moment (two notebooks open) must not lose each other's answers."""
        count = 500
        sync = tmp_path / "sync"
        sync.mkdir()
        env = {**os.environ, "COURSE_HOME": str(course_home)}
        procs = {who: subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, who, str(course_home),
                                        str(sync), str(count)],
                                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for who in ("a", "b")}
        deadline = time.monotonic() + 30
        while not all((sync / f"ready-{who}").exists() for who in procs):
            assert time.monotonic() < deadline, "writers did not start"
            assert all(p.poll() is None for p in procs.values()), "a writer died before the start"
            time.sleep(0.001)
        (sync / "go").touch()
        for who, proc in procs.items():
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
            assert out == b"" and err == b"", (out, err)

        # The writers' saves really interleaved: each finished its first save before the other began its
        # last one (saves are serialised by the lock, so otherwise this test would prove nothing).
        (a_first, a_last), (b_first, b_last) = (json.loads((sync / f"times-{w}").read_text()) for w in "ab")
        assert a_first < b_last and b_first < a_last

        data = read_quietly(course_home)
        answers = data["answers"]
        for who in "ab":
            for n in range(count):
                assert answers[f"{who}-{n}"]["value"] == n, f"{who}-{n}"
        assert answers["shared"]["value"] in (["a", count - 1], ["b", count - 1])
        assert len(answers) == 2 * count + 1
        assert CODE.match(data["learner_code"])
        assert temporaries(course_home) == []


# ------------------------------------------------------------------------------------ SIGKILL
KILLED_WRITER = textwrap.dedent("""
    import sys
    from course.learner.journal import Journal

    journal, prefix = Journal(sys.argv[1]), sys.argv[2]
    n = 0
    while True:
        journal.save(f"{prefix}k-{n}", n)
        sys.stdout.write(f"ack {n}\\n")
        sys.stdout.flush()
        n += 1
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
class TestSigkill:
    def test_sigkill_mid_stream_never_loses_an_acknowledged_answer(self, course_home):
        """A kernel killed mid-save (OOM, closed laptop) leaves a valid journal with every answer it confirmed."""
        rng = random.Random(20240611)
        env = {**os.environ, "COURSE_HOME": str(course_home)}
        acknowledged: dict[str, int] = {}
        for round_ in range(50):
            prefix = f"r{round_}-"
            wanted = rng.randint(1, 15)
            proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(course_home), prefix],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
            acks: list[int] = []
            try:
                while len(acks) < wanted:
                    line = proc.stdout.readline()
                    assert line, f"round {round_}: writer ended early: {proc.stderr.read().decode()}"
                    acks.append(int(line.split()[1]))
                time.sleep(rng.uniform(0, 0.003))  # vary where in the next save the kill lands
                os.kill(proc.pid, signal.SIGKILL)
                rest, _ = proc.communicate(timeout=10)  # acks already written before death count too
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            acks += [int(line.split()[1]) for line in rest.decode().splitlines()]
            assert proc.returncode == -signal.SIGKILL
            assert acks == list(range(len(acks)))

            data = read_quietly(course_home)  # parses after every kill
            answers = data["answers"]
            acknowledged.update({f"{prefix}k-{n}": n for n in acks})
            missing = [key for key in acknowledged if answers.get(key, {}).get("value") != acknowledged[key]]
            assert not missing, f"round {round_}: acknowledged answers lost: {missing}"
            # No gaps and no phantoms: at most the one save that finished just before its ack was printed.
            this_round = sorted(int(k.rsplit("-", 1)[1]) for k in answers if k.startswith(prefix))
            assert this_round == list(range(len(this_round)))
            assert len(acks) <= len(this_round) <= len(acks) + 1

        # The journal stays usable: the next save cleans up any temporary left by a kill.
        Journal(course_home).save("after", True)
        assert temporaries(course_home) == []
        final = read_quietly(course_home)["answers"]
        assert all(final[key]["value"] == n for key, n in acknowledged.items())
