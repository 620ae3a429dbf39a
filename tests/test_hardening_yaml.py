"""Issue 10, defect 3: a YAML alias bomb cannot hang `course check` or a notebook kernel.

A few hundred bytes of aliases (the 'billion laughs') expand to billions of values; the file is refused at
the `path:line:` of the alias that takes it past the limit, by `course check` and by `course.items()` alike,
in moments and in little memory. The tests that would hang unprotected code run in a subprocess with a short
timeout and a memory cap.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.material.sourcefile import parse_yaml

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINIMAL = TESTS / "fixtures" / "minimal"
AUDIT = "tools/post-audit.yaml"
LIMIT_S = 30  # the bar: no hang past 30 s (the fixed code answers in about 2 s, mostly imports)

RULES = """\
disclaimer: A teaching aid, not advice.
rules:
  - id: discount-code
    label: A discount code without a disclosure
    explanation: Codes are a material connection.
    cite: [tiny-guidance#disclose]
    when_any:
      - '\\bcode\\b'
"""


def _bomb(levels: int = 10) -> str:
    """The classic 'billion laughs': each level is ten aliases of the one before (10**levels strings)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def _folder(parent: Path, audit_text: str) -> Path:
    root = parent / "readings"
    shutil.copytree(MINIMAL, root)
    (root / "tools").mkdir()
    (root / AUDIT).write_text(audit_text, encoding="utf-8")
    return root


def _run(args, env=None) -> subprocess.CompletedProcess:
    """Run Python in a subprocess capped at LIMIT_S seconds and 2 GB of memory; a hang is a test failure."""
    def cap():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))

    full_env = {k: v for k, v in os.environ.items() if k not in ("COURSE_CONTENT_DIR", "COURSE_FULLTEXT_DIR")}
    full_env.update({"COURSE_CACHE_DIR": "", "PYTHONPATH": str(REPO), **(env or {})})
    try:
        return subprocess.run([sys.executable, *args], cwd=REPO, env=full_env, capture_output=True, text=True,
                              timeout=LIMIT_S, preexec_fn=cap if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {LIMIT_S} s: {args}")


def _problem_lines(output: str, folder: Path, relative: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(rf"^{re.escape(str(folder))}/{re.escape(relative)}:\d+: ",
                                                            line)]


# -- 3: YAML alias bombs -------------------------------------------------------------------------------------------
def test_check_refuses_a_yaml_alias_bomb_at_its_line(tmp_path):
    folder = _folder(tmp_path, RULES + _bomb())
    started = time.monotonic()
    done = _run(["-m", "course", "check", str(folder)])
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert done.returncode == 1, done.stdout
    lines = _problem_lines(done.stdout, folder, AUDIT)
    assert any("alias" in line for line in lines), done.stdout
    assert re.search(r"^course check: \d+ problems? found$", done.stdout, re.M), done.stdout
    assert time.monotonic() - started < LIMIT_S


def test_a_yaml_alias_bomb_in_the_content_folder_cannot_hang_a_kernel(tmp_path):
    folder = _folder(tmp_path, RULES + _bomb())
    code = "import course\ntry:\n    course.items()\nexcept course.ContentError as exc:\n    print(exc)\n"
    done = _run(["-c", code], env={"COURSE_CONTENT_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    assert any("alias" in line for line in _problem_lines(done.stdout, folder, AUDIT)), done.stdout


def test_a_few_aliases_are_still_plain_yaml():
    """Reusing a list by alias a handful of times is ordinary YAML and keeps working."""
    problems = []
    located = parse_yaml("a: &x [1, 2, 3]\nb: *x\nc: [*x, *x]\n", "f.yaml", problems)
    assert not problems and located.data["c"] == [[1, 2, 3], [1, 2, 3]]
