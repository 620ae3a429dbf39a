"""Export the learner's journal as Markdown, HTML or JSON: the only way anything leaves the machine.

JSON is the format a class report reads (documented by `course/schemas/export.schema.json`): it
carries a random learner code, no name unless the learner adds one, and reflection text only
where the learner opted in to share it. Markdown and HTML are the learner's own readable record.
Learner text is always escaped, so nothing a learner typed can run as script in a browser.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from course.version import __version__
from course.material.api import content
from course.atomic import atomic_write_text
from course.paths import private_dir
from course.learner.journal import Journal
from course.learner.journal import journal as default_journal

EXPORT_FORMAT = "social-media-ethics-export/1"
FORMATS = ("md", "html", "json")


def export_data(journal: Journal, name: str | None = None, include_private: bool = False) -> dict:
    """The JSON export as a dict (see export.schema.json)."""
    loaded = content()
    data = journal.read()
    answers = []
    for item_id, record in sorted(data["answers"].items()):
        spec = loaded.items.get(item_id)
        kind = spec.type if spec else ("builder" if item_id == "policy-builder" else None)
        if kind is None:
            continue  # an answer to an item this version no longer has
        value = _shareable(kind, record["value"], include_private)
        unit = spec.unit if spec else "04-policy-workshop"
        answers.append({"item": item_id, "unit": unit, "type": kind, "value": value, "saved": record.get("saved", "")})
    out = {"format": EXPORT_FORMAT, "module_version": __version__,
           "learner_code": data.get("learner_code") or journal.ensure_code(), "answers": answers}
    if name:
        out["learner_name"] = name
    return out


def _shareable(kind, value, include_private):
    if include_private:
        return value
    if kind == "reflection" and isinstance(value, dict) and not value.get("share"):
        return {"share": False, "words": len(value.get("text", "").split())}
    if kind == "reflection" and isinstance(value, dict):
        return {"share": True, "words": len(value.get("text", "").split()), "text": value.get("text", "")}
    if kind == "case" and isinstance(value, dict):
        return {stage: _shareable("reflection", v, include_private) if isinstance(v, dict) else v
                for stage, v in value.items()}
    return value


def _rows(journal: Journal):
    from course.learner.items import item

    loaded = content()
    answers = journal.answers()
    for unit in loaded.units:
        for spec in loaded.unit_items(unit.id):
            if spec.id in answers:
                yield unit, item(spec.id, journal)


def export_markdown(journal: Journal, name: str | None = None) -> str:
    module = content().module
    lines = [f"# My journal: {_md(module['title'])}", ""]
    if name:
        lines += [f"Learner: {_md(name)}", ""]
    lines += [f"Learner code: {journal.ensure_code()}  ", f"Module version: {__version__}", ""]
    current = None
    for unit, shown in _rows(journal):
        if unit is not current:
            lines += [f"## {_md(unit.title)}", ""]
            current = unit
        lines += [f"### {_md(shown.heading())}", "", "```text", shown.text().replace("```", "'''"), "```", ""]
    draft = _policy_draft(journal)
    if draft is not None:
        lines += ["## My policy draft", "", "```text", draft.text().replace("```", "'''"), "```", ""]
    return "\n".join(lines)


def _policy_draft(journal: Journal):
    """The learner's policy builder draft, if they started one and the course has a builder."""
    from course.tools.policy import JOURNAL_KEY, PolicyBuilder

    if content().extra.get("policy_builder") is None or journal.get(JOURNAL_KEY) is None:
        return None
    return PolicyBuilder(journal)


def _md(text: str) -> str:
    return escape(text, quote=False)


def export_html(journal: Journal, name: str | None = None) -> str:
    module = content().module
    parts = [f"<h1>My journal: {escape(module['title'])}</h1>"]
    if name:
        parts.append(f"<p>Learner: {escape(name)}</p>")
    parts.append(f"<p>Learner code: {escape(journal.ensure_code())}. Module version {escape(__version__)}.</p>")
    current = None
    for unit, shown in _rows(journal):
        if unit is not current:
            parts.append(f"<h2>{escape(unit.title)}</h2>")
            current = unit
        parts.append(shown.html())
    draft = _policy_draft(journal)
    if draft is not None:
        parts.append(f"<h2>My policy draft</h2>{draft.html()}")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
            f"<title>My journal</title></head><body>{''.join(parts)}</body></html>")


def export(path: Path, fmt: str, journal: Journal | None = None, name: str | None = None,
           include_private: bool = False) -> Path:
    """Write the journal to `path` in `fmt` (md, html or json); returns the path."""
    journal = journal or default_journal()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    if fmt == "json":
        text = json.dumps(export_data(journal, name, include_private), ensure_ascii=False, indent=1)
    elif fmt == "md":
        text = export_markdown(journal, name)
    else:
        text = export_html(journal, name)
    path = Path(path)
    private_dir(path.parent)  # folders it creates are 0700; the file is 0600 (atomic_write_text)
    atomic_write_text(path, text)
    return path
