"""Import a jupyterquiz question bank (JSON) into the course's item format (an items/<unit>.yaml bank).

`python -m course quiz-import FILE --unit UNIT --prefix PREFIX --cite CITATION -o OUT.yaml|- [--force]` calls `run`.

A `multiple_choice` question becomes a graded `single` item (it needs exactly one correct answer),
`many_choice` a graded `multiple` item; numeric and string questions have no counterpart and are
skipped. Every option cites CITATION, because every option's feedback must cite its source; an
answer without feedback gets a placeholder that `check` accepts but an author must replace. The
written bank is validated against items.schema.json before it is written; `python -m course check`
then proves that the citation resolves once the items are merged into the unit's file.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import dataclass, field

import yaml

from course.problems import printable

PLACEHOLDER_FEEDBACK = "Imported without feedback: explain why."
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CITATION_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(#[a-z0-9]+(-[a-z0-9]+)*)?$")
KEYS = "abcdefghijklmnopqrstuvwxyz"
MAX_OPTIONS = 8  # items.schema.json: options 2-8
MAX_INPUT_BYTES = 2 * 1024 * 1024  # a bank is text; more than this is a mistake (or an attack)
MAX_QUESTIONS = 500  # a unit's bank holds tens; the written bank must also fit check's 512 KB limit
# Characters that must not reach an item (nor a terminal, nor the GIFT file): C0 and C1 controls
# (tab, line feed and carriage return are whitespace and collapse to spaces), DEL, zero-width
# and direction marks, bidi embeddings, overrides and isolates, the BOM, and lone surrogates.
_FORBIDDEN = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f"
                        "\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]")
_TAG = re.compile(r"<[^>]+>")
_MATHS = re.compile(r"\$[^$]+\$")
_BREAKS = re.compile(r"(?:\s*<br\s*/?>\s*){2,}|\s*</p>\s*<p>\s*", re.IGNORECASE)


class QuizImportError(ValueError):
    """The bank cannot be imported at all (not JSON, wrong shape, a question without answers)."""


@dataclass
class ImportReport:
    """What an import did besides converting: questions skipped and answers lacking feedback."""

    imported: int = 0
    skipped: list[str] = field(default_factory=list)  # one message per skipped question
    notes: list[str] = field(default_factory=list)  # things an author should look at
    missing_feedback: int = 0  # answers given the placeholder feedback


def load_bank(text: str) -> list[tuple[str, dict]]:
    """Parse a jupyterquiz bank: a JSON list of questions, a dict of them, or one question.

    Returns (label, question) pairs, where the label says where the question was ("question 3" or
    "question 'intro'"). Raises QuizImportError for anything that is not such a bank, or one over
    MAX_INPUT_BYTES or MAX_QUESTIONS.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_INPUT_BYTES:
        raise QuizImportError(f"the bank is {size:,} bytes; a bank may be at most {MAX_INPUT_BYTES:,} bytes "
                              "(split it into smaller files)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuizImportError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise QuizImportError("not valid JSON: nested too deeply") from None
    return _questions(data)


def _questions(data) -> list[tuple[str, dict]]:
    if isinstance(data, dict) and "question" in data and "answers" in data:
        pairs = [("question 1", data)]
    elif isinstance(data, dict):
        pairs = [(f"question '{printable(key, 80)}'", value) for key, value in data.items()]
    elif isinstance(data, list):
        pairs = [(f"question {index}", value) for index, value in enumerate(data, start=1)]
    else:
        raise QuizImportError("a jupyterquiz bank must be a JSON list of questions (or an object of them), "
                              f"not {_json_type(data)}")
    if not pairs:
        raise QuizImportError("the bank has no questions")
    if len(pairs) > MAX_QUESTIONS:
        raise QuizImportError(f"the bank has {len(pairs):,} questions; one import may hold at most "
                              f"{MAX_QUESTIONS} (split it into smaller files, one per unit or topic)")
    for label, question in pairs:
        if not isinstance(question, dict):
            raise QuizImportError(f"{label} must be an object with 'question', 'type' and 'answers', "
                                  f"not {_json_type(question)}")
        for name, kind in (("question", str), ("type", str)):
            if not isinstance(question.get(name), kind):
                raise QuizImportError(f"{label} needs '{name}' as text")
        answers = question.get("answers")
        if not isinstance(answers, list) or not answers:
            raise QuizImportError(f"{label} has no answers (it needs a non-empty 'answers' list)")
        if not all(isinstance(answer, dict) for answer in answers):
            raise QuizImportError(f"{label}: every answer must be an object")
    return pairs


def _json_type(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}.get(
        type(value), "a number")


def _plain(value) -> str:
    """jupyterquiz text is HTML: paragraph breaks become blank lines, entities are undone, whitespace
    collapsed; other tags are kept (and reported)."""
    if not isinstance(value, str):
        return ""
    paragraphs = (" ".join(html.unescape(part).split()) for part in _BREAKS.split(value))
    return "\n\n".join(p for p in paragraphs if p)


def from_jupyterquiz(data, unit: str, prefix: str, cite: str, report: ImportReport | None = None) -> dict:
    """An item bank `{"unit": unit, "items": [...]}` from jupyterquiz questions (a list, a dict, or JSON text).

    Items are numbered by their position in the bank: `<prefix>-q1`, `<prefix>-q2`, ... (a skipped
    question keeps its number unused, so ids stay stable when it is fixed later). `report`, if given,
    collects what was skipped and what needs an author's attention.
    """
    report = report if report is not None else ImportReport()
    for name, value, pattern in (("unit", unit, ID_PATTERN), ("prefix", prefix, ID_PATTERN),
                                 ("citation", cite, CITATION_PATTERN)):
        if not isinstance(value, str) or not pattern.match(value):
            raise QuizImportError(f"{name} {value!r} is not valid: use lowercase letters, digits and single hyphens"
                                  + (" (optionally '#anchor')" if name == "citation" else ""))
    pairs = load_bank(data) if isinstance(data, str) else _questions(data)
    if len(f"{prefix}-q{len(pairs)}") > 64:
        raise QuizImportError(f"prefix '{prefix}' is too long: item ids may have at most 64 characters")
    items = []
    for number, (label, question) in enumerate(pairs, start=1):
        kind = question["type"]
        if kind not in ("multiple_choice", "many_choice"):
            report.skipped.append(f"{label}: type '{kind}' has no counterpart in the course (skipped)")
            continue
        prompt = _plain(question["question"])
        if not prompt:
            report.skipped.append(f"{label}: the question text is empty (skipped)")
            continue
        answers = question["answers"]
        if not 2 <= len(answers) <= MAX_OPTIONS:
            report.skipped.append(f"{label}: has {len(answers)} answers; an item needs 2 to {MAX_OPTIONS} (skipped)")
            continue
        texts = [_plain(answer.get("answer")) for answer in answers]
        if not all(texts):
            report.skipped.append(f"{label}: an answer has no text (code-only answers cannot be imported; skipped)")
            continue
        forbidden = _forbidden_character(question["question"], answers)
        if forbidden:
            report.skipped.append(f"{label}: {forbidden} (skipped)")
            continue
        if not all(isinstance(answer.get("correct"), bool) for answer in answers):
            report.skipped.append(f"{label}: every answer needs 'correct': true or false (skipped)")
            continue
        correct = [answer["correct"] for answer in answers]
        if kind == "multiple_choice" and sum(correct) != 1:
            report.skipped.append(f"{label}: a multiple_choice question needs exactly one correct answer, "
                                  f"this one has {sum(correct)} (skipped)")
            continue
        options = []
        for key, text, right, answer in zip(KEYS, texts, correct, answers):
            feedback = _plain(answer.get("feedback"))
            if not feedback:
                feedback = PLACEHOLDER_FEEDBACK
                report.missing_feedback += 1
            options.append({"key": key, "text": text, "correct": right, "feedback": feedback, "cite": [cite]})
        if any(_TAG.search(t) or _MATHS.search(t) for t in [prompt, *texts]):
            report.notes.append(f"{label}: contains HTML tags or $...$ maths, which the course shows as plain text")
        items.append({"id": f"{prefix}-q{number}", "type": "single" if kind == "multiple_choice" else "multiple",
                      "prompt": prompt, "options": options})
        report.imported += 1
    return {"unit": unit, "items": items}


def _forbidden_character(question_text, answers) -> str | None:
    """Why a question's text cannot be imported because of an invisible or control character."""
    fields = [("the question text", question_text)]
    for number, answer in enumerate(answers, start=1):
        fields += [(f"answer {number}", answer.get("answer")), (f"the feedback of answer {number}", answer.get("feedback"))]
    for where, value in fields:
        match = _FORBIDDEN.search(value) if isinstance(value, str) else None
        if match:
            code = ord(match.group())
            return (f"{where} contains the invisible or control character U+{code:04X} "
                    f"({_char_name(code)}); remove it and import again")
    return None


def _char_name(code: int) -> str:
    import unicodedata

    names = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}
    if code in names:
        return names[code]
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate, not a character"
    return unicodedata.name(chr(code), "a control character").lower()


def bank_yaml(bank: dict) -> str:
    """The bank as YAML in the project's style."""
    return yaml.safe_dump(bank, sort_keys=False, allow_unicode=True, width=110)


def schema_problems(text: str, shown: str) -> list:
    """The schema problems of an items file's text (empty when it passes items.schema.json)."""
    from course.material.schema import validate
    from course.material.sourcefile import parse_yaml

    problems: list = []
    located = parse_yaml(text, shown, problems)
    if located is not None:
        problems.extend(validate("items", located, shown))
    return problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="jupyterquiz JSON bank to import")
    parser.add_argument("--unit", required=True, help="unit id the items belong to, e.g. 01-benefits")
    parser.add_argument("--prefix", required=True, help="item id prefix; items become PREFIX-q1, PREFIX-q2, ...")
    parser.add_argument("--cite", required=True, help="citation every option cites, e.g. 'reference-id#anchor'")
    parser.add_argument("-o", "--output", required=True,
                        help="items YAML file to write, or - for standard output; an existing file (say, a unit's "
                             "items file in readings/) is kept unless --force")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists (a regular file only)")


def run(args) -> int:
    from course.atomic import STANDARD_OUTPUT, OutputRefused, emit

    def fail(message: str) -> int:
        print(f"quiz-import: {printable(message)}", file=sys.stderr)
        return 1

    try:
        with open(args.file, "rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}")
    if len(raw) > MAX_INPUT_BYTES:
        return fail(f"{args.file}: a bank may be at most {MAX_INPUT_BYTES:,} bytes (split it into smaller files)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(f"{args.file}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})")
    report = ImportReport()
    try:
        bank = from_jupyterquiz(text, args.unit, args.prefix, args.cite, report)
    except QuizImportError as exc:
        return fail(f"{args.file}: {exc}")
    for message in report.skipped + report.notes:
        print(f"quiz-import: {printable(message)}", file=sys.stderr)
    if not bank["items"]:
        return fail(f"{args.file}: no question could be imported; nothing written")
    out_text = bank_yaml(bank)
    from course.material.sourcefile import MAX_BYTES

    size = len(out_text.encode("utf-8"))
    if size > MAX_BYTES:
        return fail(f"the imported bank would be {size:,} bytes; content files may be at most {MAX_BYTES:,}, "
                    "so `course check` would reject it. Nothing written: import fewer questions at a time")
    problems = schema_problems(out_text, str(args.output))
    if problems:  # a bug in this importer: never write a bank that check would reject
        return fail("the imported bank does not pass items.schema.json; nothing written:\n"
                    + "\n".join(str(p) for p in problems))
    try:
        done = emit(args.output, out_text.encode("utf-8"), replace=args.force)
    except BrokenPipeError:
        raise  # `python -m course` stops quietly
    except OutputRefused as exc:
        return fail(f"{exc}; nothing written")
    except OSError as exc:
        return fail(f"cannot write {args.output}: {exc.strerror or exc}")
    line = f"quiz-import: wrote {_count(report.imported, 'item')} to {done}"
    extras = []
    if report.skipped:
        extras.append(f"skipped {_count(len(report.skipped), 'question')}")
    if report.missing_feedback:
        extras.append(f"{_count(report.missing_feedback, 'answer')} without feedback: "
                      f"replace '{PLACEHOLDER_FEEDBACK}'")
    print(line + (f" ({'; '.join(extras)})" if extras else ""),
          file=sys.stderr if args.output == STANDARD_OUTPUT else sys.stdout)  # the YAML goes alone
    _check_references(args.unit, args.cite)
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _check_references(unit: str, cite: str) -> None:
    """Warn early when the unit or the citation would fail `python -m course check`."""
    try:
        from course.material.api import content

        loaded = content()
    except Exception:  # noqa: BLE001 - the course's own content is broken; check will say so
        return
    if unit not in {u.id for u in loaded.units}:
        print(f"quiz-import: note: unit '{unit}' is not in manifest.yaml", file=sys.stderr)
    try:
        loaded.resolve(cite)
    except (KeyError, ValueError):
        print(f"quiz-import: note: citation '{cite}' does not resolve in the course content; "
              "add the reference before merging", file=sys.stderr)
