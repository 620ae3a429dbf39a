"""Single-choice and multiple-select questions, graded or with several defensible positions.

The rendering logic lives in `ChoiceQuestion`, which works on an item's data alone, so a case
can reuse it for its stage questions; `ChoiceItem` adds the journal and the widget.
"""

from __future__ import annotations

from course import render
from course.learner.items.base import QuestionItem
from course.render.templates import render_macro

TEMPLATE = "items/choice.html"


class ChoiceQuestion:
    """The text, feedback and answer checking of one single or multiple choice question."""

    def __init__(self, data, cite):
        self.data = data
        self.cite = cite
        self.multiple = data["type"] == "multiple"
        self.graded = data.get("graded", True)
        self.options = {o["key"]: o for o in data["options"]}

    @property
    def label(self) -> str:
        kind = "Select all that apply" if self.multiple else "Choose one"
        return kind if self.graded else f"{kind} (no single right answer)"

    def normalise(self, value, **options):
        keys = [value] if isinstance(value, str) and not self.multiple else value
        if isinstance(keys, str):
            keys = [k for k in keys.replace(",", " ").split() if k]
        if not isinstance(keys, (list, tuple, set)) or not all(isinstance(k, str) for k in keys):
            raise ValueError(f"answer with option letters, e.g. {self._example()}")
        keys = [k.strip().lower() for k in keys]
        unknown = [k for k in keys if k not in self.options]
        if unknown:
            raise ValueError(f"no option '{unknown[0]}'; the options are {', '.join(self.options)}")
        if not keys:
            raise ValueError("choose at least one option")
        if not self.multiple:
            if len(keys) != 1:
                raise ValueError("choose exactly one option")
            return keys[0]
        return sorted(set(keys))

    def _example(self):
        first = list(self.options)
        return f"{first[0]!r}" if not self.multiple else f"{first[:2]!r}"

    def prompt_text(self) -> str:
        lines = [self.data["prompt"], f"({self.label})"]
        lines += [f"  ({o['key']}) {o['text']}" for o in self.data["options"]]
        return "\n".join(lines)

    def prompt_html(self, static: bool = True) -> str:
        """The question and options; the static form also holds each option's feedback, folded."""
        options = self.data["options"]
        marks = [(o, self._verdict(o, None)) for o in options] if static else None
        return render_macro(TEMPLATE, "prompt", self.data["prompt"], self.label, options, marks, self.cite)

    def chosen(self, value) -> list[str]:
        return [value] if isinstance(value, str) else list(value)

    def _verdict(self, option, chosen):
        """Mark for one option given what was chosen (None: static view, no answer)."""
        if not self.graded:
            return "position"
        if chosen is None:
            return "correct" if option["correct"] else "incorrect"
        picked = option["key"] in chosen
        if picked:
            return "correct" if option["correct"] else "incorrect"
        if option["correct"]:
            return "missed" if self.multiple else "better"
        return None

    def feedback_text(self, value) -> str:
        chosen = self.chosen(value)
        lines = ["Your answer: " + ", ".join(f"({k}) {self.options[k]['text']}" for k in chosen)]
        for option in self.data["options"]:
            mark = self._verdict(option, chosen)
            if mark is None or (not self.graded and option["key"] not in chosen):
                continue
            lines.append(f"{render.mark_text(mark)} ({option['key']}): {option['feedback']}")
            lines.append(render.indent(render.cites_text(option["cite"], self.cite)))
        if self.graded:
            lines.append(self.summary(chosen))
        else:
            others = [o for o in self.data["options"] if o["key"] not in chosen]
            lines.append("Other defensible positions:")
            for option in others:
                lines.append(f"  ({option['key']}) {option['feedback']}")
        return "\n".join(lines)

    def feedback_html(self, value) -> str:
        chosen = self.chosen(value)
        marks = [(o, mark) for o in self.data["options"] if (mark := self._verdict(o, chosen)) is not None
                 and (self.graded or o["key"] in chosen)]
        summary = self.summary(chosen) if self.graded else None
        others = [o for o in self.data["options"] if o["key"] not in chosen]
        return render_macro(TEMPLATE, "feedback", [self.options[k] for k in chosen], marks, summary, others,
                            self.cite)

    def summary(self, chosen) -> str:
        right = {k for k, o in self.options.items() if o["correct"]}
        picked = set(chosen)
        if picked == right:
            return "Well reasoned: that is the answer the readings support."
        if not self.multiple:
            return "Compare your reasoning with the feedback above; you can change your answer at any time."
        found, wrong = len(picked & right), len(picked - right)
        return (f"You found {found} of {len(right)} right option{'s' if len(right) != 1 else ''}"
                f" and chose {wrong} that {'is' if wrong == 1 else 'are'} not.")

    def controls(self, submit, describe: str):
        """Radio buttons (single) or checkboxes (multiple) and a submit button."""
        from course.learner import widgetkit as w

        layout = w.Layout(width="100%")
        if self.multiple:
            boxes = [w.Checkbox(value=False, description=f"({o['key']}) {o['text']}", indent=False, layout=layout)
                     for o in self.data["options"]]
            picker = w.VBox(boxes, layout=layout)

            def read():
                return [o["key"] for o, box in zip(self.data["options"], boxes) if box.value]

            def show(value):
                for o, box in zip(self.data["options"], boxes):
                    box.value = o["key"] in (value or [])
        else:
            choices = [(f"({o['key']}) {o['text']}", o["key"]) for o in self.data["options"]]
            picker = w.RadioButtons(options=choices, value=None, layout=layout)

            def read():
                return picker.value or []

            def show(value):
                picker.value = value if value in self.options else None

        button = w.Button(description="Check my answer" if self.graded else "Save my position",
                          tooltip=f"Save your answer to: {describe}", button_style="primary")
        button.on_click(lambda _: submit(read()))
        return w.VBox([picker, button], layout=layout), show


class ChoiceItem(QuestionItem):
    """A single-choice or multiple-select question saved in the journal."""

    question_class = ChoiceQuestion

    def heading(self) -> str:
        return "Question" if self.question.graded else "Where do you stand?"
