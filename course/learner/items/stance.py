"""Stance scales: where a learner stands between two labelled poles, and how that moved."""

from __future__ import annotations

from course import render
from course.learner.items.base import Item
from course.render.templates import render_macro

TEMPLATE = "items/stance.html"


class StanceItem(Item):
    """A 'where do you stand?' scale; if it `revisits` an earlier stance, the feedback shows the shift."""

    def heading(self) -> str:
        return "Where do you stand?"

    @property
    def scale(self):
        return self.data["scale"]

    def normalise(self, value, **options):
        low, high = self.scale["min"], self.scale["max"]
        if value is None:
            raise ValueError(f"choose a point on the scale ({low} to {high}) first")
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"answer with a whole number from {low} to {high}")
        return value

    def _points(self):
        return range(self.scale["min"], self.scale["max"] + 1)

    def point_label(self, point: int) -> str:
        if point == self.scale["min"]:
            return f"{point} \u2014 {self.scale['low']}"
        if point == self.scale["max"]:
            return f"{point} \u2014 {self.scale['high']}"
        return str(point)

    def prompt_text(self) -> str:
        s = self.scale
        return (f"{self.data['prompt']}\n(No right answer. Scale {s['min']} to {s['max']}: "
                f"{s['min']} = {s['low']}; {s['max']} = {s['high']})")

    def prompt_html(self, static: bool = True) -> str:
        return render_macro(TEMPLATE, "prompt", self.data["prompt"], self.scale, static, self.data["perspectives"],
                            self.cite)

    def earlier(self):
        """The learner's answer to the stance this one revisits, or None."""
        target = self.data.get("revisits")
        record = self.journal.get(target) if target else None
        return record["value"] if record else None

    def shift_text(self, value):
        before = self.earlier()
        if before is None:
            return None
        if before == value:
            return f"Before the module you also chose {before}: your stance held."
        pole = self.scale["high"] if value > before else self.scale["low"]
        steps = abs(value - before)
        return (f"Before the module you chose {before}; now {value}: you moved {steps} "
                f"step{'s' if steps != 1 else ''} towards \u201c{pole}\u201d.")

    def feedback_text(self, value) -> str:
        lines = [f"{render.mark_text('saved')}: you placed yourself at {self.point_label(value)}."]
        shift = self.shift_text(value)
        if shift:
            lines.append(shift)
        lines.append("The range of positions in the readings:")
        for p in self.data["perspectives"]:
            lines.append(f"  {render.MARKS['position'][0]} {p['text']}")
            lines.append(render.indent(render.cites_text(p["cite"], self.cite), "      "))
        return "\n".join(lines)

    def feedback_html(self, value) -> str:
        return render_macro(TEMPLATE, "feedback", self.point_label(value), self.shift_text(value),
                            self.data["perspectives"], self.cite)

    def controls(self):
        from course.learner import widgetkit as w

        self._picker = w.RadioButtons(options=[(self.point_label(p), p) for p in self._points()], value=None,
                                      layout=w.Layout(width="100%"))
        button = w.Button(description="Save my stance", button_style="primary",
                          tooltip=f"Save where you stand on: {self.data['prompt'][:80]}")
        button.on_click(lambda _: self._submit(self._picker.value))
        return w.VBox([self._picker, button])

    def sync_controls(self):
        if getattr(self, "_picker", None) is not None:
            self._picker.value = self.value
