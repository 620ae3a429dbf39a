"""Issue 10, defect 5: a post-audit pattern cannot hang `course check` or a notebook kernel.

A pattern that can backtrack catastrophically is rejected by `check` at its `path:line:`, and matching a
learner's post runs in bounded time whatever pattern reaches it (the test that would hang unprotected code
runs in a subprocess with a short timeout and a memory cap).
"""

from __future__ import annotations

import io
import textwrap

import pytest
from capped import AUDIT, RULES, folder_with_audit, problem_lines, run_capped

from course.material import check


# -- 5: catastrophic regular expressions ---------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"^(a|a)+$", r"(\w+\s?)*$", r"^(x+x+)+y"])
def test_check_rejects_a_pattern_that_can_backtrack_without_bound(tmp_path, pattern):
    folder = folder_with_audit(tmp_path, RULES + f"      - '{pattern}'\n")
    out = io.StringIO()
    code = check.run(str(folder), out=out)
    assert code == 1, out.getvalue()
    lines = problem_lines(out.getvalue(), folder, AUDIT)
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
    done = run_capped(["-c", code])
    assert done.returncode == 0, done.stderr
    seconds, fired, warned = done.stdout.split(" ", 1)[0], done.stdout.split(" ", 1)[1].rsplit(" ", 1)[0], \
        int(done.stdout.rsplit(" ", 1)[1])
    assert float(seconds) < 5, done.stdout
    assert "'fine'" in fired, done.stdout
    assert warned >= 1, "a rule skipped for taking too long must say so"
