"""Parse a reading digest: YAML front matter, then `## Title {#anchor}` sections with tagged claims.

The format is described in readings/README.md. Parsing never raises on bad input: every
problem is recorded with its line, and what could be read is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course.material.model import Claim
from course.problems import Problem
from course.material.sourcefile import Located, parse_yaml

CLAIM_TAGS = ("assertion", "anecdote", "example", "evidence")
_HEADING = re.compile(r"^##\s+(?P<title>.*?)\s*\{#(?P<anchor>[^}]*)\}\s*$")
_ANY_H2 = re.compile(r"^##(?!#)")
_ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CLAIM = re.compile(r"^- \[(?P<tag>[^\]]*)\]\s*(?P<text>.*)$")


@dataclass
class ParsedSection:
    anchor: str
    title: str
    line: int
    text: str = ""
    claims: list[Claim] = field(default_factory=list)


@dataclass
class ParsedDigest:
    front: Located | None
    sections: list[ParsedSection]


def parse_digest(text: str, shown: str, problems: list[Problem]) -> ParsedDigest:
    """Split a digest into front matter and sections, recording problems with their lines."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(shown, 1, "a digest must start with YAML front matter: a first line '---'"))
        return ParsedDigest(None, [])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(shown, 1, "front matter opened at line 1 is never closed with '---'"))
        return ParsedDigest(None, [])
    front = parse_yaml("\n".join(lines[1:end]), shown, problems, offset=1)
    if front is not None and not isinstance(front.data, dict):
        problems.append(Problem(shown, 2, "front matter must be a mapping of fields (id, title, ...)"))
        front = None
    sections = _parse_body(lines, end + 1, shown, problems)
    if not sections:
        problems.append(Problem(shown, end + 1, "a digest needs at least one '## Title {#anchor}' section"))
    return ParsedDigest(front, sections)


def _parse_body(lines, start, shown, problems):
    sections: list[ParsedSection] = []
    current: ParsedSection | None = None
    prose: list[str] = []
    in_claims = False
    skipping = False
    seen: dict[str, int] = {}

    def close():
        if current is None:
            return
        current.text = "\n".join(prose).strip()
        if not current.text:
            problems.append(Problem(shown, current.line, f"section '{current.anchor}' is empty: write its paraphrase"))

    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        if _ANY_H2.match(line):
            heading = _HEADING.match(line)
            if heading is None:
                hint = ("put a space after '##'" if re.match(r"^##\S", line)
                        else "section heading needs an anchor: '## Title {#anchor}'")
                problems.append(Problem(shown, number, hint))
                close()
                current, prose, in_claims = None, [], False
                skipping = True
                continue
            close()
            anchor, title = heading["anchor"], heading["title"]
            if not _ANCHOR.match(anchor):
                problems.append(Problem(shown, number, f"anchor '{anchor}' must be lowercase letters, digits and hyphens"))
            if not title:
                problems.append(Problem(shown, number, f"section '{anchor}' has no title"))
            if anchor in seen:
                problems.append(Problem(shown, number, f"duplicate anchor '{anchor}' (first at line {seen[anchor]})"))
            seen.setdefault(anchor, number)
            current, prose, in_claims, skipping = ParsedSection(anchor, title, number), [], False, False
            sections.append(current)
            continue
        if skipping:
            continue  # the body of a section whose heading is broken (already reported)
        if current is None:
            if line.strip():
                problems.append(Problem(shown, number, "text before the first section: put it under a '## Title {#anchor}' heading"))
            continue
        if line.strip() == "Claims:":
            in_claims = True
            continue
        if in_claims:
            _claim_line(line, number, current, shown, problems)
        else:
            prose.append(line)
    close()
    return sections


def _claim_line(line, number, section, shown, problems):
    if not line.strip():
        return
    claim = _CLAIM.match(line)
    if claim:
        tag, text = claim["tag"], claim["text"].strip()
        if tag not in CLAIM_TAGS:
            problems.append(Problem(shown, number, f"claim tag '[{tag}]' must be one of: {', '.join(CLAIM_TAGS)}"))
        elif not text:
            problems.append(Problem(shown, number, "claim has a tag but no text"))
        else:
            section.claims.append(Claim(tag, text))
    elif line.startswith((" ", "\t")) and section.claims:
        last = section.claims[-1]
        section.claims[-1] = Claim(last.support, f"{last.text} {line.strip()}")
    else:
        problems.append(Problem(shown, number, "after 'Claims:' every line must be '- [tag] claim'"))
