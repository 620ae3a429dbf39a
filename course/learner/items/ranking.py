"""Ranking exercises: order a set of entries, then compare with an order derived from guidance."""

from __future__ import annotations

from itertools import combinations

from course import render
from course.learner.items.base import Item
from course.render.templates import render_macro

TEMPLATE = "items/ranking.html"


class RankingItem(Item):
    """Order entries from most to least acceptable; feedback compares with the rubric's order."""

    def heading(self) -> str:
        return "Ranking"

    @property
    def entries(self):
        return {e["key"]: e for e in self.data["entries"]}

    def normalise(self, value, **options):
        keys = list(value.replace(",", " ").split() if " " in value or "," in value else value) \
            if isinstance(value, str) else value
        if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys):
            raise ValueError(f"answer with the entry letters in your order, e.g. {''.join(self.entries)!r}")
        keys = [k.strip().lower() for k in keys]
        if sorted(keys) != sorted(self.entries):
            raise ValueError(f"rank every entry exactly once: {', '.join(sorted(self.entries))}")
        return keys

    def prompt_text(self) -> str:
        lines = [self.data["prompt"], "(Order from most to least acceptable; there is room to disagree.)"]
        lines += [f"  ({e['key']}) {e['text']}" for e in self.data["entries"]]
        return "\n".join(lines)

    def prompt_html(self, static: bool = True) -> str:
        return render_macro(TEMPLATE, "prompt", self.data["prompt"], self.data["entries"], static,
                            self._rows(None), self.data["rubric"], self.cite)

    def agreement(self, order) -> tuple[int, int]:
        """Pairs of entries you ordered as the rubric does, out of all pairs (Kendall's measure)."""
        reference = {k: i for i, k in enumerate(self.data["reference_order"])}
        mine = {k: i for i, k in enumerate(order)}
        pairs = list(combinations(reference, 2))
        same = sum(1 for a, b in pairs if (mine[a] - mine[b]) * (reference[a] - reference[b]) > 0)
        return same, len(pairs)

    def feedback_text(self, value) -> str:
        reference = self.data["reference_order"]
        same, total = self.agreement(value)
        lines = [f"{render.mark_text('saved')}. Your order: {' > '.join(value)}",
                 f"Rubric order (from the guidance and the readings): {' > '.join(reference)}",
                 f"You ordered {same} of {total} pairs the way the rubric does."]
        for key in reference:
            entry = self.entries[key]
            lines.append(f"  ({key}) you placed {value.index(key) + 1}, rubric {reference.index(key) + 1}: "
                         f"{entry['feedback']}")
            lines.append(render.indent(render.cites_text(entry["cite"], self.cite), "      "))
        lines.append(f"Rubric: {self.data['rubric']['text']}")
        lines.append(render.indent(render.cites_text(self.data["rubric"]["cite"], self.cite)))
        return "\n".join(lines)

    def _rows(self, order):
        """Each entry in the rubric's order, with the place the learner gave it (None before ranking)."""
        return [(self.entries[k], order.index(k) + 1 if order else None) for k in self.data["reference_order"]]

    def feedback_html(self, value) -> str:
        same, total = self.agreement(value)
        return render_macro(TEMPLATE, "feedback", " > ".join(value), same, total, self._rows(value),
                            self.data["rubric"], self.cite)

    def controls(self):
        """The entries as a radio group in the learner's order (full text, wrapped), and buttons to move one.

        Arrow keys choose an entry (widget.js keeps them from JupyterLab); Move up / Move down move it and
        the status line says where it went; the move buttons keep focus, so pressing again moves further.
        """
        from course.learner import widgetkit as w

        self._order = list(self.value or [e["key"] for e in self.data["entries"]])
        self._list = w.RadioButtons(options=[], value=None, layout=w.Layout(width="100%"),
                                    description="Your order, most acceptable first", classes=["course-ranking"])
        up = w.Button(description="Move up", icon="arrow-up", tooltip="Move the chosen entry one place up")
        down = w.Button(description="Move down", icon="arrow-down", tooltip="Move the chosen entry one place down")
        save = w.Button(description="Save my ranking", button_style="primary")
        up.on_click(lambda _: self._move(-1))
        down.on_click(lambda _: self._move(1))
        save.on_click(lambda _: self._submit(list(self._order)))
        self._show_order()
        help_text = w.HTML(render_macro(TEMPLATE, "help"))
        return w.VBox([help_text, self._list, w.HBox([up, down, save])], layout=w.Layout(width="100%"))

    def _show_order(self, selected=None):
        self._list.options = [(f"{i + 1}. ({k}) {self.entries[k]['text']}", k) for i, k in enumerate(self._order)]
        self._list.value = selected

    def _move(self, step):
        key = self._list.value
        if key is None:
            self._say("Choose an entry first (arrow keys in the list), then move it.")
            return
        i = self._order.index(key)
        j = min(max(i + step, 0), len(self._order) - 1)
        self._order[i], self._order[j] = self._order[j], self._order[i]
        self._show_order(selected=key)
        self._say(render_macro(TEMPLATE, "moved", key, j + 1, len(self._order), j == i))

    def saved_message(self) -> str:
        return "Your ranking is saved in your journal. The rubric's order follows."

    def sync_controls(self):
        if getattr(self, "_list", None) is not None and self.value:
            self._order = list(self.value)
            self._show_order()
