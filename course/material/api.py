"""The content half of the public API: readings, references, units and citations.

Content is loaded and checked once per content folder and cached; a problem in the content
raises `ContentError` listing every `path:line: message`, so a notebook user sees what is wrong
instead of a partial course.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from course.material.content import Content
from course.material.model import Reading, Reference, Unit
from course.paths import content_root
from course.problems import ContentError


@lru_cache(maxsize=4)
def _load_checked(root: str) -> Content:
    """Content from `root`, fully checked; from the on-disk cache when these exact files were checked before.

    The cache holds plain JSON data (course.material.snapshot), never pickles: an entry someone else
    managed to write can at worst be refused or fail to parse, never run code.
    """
    from importlib import resources

    from course import cache
    from course.material import snapshot

    key = f"content-{cache.folder_fingerprint(Path(root), Path(str(resources.files('course') / 'schemas')))}.json"
    cached = cache.read(key)
    if cached is not None:
        try:
            return snapshot.loads(cached, Path(root))
        except ValueError:  # a damaged, stale or foreign entry: check the content again
            pass
    from course.material.catalog import load  # only on a cache miss: the checks need YAML and jsonschema

    content, problems = load(Path(root))
    if problems or content is None:
        raise ContentError(problems)
    try:
        cache.write(key, snapshot.dumps(content))
    except (TypeError, ValueError):  # a value the snapshot cannot keep exactly: do without the cache
        pass
    return content


def content() -> Content:
    """All course content from the current content folder (cached after the first call)."""
    return _load_checked(str(content_root()))


def units() -> tuple[Unit, ...]:
    """The units in teaching order, from the manifest."""
    return content().units


def unit(unit_id: str) -> Unit:
    """A unit by id ("01-benefits") or by its number prefix ("01")."""
    for candidate in units():
        if unit_id in (candidate.id, candidate.id.split("-")[0]):
            return candidate
    known = ", ".join(u.id for u in units())
    raise KeyError(f"no unit '{unit_id}' (units: {known})")


def readings(theme: str | None = None) -> list[Reading]:
    """The readings in manifest order (first unit that uses each), optionally those touching `theme`."""
    loaded = content()
    if theme is not None and theme not in loaded.themes:
        raise KeyError(f"no theme '{theme}' (themes: {', '.join(loaded.themes)})")
    order: list[str] = []
    for u in loaded.units:
        order.extend(r for r in u.reading_ids if r not in order)
    order.extend(sorted(r for r in loaded.readings if r not in order))
    chosen = [loaded.readings[r] for r in order if r in loaded.readings]
    return [r for r in chosen if theme is None or theme in r.themes]


def reading(reading_id: str) -> Reading:
    """One reading digest by id."""
    loaded = content()
    try:
        return loaded.readings[reading_id]
    except KeyError:
        raise KeyError(f"no reading '{reading_id}' (readings: {', '.join(loaded.readings)})") from None


def references(kind: str | None = None) -> list[Reference]:
    """The references (guidance, cases, studies, campaigns), optionally of one kind."""
    return [r for r in content().references.values() if kind is None or r.kind == kind]


def reference(reference_id: str) -> Reference:
    """One reference by id."""
    try:
        return content().references[reference_id]
    except KeyError:
        raise KeyError(f"no reference '{reference_id}'") from None


def resolve(citation: str):
    """What `"id#anchor"` (or a bare `"id"`) cites: a Section, Point, Reading or Reference."""
    return content().resolve(citation)


def themes() -> dict[str, str]:
    """Theme id -> label, in manifest order."""
    return {t.id: t.label for t in content().themes.values()}
