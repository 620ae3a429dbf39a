"""`Content`: everything in readings/, loaded and checked, as one object the other layers read.

It lives apart from the loader (`catalog`) so that a kernel whose content comes from the cache
(`api`, `snapshot`) never imports the YAML parser, the schema validator or the checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from course.material.model import STATUS_NOTE, ItemSpec, Reading, Reference, Theme, Unit, plain


@dataclass
class Content:
    """Everything in readings/, loaded and checked: the module's single source of truth."""

    root: Path
    module: dict
    themes: dict[str, Theme]
    reasons: dict[str, Theme]
    units: tuple[Unit, ...]
    readings: dict[str, Reading]
    references: dict[str, Reference]
    items: dict[str, ItemSpec]
    extra: dict[str, object] = field(default_factory=dict)

    def resolve(self, citation: str):
        """The Section, Point, Reading or Reference a citation names; KeyError if none."""
        doc_id, _, anchor = citation.partition("#")
        if doc_id in self.readings:
            reading = self.readings[doc_id]
            return reading.section(anchor) if anchor else reading
        if doc_id in self.references:
            reference = self.references[doc_id]
            return reference.point(anchor) if anchor else reference
        raise KeyError(f"no reading or reference called '{doc_id}'")

    def cite_label(self, citation: str) -> str:
        """A short human label for `"id#anchor"`, e.g. '“Medical Education Monday – Social Media” (2011), § C'.

        References carry their verification status, so a learner sees what is reported, not verified.
        """
        doc_id, _, anchor = citation.partition("#")
        if doc_id in self.readings:
            reading = self.readings[doc_id]
            label = f"\u201c{plain(reading.title)}\u201d ({plain(reading.date)})"
            if anchor:
                label += f", \u00a7 {reading.section(anchor).title}"
            return label
        ref = self.references[doc_id]
        status = ref.point(anchor).status if anchor else ref.status
        return f"\u201c{plain(ref.title)}\u201d ({ref.year}){STATUS_NOTE[status]}"

    def unit_items(self, unit_id: str) -> list[ItemSpec]:
        return [spec for spec in self.items.values() if spec.unit == unit_id]
