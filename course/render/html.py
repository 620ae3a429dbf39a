"""The HTML side of the shared fragments (marks, citation lines, paragraphs, the item frame).

Each is a macro in templates/macros.html; these functions call it for Python code that needs the
fragment as a string, e.g. to hand it to a widget.
"""

from __future__ import annotations

from markupsafe import Markup

from course.render.templates import render, render_macro


def cites_html(cites, label) -> str:
    """The citation line as HTML (template macro `cites`)."""
    return render_macro("macros.html", "cites", cites, label)


def mark_html(kind: str) -> str:
    """A verdict as HTML: symbol and words, colour only repeating them (template macro `mark`)."""
    return render_macro("macros.html", "mark", kind)


def paragraphs_html(text: str) -> str:
    """Escape plain content text and keep its paragraphs (template macro `paragraphs`)."""
    return render_macro("macros.html", "paragraphs", text)


def box_html(inner: str, label: str) -> str:
    """The frame every static item uses around `inner` (already HTML); `label` names the region."""
    return render("box.html", inner=Markup(inner), label=label)
