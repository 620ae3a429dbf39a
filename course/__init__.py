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

__version__ = "0.1.0"

_LAZY = {
    # content
    "content": "course.api", "units": "course.api", "unit": "course.api", "readings": "course.api",
    "reading": "course.api", "references": "course.api", "reference": "course.api",
    "resolve": "course.api", "themes": "course.api",
    "ContentError": "course.problems", "Problem": "course.problems",
    # interactive items and the journal
    "item": "course.interactive", "items": "course.interactive", "quiz": "course.interactive",
    "journal": "course.store", "Journal": "course.store",
    # what notebook cells show
    "header": "course.display", "key_points": "course.display", "show_reading": "course.display",
    "reading_list": "course.display", "progress": "course.display", "my_journal": "course.display",
    "audit_post": "course.audit", "audit_widget": "course.audit", "policy_builder": "course.builder",
    "export": "course.journal_export", "example_learner": "course.example",
}

_SUBMODULES = ("figures",)

__all__ = sorted(_LAZY) + list(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"course.{name}")
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'course' has no attribute '{name}'")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
