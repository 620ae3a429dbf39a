"""What notebook cells show that is not an item: unit headers, key points, readings, progress.

Every object here renders as `text/plain` (deterministic, for nbval and terminals) and
`text/html` (for JupyterLab and static viewers). The words come from readings/; this module
only arranges them.
"""

from __future__ import annotations

from html import escape

from course import render
from course.material.model import plain
from course.material.api import content, reading, readings, unit


class Shown:
    """Something a cell displays, with a plain-text and an HTML form."""

    def __init__(self, text: str, html: str):
        self.text, self.html = text, html

    def __repr__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "text/html": self.html}


def _list_html(items) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


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
    html = (f'<div class="course-header"><p><strong>Question:</strong> {escape(u.question)}</p>'
            f"<p><strong>Time:</strong> about {u.minutes} minutes ({u.teaching_minutes} reading, "
            f"{u.exercise_minutes} exercises)</p>"
            f"<p><strong>By the end you will be able to:</strong></p>{_list_html(u.objectives)}"
            f"<p><strong>Before you start:</strong></p>{_list_html(u.prerequisites)}"
            + (f"<p><strong>Readings:</strong></p>{_list_html(titles)}" if titles else "") + "</div>")
    return Shown(text, html)


def key_points(unit_id: str) -> Shown:
    """The closing of a unit's notebook: what to take away."""
    u = unit(unit_id)
    text = "\n".join(["Key points:"] + [f"  - {p}" for p in u.key_points])
    return Shown(text, f"<p><strong>Key points</strong></p>{_list_html(u.key_points)}")


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
    parts = [f"<p><em>{escape(r.author)}. {escape(r.venue)}, {escape(r.date)}.</em></p>"]
    if summary:
        lines.append(f"Summary: {r.summary.strip()}")
        parts.append(f"<p><strong>Summary.</strong> {escape(r.summary.strip())}</p>")
    for s in chosen:
        lines += [f"\u00a7 {s.title} [{s.citation}]", render.indent(s.text.strip(), "  ")]
        body = render.paragraphs_html(s.text)
        if claims and s.claims:
            lines.append("  Claims:")
            lines += [f"    - [{c.support}] {c.text}" for c in s.claims]
            body += "<ul>" + "".join(
                f'<li><span class="course-claim-{c.support}"><strong>{escape(c.support.title())}</strong>'
                f" ({escape(_SUPPORT[c.support])})</span>: {escape(c.text)}</li>" for c in s.claims) + "</ul>"
        parts.append(f'<details open><summary id="{escape(s.citation)}"><strong>{escape(s.title)}</strong> '
                     f"<small>[{escape(s.citation)}]</small></summary>{body}</details>")
    full = r.full_text
    if full is not None:
        lines.append("(The full text is available from your instructor's course pack.)")
        parts.append(f"<details><summary>Full text (instructor's course pack)</summary>"
                     f"<pre style='white-space:pre-wrap'>{escape(full)}</pre></details>")
    html = f'<section class="course-reading" aria-label="{escape(r.title)}"><h3>{escape(r.title)}</h3>{"".join(parts)}</section>'
    return Shown("\n".join(lines), html)


def reading_list() -> Shown:
    """All readings in manifest order, each with its citation and themes."""
    loaded = content()
    lines, rows = ["Readings, in the order the units use them:"], []
    for number, r in enumerate(readings(), 1):
        themes = ", ".join(loaded.themes[t].label for t in r.themes)
        lines += [f"  {number}. {r.citation}", f"     Themes: {themes}"]
        rows.append(f"<li>{escape(r.citation)}<br><small>Themes: {escape(themes)}</small></li>")
    return Shown("\n".join(lines), f"<ol>{''.join(rows)}</ol>")


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
        rows.append(f"<tr><th scope='row'>{escape(u.id)}: {escape(u.title)}</th><td>{done} of {len(ids)}</td>"
                    f"<td><progress value='{done}' max='{max(len(ids), 1)}' aria-label='{escape(u.id)} progress'>"
                    f"{done} of {len(ids)}</progress></td></tr>")
    html = ("<table><thead><tr><th scope='col'>Unit</th><th scope='col'>Answered</th><th scope='col'></th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")
    return Shown("\n".join(lines), html)


def my_journal(journal=None) -> Shown:
    """Every saved answer with its item's prompt, in unit order: the learner's own record."""
    from course.learner.items import item
    from course.learner.journal import journal as default_journal

    store = journal or default_journal()
    answers = store.answers()
    loaded = content()
    lines, parts = ["Your journal:"], []
    for u in loaded.units:
        for spec in loaded.unit_items(u.id):
            if spec.id in answers:
                shown = item(spec.id, store)
                lines.append(f"- {u.id} / {spec.id}: {_answer_summary(spec, answers[spec.id]['value'])}")
                parts.append(f"<li><strong>{escape(u.id)}</strong> \u2014 {escape(shown.heading())}: "
                             f"{escape(_answer_summary(spec, answers[spec.id]['value']))}</li>")
    builder = answers.get("policy-builder")
    if builder is not None and loaded.extra.get("policy_builder"):
        areas = len(loaded.extra["policy_builder"]["areas"])
        lines.append(f"- policy draft: {len(builder['value'])} of {areas} areas")
        parts.append(f"<li><strong>Policy draft</strong>: {len(builder['value'])} of {areas} areas</li>")
    if len(lines) == 1:
        lines.append("  (nothing saved yet)")
    return Shown("\n".join(lines), f"<ul>{''.join(parts)}</ul>" if parts else "<p>Nothing saved yet.</p>")


def _answer_summary(spec, value) -> str:
    if spec.type == "reflection":
        words = len(value["text"].split())
        return f"reflection of {words} words ({'shared' if value['share'] else 'private'})"
    if spec.type == "case":
        return f"{len(value)} of {len(spec.data['stages'])} stages answered"
    if spec.type in ("multiple", "ranking"):
        return ", ".join(value)
    return str(value)
