"""Defect 12 (issue 10): every learner string in the Markdown export is escaped.

A name such as `![n](http://127.0.0.1:8765/n.png)` followed by a newline and `# heading` must
not render as a remote image and a heading; nor may a reflection close its code block.
"""

from __future__ import annotations

import re

import course
from course.learner.journal import Journal
from course.tools.export import export_markdown

NAME = "![n](http://127.0.0.1:8765/n.png)\n# heading <b>x</b> [link](http://e.invalid) *em* `code`"


def _rendered_lines(markdown: str) -> list[str]:
    """The lines outside fenced code blocks (what a Markdown renderer would interpret)."""
    out, fence = [], None
    for line in markdown.splitlines():
        match = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", line):
                fence = None
            continue
        out.append(line)
    return out


def test_name_cannot_become_an_image_a_link_or_a_heading(tmp_path):
    journal = Journal(tmp_path / "h")
    text = export_markdown(journal, name=NAME)
    outside = _rendered_lines(text)
    learner = [line for line in outside if "heading" in line]
    assert len(learner) == 1, "the name must stay on one line"
    line = learner[0]
    assert not line.lstrip().startswith("#")
    assert "![" not in line and "](" not in line.replace("\\]\\(", "")
    assert "\\!\\[n\\]\\(http" in line
    assert "<b>" not in line and "&lt;b&gt;" in line
    assert "\\*em\\*" in line and "\\`code\\`" in line
    headings = [line for line in outside if line.startswith("#")]
    assert all("heading" not in h for h in headings)


def test_reflection_text_cannot_close_its_code_block(tmp_path):
    journal = Journal(tmp_path / "h")
    hostile = "before\n````\n# injected heading\n![x](http://127.0.0.1:8765/x.png)\n~~~\nafter"
    course.item("orientation-reflection-start", journal).answer(hostile, share=True)
    text = export_markdown(journal)
    outside = "\n".join(_rendered_lines(text))
    assert "injected heading" not in outside
    assert "127.0.0.1" not in outside
    assert "# injected heading" in text  # kept, inside the code block, unchanged


def test_a_learner_code_from_an_old_journal_is_escaped(tmp_path):
    home = tmp_path / "h"
    home.mkdir()
    (home / "journal.json").write_text(
        '{"format": "social-media-ethics-journal/1", "module_version": "0.1.0", '
        '"learner_code": "![c](http://127.0.0.1:8765/c.png)", "answers": {}}', encoding="utf-8")
    text = export_markdown(Journal(home))
    assert "![c](" not in "\n".join(_rendered_lines(text))
