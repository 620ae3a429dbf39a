"""Defect 9 (issue 10): every export is checked against its own schema before it is written.

A 201-character --name used to be written, and the class report then skipped the file as
malformed without the learner ever knowing. Now the learner is told, and nothing is written.
"""

from __future__ import annotations

import json

import pytest

import course
from course.cli import main
from course.learner.journal import Journal
from course.material.schema import _validators


def test_a_201_character_name_is_refused_with_a_clear_message(tmp_path, capsys):
    out = tmp_path / "mine.json"
    code = main(["export", "--format", "json", "-o", str(out), "--name", "x" * 201])
    err = capsys.readouterr().err
    assert code == 1
    assert not out.exists()
    assert "201" in err and "200" in err and "name" in err and "Traceback" not in err


def test_a_200_character_name_is_accepted_and_valid(tmp_path):
    out = tmp_path / "mine.json"
    assert main(["export", "-o", str(out), "--name", "y" * 200]) == 0
    assert _validators()["export"].is_valid(json.loads(out.read_text(encoding="utf-8")))


def test_an_export_that_breaks_the_schema_is_never_written(tmp_path, monkeypatch, capsys):
    """Whatever goes wrong upstream, the schema check stands between it and the file."""
    from course.tools import export as export_module

    real = export_module.export_data

    def broken(*args, **kwargs):
        data = real(*args, **kwargs)
        data["answers"].append({"item": "Not An Id", "unit": "01-benefits", "type": "single", "value": "a"})
        return data

    monkeypatch.setattr(export_module, "export_data", broken)
    out = tmp_path / "mine.json"
    assert main(["export", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    assert "does not match" in err and "Traceback" not in err


def test_the_api_refuses_a_long_name_too(tmp_path):
    from course.tools.export import ExportError

    with pytest.raises(ExportError, match="at most 200"):
        course.export(tmp_path / "x.json", "json", journal=Journal(tmp_path / "h"), name="z" * 500)
    assert not (tmp_path / "x.json").exists()
