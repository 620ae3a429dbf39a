"""Hub readiness without a hub: private folders and files whatever the umask, the hand-in drop box rules,
the nbgitpuller link, and the deploy/ and repo2docker files. The real hub, with real users, is test_hub.py.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import course
from course.cli import main
from course.learner.journal import Journal
from course.atomic import private_dir
from course.paths import handin_dir
from course.tools.handin import HandInError, folder_problems, hand_in, handin_files, login_name

REPO = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def handin_env(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COURSE_HANDIN_DIR", raising=False)
    monkeypatch.setenv("COURSE_CONFIG", str(tmp_path / "no-config.toml"))
    return tmp_path


# -- private folders and files ------------------------------------------------------------------------
def test_private_dir_makes_every_folder_it_creates_0700_whatever_the_umask(tmp_path, open_umask):
    made = private_dir(tmp_path / "a" / "b" / "c")
    assert made.is_dir()
    assert [mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
    assert mode(tmp_path) != 0o700 or True  # an existing folder is left as it was


def test_private_dir_leaves_existing_folders_alone(tmp_path):
    tmp_path.joinpath("shared").mkdir()
    os.chmod(tmp_path / "shared", 0o755)
    private_dir(tmp_path / "shared" / "mine")
    assert mode(tmp_path / "shared") == 0o755 and mode(tmp_path / "shared" / "mine") == 0o700


def test_journal_folder_file_and_lock_are_private_under_an_open_umask(tmp_path, open_umask):
    journal = Journal(tmp_path / "home" / "course")
    journal.save("orientation-howto-1", "b")
    assert mode(tmp_path / "home") == 0o700 and mode(journal.home) == 0o700
    assert mode(journal.path) == 0o600
    locks = list(journal.home.glob("*.lock"))
    assert all(mode(lock) & 0o077 == 0 for lock in locks)


def test_a_json_export_is_private_under_an_open_umask(handin_env, open_umask):
    course.journal().save("orientation-howto-1", "b")
    out = course.export(handin_env / "exports" / "me.json", "json")
    assert mode(out.parent) == 0o700 and mode(out) == 0o600


# -- configuration ------------------------------------------------------------------------------------
def test_no_hand_in_folder_configured_says_so_and_writes_nothing(handin_env, capsys):
    with pytest.raises(HandInError, match="no hand-in folder is configured"):
        hand_in()
    assert main(["hand-in"]) == 1
    err = capsys.readouterr().err
    assert "no hand-in folder is configured" in err and "COURSE_HANDIN_DIR" in err and "export" in err


def test_the_hand_in_folder_comes_from_the_environment_or_the_config_file(handin_env, monkeypatch):
    config = handin_env / "config.toml"
    config.write_text('handin_dir = "/srv/course-handin"\n')
    monkeypatch.setenv("COURSE_CONFIG", str(config))
    assert handin_dir() == (Path("/srv/course-handin"), str(config))
    monkeypatch.setenv("COURSE_HANDIN_DIR", str(handin_env / "box"))
    assert handin_dir() == (handin_env / "box", "$COURSE_HANDIN_DIR")


def test_a_broken_config_file_is_reported_not_raised(handin_env, monkeypatch):
    config = handin_env / "config.toml"
    config.write_text("handin_dir = \n")
    monkeypatch.setenv("COURSE_CONFIG", str(config))
    folder, why = handin_dir()
    assert folder is None and "cannot be read" in why


# -- handing in ---------------------------------------------------------------------------------------
def test_hand_in_writes_exactly_the_json_export_named_by_login(handin_env, monkeypatch, capsys):
    box = handin_env / "box"
    box.mkdir()
    monkeypatch.setenv("COURSE_HANDIN_DIR", str(box))
    j = course.journal()
    j.save("orientation-howto-1", "b")
    j.save("orientation-reflection-start", {"text": "private words here", "share": False})
    done = course.hand_in()
    assert done.path == box / f"{login_name()}.json" and not done.replaced
    data = json.loads(done.path.read_text())
    assert data == done.data
    assert data == course.tools.export.export_data(j)  # the same rules as export
    assert "private words here" not in done.path.read_text()
    assert "1 private" in repr(done)
    assert mode(done.path) == 0o600  # not a setgid drop box: nobody else's group gets it

    j.save("orientation-howto-2", "a")
    assert main(["hand-in", "--show"]) == 0
    out = capsys.readouterr().out
    assert "replaced your earlier hand-in" in out and '"learner_code"' in out
    assert sorted(p.name for p in box.iterdir()) == [done.path.name]  # replaced, no temporary left


def test_in_a_setgid_drop_box_the_file_is_group_readable(handin_env, monkeypatch):
    box = handin_env / "box"
    box.mkdir()
    os.chmod(box, 0o3733 if os.geteuid() else 0o2700)
    monkeypatch.setenv("COURSE_HANDIN_DIR", str(box))
    course.journal().save("orientation-howto-1", "b")
    done = course.hand_in()
    assert mode(done.path) == 0o640 and done.path.stat().st_gid == box.stat().st_gid


def test_a_missing_folder_is_a_clear_error(handin_env, monkeypatch):
    monkeypatch.setenv("COURSE_HANDIN_DIR", str(handin_env / "nowhere"))
    with pytest.raises(HandInError, match="does not exist"):
        hand_in()


def test_a_listable_folder_of_someone_else_is_refused(monkeypatch, tmp_path):
    fake = os.stat_result((stat.S_IFDIR | 0o777, 0, 0, 0, os.getuid() + 1, 0, 0, 0, 0, 0))
    monkeypatch.setattr(Path, "stat", lambda self, **kw: fake)
    problems = folder_problems(tmp_path)
    assert "anyone can list it" in problems and any("sticky" in p for p in problems)


def test_handin_files_keeps_only_files_owned_by_the_user_they_are_named_for(tmp_path):
    (tmp_path / f"{login_name()}.json").write_text("{}")
    (tmp_path / "someone-else.json").write_text("{}")
    (tmp_path / ".x.json.1.tmp").write_text("{}")
    good, warnings = handin_files(tmp_path)
    assert [p.stem for p in good] == [login_name()]
    assert warnings == [f"someone-else.json: owned by {login_name()}, not by someone-else, skipped"]


# -- the nbgitpuller link ------------------------------------------------------------------------------
def test_link_opens_notebook_00_through_nbgitpuller(capsys):
    assert main(["link", "--hub", "https://hub.example.edu/", "--repo", "https://git.example.edu/c.git",
                 "--branch", "spring"]) == 0
    link = capsys.readouterr().out.strip()
    parts = urlsplit(link)
    assert parts.path == "/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"repo": "https://git.example.edu/c.git", "branch": "spring",
                     "targetpath": "social-media-ethics-course",
                     "urlpath": "lab/tree/social-media-ethics-course/notebooks/00-orientation.ipynb"}
    assert (REPO / "notebooks" / "00-orientation.ipynb").is_file()


def test_link_rejects_a_hub_without_a_scheme(capsys):
    assert main(["link", "--hub", "hub.example.edu", "--repo", "x"]) == 2
    assert "http" in capsys.readouterr().err


# -- deploy/ and the repo2docker files -----------------------------------------------------------------
def test_binder_and_hubs_build_the_pinned_environment():
    lines = [l.strip() for l in (REPO / "requirements.txt").read_text().splitlines() if l.strip() and l[0] != "#"]
    assert lines == ["-c constraints.txt", ".[hub]"]
    pins = {re.split("==", l)[0].lower().replace("_", "-") for l in (REPO / "constraints.txt").read_text().splitlines() if l}
    for package in ("jupyterhub", "nbgitpuller", "jupyterlab"):
        assert package in pins, f"{package} is not pinned in constraints.txt"
    assert (REPO / "runtime.txt").read_text().strip().startswith("python-3.1")


def test_deploy_scripts_parse_and_the_hub_config_compiles():
    for script in sorted((REPO / "deploy").glob("*.sh")):
        subprocess.run(["bash", "-n", str(script)], check=True)
        assert os.access(script, os.X_OK), f"{script.name} is not executable"
    compile((REPO / "deploy" / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec")
    import yaml

    values = yaml.safe_load((REPO / "deploy" / "z2jh-values.yaml").read_text())
    env = values["singleuser"]["extraEnv"]
    assert env["COURSE_HANDIN_DIR"] and values["singleuser"]["defaultUrl"] == "/lab"


def test_the_handin_setup_script_refuses_without_arguments():
    done = subprocess.run(["bash", str(REPO / "deploy" / "setup-handin.sh")], capture_output=True, text=True)
    assert done.returncode == 2 and "usage" in done.stderr.lower()
