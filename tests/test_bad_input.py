"""Bad-input sweep: arbitrary bytes and structures give clear errors, never a traceback.

Property-based tests (hypothesis) throw random bytes and random YAML-shaped data at the content
loader, random bytes at the journal reader, and random learner text at the exports; a last test
blocks every socket and proves that loading, rendering, saving, exporting and reporting open no
network connection.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import course
import course.material.api
from course.material.check import run as check_run
from course.learner.journal import Journal, JournalDamagedWarning

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=30))
yaml_data = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=25)


def _check(folder: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = check_run(str(folder), out=out)
    return code, out.getvalue()


def _assert_clean_failure(code, output):
    assert code in (0, 1)
    assert "Traceback" not in output
    for line in output.splitlines()[:-1]:
        assert ":" in line and line.split(":")[1].isdigit(), line


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "readings"
    shutil.copytree(MINIMAL, target)
    return target


class TestContentLoader:
    @SETTINGS
    @given(raw=st.binary(max_size=2000))
    def test_arbitrary_bytes_in_any_content_file(self, content_copy, raw):
        """Whatever bytes a file holds, check reports path:line problems and never raises."""
        for relative in ("manifest.yaml", "references.yaml", "items/01-basics.yaml", "digests/tiny-blog.md",
                         "units/01-basics.md"):
            path = content_copy / relative
            original = path.read_bytes()
            path.write_bytes(raw)
            _assert_clean_failure(*_check(content_copy))
            path.write_bytes(original)

    @SETTINGS
    @given(data=yaml_data)
    def test_arbitrary_structures_as_an_item_bank(self, content_copy, data):
        """Any YAML-shaped data in an item bank is rejected by the schema with located messages."""
        (content_copy / "items" / "01-basics.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
        _assert_clean_failure(*_check(content_copy))

    @SETTINGS
    @given(front=yaml_data, body=st.text(max_size=400))
    def test_arbitrary_front_matter_and_body_in_a_digest(self, content_copy, front, body):
        """A digest with any front matter and any body never crashes the loader."""
        text = "---\n" + yaml.safe_dump(front) + "---\n" + body
        (content_copy / "digests" / "tiny-blog.md").write_text(text, encoding="utf-8")
        _assert_clean_failure(*_check(content_copy))


class TestJournalReader:
    @SETTINGS
    @given(raw=st.binary(max_size=1000))
    def test_arbitrary_bytes_in_the_journal(self, tmp_path, raw):
        """A damaged journal is reported, never a crash, and the next save keeps its bytes aside."""
        home = tmp_path / "home"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        (home / "journal.json").write_bytes(raw)
        journal = Journal(home)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", JournalDamagedWarning)
            journal.answers()
            journal.save("orientation-stance-benefits", 3)
        assert journal.get("orientation-stance-benefits")["value"] == 3
        kept = list(home.glob("journal.damaged-*.json"))
        if kept:
            assert kept[0].read_bytes() == raw


class TestExports:
    @SETTINGS
    @given(text=st.text(min_size=1, max_size=300).filter(str.strip))
    def test_learner_text_never_becomes_live_markup(self, tmp_path, text):
        """Whatever a learner types, the HTML export holds it escaped: no tag from learner text survives."""
        home = tmp_path / "h"
        shutil.rmtree(home, ignore_errors=True)
        journal = Journal(home)
        course.item("orientation-reflection-start", journal).answer("<script>x()</script>" + text, share=True)
        from course.tools.export import export_html

        html = export_html(journal)
        assert "<script" not in html.lower()
        assert "&lt;script&gt;" in html


def test_no_network_connection_anywhere(tmp_path, monkeypatch):
    """Loading, rendering, saving, exporting, auditing and reporting never open a socket."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    course.material.api._load_checked.cache_clear()
    journal = Journal(tmp_path / "home")
    for item_id in course.items():
        shown = course.item(item_id, journal)
        shown._repr_mimebundle_()
    course.item("orientation-stance-benefits", journal).answer(2)
    course.item("orientation-reflection-start", journal).answer("A reflection.", share=True)
    for fmt in ("md", "html", "json"):
        course.export(tmp_path / f"journal.{fmt}", fmt, journal=journal)
    course.audit_post("Use my code GLOW20 for 20% off, link in bio!")._repr_mimebundle_()
    course.figures.module_map()._repr_mimebundle_()
    course.figures.stance_shift(journal)._repr_mimebundle_()
    from course.instructor.report import build_report

    build_report([tmp_path / "journal.json"], tmp_path / "report", min_count=1, progress=False)
    assert attempts == []
    assert json.loads((tmp_path / "journal.json").read_text())["answers"]
