"""The typed, immutable objects that course content loads into.

Everything here is a frozen dataclass built once by `course.content` from the files in readings/.
Readings and references share one citation namespace: `"<id>#<anchor>"` resolves to a `Section`
of a digest or a `Point` of a reference.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

FULLTEXT_ENV = "COURSE_FULLTEXT_DIR"
"""Environment variable naming an instructor's folder of full source texts, one `<reading-id>.txt` each."""


STATUS_NOTE = {"verified": "", "secondary": " [reported in secondary sources]", "unverified": " [unverified]"}
"""What a citation label adds after a reference, so that a learner sees what is reported, not verified."""

_NOTE = re.compile(r"\s*\([^()]*\)$")


def plain(text: str) -> str:
    """Drop a trailing editorial note in brackets: 'Title (untitled in our copy)' -> 'Title'."""
    text = _NOTE.sub("", text).strip() or text
    return re.sub(r'"([^"]*)"', "\u2018\\1\u2019", text)


@dataclass(frozen=True)
class Claim:
    """One claim a section of a source text makes, and what support the text gives for it."""

    support: str  # assertion | anecdote | example | evidence
    text: str


@dataclass(frozen=True)
class Section:
    """One part of a digest, citable as `reading-id#anchor`."""

    reading_id: str
    anchor: str
    title: str
    text: str
    claims: tuple[Claim, ...] = ()

    @property
    def citation(self) -> str:
        return f"{self.reading_id}#{self.anchor}"


@dataclass(frozen=True)
class Position:
    """A writer's stance on named or anonymous writing, with the reasons they give."""

    who: str
    section: str
    identity: str  # named | semi-anonymous | anonymous | undeclared
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """The project's digest of one source text: citation metadata, summary and sections."""

    id: str
    title: str
    author: str
    venue: str
    date: str
    kind: str
    themes: tuple[str, ...]
    summary: str
    sections: tuple[Section, ...]
    positions: tuple[Position, ...] = ()
    source_file: str = field(default="", compare=False)

    def section(self, anchor: str) -> Section:
        """The section with this anchor; KeyError naming the anchors that exist otherwise."""
        for section in self.sections:
            if section.anchor == anchor:
                return section
        known = ", ".join(s.anchor for s in self.sections)
        raise KeyError(f"reading '{self.id}' has no section '{anchor}' (sections: {known})")

    @property
    def citation(self) -> str:
        """Author, title, venue and date, as a reference-list line."""
        title = plain(self.title).rstrip(".")
        end = "" if title[-1:] in "?!" else "."
        return f"{self.author}. \u201c{title}{end}\u201d {self.venue}, {self.date}."

    @property
    def full_text(self) -> str | None:
        """The instructor-supplied full text from $COURSE_FULLTEXT_DIR/<id>.txt, or None.

        Full texts are third-party writing and are never shipped with the module.
        """
        folder = os.environ.get(FULLTEXT_ENV)
        if not folder:
            return None
        for suffix in (".txt", ".md"):
            path = Path(folder) / f"{self.id}{suffix}"
            if path.is_file():
                return path.read_text(encoding="utf-8", errors="replace")
        return None


@dataclass(frozen=True)
class Point:
    """One checkable point of a reference, citable as `reference-id#anchor`."""

    reference_id: str
    anchor: str
    text: str
    status: str  # verified | secondary | unverified

    @property
    def citation(self) -> str:
        return f"{self.reference_id}#{self.anchor}"


@dataclass(frozen=True)
class Reference:
    """A piece of professional guidance, a legal case, a study or a campaign the module cites."""

    id: str
    kind: str
    title: str
    author: str
    venue: str
    year: str
    status: str
    summary: str
    points: tuple[Point, ...]

    def point(self, anchor: str) -> Point:
        for point in self.points:
            if point.anchor == anchor:
                return point
        raise KeyError(f"reference '{self.id}' has no point '{anchor}'")

    @property
    def citation(self) -> str:
        return f"{self.author}. \u201c{self.title}.\u201d {self.venue}, {self.year}."


@dataclass(frozen=True)
class Theme:
    id: str
    label: str


@dataclass(frozen=True)
class Unit:
    """One notebook's unit: its place in the order, objectives, time and readings."""

    id: str
    number: int
    title: str
    question: str
    objectives: tuple[str, ...]
    prerequisites: tuple[str, ...]
    teaching_minutes: int
    exercise_minutes: int
    reading_ids: tuple[str, ...]
    key_points: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return self.teaching_minutes + self.exercise_minutes

    @property
    def notebook(self) -> str:
        """File name of the unit's notebook in notebooks/."""
        return f"{self.id}.ipynb"


@dataclass(frozen=True)
class ItemSpec:
    """One learner-facing item as written in readings/items/: its id, type, unit and validated data.

    `data` is the item's mapping from the bank (prompt, options, scale, stages, ...), frozen
    read-only; the interactive layer in `course.interactive` turns it into something a learner answers.
    """

    id: str
    type: str  # single | multiple | ranking | stance | reflection | case
    unit: str
    data: "FrozenDict" = field(compare=False, repr=False)
    source_file: str = field(default="", compare=False, repr=False)
    level: str | None = None  # recall | comprehension | application (graded single/multiple/ranking; None otherwise)


class FrozenDict(dict):
    """A read-only dict for content data (lists inside become tuples when frozen)."""

    def _readonly(self, *args, **kwargs):
        raise TypeError("course content is read-only")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _readonly

    def __reduce__(self):  # rebuild through dict(), since item assignment is blocked
        return (FrozenDict, (dict(self),))

    def __hash__(self):  # content objects are immutable, so they may be cached
        return id(self)


def freeze(value):
    """Deep-freeze parsed YAML: dicts become FrozenDict, lists become tuples."""
    if isinstance(value, dict):
        frozen = FrozenDict()
        for key, inner in value.items():
            dict.__setitem__(frozen, key, freeze(inner))
        return frozen
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value
