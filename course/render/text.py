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

# The same hues, darkened until text in them has a contrast of at least 4.5:1 (WCAG 1.4.3) on white and
# on a light grey (#F2F2F2) background; Okabe-Ito's own orange, for example, reaches only 2.25:1 as text.
# Figures keep PALETTE; words in colour use TEXT_COLOURS.
TEXT_COLOURS = {
    "blue": PALETTE["blue"],  # 5.2:1 already
    "vermillion": "#B24E00",
    "orange": "#906400",
    "green": "#007C5A",
    "purple": "#96597B",
    "grey": PALETTE["grey"],
}

# Each verdict: (symbol, words, colour). Words carry the meaning; colour only repeats it.
MARKS = {
    "correct": ("\u2713", "Correct", TEXT_COLOURS["blue"]),
    "incorrect": ("\u2717", "Not the best answer", TEXT_COLOURS["vermillion"]),
    "missed": ("\u25cb", "Missed: this option is also right", TEXT_COLOURS["orange"]),
    "better": ("\u2192", "The answer the readings support", TEXT_COLOURS["blue"]),
    "position": ("\u25c6", "A defensible position", TEXT_COLOURS["purple"]),
    "saved": ("\u2714", "Saved", TEXT_COLOURS["green"]),
    "info": ("\u2139", "Note", TEXT_COLOURS["grey"]),
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
