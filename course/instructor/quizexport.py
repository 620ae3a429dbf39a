"""Export the course's questions for other platforms: Moodle (GIFT), Canvas (QTI 1.2) and jupyterquiz.

Only what another platform can grade or collect travels: graded single and multiple choice
questions with every option's feedback, reflections as essays with the model answer as general
feedback, and each stage of a case as its own question (the stage text comes before the prompt).
Stance scales and rankings have no counterpart, and ungraded choice questions would be marked right or
wrong by the other platform although the course treats every option as a defensible position, so they
are skipped and counted. Feedback keeps its sources: the citation labels are appended in brackets.

`python -m course quiz-export --format gift|qti|jupyterquiz -o FILE|- [--force] [--unit UNIT]` calls `run`.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from course.atomic import atomic_write_bytes

FORMATS = ("gift", "qti", "jupyterquiz")
CATEGORY_ROOT = "social-media-ethics"
QUIZ_TITLE = "Social media ethics for medical students"


# -- a neutral question, shared by every format ------------------------------------------------

@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str  # with the citation labels appended


@dataclass(frozen=True)
class Question:
    """One exportable question: an item, or one stage of a case."""

    id: str  # the item id; a case stage is "<case-id>-stage-N"
    unit: str
    kind: str  # single | multiple | essay
    title: str  # the item id, or "<case title> – stage N"
    text: str  # paragraphs separated by a blank line
    options: tuple[Option, ...] = ()
    general_feedback: str = ""  # essays: the model answer, with its sources
    stage: int = 0  # the stage number when the question is one stage of a case


@dataclass
class ExportSummary:
    """What one export wrote and what it left out, by kind."""

    path: Path
    format: str
    exported: int
    skipped: dict[str, int] = field(default_factory=dict)
    exported_by_kind: dict[str, int] = field(default_factory=dict)  # single | multiple | essay

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def line(self, where: str | None = None) -> str:
        """The summary line; `where` is what `course.atomic.emit` says of the destination (default: the path)."""
        noun = "question" if self.exported == 1 else "questions"
        text = f"quiz-export: wrote {self.exported} {noun} to {where or self.path}"
        if self.skipped:
            text += f" (skipped: {_skipped_text(self.skipped)})"
        return text


def _skipped_text(skipped: dict[str, int]) -> str:
    ordered = sorted(skipped.items(), key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(f"{count} {kind}" for kind, count in ordered)


def _cited(text: str, cites) -> str:
    """`text` with its sources' labels appended in brackets, so the citation survives the export."""
    from course.material.api import content

    cite_label = content().cite_label
    labels: list[str] = []
    for citation in cites or ():
        label = cite_label(citation)
        if label not in labels:
            labels.append(label)
    text = " ".join(text.split())
    if not labels:
        return text
    word = "Source" if len(labels) == 1 else "Sources"
    return f"{text} ({word}: {'; '.join(labels)})"


def _paragraphs(*texts: str) -> str:
    """Join texts as paragraphs, each with its inner whitespace collapsed to single spaces."""
    out = []
    for text in texts:
        out.extend(" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip())
    return "\n\n".join(out)


def collect(specs, *, essays: bool = True) -> tuple[list[Question], Counter]:
    """The exportable questions among `specs` (ItemSpecs) and a count of what was skipped, by kind."""
    questions: list[Question] = []
    skipped: Counter = Counter()

    def add(qid, unit, title, question, text_before=(), stage=0):
        kind = question["type"]
        prompt = _paragraphs(*text_before, question["prompt"])
        if kind == "reflection":
            if not essays:
                skipped["reflection"] += 1
                return
            answer = question["model_answer"]
            questions.append(Question(qid, unit, "essay", title, prompt,
                                      general_feedback=_cited(answer["text"], answer["cite"]), stage=stage))
            return
        if not question.get("graded", True):
            skipped[f"ungraded {kind}"] += 1
            return
        options = tuple(Option(" ".join(o["text"].split()), bool(o.get("correct", False)),
                               _cited(o["feedback"], o["cite"])) for o in question["options"])
        questions.append(Question(qid, unit, kind, title, prompt, options, stage=stage))

    for spec in specs:
        data = spec.data
        if spec.type in ("single", "multiple", "reflection"):
            add(spec.id, spec.unit, spec.id, data)
        elif spec.type == "case":
            for number, stage in enumerate(data["stages"], start=1):
                title = f"{' '.join(data['title'].split())} \u2013 stage {number}"
                add(f"{spec.id}-stage-{number}", spec.unit, title, stage["question"], (stage["text"],), number)
        else:  # stance, ranking: no counterpart on other platforms
            skipped[spec.type] += 1
    return questions, skipped


# -- GIFT (Moodle) --------------------------------------------------------------------------------

_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Plain text as GIFT that Moodle shows as exactly that text.

    Moodle renders GIFT question text, answers and feedback as HTML, so `& < >` become named
    entities first (never numeric ones: their `#` is GIFT's feedback marker); then GIFT's own
    special characters (~ = # { } : and backslash) are backslash-escaped; paragraphs become `\\n\\n`.
    """
    escaped = _GIFT_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return escaped.replace("\r\n", "\n").replace("\n", r"\n")


def _weight(value: float) -> str:
    """A GIFT percentage weight; 100/n (n <= 10) is one of the grades Moodle accepts."""
    rounded = round(value, 5)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.5f}"


def _gift_question(q: Question) -> str:
    head = f"// {q.id}\n::{gift_escape(q.title)}::{gift_escape(q.text)}"
    if q.kind == "essay":
        return f"{head} {{####{gift_escape(q.general_feedback)}}}"
    lines = [head + " {"]
    if q.kind == "single":
        for option in q.options:
            sign = "=" if option.correct else "~"
            lines.append(f"\t{sign}{gift_escape(option.text)} #{gift_escape(option.feedback)}")
    else:
        right = [o for o in q.options if o.correct]
        wrong = [o for o in q.options if not o.correct]
        for option in q.options:
            share = 100 / len(right) if option.correct else -100 / len(wrong)
            lines.append(f"\t~%{_weight(share)}%{gift_escape(option.text)} #{gift_escape(option.feedback)}")
    lines.append("}")
    return "\n".join(lines)


def to_gift(specs) -> str:
    """The GIFT text for `specs`: one `$CATEGORY` per unit, a blank line between questions."""
    questions, _ = collect(specs)
    blocks, unit = [], None
    for q in questions:
        if q.unit != unit:
            unit = q.unit
            blocks.append(f"$CATEGORY: {CATEGORY_ROOT}/{unit}")
        blocks.append(_gift_question(q))
    return "\n\n".join(blocks) + "\n" if blocks else ""


# -- jupyterquiz ----------------------------------------------------------------------------------

def jq_escape(text: str) -> str:
    """jupyterquiz puts text into HTML and turns `$` into maths: escape both, keep paragraphs.

    The result is an HTML fragment, so it comes from a template (instructor/jupyterquiz.html).
    """
    from course.render.templates import render_macro

    return render_macro("instructor/jupyterquiz.html", "text", text.split("\n\n"))


def to_jupyterquiz(specs) -> list[dict]:
    """A jupyterquiz question list (its mc_schema): reflections cannot be expressed and are skipped."""
    questions, _ = collect(specs, essays=False)
    out = []
    for q in questions:
        text = f"{q.title}\n\n{q.text}" if q.stage else q.text  # a stage says which case it belongs to
        out.append({
            "question": jq_escape(text),
            "type": "multiple_choice" if q.kind == "single" else "many_choice",
            "answers": [{"answer": jq_escape(o.text), "correct": o.correct, "feedback": jq_escape(o.feedback)}
                        for o in q.options],
        })
    return out


# -- QTI 1.2 (Canvas), through text2qti -----------------------------------------------------------

_MD_ESCAPABLE = set("\\`*_{}[]()>#+-.!\"'|$")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", "~": "&#126;", ":": "&#58;"}


def md_escape(text: str) -> str:
    """Plain text as text2qti Markdown that renders to exactly that text (no lists, maths, HTML, links)."""
    out = []
    for char in text:
        if char in _MD_ESCAPABLE:
            out.append("\\" + char)
        else:
            out.append(_MD_ENTITIES.get(char, char))
    return "".join(out)


def _t2q_block(marker: str, text: str) -> list[str]:
    """A text2qti entry: `marker text`, with further paragraphs indented to line up with the text."""
    paragraphs = [md_escape(p) for p in text.split("\n\n")]
    indent = " " * (len(marker) + 1)
    lines = [f"{marker} {paragraphs[0]}"]
    for paragraph in paragraphs[1:]:
        lines.extend(["", indent + paragraph])
    return lines


def to_text2qti(specs, title: str = QUIZ_TITLE) -> tuple[str, int]:
    """text2qti's plain-text quiz for `specs`, and the number of questions in it."""
    questions, _ = collect(specs)
    lines = [f"Quiz title: {' '.join(title.split())}", "Shuffle answers: false", ""]  # titles are not Markdown
    for number, q in enumerate(questions, start=1):
        lines.append(f"Title: {q.title}")
        lines.extend(_t2q_block(f"{number}.", q.text))
        if q.kind == "essay":
            lines.extend(_t2q_block("...", q.general_feedback))
            lines.append("____")
        else:
            for key, option in zip("abcdefghijklmnopqrstuvwxyz", q.options):
                if q.kind == "single":
                    marker = f"*{key})" if option.correct else f"{key})"
                else:
                    marker = "[*]" if option.correct else "[ ]"
                lines.extend(_t2q_block(marker, option.text))
                lines.extend(_t2q_block("...", option.feedback))
        lines.append("")
    return "\n".join(lines), len(questions)


def to_qti(specs, path, title: str = QUIZ_TITLE) -> int:
    """Write a Canvas-importable QTI 1.2 zip of `specs` to `path`; returns the number of questions."""
    data, count = qti_zip(specs, title)
    atomic_write_bytes(Path(path), data)
    return count


def qti_zip(specs, title: str = QUIZ_TITLE) -> tuple[bytes, int]:
    """A Canvas-importable QTI 1.2 zip of `specs`, as bytes, and the number of questions in it."""
    try:
        from text2qti.config import Config
        from text2qti.err import Text2qtiError
        from text2qti.qti import QTI
        from text2qti.quiz import Quiz
    except ImportError:
        raise ValueError("QTI export needs text2qti: pip install 'social-media-ethics-course[instructor]'") from None

    text, count = to_text2qti(specs, title)
    try:
        # A fresh Config, never Config.load(): that would read or create ~/.text2qti.bespon.
        quiz = Quiz(text, config=Config(), source_name="course quiz export")
        data = QTI(quiz).zip_bytes()
    except Text2qtiError as exc:  # our generator produced something text2qti rejects: a bug here
        raise ValueError(f"text2qti rejected the generated quiz: {exc}") from exc
    return data, count


# -- export and command line --------------------------------------------------------------------

def _specs(unit: str | None):
    from course.material.api import content
    from course.material.api import unit as find_unit

    loaded = content()
    units = [find_unit(unit)] if unit else list(loaded.units)
    return [spec for u in units for spec in loaded.unit_items(u.id)], units


def build(fmt: str, unit: str | None = None, path="-") -> tuple[bytes, ExportSummary]:
    """The course's questions (or one unit's) in `fmt`, as bytes, and what they hold and leave out."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    specs, units = _specs(unit)
    questions, skipped = collect(specs, essays=fmt != "jupyterquiz")
    if fmt == "gift":
        data = to_gift(specs).encode("utf-8")
    elif fmt == "jupyterquiz":
        data = (json.dumps(to_jupyterquiz(specs), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data, _ = qti_zip(specs, f"{QUIZ_TITLE}: {units[0].title}" if unit else QUIZ_TITLE)
    summary = ExportSummary(Path(path), fmt, len(questions), dict(skipped), dict(Counter(q.kind for q in questions)))
    return data, summary


def export(path, fmt: str, unit: str | None = None) -> ExportSummary:
    """Write the course's questions (or one unit's) to `path` in `fmt`; say what was written and skipped."""
    data, summary = build(fmt, unit, path)
    atomic_write_bytes(Path(path), data)
    return summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="gift",
                        help="gift (Moodle), qti (Canvas QTI 1.2 zip) or jupyterquiz (JSON); default gift")
    parser.add_argument("-o", "--output", required=True,
                        help="file to write, or - for standard output (gift and jupyterquiz); "
                             "an existing file is kept unless --force")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists (a regular file only)")
    parser.add_argument("--unit", help="only this unit (id or number, e.g. 01)")


def run(args) -> int:
    from course.atomic import STANDARD_OUTPUT, emit
    from course.problems import ContentError

    if args.output == STANDARD_OUTPUT and args.format == "qti":
        print("quiz-export: a QTI export is a zip file; name a file to write it to (-o quiz.zip)", file=sys.stderr)
        return 1
    try:
        data, summary = build(args.format, args.unit, args.output)
    except (KeyError, ValueError, ContentError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"quiz-export: {message}", file=sys.stderr)
        return 1
    try:
        done = emit(args.output, data, replace=args.force, text=args.format != "qti")
    except BrokenPipeError:
        raise  # `python -m course` stops quietly
    except OSError as exc:
        print(f"quiz-export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # OutputRefused: its message says why
        print(f"quiz-export: {exc}", file=sys.stderr)
        return 1
    # on standard output the questions go alone: the summary goes to standard error
    print(summary.line(str(done)), file=sys.stderr if args.output == STANDARD_OUTPUT else sys.stdout)
    return 0
