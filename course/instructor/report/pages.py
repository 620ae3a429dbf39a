"""The class report's files for people: the HTML page, rendered from the templates in
course/render/templates/report/, and summary.json, the same aggregates for instructors' own analysis.

Both are made from the aggregates alone (every count already suppressed); the page's words live
in the templates, and the Python here only hands them the data.
"""

from __future__ import annotations

import json

from course.instructor.report.disclosure import SMALL
from course.instructor.report.charts import CHART_FILES, _number, alt_texts
from course.render.templates import render

# The page loads its charts from beside it; nothing else, and no scripts. Passed to the template as
# Markup: a constant with no `"`, `<` or `&`, kept byte for byte (its quotes unescaped) in the meta tag.
CSP = "default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
MAX_SHOWN_CHARS = 5000  # a shared reflection longer than this is cut, with a note
MAX_SHOWN_REFLECTIONS = 100  # shared reflections listed per question in the page; summary.json keeps every one


def spread(texts: list, at_most: int) -> list:
    """At most `at_most` of `texts`, spaced evenly through them and in their order (all, if there are no more).

    A class of 10,000 shares tens of thousands of reflections, which made the page 44 MB; an even
    spread through the alphabetical list reads as the whole does, where its first hundred would
    all begin with "A".
    """
    if len(texts) <= at_most:
        return list(texts)
    step = len(texts) / at_most
    return [texts[int(i * step)] for i in range(at_most)]


def page_html(agg: dict, loaded, k: int) -> str:
    """index.html: the class report for the loaded course, from its aggregates."""
    from markupsafe import Markup

    title = f"Class report: {loaded.module.get('title', 'the module')}"
    alts = alt_texts(agg, k) if agg["learners"] is not None else {}
    units = {u["id"]: u["title"] for u in agg["units"]}
    return render("report/index.html", agg=agg, k=k, title=title, csp=Markup(CSP), charts=CHART_FILES, alts=alts,
                  SMALL=SMALL, max_chars=MAX_SHOWN_CHARS, max_shown=MAX_SHOWN_REFLECTIONS, spread=spread,
                  number=_number, units=units, summary=_summary(agg)) + "\n"


SUMMARY_MISSED, SUMMARY_QUOTES, QUOTE_CHARS = 3, 3, 300


def _summary(agg: dict) -> dict:
    """What the one-screen summary shows: the three most-missed graded questions among those whose
    share is published (an order among hidden shares would say something about them), and a few
    shared reflections, the first of each reflection from the last one asked backwards."""
    shown = [r for r in agg["difficulty"] if r["share_fully_correct"] is not None]
    missed = sorted(shown, key=lambda r: (r["share_fully_correct"], r["heading"]))[:SUMMARY_MISSED]
    quotes = [(r["heading"], r["shared"][0]) for r in reversed(agg["reflections"]) if r["shared"]][:SUMMARY_QUOTES]
    shared = sum(len(r["shared"]) for r in agg["reflections"])
    return {"missed": missed, "quotes": quotes, "shared": shared, "quote_chars": QUOTE_CHARS}


def summary_json(agg: dict) -> str:
    """summary.json: the aggregates as written for instructors (hidden cells are null)."""
    return json.dumps(agg, ensure_ascii=False, indent=1) + "\n"
