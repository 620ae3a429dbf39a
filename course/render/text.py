"""The plain-text side of rendering: palette, feedback marks, citation lines and indentation.

Feedback is always given in words and a symbol, never by colour alone; colours come from the
Okabe-Ito palette, which stays distinguishable under the common colour-vision deficiencies.
"""

from __future__ import annotations

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


def cite_pairs(cites, label) -> list[tuple[str, str]]:
    """(citation, label) pairs for `cites`, without repeated labels; `label` maps a citation to its label."""
    seen, out = set(), []
    for citation in cites:
        text = label(citation)
        if text not in seen:
            seen.add(text)
            out.append((citation, text))
    return out


def cites_text(cites, label) -> str:
    """'Source: ...' for a list of citations; `label` maps a citation to its label (see Content.cite_label)."""
    return "Source: " + "; ".join(text for _, text in cite_pairs(cites, label))


def mark_text(kind: str) -> str:
    symbol, words, _ = MARKS[kind]
    return f"{symbol} {words}"


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())
