"""Load all course content from a readings/ folder, validate it, and cross-check its references.

`load(root)` returns a `Content` (or None) and the list of every `Problem` found: schema errors,
duplicate ids, dangling citations, unknown themes, files named unlike their ids. Nothing here
raises on bad content; `course.api` turns problems into a `ContentError` for notebook users and
`course.check` prints them for maintainers.
"""

from __future__ import annotations

import os
from pathlib import Path

from course.material.digest import parse_digest
from course.material.itemrules import ItemRules
from course.material.timing import minute_problems
from course.material.content import Content
from course.material.model import ItemSpec, Point, Position, Reading, Reference, Section, Theme, Unit, freeze
from course.problems import Problem, field_path
from course.material.schema import validate
from course.material.sourcefile import Located, parse_yaml, read_text


class _Loader(ItemRules):
    """One pass over a readings/ folder, collecting problems as it goes."""

    def __init__(self, root: Path, shown_root: str):
        self.root = root
        self.shown_root = shown_root.rstrip("/") or "."
        self.problems: list[Problem] = []
        self.citations: list[tuple[str, int, str, str]] = []  # (file, line, field, citation)
        self.id_lines: dict[str, tuple[str, int]] = {}  # reading id -> (file, line of its id)
        self.failed_ids: set[str] = set()  # documents whose file exists but did not load
        self.references_failed = False

    def shown(self, path: Path) -> str:
        return f"{self.shown_root}/{path.relative_to(self.root).as_posix()}"

    def yaml_file(self, path: Path, kind: str) -> tuple[Located | None, str]:
        shown = self.shown(path)
        if not path.is_file():
            self.problems.append(Problem(shown, 1, f"missing {kind} file"))
            return None, shown
        text = read_text(path, shown, self.problems)
        located = parse_yaml(text, shown, self.problems) if text is not None else None
        if located is None:
            return None, shown
        schema_problems = validate(kind, located, shown)
        self.problems.extend(schema_problems)
        return (None if schema_problems else located), shown

    def cite(self, shown, located, path, citation):
        self.citations.append((shown, located.line(path), field_path(path), citation))

    # -- manifest -------------------------------------------------------------------------
    def manifest(self):
        located, shown = self.yaml_file(self.root / "manifest.yaml", "manifest")
        if located is None:
            return None
        data = located.data
        themes = self._vocabulary(data["themes"], located, shown, "themes")
        reasons = self._vocabulary(data["reasons"], located, shown, "reasons")
        units, seen = [], {}
        for index, unit in enumerate(data["units"]):
            if unit["id"] in seen:
                self.problems.append(Problem(shown, located.line(("units", index, "id")),
                                             f"duplicate unit id '{unit['id']}'", f"units[{index}].id"))
                continue
            seen[unit["id"]] = index
            units.append(Unit(
                id=unit["id"], number=len(units), title=unit["title"], question=unit["question"],
                objectives=tuple(unit["objectives"]), prerequisites=tuple(unit["prerequisites"]),
                teaching_minutes=unit["minutes"]["teaching"], exercise_minutes=unit["minutes"]["exercises"],
                reading_ids=tuple(unit["readings"]), key_points=tuple(unit["key_points"]),
            ))
        return located, shown, data["module"], themes, reasons, tuple(units)

    def _vocabulary(self, entries, located, shown, key):
        vocabulary = {}
        for index, entry in enumerate(entries):
            if entry["id"] in vocabulary:
                self.problems.append(Problem(shown, located.line((key, index, "id")),
                                             f"duplicate {key[:-1]} id '{entry['id']}'", f"{key}[{index}].id"))
            vocabulary[entry["id"]] = Theme(entry["id"], entry["label"])
        return vocabulary

    # -- references -------------------------------------------------------------------------
    def references(self):
        located, shown = self.yaml_file(self.root / "references.yaml", "references")
        if located is None:
            self.references_failed = (self.root / "references.yaml").exists()
            return {}
        references = {}
        for index, ref in enumerate(located.data["references"]):
            where = ("references", index)
            if ref["id"] in references:
                self.problems.append(Problem(shown, located.line(where + ("id",)),
                                             f"duplicate reference id '{ref['id']}'", field_path(where + ("id",))))
                continue
            anchors: dict[str, int] = {}
            for p_index, point in enumerate(ref["points"]):
                if point["anchor"] in anchors:
                    path = where + ("points", p_index, "anchor")
                    self.problems.append(Problem(shown, located.line(path),
                                                 f"duplicate anchor '{point['anchor']}' in reference '{ref['id']}'",
                                                 field_path(path)))
                anchors[point["anchor"]] = p_index
            references[ref["id"]] = Reference(
                id=ref["id"], kind=ref["kind"], title=ref["title"], author=ref["author"], venue=ref["venue"],
                year=ref["year"], status=ref["status"], summary=ref["summary"],
                points=tuple(Point(ref["id"], p["anchor"], p["text"], p["status"]) for p in ref["points"]),
            )
        return references

    # -- digests ----------------------------------------------------------------------------
    def readings(self, themes, reasons):
        readings: dict[str, Reading] = {}
        folder = self.root / "digests"
        self._stray_files(folder, ".md")
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            shown = self.shown(path)
            self.failed_ids.add(path.stem)  # until it loads: its id is then known and this is removed
            text = read_text(path, shown, self.problems)
            if text is None:
                continue
            parsed = parse_digest(text, shown, self.problems)
            if parsed.front is None:
                continue
            schema_problems = validate("digest", parsed.front, shown)
            self.problems.extend(schema_problems)
            if schema_problems:
                continue
            self.failed_ids.discard(path.stem)
            front, located = parsed.front.data, parsed.front
            if path.stem != front["id"]:
                self.problems.append(Problem(shown, located.line(("id",)),
                                             f"digest id '{front['id']}' must match its file name '{path.stem}.md'", "id"))
            if front["id"] in readings:
                self.problems.append(Problem(shown, located.line(("id",)), f"duplicate reading id '{front['id']}'", "id"))
                continue
            self._known(front["themes"], themes, "theme", shown, located, ("themes",))
            anchors = {s.anchor for s in parsed.sections}
            for index, position in enumerate(front.get("positions", [])):
                where = ("positions", index)
                if position["section"] not in anchors:
                    self.problems.append(Problem(shown, located.line(where + ("section",)),
                                                 f"position of '{position['who']}' names section '{position['section']}', "
                                                 "which this digest does not have", field_path(where + ("section",))))
                self._known(position["reasons"], reasons, "reason", shown, located, where + ("reasons",))
            self.id_lines[front["id"]] = (shown, located.line(("id",)))
            readings[front["id"]] = Reading(
                id=front["id"], title=front["title"], author=front["author"], venue=front["venue"],
                date=front["date"], kind=front["kind"], themes=tuple(front["themes"]), summary=front["summary"],
                sections=tuple(Section(front["id"], s.anchor, s.title, s.text, tuple(s.claims)) for s in parsed.sections),
                positions=tuple(Position(p["who"], p["section"], p["identity"], tuple(p["reasons"]))
                                for p in front.get("positions", [])),
                source_file=shown,
            )
        return readings

    def _stray_files(self, folder: Path, suffix: str):
        """A file the loader would skip without a word (e.g. items/x.yml) is reported instead."""
        if not folder.is_dir():
            return
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name.upper().startswith("README"):
                continue
            if path.suffix != suffix or not path.is_file():
                self.problems.append(Problem(self.shown(path), 1, f"not loaded: files in {folder.name}/ must be "
                                             f"'<id>{suffix}' files"))

    def _known(self, values, vocabulary, what, shown, located, path):
        if vocabulary is None:  # the manifest itself is broken and already reported
            return
        for index, value in enumerate(values):
            if value not in vocabulary:
                self.problems.append(Problem(shown, located.line(path + (index,)),
                                             f"unknown {what} '{value}' (see manifest.yaml)", field_path(path + (index,))))

    # -- items ------------------------------------------------------------------------------
    def items(self, units, themes, references):
        items: dict[str, ItemSpec] = {}
        where_defined: dict[str, str] = {}
        stance_links = []
        unit_ids = {u.id for u in units}
        folder = self.root / "items"
        self._stray_files(folder, ".yaml")
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            located, shown = self.yaml_file(path, "items")
            if located is None:
                continue
            bank = located.data
            if not unit_ids:  # the manifest is broken and already reported
                pass
            elif bank["unit"] not in unit_ids:
                self.problems.append(Problem(shown, located.line(("unit",)), f"unknown unit '{bank['unit']}' (see manifest.yaml)", "unit"))
            elif path.stem != bank["unit"]:
                self.problems.append(Problem(shown, located.line(("unit",)),
                                             f"item bank for unit '{bank['unit']}' must be named '{bank['unit']}.yaml'", "unit"))
            for index, item in enumerate(bank["items"]):
                where = ("items", index)
                line = located.line(where + ("id",))
                if item["id"] in items:
                    self.problems.append(Problem(shown, line, f"duplicate item id '{item['id']}' (also in {where_defined[item['id']]})",
                                                 field_path(where + ("id",))))
                    continue
                where_defined[item["id"]] = shown
                self._known(item.get("themes", []), themes, "theme", shown, located, where + ("themes",))
                self._item_rules(item, located, shown, where, references)
                if item["type"] == "stance" and "revisits" in item:
                    stance_links.append((shown, located.line(where + ("revisits",)), field_path(where + ("revisits",)),
                                         item["revisits"], item["id"]))
                items[item["id"]] = ItemSpec(item["id"], item["type"], bank["unit"], freeze(item), shown, item.get("level"))
        for shown, line, field_name, target, own in stance_links:
            if target == own:
                self.problems.append(Problem(shown, line, "a stance cannot revisit itself", field_name))
            elif target not in items or items[target].type != "stance":
                self.problems.append(Problem(shown, line, f"'revisits' must name a stance item; '{target}' is not one", field_name))
        return items

    def _cites(self, located, shown, where):
        node = located.data
        for part in where:
            node = node[part]
        for c_index, citation in enumerate(node.get("cite", [])):
            self.cite(shown, located, where + ("cite", c_index), citation)

    # -- tools, instructor guide and unit sources -----------------------------------------------
    def optional_yaml(self, relative: str, kind: str):
        """Load an optional data file (absent: feature unused), checking its citations wherever they appear."""
        if not (self.root / relative).exists():
            return None, self.shown(self.root / relative)
        located, shown = self.yaml_file(self.root / relative, kind)
        if located is not None:
            self._all_cites(located, shown, located.data, ())
        return located, shown

    def _all_cites(self, located, shown, node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "cite" and isinstance(value, list):
                    for index, citation in enumerate(value):
                        self.cite(shown, located, path + ("cite", index), citation)
                else:
                    self._all_cites(located, shown, value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self._all_cites(located, shown, value, path + (index,))

    def post_audit(self):
        from course.material.patterns import problem

        located, shown = self.optional_yaml("tools/post-audit.yaml", "post-audit")
        if located is None:
            return None
        seen = set()
        for r_index, rule in enumerate(located.data["rules"]):
            if rule["id"] in seen:
                self.problems.append(Problem(shown, located.line(("rules", r_index, "id")),
                                             f"duplicate rule id '{rule['id']}'", f"rules[{r_index}].id"))
            seen.add(rule["id"])
            for key in ("when_any", "unless_any"):
                for p_index, pattern in enumerate(rule.get(key, [])):
                    if message := problem(pattern):  # invalid, or can backtrack without bound
                        path = ("rules", r_index, key, p_index)
                        self.problems.append(Problem(shown, located.line(path), message, field_path(path)))
        return located.data

    def policy_builder(self):
        located, shown = self.optional_yaml("tools/policy-builder.yaml", "policy-builder")
        if located is None:
            return None
        seen = set()
        for a_index, area in enumerate(located.data["areas"]):
            if area["id"] in seen:
                self.problems.append(Problem(shown, located.line(("areas", a_index, "id")),
                                             f"duplicate area id '{area['id']}'", f"areas[{a_index}].id"))
            seen.add(area["id"])
            self._unique_keys([o["key"] for o in area["options"]], located, shown, ("areas", a_index, "options"))
        return located.data

    def guide(self, units, items):
        located, shown = self.optional_yaml("instructor/guide.yaml", "guide")
        if located is None:
            return None
        data, unit_ids = located.data, {u.id for u in units}
        for p_index, plan in enumerate(data["plans"]):
            total = sum(seg["minutes"] for seg in plan["segments"])
            if total != plan["minutes"]:
                self.problems.append(Problem(shown, located.line(("plans", p_index, "minutes")),
                                             f"plan '{plan['id']}' says {plan['minutes']} minutes but its segments add up "
                                             f"to {total}", f"plans[{p_index}].minutes"))
            for s_index, seg in enumerate(plan["segments"]):
                if "unit" in seg and unit_ids and seg["unit"] not in unit_ids:
                    path = ("plans", p_index, "segments", s_index, "unit")
                    self.problems.append(Problem(shown, located.line(path), f"unknown unit '{seg['unit']}'", field_path(path)))
                self._deck_references(seg.get("deck", {}), data, items, located, shown, ("plans", p_index, "segments", s_index, "deck"))
        for p_index, block in enumerate(data["prompts"]):
            if unit_ids and block["unit"] not in unit_ids:
                self.problems.append(Problem(shown, located.line(("prompts", p_index, "unit")),
                                             f"unknown unit '{block['unit']}'", f"prompts[{p_index}].unit"))
        for m_index, model in enumerate(data["model_answers"]):
            if model["item"] not in items:
                self.problems.append(Problem(shown, located.line(("model_answers", m_index, "item")),
                                             f"model answer for unknown item '{model['item']}'",
                                             f"model_answers[{m_index}].item"))
        levels = len(data["rubric"]["levels"])
        for c_index, criterion in enumerate(data["rubric"]["criteria"]):
            if len(criterion["descriptors"]) != levels:
                path = ("rubric", "criteria", c_index, "descriptors")
                self.problems.append(Problem(shown, located.line(path),
                                             f"needs one descriptor per level ({levels}), has {len(criterion['descriptors'])}",
                                             field_path(path)))
        return data

    def _deck_references(self, deck, data, items, located, shown, at):
        """A segment's slides name cases, debates and misconceptions that exist."""
        debates = {d["id"] for d in data["debates"]}
        misconceptions = {m["id"] for m in data["misconceptions"] if "id" in m}
        refs = [(("motion",), deck.get("motion"), debates, "debate"), (("debate",), deck.get("debate"), debates, "debate")]
        refs += [(("cases", i), case, None, "case") for i, case in enumerate(deck.get("cases", []))]
        refs += [(("misconceptions", i), m, misconceptions, "misconception") for i, m in enumerate(deck.get("misconceptions", []))]
        for tail, ref, known, kind in refs:
            if ref is None:
                continue
            ok = (ref in items and items[ref].type == "case") if kind == "case" else ref in known
            if not ok:
                self.problems.append(Problem(shown, located.line(at + tail), f"unknown {kind} '{ref}'", field_path(at + tail)))

    def unit_sources(self, units):
        from course.material.unitsource import parse_source

        for unit in units:
            path = self.root / "units" / f"{unit.id}.md"
            shown = self.shown(path)
            if not path.is_file():
                self.problems.append(Problem(shown, 1, f"missing notebook source for unit '{unit.id}'"))
                continue
            text = read_text(path, shown, self.problems)
            if text is None:
                continue
            try:
                parse_source(text)
            except ValueError as exc:
                self.problems.append(Problem(shown, getattr(exc, "line", 1), str(exc)))

    # -- cross-references ---------------------------------------------------------------------
    def check_citations(self, content: Content):
        for shown, line, field_name, citation in self.citations:
            doc_id = citation.partition("#")[0]
            unknown = doc_id not in content.readings and doc_id not in content.references
            if unknown and (doc_id in self.failed_ids or self.references_failed):
                continue  # its file is broken and already reported; do not bury that under echoes
            try:
                content.resolve(citation)
            except KeyError as exc:
                self.problems.append(Problem(shown, line, f"citation '{citation}' does not resolve: {exc.args[0]}", field_name))

    def check_manifest_readings(self, units, readings, manifest_shown, manifest_located):
        for u_index, unit in enumerate(units):
            for r_index, reading_id in enumerate(unit.reading_ids):
                if reading_id not in readings and reading_id not in self.failed_ids:
                    path = ("units", u_index, "readings", r_index)
                    self.problems.append(Problem(manifest_shown, manifest_located.line(path),
                                                 f"unit '{unit.id}' lists reading '{reading_id}', which has no digest",
                                                 field_path(path)))


def load(root: Path, shown_root: str | None = None) -> tuple[Content | None, list[Problem]]:
    """Load and check the readings/ folder at `root`; return (content or None, problems)."""
    root = Path(root)
    if shown_root is None:
        shown_root = _display(root)
    loader = _Loader(root, shown_root)
    if not root.is_dir():
        return None, [Problem(shown_root, 1, "content folder does not exist")]
    manifest = loader.manifest()
    themes = manifest[3] if manifest else None
    reasons = manifest[4] if manifest else None
    units = manifest[5] if manifest else ()
    references = loader.references()
    readings = loader.readings(themes, reasons)
    items = loader.items(units, themes, references)
    extra = {"post_audit": loader.post_audit(), "policy_builder": loader.policy_builder(),
             "guide": loader.guide(units, items)}
    loader.unit_sources(units)
    content = Content(root=root, module=dict(manifest[2]) if manifest else {}, themes=themes or {}, reasons=reasons or {},
                      units=units, readings=readings, references=references, items=items, extra=extra)
    overlap = set(readings) & set(references)
    for doc_id in sorted(overlap):
        shown, line = loader.id_lines[doc_id]
        loader.problems.append(Problem(shown, line, f"id '{doc_id}' is used by both a reading and a reference", "id"))
    loader.check_citations(content)
    if manifest:
        loader.check_manifest_readings(units, readings, manifest[1], manifest[0])
        if not loader.problems:  # time is computed from content that is known to be whole
            loader.problems += minute_problems(content, manifest[0], manifest[1])
    problems = sorted(set(loader.problems))
    return (content if manifest else None), problems


def _display(root: Path) -> str:
    try:
        rel = os.path.relpath(root)
    except ValueError:
        return str(root)
    return rel if not rel.startswith("..") else str(root)
