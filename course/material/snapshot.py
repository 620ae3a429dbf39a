"""Checked content as plain JSON data and back: the on-disk cache's format, chosen because it cannot run code.

The content cache saves every notebook kernel about two seconds (see benchmarks/run.py), but a cache
folder can be shared or writable by someone else, so what is read from it must be data only. `dumps`
writes the frozen content objects as tagged JSON; `loads` rebuilds them, constructing only the content
classes named below, from their declared fields, and raises ValueError on anything else.

Encoding: a JSON array is a tuple; every JSON object has exactly one key, its tag:
{"list": [...]}, {"dict": [[key, value], ...]}, {"frozen": [[key, value], ...]} (a FrozenDict),
{"path": "..."} and {"object": [class name, {field: value, ...}]}. Strings, numbers, booleans and
null stand for themselves.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from course.material import model
from course.material.content import Content

FORMAT = "social-media-ethics-content-snapshot/1"

_CLASSES = {cls.__name__: cls for cls in (model.Claim, model.Section, model.Position, model.Reading, model.Point,
                                          model.Reference, model.Theme, model.Unit, model.ItemSpec, Content)}
_FIELDS = {name: tuple(f.name for f in fields(cls)) for name, cls in _CLASSES.items()}
_PLAIN = (str, int, float, bool, type(None))


def dumps(content: Content) -> bytes:
    """The content as JSON bytes; TypeError if it holds a value this format cannot keep exactly."""
    return json.dumps({"format": FORMAT, "content": _encode(content)}, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


def loads(data: bytes, root: Path) -> Content:
    """Content rebuilt from `dumps` output, with its root set to `root`; ValueError if the data is anything else."""
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not a content snapshot of this format")
        content = _decode(document.get("content"))
    except (TypeError, KeyError, AttributeError, RecursionError, UnicodeDecodeError) as exc:
        raise ValueError(f"not a valid content snapshot: {exc}") from None
    if not isinstance(content, Content):
        raise ValueError("not a content snapshot")
    content.root = Path(root)
    return content


def _encode(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple:
        return [_encode(v) for v in value]
    if kind is list:
        return {"list": [_encode(v) for v in value]}
    if kind is dict or kind is model.FrozenDict:
        return {"dict" if kind is dict else "frozen": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return {"path": str(value)}
    name = kind.__name__
    if _CLASSES.get(name) is kind:
        return {"object": [name, {f: _encode(getattr(value, f)) for f in _FIELDS[name]}]}
    raise TypeError(f"a content snapshot cannot hold a {name}")


def _decode(value):
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if not isinstance(value, dict):
        if not isinstance(value, _PLAIN):
            raise ValueError("unexpected value")
        return value
    if len(value) != 1:
        raise ValueError("a tagged value has exactly one key")
    (tag, body), = value.items()
    if tag == "list":
        return [_decode(v) for v in _array(body)]
    if tag in ("dict", "frozen"):
        out = {} if tag == "dict" else model.FrozenDict()
        for pair in _array(body):
            key, inner = _array(pair)
            dict.__setitem__(out, _decode(key), _decode(inner))
        return out
    if tag == "path" and isinstance(body, str):
        return Path(body)
    if tag == "object":
        name, values = _array(body)
        if name not in _CLASSES or not isinstance(values, dict) or tuple(values) != _FIELDS[name]:
            raise ValueError(f"unexpected object {name!r}")
        return _CLASSES[name](**{f: _decode(v) for f, v in values.items()})
    raise ValueError(f"unknown tag {tag!r}")


def _array(value) -> list:
    if not isinstance(value, list):
        raise ValueError("expected an array")
    return value
