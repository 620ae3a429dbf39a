"""Rendering shared by every page and fragment: palette, feedback marks, citations and templates.

Rendering receives what it shows: a function that labels citations, the data of an item, the rows
of a report. It never loads the course itself.

May import: `course.material.model` (for types and text helpers) and the shared helpers. Never
`course.material.api`, the learner, tools, instructor or build layers.
"""

from course.render.html import box_html, cites_html, mark_html, paragraphs_html
from course.render.text import MARKS, PALETTE, cite_pairs, cites_text, indent, mark_text

__all__ = ["MARKS", "PALETTE", "box_html", "cite_pairs", "cites_html", "cites_text", "indent", "mark_html",
           "mark_text", "paragraphs_html"]
