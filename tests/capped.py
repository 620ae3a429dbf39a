"""Helpers for the hardening tests that must not hang: a readings/ copy with a given post-audit file,
and Python run in a subprocess under a time limit and a memory cap (a hang or a blow-up fails the test).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINIMAL = TESTS / "fixtures" / "minimal"
AUDIT = "tools/post-audit.yaml"
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
"""A one-rule post-audit file for the minimal fixture; tests append patterns or aliases to it."""

LIMIT_S = 30  # the bar: no hang past 30 s (the fixed code answers in about 2 s, mostly imports)


def folder_with_audit(parent: Path, audit_text: str) -> Path:
    """A copy of the minimal fixture whose tools/post-audit.yaml is `audit_text`."""
    root = parent / "readings"
    shutil.copytree(MINIMAL, root)
    (root / "tools").mkdir()
    (root / AUDIT).write_text(audit_text, encoding="utf-8")
    return root


def run_capped(args, env=None) -> subprocess.CompletedProcess:
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


def problem_lines(output: str, folder: Path, relative: str) -> list[str]:
    """The `path:line:` problem lines of `output` that name `folder/relative`."""
    return [line for line in output.splitlines() if re.match(rf"^{re.escape(str(folder))}/{re.escape(relative)}:\d+: ",
                                                            line)]
