"""The interactive items: build the right kind of item for an id, list items, and show progress."""

from __future__ import annotations

from course.material.api import content
from course.learner.items.base import Feedback, Item
from course.learner.items.case import CaseItem
from course.learner.items.choice import ChoiceItem
from course.learner.items.ranking import RankingItem
from course.learner.items.reflection import ReflectionItem
from course.learner.items.stance import StanceItem

KINDS = {
    "single": ChoiceItem,
    "multiple": ChoiceItem,
    "stance": StanceItem,
    "ranking": RankingItem,
    "reflection": ReflectionItem,
    "case": CaseItem,
}

__all__ = ["Feedback", "Item", "item", "items", "quiz", "KINDS"]


def items(unit: str | None = None, theme: str | None = None) -> list[str]:
    """Item ids in content order, optionally of one unit (id or number) and/or touching one theme."""
    loaded = content()
    if unit is not None:
        from course.material.api import unit as find_unit

        unit = find_unit(unit).id
    return [spec.id for spec in loaded.items.values()
            if (unit is None or spec.unit == unit) and (theme is None or theme in spec.data.get("themes", ()))]


def item(item_id: str, journal=None) -> Item:
    """The item with this id, showing the learner's saved answer if there is one."""
    loaded = content()
    try:
        spec = loaded.items[item_id]
    except KeyError:
        raise KeyError(f"no item '{item_id}'; see course.items() for the ids") from None
    return KINDS[spec.type](spec, journal, loaded.cite_label)


def quiz(item_id: str, journal=None) -> ChoiceItem:
    """A single or multiple choice question by id (same as `item`, but checks the kind)."""
    found = item(item_id, journal)
    if not isinstance(found, ChoiceItem):
        raise TypeError(f"'{item_id}' is a {found.spec.type} item, not a quiz question; use course.item()")
    return found
