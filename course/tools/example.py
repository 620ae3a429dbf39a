"""An invented example learner whose answers show, in a notebook, what feedback looks like.

Notebook cells that answer items "as a learner would" must never overwrite the real learner's
answers when they press Run All. So they answer as an example learner instead, whose journal is
a throwaway folder that lives only as long as the kernel. The real learner answers in the live
widgets, which use their own journal.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile

from course.learner.journal import Journal


class ExampleLearner:
    """An invented learner with a temporary journal; `.item(id)` answers without touching yours."""

    def __init__(self, name: str):
        self.name = name
        folder = tempfile.mkdtemp(prefix="course-example-")
        atexit.register(shutil.rmtree, folder, True)
        self.journal = Journal(folder)

    def __repr__(self) -> str:
        return f"Example learner {self.name} (invented; answers kept apart from yours and deleted at the end)"

    def item(self, item_id: str):
        from course.learner.items import item

        return item(item_id, self.journal)

    def quiz(self, item_id: str):
        from course.learner.items import quiz

        return quiz(item_id, self.journal)

    def policy_builder(self):
        from course.tools.policy import policy_builder

        return policy_builder(self.journal)


def example_learner(name: str = "Alex") -> ExampleLearner:
    """An invented learner for worked examples (answers never mix with yours)."""
    return ExampleLearner(name)
