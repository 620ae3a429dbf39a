"""The built wheel: it carries the content, the schemas and the notebook sources, and works on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_carries_content_and_loads_it_outside_the_repo(tmp_path):
    """A pip-installed copy has no readings/ beside it, so the wheel must bring its own."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("course/_readings/manifest.yaml", "course/schemas/items.schema.json",
                   "course/_readings/units/00-orientation.md", "course/schemas/export.schema.json"):
        assert needed in names, needed
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = ("import course, course.paths; "
            "print(course.paths.content_root().name, len(course.readings()), len(course.items()))")
    env = {**os.environ, "PYTHONPATH": str(unpacked), "COURSE_CACHE_DIR": "", "COURSE_CONTENT_DIR": ""}
    env.pop("COURSE_CONTENT_DIR")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True)
    name, readings, items = out.stdout.split()
    assert name == "_readings" and int(readings) == 5 and int(items) > 40
