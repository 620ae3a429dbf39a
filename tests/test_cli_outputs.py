"""Every command that writes one file follows the same rules for `-o`.

`export`, `seminar guide`, `quiz-export` and `quiz-import` keep an existing file unless `--force`
(a unit's items file in readings/ must not vanish under a mistyped `-o`), never write through a
symbolic link or over a folder, send their output alone to standard output for `-o -` (the
quiz commands put their summary line on standard error), and say in words, without a traceback,
when a file cannot be written. Only `export` makes a missing folder for its file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from course.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jupyterquiz"
IMPORT = ["quiz-import", str(FIXTURES / "bank.json"), "--unit", "01-benefits", "--prefix", "imported",
          "--cite", "ftc-endorsement-guides-2023#material-connection"]
COMMANDS = {
    "export": ["export", "--format", "json"],
    "seminar guide": ["seminar", "guide"],
    "quiz-export": ["quiz-export", "--format", "gift"],
    "quiz-import": IMPORT,
}


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("name", COMMANDS)
def test_an_existing_file_is_kept_unless_force(name, tmp_path, capsys):
    target = tmp_path / "out.txt"
    target.write_text("someone's work\n")
    code, stdout, stderr = run(COMMANDS[name] + ["-o", target], capsys)
    assert code == 1 and stdout == "" and "Traceback" not in stderr
    assert stderr.startswith(f"{name}: ") and "already exists; add --force" in stderr
    assert target.read_text() == "someone's work\n"

    code, stdout, stderr = run(COMMANDS[name] + ["-o", target, "--force"], capsys)
    assert code == 0, stderr
    assert "replaced" in stdout and target.read_text() != "someone's work\n"


@pytest.mark.parametrize("name", COMMANDS)
def test_a_link_or_a_folder_is_never_written_through(name, tmp_path, capsys):
    precious = tmp_path / "precious.yaml"
    precious.write_text("keep me\n")
    link = tmp_path / "link.txt"
    link.symlink_to(precious)
    for target in (link, tmp_path):
        code, stdout, stderr = run(COMMANDS[name] + ["-o", target, "--force"], capsys)
        assert code == 1 and stdout == "" and stderr.startswith(f"{name}: ") and "Traceback" not in stderr
    assert precious.read_text() == "keep me\n" and link.is_symlink()


@pytest.mark.parametrize("name", COMMANDS)
def test_dash_sends_the_output_to_standard_output_and_the_summary_to_standard_error(name, tmp_path, capsys,
                                                                                  monkeypatch):
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    code, stdout, stderr = run(COMMANDS[name] + ["-o", "-"], capsys)
    assert code == 0, stderr
    assert list(here.iterdir()) == [], "-o - must not write a file called '-'"
    if name == "quiz-import":
        assert [item["id"] for item in yaml.safe_load(stdout)["items"]][:1] == ["imported-q1"]
        assert stderr.startswith("quiz-import: ") and "wrote 3 items to standard output" in stderr
    elif name == "quiz-export":
        assert "$CATEGORY: social-media-ethics/" in stdout
        assert "quiz-export: wrote" in stderr and "to standard output" in stderr
    elif name == "export":
        assert json.loads(stdout)["answers"] == [] and stderr == ""
    else:
        assert stdout.startswith("# ") and stderr == ""


@pytest.mark.parametrize("name", [n for n in COMMANDS if n != "export"])
def test_an_unwritable_place_is_said_in_words(name, tmp_path, capsys):
    code, stdout, stderr = run(COMMANDS[name] + ["-o", tmp_path / "no-such-folder" / "out.txt"], capsys)
    assert code == 1 and stdout == "" and "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith(f"{name}: cannot write")  # after quiz-import's notes on skips


def test_a_qti_zip_is_not_sent_to_standard_output(capsys):
    code, stdout, stderr = run(["quiz-export", "--format", "qti", "-o", "-"], capsys)
    assert code == 1 and stdout == "" and "zip file; name a file" in stderr


def test_the_jupyterquiz_export_to_standard_output_is_the_json_bank(capsys):
    code, stdout, _ = run(["quiz-export", "--format", "jupyterquiz", "--unit", "01", "-o", "-"], capsys)
    assert code == 0 and isinstance(json.loads(stdout), list)


def test_export_makes_a_missing_folder_for_its_file(tmp_path, capsys):
    target = tmp_path / "new-folder" / "journal.json"
    code, stdout, _ = run(["export", "--format", "json", "-o", target], capsys)
    assert code == 0 and stdout == f"export: wrote {target}\n" and target.is_file()


def test_what_cannot_be_read_is_not_called_a_write_failure(tmp_path, capsys, monkeypatch):
    import course.instructor.seminar as seminar

    def unreadable():
        raise PermissionError(13, "Permission denied", "/srv/readings/instructor/guide.yaml")

    monkeypatch.setattr(seminar, "guide_markdown", unreadable)
    code, stdout, stderr = run(["seminar", "guide", "-o", tmp_path / "guide.md"], capsys)
    assert code == 1 and stdout == "" and not (tmp_path / "guide.md").exists()
    assert stderr == "seminar guide: cannot read /srv/readings/instructor/guide.yaml: Permission denied\n"


def test_a_closed_pipe_is_left_to_the_command_line_entry(capsys, monkeypatch):
    """`python -m course ... -o - | head` ends with status 141 there, quietly, as Unix tools do."""
    import sys

    def closed(*args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys.stdout.buffer, "write", closed, raising=False)
    with pytest.raises(BrokenPipeError):
        main(["seminar", "guide", "-o", "-"])
