"""Teaching material: the facilitator guide beside the notebooks and the offline slide deck."""

from __future__ import annotations

import re
from pathlib import Path

from course.instructor.seminar import GUIDE_FILE, guide_markdown, write_slides

REPO = Path(__file__).resolve().parent.parent


def test_stored_facilitator_guide_matches_its_source():
    """notebooks/instructor/ must be regenerated (`make notebooks`) whenever guide.yaml changes."""
    stored = (REPO / "notebooks" / GUIDE_FILE).read_text(encoding="utf-8")
    assert stored == guide_markdown()


def test_guide_has_both_plans_debates_rubric_and_model_answers():
    """Instructors need timings, debate roles, a rubric and model answers to teach tomorrow."""
    text = guide_markdown()
    for heading in ("## 90-minute seminar", "## 2-hour seminar", "## Debate:", "## Model answers",
                    "## Common misconceptions", "## Reflection rubric", "## Discussion prompts"):
        assert heading in text, heading


def test_slides_are_offline_and_readable_without_a_script(tmp_path):
    """The deck's script-free handout beside it: no network, every slide and its notes.

    The presented reveal.js deck (index.html, what write_slides returns) is tested in tests/test_deck.py.
    """
    handout = write_slides(tmp_path).parent / "handout.html"
    page = handout.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="https?://', page), "the deck must not load anything from the network"
    assert "<script" not in page
    assert "<h2>Discussion</h2>" in page and "<h2>Agenda</h2>" in page
    assert page.count('class="deck-slide"') == page.count('<aside class="notes"') > 15
    deck = (handout.parent / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="https?://', deck)
    assert '<script src="reveal/reveal.js"></script>' in deck
