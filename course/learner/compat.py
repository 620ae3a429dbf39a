"""Whether a saved answer still fits the item it answers, in this release's content.

Learners keep their journal across releases, and content changes: an option key is removed, a
choice item becomes a ranking, a case loses a stage. A saved value that no longer fits is kept in
the journal (nothing is ever deleted for this) and shown or exported as "answered in an earlier
version of the module". This module only answers the question "does it fit?"; it never raises,
whatever the journal holds.
"""

from __future__ import annotations

_TYPES = ("single", "multiple", "ranking", "stance", "reflection")


def fits(kind: str, data, value) -> bool:
    """True if `value` is a well-formed answer to a question of `kind` with content `data`."""
    try:
        return _fits(kind, data, value)
    except Exception:  # noqa: BLE001 - content of an unexpected shape: the value does not fit
        return False


def _keys(entries) -> list[str]:
    return [entry["key"] for entry in entries]


def _fits(kind, data, value) -> bool:
    if kind == "single":
        return type(value) is str and value in _keys(data["options"])
    if kind == "multiple":
        keys = _keys(data["options"])
        return (type(value) is list and bool(value) and len(set(map(repr, value))) == len(value)
                and all(type(k) is str and k in keys for k in value))
    if kind == "stance":
        scale = data["scale"]
        return type(value) is int and scale["min"] <= value <= scale["max"]
    if kind == "ranking":
        return (type(value) is list and all(type(k) is str for k in value)
                and sorted(value) == sorted(_keys(data["entries"])))
    if kind == "reflection":
        return (type(value) is dict and type(value.get("text")) is str and type(value.get("share", False)) is bool
                and set(value) <= {"text", "share"})
    return False


def stage_fits(stage_question, value) -> bool:
    """A case stage's answer: the stage question's own kind decides."""
    return fits(stage_question.get("type", ""), stage_question, value)


def builder_fits(builder, value) -> bool:
    """The policy builder draft: {area id: {"option": key or "own", "clause"?, "reason"}}."""
    try:
        areas = {area["id"]: area for area in builder["areas"]}
        if type(value) is not dict:
            return False
        for area_id, entry in value.items():
            if area_id not in areas or type(entry) is not dict or type(entry.get("reason", "")) is not str:
                return False
            option = entry.get("option")
            if option == "own":
                if type(entry.get("clause")) is not str:
                    return False
            elif option not in _keys(areas[area_id]["options"]):
                return False
        return True
    except Exception:  # noqa: BLE001
        return False
