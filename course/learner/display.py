"""What notebook cells show that is not an item: unit headers, key points, readings, progress.

Every object here renders as `text/plain` (deterministic, for nbval and terminals) and
`text/html` (for JupyterLab and static viewers). The words come from readings/; this module
only arranges them.
"""

from __future__ import annotations

from course import render
from course.learner.compat import builder_fits
from course.material.model import plain
from course.material.api import content, reading, readings, unit
from course.render.templates import render as render_template


class Shown:
    """Something a cell displays, with a plain-text and an HTML form."""

    def __init__(self, text: str, html: str):
        self.text, self.html = text, html

    def __repr__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "text/html": self.html}


def header(unit_id: str) -> Shown:
    """The opening of a unit's notebook: its question, objectives, prerequisites, time and readings."""
    u = unit(unit_id)
    loaded = content()
    titles = [f"{plain(loaded.readings[r].title)} ({plain(loaded.readings[r].date)})"
              for r in u.reading_ids]
    text = "\n".join(
        [f"Unit {u.id}: {u.title}", f"Question: {u.question}",
         f"Time: about {u.minutes} minutes ({u.teaching_minutes} reading, {u.exercise_minutes} exercises)",
         "Objectives:"] + [f"  - {o}" for o in u.objectives]
        + ["Prerequisites:"] + [f"  - {p}" for p in u.prerequisites]
        + (["Readings:"] + [f"  - {t}" for t in titles] if titles else [])
    )
    return Shown(text, render_template("learner/header.html", unit=u, titles=titles))


def key_points(unit_id: str) -> Shown:
    """The closing of a unit's notebook: what to take away."""
    u = unit(unit_id)
    text = "\n".join(["Key points:"] + [f"  - {p}" for p in u.key_points])
    return Shown(text, render_template("learner/key_points.html", points=u.key_points))


_SUPPORT = {
    "assertion": "asserted, no support given",
    "anecdote": "supported by personal experience",
    "example": "supported by a named example",
    "evidence": "supported by evidence the text gives",
}


def show_reading(reading_id: str, sections: list[str] | None = None, claims: bool = True,
                 summary: bool = True) -> Shown:
    """A reading digest (all sections, or the anchors listed), with its claims and how each is supported.

    `summary=False` leaves out the digest's summary paragraph, for a second look at the same reading.
    """
    r = reading(reading_id)
    chosen = [r.section(a) for a in sections] if sections else list(r.sections)
    lines = [f"Reading: {r.title}", f"{r.author}. {r.venue}, {r.date}."]
    if summary:
        lines.append(f"Summary: {r.summary.strip()}")
    for s in chosen:
        lines += [f"\u00a7 {s.title} [{s.citation}]", render.indent(s.text.strip(), "  ")]
        if claims and s.claims:
            lines.append("  Claims:")
            lines += [f"    - [{c.support}] {c.text}" for c in s.claims]
    full = r.full_text
    if full is not None:
        lines.append("(The full text is available from your instructor's course pack.)")
    html = render_template("learner/reading.html", reading=r, sections=chosen, claims=claims, support=_SUPPORT,
                           summary=r.summary.strip() if summary else None, full_text=full)
    return Shown("\n".join(lines), html)


def reading_list() -> Shown:
    """All readings in manifest order, each with its citation and themes."""
    loaded = content()
    lines, rows = ["Readings, in the order the units use them:"], []
    for number, r in enumerate(readings(), 1):
        themes = ", ".join(loaded.themes[t].label for t in r.themes)
        lines += [f"  {number}. {r.citation}", f"     Themes: {themes}"]
        rows.append((r.citation, themes))
    return Shown("\n".join(lines), render_template("learner/reading_list.html", rows=rows))


def progress(journal=None) -> Shown:
    """Answered of total, per unit, from the learner's journal."""
    from course.learner.journal import journal as default_journal

    loaded = content()
    answers = (journal or default_journal()).answers()
    lines, rows = ["Your progress (answered of total):"], []
    for u in loaded.units:
        ids = [spec.id for spec in loaded.unit_items(u.id)]
        done = sum(1 for i in ids if i in answers)
        lines.append(f"  {u.id}: {done} of {len(ids)}")
        rows.append((u, done, len(ids)))
    return Shown("\n".join(lines), render_template("learner/progress.html", rows=rows))


def my_journal(journal=None) -> Shown:
    """Every saved answer with its item's prompt, in unit order: the learner's own record."""
    from course.learner.items import item
    from course.learner.journal import journal as default_journal

    store = journal or default_journal()
    answers = store.answers()
    loaded = content()
    lines, entries, policy = ["Your journal:"], [], None
    for u in loaded.units:
        for spec in loaded.unit_items(u.id):
            if spec.id in answers:
                shown = item(spec.id, store)
                summary = (_answer_summary(spec, shown.value) if shown.value is not None
                           else "answered in an earlier version of the module (kept; answer again to update)")
                lines.append(f"- {u.id} / {spec.id}: {summary}")
                entries.append((u.id, shown.heading(), summary))
    builder = answers.get("policy-builder")
    if builder is not None and loaded.extra.get("policy_builder"):
        areas = len(loaded.extra["policy_builder"]["areas"])
        saved = builder["value"] if isinstance(builder["value"], dict) else {}
        drafted = sum(builder_fits(loaded.extra["policy_builder"], {k: v}) for k, v in saved.items())
        lines.append(f"- policy draft: {drafted} of {areas} areas")
        policy = (drafted, areas)
    if len(lines) == 1:
        lines.append("  (nothing saved yet)")
    return Shown("\n".join(lines), render_template("learner/journal.html", entries=entries, policy=policy))


def _answer_summary(spec, value) -> str:
    if spec.type == "reflection":
        words = len(value["text"].split())
        return f"reflection of {words} words ({'shared' if value['share'] else 'private'})"
    if spec.type == "case":
        return f"{len(value)} of {len(spec.data['stages'])} stages answered"
    if spec.type in ("multiple", "ranking"):
        return ", ".join(value)
    return str(value)
