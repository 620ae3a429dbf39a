"""The public API of `course`: every lazy name stays what it says, and importing stays cheap."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import course


def test_no_public_name_is_shadowed_by_a_submodule():
    """Importing a submodule binds it on the package; a public function must never be replaced that way."""
    for info in pkgutil.walk_packages(course.__path__, "course."):
        if info.name != "course.__main__":  # running that module runs the command line
            importlib.import_module(info.name)
    for name in course._LAZY:
        value = getattr(course, name)
        assert not isinstance(value, types.ModuleType), f"course.{name} is the module {value.__name__}"


def test_import_course_loads_neither_widgets_nor_matplotlib():
    """`import course` must stay cheap: widgets, matplotlib and YAML load only when first used."""
    code = ("import sys, course; heavy = [m for m in ('ipywidgets', 'matplotlib', 'yaml', 'jsonschema') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
