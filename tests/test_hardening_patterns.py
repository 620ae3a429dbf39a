"""Issue 10, defect 5: a post-audit pattern cannot hang `course check` or a notebook kernel.

A pattern that can backtrack catastrophically is rejected by `check` at its `path:line:`, and matching a
learner's post runs in bounded time whatever pattern reaches it (the test that would hang unprotected code
runs in a subprocess with a short timeout and a memory cap).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course.material import check

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


# -- 5: catastrophic regular expressions ---------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"^(a|a)+$", r"(\w+\s?)*$", r"^(x+x+)+y"])
def test_check_rejects_a_pattern_that_can_backtrack_without_bound(tmp_path, pattern):
    folder = _folder(tmp_path, RULES + f"      - '{pattern}'\n")
    out = io.StringIO()
    code = check.run(str(folder), out=out)
    assert code == 1, out.getvalue()
    lines = _problem_lines(out.getvalue(), folder, AUDIT)
    assert any(line.startswith(f"{folder}/{AUDIT}:9: ") for line in lines), out.getvalue()


def test_check_still_accepts_the_shipped_rules():
    out = io.StringIO()
    assert check.run(None, out=out) == 0, out.getvalue()


def test_matching_a_post_is_bounded_whatever_pattern_reaches_it():
    """Even a catastrophic pattern that never went through `check` cannot hang the learner's kernel."""
    code = textwrap.dedent(r"""
        import time, warnings
        from course.tools import audit
        rules = {"disclaimer": "d", "rules": [
            {"id": "bad", "label": "Bad", "explanation": "e", "cite": [], "when_any": [r"^(a|a)+$", r"^(a+)+$"]},
            {"id": "nested", "label": "Nested", "explanation": "e", "cite": [], "when_any": [r"(a|aa)+$"]},
            {"id": "fine", "label": "Fine", "explanation": "e", "cite": [], "when_any": [r"a!"]}]}
        audit._rules = lambda: rules
        started = time.monotonic()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            flags = audit.check_post("a" * 40 + "!")
        print(round(time.monotonic() - started, 2), [f.rule_id for f in flags], len(caught))
    """)
    done = _run(["-c", code])
    assert done.returncode == 0, done.stderr
    seconds, fired, warned = done.stdout.split(" ", 1)[0], done.stdout.split(" ", 1)[1].rsplit(" ", 1)[0], \
        int(done.stdout.rsplit(" ", 1)[1])
    assert float(seconds) < 5, done.stdout
    assert "'fine'" in fired, done.stdout
    assert warned >= 1, "a rule skipped for taking too long must say so"
