"""Export the learner's journal as Markdown, HTML or JSON: the only way anything leaves the machine.

JSON is the format a class report reads (documented by `course/schemas/export.schema.json`): it
carries a random learner code, no name unless the learner adds one, and reflection text only
where the learner opted in to share it. Markdown and HTML are the learner's own readable record.
Learner text is always escaped, so nothing a learner typed can run as script in a browser.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from course.version import __version__
from course.material.api import content
from course.atomic import private_dir, write_output
from course.learner.journal import Journal
from course.learner.journal import journal as default_journal
from course.render.templates import render as render_template

EXPORT_FORMAT = "social-media-ethics-export/1"
FORMATS = ("md", "html", "json")


def export_data(journal: Journal, name: str | None = None, include_private: bool = False) -> dict:
    """The JSON export as a dict (see export.schema.json). Never raises for what the journal holds.

    An answer that no longer fits this release's content (an option key since removed, a number
    where a key is expected, a case stage that is gone) is kept and exported marked as from an
    earlier version: its value becomes `{"earlier_version": true, "module_version": <the release
    that saved it, or null>, "value": <the saved value>}`; a class report counts it as an answer
    that does not fit. In a shared export (without include_private) a value holding free text is
    exported as `"withheld": true` instead of `"value"`, since it cannot be known whether the
    learner chose to share it. An answer to an item this release no longer has is left out.
    """
    from course.learner.compat import builder_fits, fits, stage_fits

    loaded = content()
    data = journal.read()
    answers = []
    for item_id, record in sorted(data["answers"].items()):
        spec = loaded.items.get(item_id)
        builder = loaded.extra.get("policy_builder") if item_id == "policy-builder" else None
        kind = spec.type if spec else ("builder" if item_id == "policy-builder" else None)
        if kind is None:
            continue  # an answer to an item this version no longer has
        value, saved_in = record["value"], record.get("module_version")
        if kind == "case":
            value = _case_value(spec.data, value, saved_in, include_private, stage_fits)
        elif kind == "builder" and not builder_fits(builder, value):
            value = _earlier(value, saved_in, include_private)
        elif kind not in ("case", "builder") and not fits(kind, spec.data, value):
            value = _earlier(value, saved_in, include_private)
        else:
            value = _shareable(kind, value, include_private)
        unit = spec.unit if spec else "04-policy-workshop"
        answer = {"item": item_id, "unit": unit, "type": kind, "value": value}
        if isinstance(record.get("saved"), str):
            answer["saved"] = record["saved"]
        answers.append(answer)
    from course.learner.journal import valid_code

    code = data.get("learner_code")
    out = {"format": EXPORT_FORMAT, "module_version": __version__,
           "learner_code": code if valid_code(code) else journal.ensure_code(), "answers": answers}
    if name:
        out["learner_name"] = name
    return out


def _case_value(case, value, saved_in, include_private, stage_fits):
    """A case's answers stage by stage: each stage that fits is exported as usual, each that does
    not (or a stage the case no longer has) is marked as from an earlier version."""
    if type(value) is not dict:
        return _earlier(value, saved_in, include_private)
    stages = case.get("stages", ())
    out = {}
    for stage, stage_value in value.items():
        number = int(stage) if isinstance(stage, str) and stage.isdigit() and len(stage) < 4 else 0
        question = stages[number - 1]["question"] if 1 <= number <= len(stages) else None
        if question is not None and stage_fits(question, stage_value):
            out[stage] = _shareable(question["type"], stage_value, include_private)
        else:
            out[stage] = _earlier(stage_value, saved_in, include_private)
    return out


def _earlier(value, saved_in, include_private) -> dict:
    marked = {"earlier_version": True, "module_version": saved_in if isinstance(saved_in, str) else None}
    if include_private or not _has_free_text(value):
        marked["value"] = value
    else:
        marked["withheld"] = True
    return marked


def _has_free_text(value, depth=0) -> bool:
    """Whether a value may hold something the learner wrote (more than an option key or a number)."""
    if depth > 20:
        return True
    if isinstance(value, str):
        return len(value) > 32 or " " in value.strip()
    if isinstance(value, list):
        return any(_has_free_text(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(_has_free_text(k, depth + 1) or _has_free_text(v, depth + 1) for k, v in value.items())
    return False


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
    lines += [f"Learner code: {_md(journal.ensure_code())}  ", f"Module version: {_md(__version__)}", ""]
    current = None
    for unit, shown in _rows(journal):
        if unit is not current:
            lines += [f"## {_md(unit.title)}", ""]
            current = unit
        lines += [f"### {_md(shown.heading())}", "", *_code_block(shown.text()), ""]
    draft = _policy_draft(journal)
    if draft is not None:
        lines += ["## My policy draft", "", *_code_block(draft.text()), ""]
    return "\n".join(lines)


def _code_block(text: str) -> list[str]:
    """Learner text as a fenced code block it cannot close: the fence is one backtick longer than
    the longest run of backticks in the text, so the text is kept exactly and never rendered."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


def _policy_draft(journal: Journal):
    """The learner's policy builder draft, if they started one and the course has a builder."""
    from course.tools.policy import JOURNAL_KEY, PolicyBuilder

    if content().extra.get("policy_builder") is None or journal.get(JOURNAL_KEY) is None:
        return None
    return PolicyBuilder(journal)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~:])")


def _md(text) -> str:
    """Any string as Markdown inline text that renders as exactly that text, on one line.

    Always placed after a prefix on its line ("Learner: ", "## "). Line breaks become spaces (no
    heading, list or block can start), `& < >` become entities (no HTML), and the characters that
    make inline Markdown (backslash, backtick, * _ { } [ ] ( ) # ! | ~ and the colon of an autolink)
    are backslash-escaped: no image, link, emphasis, code span or table cell. Used for every
    learner string and every content string outside a code block.
    """
    text = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def export_html(journal: Journal, name: str | None = None) -> str:
    """The journal as one HTML page (template tools/export.html on the shared layout, with its CSP)."""
    from markupsafe import Markup

    units: list[tuple[str, list]] = []
    current = None
    for unit, shown in _rows(journal):
        if unit is not current:
            units.append((unit.title, []))
            current = unit
        units[-1][1].append(Markup(shown.html()))
    draft = _policy_draft(journal)
    return render_template("tools/export.html", title="My journal", module_title=content().module["title"], learner=name,
                           code=journal.ensure_code(), version=__version__, units=units,
                           draft=Markup(draft.html()) if draft is not None else None)


class ExportError(ValueError):
    """The export cannot be written as asked; the message says why, in words."""


MAX_NAME = 200  # export.schema.json: learner_name maxLength


def render(fmt: str, journal: Journal | None = None, name: str | None = None,
           include_private: bool = False) -> str:
    """The export's text in `fmt` (md, html or json). A JSON export is checked against
    export.schema.json first, so nothing is handed over that the class report would skip."""
    journal = journal or default_journal()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    if name is not None and len(name) > MAX_NAME:
        raise ExportError(f"your name has {len(name):,} characters; an export may carry at most {MAX_NAME} "
                          "(the class report would skip the file). Use a shorter name, or leave --name out. "
                          "Nothing was written.")
    if fmt == "json":
        data = export_data(journal, name, include_private)
        _check_schema(data)
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "md":
        return export_markdown(journal, name)
    return export_html(journal, name)


def _check_schema(data: dict) -> None:
    from jsonschema.exceptions import best_match

    from course.material.schema import _validators
    from course.problems import printable

    error = best_match(_validators()["export"].iter_errors(data))
    if error is None:
        return
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    raise ExportError(printable(f"this export does not match its own format ({where or 'top level'}: "
                                f"{error.message}), so the class report would skip it. Nothing was written.", 400))


def export(path: Path, fmt: str, journal: Journal | None = None, name: str | None = None,
           include_private: bool = False, replace: bool = True) -> Path:
    """Write the journal to `path` in `fmt` (md, html or json); returns the path.

    Only a regular file is replaced (and only with `replace=True`, the default here, so that a
    notebook cell can be run again); a symlink, folder, device or pipe is refused with
    `course.atomic.OutputRefused`. The file is readable by its owner only.
    """
    text = render(fmt, journal, name, include_private)
    path = Path(path)
    private_dir(path.parent)  # folders it creates are 0700; the file is 0600
    write_output(path, text.encode("utf-8"), replace=replace)
    return path
