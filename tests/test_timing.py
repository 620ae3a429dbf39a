"""Stated minutes are computed from content: `course check` fails when a unit's minutes are not what it takes."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from course.material import check
from course.material.catalog import load
from course.material.timing import all_unit_times, round_to, words

READINGS = Path(__file__).resolve().parents[1] / "readings"


def _copy(tmp_path) -> Path:
    folder = tmp_path / "readings"
    shutil.copytree(READINGS, folder)
    return folder


def test_the_shipped_minutes_are_the_computed_ones():
    content, problems = load(READINGS)
    assert not problems
    for computed, unit in zip(all_unit_times(content), content.units):
        assert (unit.teaching_minutes, unit.exercise_minutes) == (computed.reading_minutes, computed.exercise_minutes)


def test_a_unit_that_undersells_its_time_is_a_problem_with_its_line(tmp_path):
    folder = _copy(tmp_path)
    manifest = folder / "manifest.yaml"
    text = manifest.read_text("utf-8")
    start = text.index("  - id: 02-sponsorship")
    line = text[start:].index("    minutes:")
    stated = text[start + line:].split("\n", 1)[0]
    manifest.write_text(text.replace(stated, "    minutes: {teaching: 25, exercises: 35}", 1), "utf-8")
    out = io.StringIO()
    assert check.run(str(folder), out=out) == 1
    message = out.getvalue().splitlines()[0]
    expected_line = text[:start + line].count("\n") + 1
    assert re.match(rf".*manifest\.yaml:{expected_line}: units\[2\]\.minutes: unit '02-sponsorship' states 25 minutes "
                    r"of teaching and 35 of exercises, but its content takes \d+ and \d+", message), message


def test_an_optional_section_counts_apart_from_the_core(tmp_path):
    folder = _copy(tmp_path)
    source = folder / "units" / "01-benefits.md"
    before = {t.unit_id: t for t in all_unit_times(load(folder)[0])}["01-benefits"]
    extra = " ".join(["word"] * 1800)
    source.write_text(source.read_text("utf-8") + f"\n\n## Go further (optional): more\n\n{extra}\n", "utf-8")
    after = {t.unit_id: t for t in all_unit_times(load(folder)[0])}["01-benefits"]
    assert after.core_minutes == before.core_minutes
    assert after.optional_minutes >= before.optional_minutes + 10


def test_counting_words_and_rounding():
    assert words("A trainee's post, re-shared: 3 times!") == 6
    assert round_to(0, 5) == 0 and round_to(0.1, 5) == 5 and round_to(10, 5) == 10 and round_to(10.2, 5) == 15
