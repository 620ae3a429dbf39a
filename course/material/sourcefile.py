"""Read content files safely and parse YAML while remembering the line of every value.

Everything a maintainer writes passes through here, so every way a file can be broken
(too big, not UTF-8, a byte-order mark, bad YAML, duplicate keys, unclosed front matter)
becomes a `Problem` with a line number instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from course.problems import Problem

MAX_BYTES = 512 * 1024
"""Content files are small prose files; anything bigger is a mistake (a pasted full text, a binary)."""

MAX_ALIAS_VALUES = 10_000
"""How many values YAML aliases may add to a file once expanded. Reusing a list a few times adds a few
dozen; an 'alias bomb' of a few hundred bytes adds billions, and every reader of the data walks them all."""


@dataclass
class Located:
    """Parsed YAML data plus the 1-based line of every value, keyed by its JSON path."""

    data: object
    lines: dict[tuple, int] = field(default_factory=dict)
    offset: int = 0

    def line(self, path=()) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1) + self.offset


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """Return the file's text, or None after recording why it cannot be read as content."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 1, f"cannot read file: {exc.strerror or exc}"))
        return None
    if len(raw) > MAX_BYTES:
        problems.append(
            Problem(shown, 1, f"file is {len(raw):,} bytes; content files may be at most {MAX_BYTES:,}")
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(shown, 1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(shown, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(shown, line, "contains a NUL character; content files are plain text"))
        return None
    return text


class _NoDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings: a date in content is a label, not a datetime.

    It also notes every alias it meets, with its place, so that their expansion can be bounded.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.alias_uses: list[tuple[yaml.Node, yaml.Mark]] = []

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            self.alias_uses.append((node, mark))
            return node
        return super().compose_node(parent, index)


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, shown: str, problems: list[Problem], offset: int = 0) -> Located | None:
    """Parse one YAML document; record syntax errors and duplicate keys as problems."""
    try:
        loader = _NoDatesLoader(text)
        try:
            node = loader.get_single_node()
            bomb = _alias_bomb(loader.alias_uses)
            if bomb is not None:
                problems.append(Problem(shown, bomb.line + 1 + offset,
                                        f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} extra values here "
                                        "(an alias bomb?); write the values out or use fewer aliases"))
                return None
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(Problem(shown, line, f"YAML syntax error: {what}"))
        return None
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        line = text[: exc.position].count("\n") + 1 + offset
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problems.append(Problem(shown, line, f"control character U+{code:04X} is not allowed in YAML"))
        return None
    except yaml.YAMLError as exc:  # e.g. a stream with two documents
        problems.append(Problem(shown, 1 + offset, f"YAML error: {exc}"))
        return None
    except (ValueError, TypeError, RecursionError) as exc:
        problems.append(Problem(shown, 1 + offset, f"YAML value cannot be read: {exc}"))
        return None
    located = Located(data=data, offset=offset)
    if node is not None and not _map_lines(node, (), located.lines, shown, problems, offset, frozenset()):
        return None
    return located


def _alias_bomb(alias_uses) -> yaml.Mark | None:
    """The place of the first alias that takes the expanded data past MAX_ALIAS_VALUES, or None.

    Sizes are counted once per node (memoised), so this takes time in proportion to the file, not to
    what the aliases would expand to.
    """
    sizes: dict[int, int] = {}

    def size(node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # in progress: a recursive alias is reported by _map_lines
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else ())
        total = 1 + sum(size(child) for child in children)
        sizes[id(node)] = total
        return total

    added = 0
    for node, mark in alias_uses:
        added += size(node)
        if added > MAX_ALIAS_VALUES:
            return mark
    return None


def _map_lines(node, path, lines, shown, problems, offset, ancestors) -> bool:
    """Record the line of every value; False (with a problem) if an alias makes the data recursive."""
    if id(node) in ancestors:
        problems.append(Problem(shown, node.start_mark.line + 1 + offset,
                                "a YAML alias refers to a value that contains it (recursive data)"))
        return False
    ancestors = ancestors | {id(node)}
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(shown, line + offset, f"duplicate key '{key}' (first at line {seen[key] + offset})")
                )
            seen[key] = line
            if not _map_lines(value_node, path + (key,), lines, shown, problems, offset, ancestors):
                return False
            lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            if not _map_lines(child, path + (index,), lines, shown, problems, offset, ancestors):
                return False
    return True
