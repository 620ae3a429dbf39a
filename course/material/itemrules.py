"""The rules an item must meet beyond its schema: unique keys, a right answer where it is graded,
ranges that make sense, a real case behind every "real case", a citation behind every feedback.

`ItemRules` is a mixin of the loader (`catalog._Loader`): it appends to `self.problems` and uses the
loader's `cite` and `_cites` to check citations, so every problem names the file, line and field.
"""

from __future__ import annotations

from course.problems import Problem, field_path


class ItemRules:
    """Per-item checks, by item type; each problem names the file, line and field."""

    def _item_rules(self, item, located, shown, where, references):
        kind = item["type"]
        if kind in ("single", "multiple"):
            self._choice_rules(item, located, shown, where)
        elif kind == "ranking":
            keys = [e["key"] for e in item["entries"]]
            self._unique_keys(keys, located, shown, where + ("entries",))
            if sorted(item["reference_order"]) != sorted(set(keys)):
                self.problems.append(Problem(shown, located.line(where + ("reference_order",)),
                                             f"must list each entry key exactly once ({', '.join(keys)})",
                                             field_path(where + ("reference_order",))))
            for e_index, _ in enumerate(item["entries"]):
                self._cites(located, shown, where + ("entries", e_index))
            self._cites(located, shown, where + ("rubric",))
        elif kind == "stance":
            scale = item["scale"]
            if scale["min"] >= scale["max"]:
                self.problems.append(Problem(shown, located.line(where + ("scale",)), "scale 'min' must be below 'max'",
                                             field_path(where + ("scale",))))
            for p_index, _ in enumerate(item["perspectives"]):
                self._cites(located, shown, where + ("perspectives", p_index))
        elif kind == "reflection":
            self._words(item, located, shown, where)
            self._cites(located, shown, where + ("model_answer",))
        elif kind == "case":
            if not item["invented"] and not (self.references_failed and item.get("based_on") not in references):
                ref = references.get(item.get("based_on", ""))
                if ref is None or ref.kind != "case":
                    self.problems.append(Problem(shown, located.line(where + ("based_on",)),
                                                 f"'based_on' must name a reference of kind 'case' (got '{item.get('based_on')}')",
                                                 field_path(where + ("based_on",))))
            for s_index, stage in enumerate(item["stages"]):
                q_where = where + ("stages", s_index, "question")
                if stage["question"]["type"] == "reflection":
                    self._words(stage["question"], located, shown, q_where)
                    self._cites(located, shown, q_where + ("model_answer",))
                else:
                    self._choice_rules(stage["question"], located, shown, q_where)
            for g_index, _ in enumerate(item["guidance"]):
                self._cites(located, shown, where + ("guidance", g_index))

    def _choice_rules(self, item, located, shown, where):
        options = item["options"]
        self._unique_keys([o["key"] for o in options], located, shown, where + ("options",))
        graded = item.get("graded", True)
        for o_index, option in enumerate(options):
            o_where = where + ("options", o_index)
            self._cites(located, shown, o_where)
            if graded and "correct" not in option:
                self.problems.append(Problem(shown, located.line(o_where), "missing required field 'correct' (the item is graded)",
                                             field_path(o_where + ("correct",))))
            if not graded and "correct" in option:
                self.problems.append(Problem(shown, located.line(o_where + ("correct",)),
                                             "an ungraded item ('graded: false') must not mark options correct",
                                             field_path(o_where + ("correct",))))
        if graded and all("correct" in o for o in options):
            right = sum(1 for o in options if o["correct"])
            if right == 0:
                self.problems.append(Problem(shown, located.line(where + ("options",)), "a graded item needs a correct option",
                                             field_path(where + ("options",))))
            elif item["type"] == "single" and right > 1:
                self.problems.append(Problem(shown, located.line(where + ("options",)),
                                             f"a single-choice item has exactly one correct option (has {right})",
                                             field_path(where + ("options",))))

    def _unique_keys(self, keys, located, shown, path):
        seen = set()
        for index, key in enumerate(keys):
            if key in seen:
                self.problems.append(Problem(shown, located.line(path + (index, "key")), f"duplicate key '{key}'",
                                             field_path(path + (index, "key"))))
            seen.add(key)

    def _words(self, item, located, shown, where):
        if item["words"]["min"] > item["words"]["max"]:
            self.problems.append(Problem(shown, located.line(where + ("words",)), "words 'min' must not exceed 'max'",
                                         field_path(where + ("words",))))
