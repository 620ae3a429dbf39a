"""How long each notebook takes, computed from what is in it, so the stated minutes stay honest.

A notebook's time is its reading (the words of its Markdown cells, of the digest sections and items it
shows, at the reading speed in `manifest.yaml`) plus its exercises (each item and tool it shows, at the
minutes per kind in `manifest.yaml`). Sections whose heading says "(optional)" ("Go further
(optional): ...") are counted apart, as optional time, until the next heading of the same or a higher
level. `course check` compares the core time with each unit's stated `minutes` and prints both.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass

from course.material.unitsource import parse_source
from course.problems import Problem, field_path

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_SHOWING_ITEMS = {"item", "quiz"}


@dataclass(frozen=True)
class UnitTime:
    """A unit's computed minutes: core reading and exercises, and the optional extra."""

    unit_id: str
    reading_words: int
    reading_minutes: int
    exercise_minutes: int
    optional_minutes: int

    @property
    def core_minutes(self) -> int:
        return self.reading_minutes + self.exercise_minutes


def words(text: str) -> int:
    return len(_WORD.findall(text))


def round_to(minutes: float, step: int) -> int:
    """Round up to a whole number of `step` minutes (a stated time should not undersell the work)."""
    return int(math.ceil(minutes / step - 1e-9) * step) if minutes > 0 else 0


class _Tally:
    def __init__(self):
        self.words = {"core": 0, "optional": 0}
        self.minutes = {"core": 0.0, "optional": 0.0}


def unit_time(content, unit_id: str, timing: dict) -> UnitTime:
    """The computed time of one unit's notebook, from its source in readings/units/."""
    source = (content.root / "units" / f"{unit_id}.md").read_text(encoding="utf-8")
    tally = _Tally()
    optional_level = None  # the heading level that opened an optional section, if inside one
    for kind, text in parse_source(source):
        if kind == "markdown":
            optional_level = _after_headings(text, optional_level, tally)
            continue
        part = "optional" if optional_level else "core"
        for call, args, kwargs in _calls(text):
            tally.words[part] += _shown_words(content, call, args, kwargs)
            tally.minutes[part] += _exercise_minutes(content, call, args, timing)
    speed = timing["words_per_minute"]
    step = timing.get("round_to", 5)
    return UnitTime(
        unit_id=unit_id,
        reading_words=tally.words["core"],
        reading_minutes=round_to(tally.words["core"] / speed, step),
        exercise_minutes=round_to(tally.minutes["core"], step),
        optional_minutes=round_to(tally.words["optional"] / speed + tally.minutes["optional"], step),
    )


def _after_headings(text: str, optional_level, tally: _Tally):
    """Count a Markdown cell's words where they fall, and return the optional state after it."""
    position = 0
    for match in _HEADING.finditer(text):
        tally.words["optional" if optional_level else "core"] += words(text[position:match.start()])
        level = len(match.group(1))
        if optional_level and level <= optional_level:
            optional_level = None
        if "(optional)" in match.group(2).lower():
            optional_level = optional_level or level
        position = match.start()
    tally.words["optional" if optional_level else "core"] += words(text[position:])
    return optional_level


def _calls(code: str):
    """(name, positional args, keyword args) of each call like `course.x(...)` or `alex.item(...)`."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "course":
                name = node.func.attr
            elif isinstance(owner, ast.Attribute) and owner.attr == "figures":
                name = "figure"
            else:
                continue  # an example learner's answer, or a method of a result: no new reading
            args = [_literal(a) for a in node.args]
            kwargs = {k.arg: _literal(k.value) for k in node.keywords if k.arg}
            yield name, args, kwargs


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def _shown_words(content, call: str, args, kwargs) -> int:
    if call == "show_reading" and args and args[0] in content.readings:
        reading = content.readings[args[0]]
        anchors = kwargs.get("sections")
        chosen = [s for s in reading.sections if not anchors or s.anchor in anchors]
        total = sum(words(s.text) + sum(words(c.text) for c in s.claims) for s in chosen)
        if kwargs.get("summary", True):
            total += words(reading.summary)
        return total
    if call in _SHOWING_ITEMS and args and args[0] in content.items:
        return _item_words(content.items[args[0]].data)
    return 0


def _item_words(data: dict) -> int:
    """What a learner reads before answering: prompt, options or entries, and case stages."""
    total = words(data.get("prompt", "")) + words(data.get("scenario", ""))
    for option in data.get("options", ()):
        total += words(option["text"])
    for entry in data.get("entries", ()):
        total += words(entry.get("text", ""))
    for stage in data.get("stages", ()):
        total += words(stage["text"]) + _item_words(stage["question"])
    return total


def _exercise_minutes(content, call: str, args, timing: dict) -> float:
    per_kind = timing["exercise_minutes"]
    if call in _SHOWING_ITEMS and args and args[0] in content.items:
        data = content.items[args[0]].data
        if data["type"] == "case":
            return per_kind["case_stage"] * len(data["stages"])
        return per_kind[data["type"]]
    return timing.get("tool_minutes", {}).get(call, 0)


def all_unit_times(content) -> list[UnitTime]:
    """Computed times of every unit, in manifest order (empty if the manifest gives no timing)."""
    timing = content.module.get("timing") if isinstance(content.module, dict) else None
    if not timing:
        return []
    return [unit_time(content, unit.id, timing) for unit in content.units]


def graded_levels(content) -> dict[str, int]:
    """How many graded questions (items and graded case stages) test recall, comprehension, application."""
    counts = {"recall": 0, "comprehension": 0, "application": 0, "no level": 0}
    for spec in content.items.values():
        data = spec.data
        questions = []
        if spec.type in ("single", "multiple") and data.get("graded", True) or spec.type == "ranking":
            questions = [data]
        elif spec.type == "case":
            questions = [s["question"] for s in data["stages"]
                         if s["question"]["type"] != "reflection" and s["question"].get("graded", True)]
        for question in questions:
            counts[question.get("level", "no level")] += 1
    return counts


def minute_problems(content, located, shown) -> list[Problem]:
    """A problem for each unit whose stated minutes differ from what its content takes."""
    problems = []
    index = {unit["id"]: i for i, unit in enumerate(located.data["units"])}
    for computed in all_unit_times(content):
        unit = next(u for u in content.units if u.id == computed.unit_id)
        if (unit.teaching_minutes, unit.exercise_minutes) != (computed.reading_minutes, computed.exercise_minutes):
            path = ("units", index[unit.id], "minutes")
            problems.append(Problem(shown, located.line(path),
                                    f"unit '{unit.id}' states {unit.teaching_minutes} minutes of teaching and "
                                    f"{unit.exercise_minutes} of exercises, but its content takes "
                                    f"{computed.reading_minutes} and {computed.exercise_minutes} "
                                    f"(at {content.module['timing']['words_per_minute']} words a minute); "
                                    f"state what it takes", field_path(path)))
    return problems
