"""nbval settings for the stored notebooks (kept here, not in notebooks/, so learners never see it).

The notebooks run in manifest order in one pytest session, sharing one temporary journal,
exactly as `python -m course build-notebooks` stored them: a learner's real journal is never
touched, and what 04 shows of answers given in 00 is the same here as in the stored outputs.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from nbval.plugin import IPyNbCell

# Building a widget and a figure can take a moment on a cold kernel; nbval's default wait for
# output after a cell's reply is 5 s.
IPyNbCell.output_timeout = 60

_HOME = tempfile.mkdtemp(prefix="course-nbval-")
os.environ["COURSE_HOME"] = _HOME


def pytest_unconfigure(config):
    shutil.rmtree(_HOME, ignore_errors=True)
