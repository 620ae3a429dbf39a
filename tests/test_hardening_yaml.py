"""Issue 10, defect 3: a YAML alias bomb cannot hang `course check` or a notebook kernel.

A few hundred bytes of aliases (the 'billion laughs') expand to billions of values; the file is refused at
the `path:line:` of the alias that takes it past the limit, by `course check` and by `course.items()` alike,
in moments and in little memory. The tests that would hang unprotected code run in a subprocess with a short
timeout and a memory cap.
"""

from __future__ import annotations

import re
import time

from capped import AUDIT, LIMIT_S, RULES, folder_with_audit, problem_lines, run_capped

from course.material.sourcefile import parse_yaml


def _bomb(levels: int = 10) -> str:
    """The classic 'billion laughs': each level is ten aliases of the one before (10**levels strings)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


# -- 3: YAML alias bombs -------------------------------------------------------------------------------------------
def test_check_refuses_a_yaml_alias_bomb_at_its_line(tmp_path):
    folder = folder_with_audit(tmp_path, RULES + _bomb())
    started = time.monotonic()
    done = run_capped(["-m", "course", "check", str(folder)])
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert done.returncode == 1, done.stdout
    lines = problem_lines(done.stdout, folder, AUDIT)
    assert any("alias" in line for line in lines), done.stdout
    assert re.search(r"^course check: \d+ problems? found$", done.stdout, re.M), done.stdout
    assert time.monotonic() - started < LIMIT_S


def test_a_yaml_alias_bomb_in_the_content_folder_cannot_hang_a_kernel(tmp_path):
    folder = folder_with_audit(tmp_path, RULES + _bomb())
    code = "import course\ntry:\n    course.items()\nexcept course.ContentError as exc:\n    print(exc)\n"
    done = run_capped(["-c", code], env={"COURSE_CONTENT_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    assert any("alias" in line for line in problem_lines(done.stdout, folder, AUDIT)), done.stdout


def test_a_few_aliases_are_still_plain_yaml():
    """Reusing a list by alias a handful of times is ordinary YAML and keeps working."""
    problems = []
    located = parse_yaml("a: &x [1, 2, 3]\nb: *x\nc: [*x, *x]\n", "f.yaml", problems)
    assert not problems and located.data["c"] == [[1, 2, 3], [1, 2, 3]]
