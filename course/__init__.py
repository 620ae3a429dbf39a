"""course: the helper package of the social media ethics module for medical students.

It loads the readings and the course content from readings/, checks them, and gives the
notebooks their interactive items, journal, figures and seminar tools. Importing it is cheap:
each part (YAML, widgets, matplotlib) is imported only when first used.

    import course
    course.readings()                         # the five digests, in manifest order
    course.resolve("meded-monday#comment-c")  # a cited section
    course.quiz("benefits-wrapup-1")          # an item that displays as a widget
"""

from __future__ import annotations

import importlib

from course.version import __version__

_LAZY = {
    # content
    "content": "course.material.api", "units": "course.material.api", "unit": "course.material.api", "readings": "course.material.api",
    "reading": "course.material.api", "references": "course.material.api", "reference": "course.material.api",
    "resolve": "course.material.api", "themes": "course.material.api",
    "ContentError": "course.problems", "Problem": "course.problems",
    # interactive items and the journal
    "item": "course.learner.items", "items": "course.learner.items", "quiz": "course.learner.items",
    "journal": "course.learner.journal", "Journal": "course.learner.journal",
    "JournalWriteError": "course.learner.journal",
    # what notebook cells show
    "header": "course.learner.display", "key_points": "course.learner.display", "show_reading": "course.learner.display",
    "reading_list": "course.learner.display", "progress": "course.learner.display", "my_journal": "course.learner.display",
    "audit_post": "course.tools.audit", "audit_widget": "course.tools.audit", "policy_builder": "course.tools.policy",
    "export": "course.tools.export", "example_learner": "course.tools.example", "hand_in": "course.tools.handin",
}

_SUBMODULES = {"figures": "course.learner.figures"}

__all__ = sorted(_LAZY) + list(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(_SUBMODULES[name])
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'course' has no attribute '{name}'")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
