"""Free-text reflections: a word-count hint, and after submitting an expert perspective."""

from __future__ import annotations

import re

from course import render
from course.learner.items.base import QuestionItem
from course.render.templates import render_macro

TEMPLATE = "items/reflection.html"

_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class ReflectionQuestion:
    """Prompt, word-count hint and model answer of a reflection (also used by case stages)."""

    def __init__(self, data, cite):
        self.data = data
        self.cite = cite

    def normalise(self, value, share: bool = False):
        text = value.get("text") if isinstance(value, dict) else value
        share = value.get("share", share) if isinstance(value, dict) else share
        if not isinstance(text, str) or not text.strip():
            raise ValueError("write your reflection as text before saving")
        return {"text": text.strip(), "share": bool(share)}

    def hint(self) -> str:
        words = self.data["words"]
        return f"About {words['min']}\u2013{words['max']} words; a hint, not a limit."

    def prompt_text(self) -> str:
        return f"{self.data['prompt']}\n({self.hint()})"

    def prompt_html(self, static: bool = True) -> str:
        return render_macro(TEMPLATE, "prompt", self.data["prompt"], self.hint(), static, self.data["model_answer"],
                            self.cite)

    def _count_note(self, text):
        n, words = word_count(text), self.data["words"]
        note = f"{n} word{'s' if n != 1 else ''}"
        if n < words["min"]:
            note += f"; a little under the suggested {words['min']}, so add to it whenever you like"
        elif n > words["max"]:
            note += f"; more than the suggested {words['max']}, which is fine"
        return note

    def feedback_text(self, value) -> str:
        shared = "shared anonymously in the class report" if value["share"] else "private (not shared)"
        return "\n".join([
            f"{render.mark_text('saved')} ({self._count_note(value['text'])}; {shared}).",
            "Your reflection:", render.indent(value["text"], "  | "),
            "An expert perspective to compare with yours:", render.indent(self.data["model_answer"]["text"], "  "),
            render.indent(render.cites_text(self.data["model_answer"]["cite"], self.cite)),
        ])

    def feedback_html(self, value) -> str:
        shared = "shared anonymously in the class report" if value["share"] else "private (not shared)"
        return render_macro(TEMPLATE, "feedback", self._count_note(value["text"]), shared, value["text"],
                            self.data["model_answer"], self.cite)

    def controls(self, submit, describe: str):
        from course.learner import widgetkit as w

        box = w.Textarea(description="Your reflection", style={"description_width": "initial"},
                         placeholder="Write here. Your text stays on this computer.", rows=6,
                         layout=w.Layout(width="100%"),
                         tooltip=f"Your reflection on: {describe}")
        count = w.HTML(render_macro(TEMPLATE, "count", 0, self.hint()))
        share = w.Checkbox(value=False, indent=False,
                           description="Share this reflection, without my name, in the class report")
        button = w.Button(description="Save my reflection", button_style="primary")
        box.observe(lambda change: setattr(count, "value", render_macro(TEMPLATE, "count", word_count(change["new"]),
                                                                        self.hint())), names="value")
        button.on_click(lambda _: submit({"text": box.value, "share": share.value}))

        def show(value):
            if value:
                box.value, share.value = value["text"], value["share"]

        return w.VBox([box, count, share, button]), show


class ReflectionItem(QuestionItem):
    """A free-text reflection saved in the journal; the learner may opt in to share it."""

    question_class = ReflectionQuestion

    def heading(self) -> str:
        return "Reflection"

    def answer(self, value, share: bool = False):
        """Save a reflection; `share=True` lets it appear, without your name, in a class report."""
        return super().answer(value, share=share)
