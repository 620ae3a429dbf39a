"""Defect 8 (issue 10): `export -o` follows the usual conventions for an output path.

`-o -` writes to standard output; only a regular file is ever replaced, and only with --force;
a symlink, a symlink to a folder, a folder, a FIFO or a device node is refused and left as it was.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

import course
from course.cli import main


def _answer():
    course.item("orientation-stance-benefits").answer(2)


def test_dash_writes_the_export_to_standard_output(tmp_path, capsys, monkeypatch):
    _answer()
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "json", "-o", "-"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["format"] == "social-media-ethics-export/1"
    assert not (tmp_path / "-").exists()


def test_dash_works_for_markdown_too(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "md", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# My journal")
    assert not (tmp_path / "-").exists()


def test_an_existing_file_is_not_replaced_without_force(tmp_path, capsys):
    target = tmp_path / "notes.md"
    target.write_text("my own notes", encoding="utf-8")
    code = main(["export", "--format", "md", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 1
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert "already exists" in err and "--force" in err and "Traceback" not in err


def test_force_replaces_a_regular_file_and_says_so(tmp_path, capsys):
    target = tmp_path / "mine.json"
    target.write_text("old", encoding="utf-8")
    assert main(["export", "-o", str(target), "--force"]) == 0
    assert "replaced" in capsys.readouterr().out
    assert json.loads(target.read_text(encoding="utf-8"))["answers"] == []


def test_a_new_file_is_written_and_reported(tmp_path, capsys):
    target = tmp_path / "new.json"
    assert main(["export", "-o", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out and target.is_file()


@pytest.mark.parametrize("force", [False, True])
def test_a_symlink_is_refused_and_kept(tmp_path, capsys, force):
    real = tmp_path / "real.txt"
    real.write_text("precious", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code = main(["export", "-o", str(link)] + (["--force"] if force else []))
    err = capsys.readouterr().err
    assert code == 1 and "symbolic link" in err and "Traceback" not in err
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "precious"


def test_a_symlink_to_a_folder_is_refused_and_kept(tmp_path, capsys):
    folder = tmp_path / "folder"
    folder.mkdir()
    link = tmp_path / "to-folder"
    link.symlink_to(folder, target_is_directory=True)
    assert main(["export", "-o", str(link), "--force"]) == 1
    assert link.is_symlink() and list(folder.iterdir()) == []
    assert "symbolic link" in capsys.readouterr().err


def test_a_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["export", "-o", str(folder), "--force"]) == 1
    assert "folder" in capsys.readouterr().err and folder.is_dir()


def test_a_fifo_is_refused_and_kept(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["export", "-o", str(fifo), "--force"]) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert "not a regular file" in capsys.readouterr().err


def test_a_device_node_is_refused_and_kept(tmp_path, capsys):
    """A character device of our own (never a real /dev node: as root the old code replaced it)."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (needs root)")
    before = os.lstat(device)
    assert main(["export", "-o", str(device), "--force"]) == 1
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert "not a regular file" in capsys.readouterr().err


def test_new_exports_are_readable_by_the_learner_only(tmp_path):
    target = tmp_path / "private.json"
    assert main(["export", "-o", str(target)]) == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
