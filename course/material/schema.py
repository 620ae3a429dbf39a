"""Validate content data against the JSON Schemas shipped in `course/schemas/`.

The schemas are the single statement of what a manifest, a digest's front matter, a references
file and an item bank may contain. This module turns jsonschema's errors into `Problem`s that name
the file, the line and the field, in words a content author can act on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from course.problems import Problem, field_path
from course.material.sourcefile import Located

SCHEMA_NAMES = ("common", "manifest", "digest", "references", "items", "post-audit", "policy-builder", "guide",
                "export")


@lru_cache(maxsize=None)
def _validators():
    import jsonschema
    from referencing import Registry, Resource

    folder = resources.files("course") / "schemas"
    loaded = {name: json.loads((folder / f"{name}.schema.json").read_text("utf-8")) for name in SCHEMA_NAMES}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in loaded.values()
    )
    return {
        name: jsonschema.Draft202012Validator(schema, registry=registry)
        for name, schema in loaded.items()
        if name != "common"
    }


def schema(name: str) -> dict:
    """The JSON Schema called `name` (e.g. "items"), as a dict."""
    return _validators()[name].schema


def validate(kind: str, located: Located, shown: str) -> list[Problem]:
    """Check `located.data` against the schema `kind`; one Problem per error, in file order."""
    validator = _validators()[kind]
    problems = []
    for error in validator.iter_errors(located.data):
        path = tuple(error.absolute_path)
        message, field = _describe(error, path)
        problems.append(Problem(shown, located.line(field), message, field_path(field)))
    return sorted(set(problems))


def _describe(error, path):
    """A plain-words message and the path of the field it is about."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        name = missing[0] if missing else "?"
        return f"missing required field '{name}'", path + (name,)
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in value if k not in allowed) if isinstance(value, dict) else []
        name = extra[0] if extra else "?"
        return f"unknown field '{name}' (allowed: {', '.join(sorted(allowed))})", path + (name,)
    if keyword == "type":
        return f"must be {_article(expected)}, not {_json_type(value)}", path
    if keyword == "enum":
        choices = ", ".join(str(c) for c in expected)
        return f"must be one of: {choices} (got {_short(value)})", path
    if keyword == "const":
        return f"must be {expected!r} (got {_short(value)})", path
    if keyword == "pattern":
        hint = error.schema.get("description") or f"must match {expected}"
        return f"{_short(value)} is not allowed here: {hint}", path
    if keyword == "minItems":
        return f"needs at least {expected} entr{'y' if expected == 1 else 'ies'} (has {len(value)})", path
    if keyword == "maxItems":
        return f"may have at most {expected} entries (has {len(value)})", path
    if keyword == "minLength":
        return "must not be empty", path
    if keyword == "maxLength":
        return f"is too long ({len(value)} characters; at most {expected})", path
    if keyword == "uniqueItems":
        return "has the same entry twice", path
    if keyword in ("minimum", "maximum"):
        word = "at least" if keyword == "minimum" else "at most"
        return f"must be {word} {expected} (got {_short(value)})", path
    return error.message, path


def _article(expected):
    names = expected if isinstance(expected, list) else [expected]
    words = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
             "number": "a number", "boolean": "true or false", "null": "empty"}
    return " or ".join(words.get(n, n) for n in names)


def _json_type(value):
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if value is None:
        return "empty"
    return type(value).__name__


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
