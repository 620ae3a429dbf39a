"""Shared pieces of every static rendering: citation labels, feedback marks, escaping, palette.

Feedback is always given in words and a symbol, never by colour alone; colours come from the
Okabe-Ito palette, which stays distinguishable under the common colour-vision deficiencies.
"""

from __future__ import annotations

import re
from html import escape

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "purple": "#CC79A7",
    "grey": "#595959",
}

# Each verdict: (symbol, words, colour). Words carry the meaning; colour only repeats it.
MARKS = {
    "correct": ("\u2713", "Correct", PALETTE["blue"]),
    "incorrect": ("\u2717", "Not the best answer", PALETTE["vermillion"]),
    "missed": ("\u25cb", "Missed: this option is also right", PALETTE["orange"]),
    "better": ("\u2192", "The answer the readings support", PALETTE["blue"]),
    "position": ("\u25c6", "A defensible position", PALETTE["purple"]),
    "saved": ("\u2714", "Saved", PALETTE["green"]),
    "info": ("\u2139", "Note", PALETTE["grey"]),
}

STATUS_NOTE = {"verified": "", "secondary": " [reported in secondary sources]", "unverified": " [unverified]"}


_NOTE = re.compile(r"\s*\([^()]*\)$")


def plain(text: str) -> str:
    """Drop a trailing editorial note in brackets: 'Title (untitled in our copy)' -> 'Title'."""
    text = _NOTE.sub("", text).strip() or text
    return re.sub(r'"([^"]*)"', "\u2018\\1\u2019", text)


def cite_label(citation: str) -> str:
    """A short human label for `"id#anchor"`, e.g. '“Medical Education Monday – Social Media” (2011), § C'.

    References carry their verification status, so a learner sees what is reported, not verified.
    """
    from .api import content

    loaded = content()
    doc_id, _, anchor = citation.partition("#")
    if doc_id in loaded.readings:
        reading = loaded.readings[doc_id]
        label = f"\u201c{plain(reading.title)}\u201d ({plain(reading.date)})"
        if anchor:
            label += f", \u00a7 {reading.section(anchor).title}"
        return label
    ref = loaded.references[doc_id]
    status = ref.point(anchor).status if anchor else ref.status
    return f"\u201c{plain(ref.title)}\u201d ({ref.year}){STATUS_NOTE[status]}"


def _labels(cites) -> list[tuple[str, str]]:
    seen, out = set(), []
    for citation in cites:
        label = cite_label(citation)
        if label not in seen:
            seen.add(label)
            out.append((citation, label))
    return out


def cites_text(cites) -> str:
    return "Source: " + "; ".join(label for _, label in _labels(cites))


def cites_html(cites) -> str:
    labels = "; ".join(f'<cite data-cite="{escape(c)}">{escape(label)}</cite>' for c, label in _labels(cites))
    return f'<div class="course-cite">Source: {labels}</div>'


def mark_text(kind: str) -> str:
    symbol, words, _ = MARKS[kind]
    return f"{symbol} {words}"


def mark_html(kind: str) -> str:
    symbol, words, colour = MARKS[kind]
    return (f'<strong class="course-mark course-mark-{kind}" style="color:{colour}">'
            f'<span aria-hidden="true">{symbol}</span> {escape(words)}</strong>')


def paragraphs_html(text: str) -> str:
    """Escape plain content text and keep its paragraphs."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p)}</p>" for p in parts)


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def box_html(inner: str, label: str) -> str:
    """The frame every static item uses; `label` names the region for screen readers."""
    return (f'<section class="course-item" role="group" aria-label="{escape(label)}" '
            f'style="border:1px solid #bbb;border-radius:6px;padding:0.6em 1em;margin:0.4em 0">{inner}</section>')
