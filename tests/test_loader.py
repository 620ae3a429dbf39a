"""The content API the notebooks call (`course.readings()`, `course.resolve()`, `course.units()`, ...),
tested against the repository's real readings/ folder, plus the two environment variables that move it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import course
import course.material.api
from course.material.model import FrozenDict, ItemSpec, Point, Reading, Reference, Section, Unit, freeze

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): .+$")

READINGS_IN_MANIFEST_ORDER = [
    "instagram-eight-reasons", "empowered-engaged", "instagram-transformed", "student-influencer", "meded-monday",
]
UNITS_IN_ORDER = ["00-orientation", "01-benefits", "02-sponsorship", "03-anonymity", "04-policy-workshop"]


@pytest.fixture(autouse=True)
def real_content(monkeypatch):
    """Every test reads the repository's own readings/, whatever the developer's shell exports."""
    monkeypatch.delenv("COURSE_CONTENT_DIR", raising=False)
    monkeypatch.delenv("COURSE_FULLTEXT_DIR", raising=False)


@pytest.fixture
def fresh_cache():
    """Content is cached per folder; tests that move the folder start and end with an empty cache."""
    course.material.api._load_checked.cache_clear()
    yield
    course.material.api._load_checked.cache_clear()


def _citations(node):
    """Every citation in an item's data: each `cite` list, anywhere in it, and a case's `based_on`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "cite":
                yield from value
            elif key == "based_on":
                yield value
            else:
                yield from _citations(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _citations(value)


# -- readings ------------------------------------------------------------------------------------------------

class TestReadings:
    def test_all_five_in_manifest_order(self):
        """The reading list and figures follow the order in which the units first use each text."""
        assert [r.id for r in course.readings()] == READINGS_IN_MANIFEST_ORDER
        assert all(isinstance(r, Reading) for r in course.readings())

    def test_section_by_anchor(self):
        """Notebooks show one section of a digest by its anchor."""
        section = course.reading("meded-monday").section("comment-c")
        assert isinstance(section, Section)
        assert (section.reading_id, section.anchor, section.citation) == ("meded-monday", "comment-c",
                                                                          "meded-monday#comment-c")
        assert section.title and section.text

    def test_unknown_anchor_names_the_known_ones(self):
        """A typo in a notebook cell must say which anchors exist, not just 'KeyError'."""
        with pytest.raises(KeyError) as raised:
            course.reading("meded-monday").section("comment-zz")
        message = str(raised.value)
        assert "comment-zz" in message
        assert "comment-c" in message and "post-schools-ignore" in message

    def test_unknown_reading_names_the_known_ones(self):
        """A mistyped reading id must list the ids that exist."""
        with pytest.raises(KeyError, match="meded-monday"):
            course.reading("meded-tuesday")

    def test_filter_by_theme(self):
        """The anonymity unit lists only the readings tagged with its theme, still in manifest order."""
        chosen = course.readings(theme="anonymity")
        assert [r.id for r in chosen] == ["meded-monday"]
        trust = course.readings(theme="trust")
        assert trust and all("trust" in r.themes for r in trust)
        assert [r.id for r in trust] == [r for r in READINGS_IN_MANIFEST_ORDER if r in {x.id for x in trust}]

    def test_unknown_theme_raises(self):
        """A mistyped theme must fail loudly, not return an empty list that looks like 'no readings'."""
        with pytest.raises(KeyError, match="anonimity"):
            course.readings(theme="anonimity")

    def test_sections_non_empty_with_unique_anchors(self):
        """Every section is citable by a unique anchor and has a paraphrase to show."""
        for reading in course.readings():
            anchors = [s.anchor for s in reading.sections]
            assert anchors, reading.id
            assert len(anchors) == len(set(anchors)), reading.id
            for section in reading.sections:
                assert section.title.strip() and section.text.strip(), section.citation
                assert all(claim.support in ("assertion", "anecdote", "example", "evidence")
                           for claim in section.claims), section.citation


# -- citations -------------------------------------------------------------------------------------------------

class TestResolve:
    def test_reading_section(self):
        """`id#anchor` of a digest resolves to that Section (the docstring example of the package)."""
        assert course.resolve("meded-monday#comment-c") == course.reading("meded-monday").section("comment-c")

    def test_reference_point(self):
        """`id#anchor` of a reference resolves to that Point of the guidance."""
        point = course.resolve("ftc-endorsement-guides-2023#material-connection")
        assert isinstance(point, Point)
        assert point.citation == "ftc-endorsement-guides-2023#material-connection"
        assert point.status in ("verified", "secondary", "unverified")

    def test_whole_reading_and_reference(self):
        """A bare id cites a whole reading or reference."""
        assert course.resolve("meded-monday") is course.reading("meded-monday")
        reference = course.resolve("ama-opinion-2-3-2")
        assert isinstance(reference, Reference) and reference is course.reference("ama-opinion-2-3-2")

    @pytest.mark.parametrize("citation", ["bogus", "bogus#anchor", "meded-monday#bogus", "ama-opinion-2-3-2#bogus"])
    def test_bogus_raises_key_error(self, citation):
        """A citation that resolves to nothing must raise, never return None into a rendered page."""
        with pytest.raises(KeyError, match="bogus"):
            course.resolve(citation)

    def test_every_item_citation_resolves(self):
        """Every option, perspective, rubric, model answer and case shown to a learner cites something real."""
        content = course.material.api.content()
        found = 0
        for spec in content.items.values():
            for citation in _citations(spec.data):
                found += 1
                try:
                    course.resolve(citation)
                except KeyError as exc:
                    pytest.fail(f"{spec.source_file}: item '{spec.id}' cites '{citation}': {exc}")
        assert found > len(content.items)  # the collector really walked the items

    def test_real_cases_are_based_on_case_references(self):
        """A real case (`invented: false`) names a public case in references.yaml, never guidance."""
        cases = [s for s in course.material.api.content().items.values() if s.type == "case"]
        assert cases
        for spec in cases:
            if spec.data["invented"]:
                continue
            assert course.reference(spec.data["based_on"]).kind == "case", spec.id


# -- units -------------------------------------------------------------------------------------------------------

class TestUnits:
    def test_in_teaching_order(self):
        """Units drive the notebook sequence 00..04; `number` is the position."""
        units = course.units()
        assert [u.id for u in units] == UNITS_IN_ORDER
        assert [u.number for u in units] == list(range(len(UNITS_IN_ORDER)))
        assert all(isinstance(u, Unit) for u in units)

    def test_minutes_objectives_key_points(self):
        """Every unit header shows its time, objectives and key points; none may be empty."""
        for unit in course.units():
            assert unit.teaching_minutes > 0 and unit.exercise_minutes > 0, unit.id
            assert unit.minutes == unit.teaching_minutes + unit.exercise_minutes
            assert unit.objectives and all(o.strip() for o in unit.objectives), unit.id
            assert unit.key_points and all(p.strip() for p in unit.key_points), unit.id
            assert unit.notebook == f"{unit.id}.ipynb"

    def test_by_number_prefix_or_id(self):
        """Notebooks may say `course.unit("01")`; it must be the same unit as its full id."""
        assert course.unit("01").id == "01-benefits"
        assert course.unit("01") is course.unit("01-benefits")

    def test_unknown_unit_names_the_known_ones(self):
        """A wrong unit id lists the units that exist."""
        with pytest.raises(KeyError, match="01-benefits"):
            course.unit("99")

    def test_every_unit_reading_exists(self):
        """A unit header lists its readings by title, so each must be a loaded digest."""
        known = {r.id for r in course.readings()}
        for unit in course.units():
            assert set(unit.reading_ids) <= known, unit.id


# -- immutability and caching ----------------------------------------------------------------------------------

class TestImmutable:
    def test_content_objects_are_frozen(self):
        """Notebook code must not be able to rewrite the course for every later cell."""
        reading = course.reading("meded-monday")
        spec = next(iter(course.material.api.content().items.values()))
        targets = [(reading, "title"), (reading.sections[0], "text"), (course.units()[0], "title"),
                   (course.reference("ama-opinion-2-3-2"), "summary"),
                   (course.resolve("ama-opinion-2-3-2#benefits"), "text"), (spec, "id")]
        for obj, name in targets:
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, name, "changed")

    def test_item_data_is_read_only(self):
        """An item's data is shared by every widget that shows it; a write must fail, at any depth."""
        spec = next(s for s in course.material.api.content().items.values() if s.type == "single")
        assert isinstance(spec, ItemSpec) and isinstance(spec.data, FrozenDict)
        with pytest.raises(TypeError):
            spec.data["prompt"] = "changed"
        with pytest.raises(TypeError):
            del spec.data["prompt"]
        with pytest.raises(TypeError):
            spec.data.update(prompt="changed")
        with pytest.raises(TypeError):
            spec.data["options"][0]["correct"] = True
        assert isinstance(spec.data["options"], tuple)
    def test_frozen_dict_in_place_union_is_refused(self):
        """`|=` is as much a write as `update`; it must not slip past the read-only guard."""
        data = freeze({"prompt": "original"})  # a private copy: never mutate the cached course content
        with pytest.raises(TypeError):
            data |= {"prompt": "changed"}
        assert data["prompt"] == "original"
    def test_course_content_is_the_api_function(self):
        """`course.content()` is public API; it must not depend on which function a notebook called first."""
        code = "import course; course.readings; print(course.content is course.material.api.content)"
        ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert ran.stdout.strip() == "True", ran.stdout + ran.stderr

    def test_content_is_cached(self):
        """Loading and checking all content takes ~0.5 s; notebooks call the API in many cells."""
        assert course.material.api.content() is course.material.api.content()
        assert course.readings()[0] is course.readings()[0]


# -- environment variables ---------------------------------------------------------------------------------------

class TestFullText:
    def test_full_text_from_instructor_folder(self, tmp_path, monkeypatch):
        """An instructor's course pack shows the full source next to the digest, without shipping it."""
        (tmp_path / "meded-monday.txt").write_text("The full post, from the instructor's pack.\n", encoding="utf-8")
        monkeypatch.setenv("COURSE_FULLTEXT_DIR", str(tmp_path))
        assert course.reading("meded-monday").full_text == "The full post, from the instructor's pack.\n"
        assert course.reading("student-influencer").full_text is None  # no file for it in the pack

    def test_no_full_text_without_the_variable(self, tmp_path):
        """Full texts are third-party writing: without a course pack, nothing is shown."""
        (tmp_path / "meded-monday.txt").write_text("not used", encoding="utf-8")
        assert course.reading("meded-monday").full_text is None


class TestContentDir:
    def test_other_folder_is_used(self, monkeypatch, fresh_cache):
        """An instructor or a test can point the same package at other content."""
        monkeypatch.setenv("COURSE_CONTENT_DIR", str(FIXTURES / "minimal"))
        assert [r.id for r in course.readings()] == ["tiny-blog"]
        assert [u.id for u in course.units()] == ["01-basics"]

    def test_broken_folder_raises_content_error_with_locations(self, tmp_path, monkeypatch, fresh_cache):
        """A notebook user must see every `path:line: message`, not a partial course or a traceback from deep inside."""
        folder = tmp_path / "readings"
        shutil.copytree(FIXTURES / "minimal", folder)
        shutil.copytree(FIXTURES / "broken" / "yaml-syntax", folder, dirs_exist_ok=True)
        monkeypatch.setenv("COURSE_CONTENT_DIR", str(folder))
        with pytest.raises(course.ContentError) as raised:
            course.readings()
        lines = str(raised.value).splitlines()
        assert lines and all(PROBLEM_LINE.match(line) for line in lines), lines
        located = [PROBLEM_LINE.match(line) for line in lines]
        assert any(Path(m["path"]).resolve() == (folder / "items" / "01-basics.yaml").resolve() and m["line"] == "6"
                   for m in located), lines
        assert "mapping values are not allowed here" in str(raised.value)
        assert [p.line for p in raised.value.problems] == [6]
