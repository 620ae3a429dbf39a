"""nbval settings for the stored notebooks (kept here, not in notebooks/, so learners never see it).

The notebooks run in manifest order in one pytest session, sharing one temporary journal,
exactly as `python -m course build-notebooks` stored them: a learner's real journal is never
touched, and what 04 shows of answers given in 00 is the same here as in the stored outputs.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pprint

import nbval.kernel
from nbval.plugin import IPyNbCell

# Building a widget and a figure can take a moment on a cold kernel; nbval's default wait for
# output after a cell's reply is 5 s.
IPyNbCell.output_timeout = 60


class DeferredPrettyPrint:
    """A kernel message that is pretty-printed only when a log handler really writes it out.

    nbval logs every kernel message at debug level as `logger.debug("...%s", pformat(msg))`, so it
    pretty-prints each one, widget states and long HTML included, even when debug logging is off:
    about a quarter of a second per run of our notebooks. Given this class in place of `pformat`,
    the logging module formats a message only if a handler emits the record (`--log-level=DEBUG`
    still shows every message in full).
    """

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message

    def __str__(self) -> str:
        return pprint.pformat(self.message)


nbval.kernel.pformat = DeferredPrettyPrint

_HOME = tempfile.mkdtemp(prefix="course-nbval-")
os.environ["COURSE_HOME"] = _HOME


def pytest_unconfigure(config):
    shutil.rmtree(_HOME, ignore_errors=True)
