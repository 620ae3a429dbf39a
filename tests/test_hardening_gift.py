"""Defect 11 (issue 10): the GIFT export must not leave HTML live.

Moodle renders GIFT question text, answers and feedback as HTML, so text from the content
(or from an imported bank) must reach it escaped, as the QTI and jupyterquiz exports do,
and GIFT's own special characters must still be escaped on top.
"""

from __future__ import annotations

import io
import re
import warnings

from course.instructor import quizexport
from course.material.model import ItemSpec, freeze

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from pygiftparser import parser as giftparser

CITE = "ftc-endorsement-guides-2023#material-connection"
HOSTILE = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"


def _spec(item_id, kind, data):
    return ItemSpec(item_id, kind, "01-benefits", freeze({"id": item_id, "type": kind, **data}))


def _option(key, text, correct, feedback):
    return {"key": key, "text": text, "correct": correct, "feedback": feedback, "cite": [CITE]}


def _gift():
    single = _spec("hostile-item", "single", {
        "prompt": "Prompt " + HOSTILE,
        "options": [_option("a", "Right " + HOSTILE, True, "Yes " + HOSTILE),
                    _option("b", "Wrong", False, "No {x} ~ = # : \\")]})
    essay = _spec("hostile-essay", "reflection", {
        "prompt": "Essay " + HOSTILE,
        "words": {"min": 10, "max": 100},
        "model_answer": {"text": "Model " + HOSTILE, "cite": [CITE]}})
    return quizexport.to_gift([single, essay])


def test_gift_text_answers_and_feedback_carry_no_live_html():
    gift = _gift()
    assert "<script" not in gift.lower()
    assert "<img" not in gift.lower()
    assert "&lt;script&gt;" in gift and "&lt;img src\\=x onerror\\=alert(2)&gt;" in gift
    assert " &amp; " in gift


def test_gift_html_escaping_uses_no_character_gift_would_misread():
    """Entities must be named ones: a numeric entity's `#` is GIFT's feedback marker."""
    gift = _gift()
    assert not re.search(r"&#", gift)
    parsed = giftparser.parseFile(io.StringIO(gift))
    assert parsed and all(q.valid for q in parsed)


def test_gift_special_characters_are_still_escaped():
    gift = _gift()
    assert "No \\{x\\} \\~ \\= \\# \\: \\\\" in gift
