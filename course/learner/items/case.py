"""Case prompts: a scenario revealed in stages, a question at each, then discussion and guidance."""

from __future__ import annotations

from html import escape

from course import render
from course.learner.items.base import Item
from course.learner.items.choice import ChoiceQuestion
from course.learner.items.reflection import ReflectionQuestion


def stage_question(data, cite):
    """The question object of one case stage; `cite` maps a citation to its label."""
    return ReflectionQuestion(data, cite) if data["type"] == "reflection" else ChoiceQuestion(data, cite)


class CaseItem(Item):
    """A staged case. Answer stage by stage: `case.answer("b")` answers the next open stage."""

    def __init__(self, spec, journal=None, cite=None):
        super().__init__(spec, journal, cite)
        self.stages = [(stage["text"], stage_question(stage["question"], self.cite)) for stage in self.data["stages"]]
        self._stage_box = None

    def heading(self) -> str:
        kind = "Invented case" if self.data["invented"] else "Real case"
        return f"{kind}: {self.data['title']}"

    def origin_text(self) -> str:
        if self.data["invented"]:
            return "This case is invented for teaching; any resemblance to real people is accidental."
        return f"A real, public case. {render.cites_text([self.data['based_on']], self.cite)}"

    @property
    def answers(self) -> dict:
        return dict(self.value or {})

    def next_stage(self) -> int | None:
        """The 1-based number of the first unanswered stage, or None when all are answered."""
        answers = self.answers
        for number in range(1, len(self.stages) + 1):
            if str(number) not in answers:
                return number
        return None

    def answer(self, value, stage: int | None = None, share: bool = False):
        """Answer one stage (default: the next open one); returns the feedback so far."""
        number = self.next_stage() if stage is None else stage
        if number is None:
            raise ValueError("every stage of this case is answered; use .reset(confirm=True) to start again")
        if not 1 <= number <= len(self.stages):
            raise ValueError(f"this case has stages 1 to {len(self.stages)}")
        if number > (self.next_stage() or len(self.stages) + 1):
            raise ValueError(f"answer stage {self.next_stage()} first: the case unfolds in order")
        question = self.stages[number - 1][1]
        options = {"share": share} if isinstance(question, ReflectionQuestion) else {}
        answers = self.answers
        answers[str(number)] = question.normalise(value, **options)
        self.journal.save(self.id, answers)
        self._refresh()
        return self.feedback()

    def normalise(self, value, **options):  # the case saves stage by stage in answer()
        raise NotImplementedError

    def _visible(self):
        shown = self.next_stage() or len(self.stages)
        return self.stages[:shown]

    def prompt_text(self) -> str:
        return self.origin_text()

    def prompt_html(self, static: bool = True) -> str:
        html = f"<p><em>{escape(self.origin_text())}</em></p>"
        if static:
            stages = "".join(
                f"<details><summary>Stage {i} of {len(self.stages)}</summary>{render.paragraphs_html(text)}"
                f"{question.prompt_html(static=True)}</details>"
                for i, (text, question) in enumerate(self.stages, 1))
            html += stages + f"<details><summary>Discussion and guidance</summary>{self._closing_html()}</details>"
        return html

    def text(self) -> str:
        lines = [f"[{self.heading()}]", self.origin_text()]
        answers = self.answers
        for number, (text, question) in enumerate(self._visible(), 1):
            lines += [f"Stage {number} of {len(self.stages)}:", render.indent(text, "  "),
                      render.indent(question.prompt_text(), "  ")]
            saved = answers.get(str(number))
            lines.append(render.indent(question.feedback_text(saved), "  ") if saved is not None
                         else "  (not answered yet)")
        if self.next_stage() is None:
            lines.append(self._closing_text())
        return "\n".join(lines)

    def feedback_text(self, value) -> str:
        return self.text()

    def feedback_html(self, value) -> str:
        parts = []
        for number, (text, question) in enumerate(self._visible(), 1):
            saved = self.answers.get(str(number))
            if saved is not None:
                parts.append(f"<h5>Stage {number}: your answer</h5>{question.feedback_html(saved)}")
        if self.next_stage() is None:
            parts.append(self._closing_html())
        return "".join(parts)

    def _closing_text(self) -> str:
        lines = ["Discussion:", render.indent(self.data["discussion"], "  "), "Guidance that applies:"]
        for g in self.data["guidance"]:
            lines += [f"  - {g['text']}", render.indent(render.cites_text(g["cite"], self.cite), "      ")]
        return "\n".join(lines)

    def _closing_html(self) -> str:
        guidance = "".join(f"<li>{escape(g['text'])}{render.cites_html(g['cite'], self.cite)}</li>" for g in self.data["guidance"])
        return (f"<h5>Discussion</h5>{render.paragraphs_html(self.data['discussion'])}"
                f"<h5>Guidance that applies</h5><ul>{guidance}</ul>")

    def html(self) -> str:
        answers = self.answers
        body = [f"<h4>{escape(self.heading())}</h4>", self.prompt_html(static=not answers)]
        if answers:
            for number, (text, question) in enumerate(self._visible(), 1):
                saved = answers.get(str(number))
                body.append(f"<h5>Stage {number} of {len(self.stages)}</h5>{render.paragraphs_html(text)}"
                            f"{question.prompt_html(static=False)}"
                            + (question.feedback_html(saved) if saved is not None else "<p><em>Not answered yet.</em></p>"))
            if self.next_stage() is None:
                body.append(self._closing_html())
        return render.box_html("".join(body), self.heading())

    # -- live widget: one stage at a time ----------------------------------------------------------
    def controls(self):
        import ipywidgets as w

        self._stage_box = w.VBox([])
        self.sync_controls()
        return self._stage_box

    def sync_controls(self):
        if self._stage_box is None:
            return
        import ipywidgets as w

        children = []
        answers = self.answers
        for number, (text, question) in enumerate(self._visible(), 1):
            saved = answers.get(str(number))
            intro = w.HTML(f"<h5>Stage {number} of {len(self.stages)}</h5>{render.paragraphs_html(text)}"
                           + question.prompt_html(static=False))
            if saved is not None:
                children += [intro, w.HTML(question.feedback_html(saved))]
            else:
                box, _ = question.controls(lambda value, n=number: self._submit_stage(value, n),
                                           f"stage {number} of {self.data['title']}")
                children += [intro, box]
        if self.next_stage() is None:
            children.append(w.HTML(self._closing_html()))
        self._stage_box.children = children

    def _submit_stage(self, value, number):
        try:
            share = value.get("share", False) if isinstance(value, dict) else False
            self.answer(value, stage=number, share=share)
        except ValueError as exc:
            self._feedback_out.value = f"{render.mark_html('info')} {escape(str(exc))}"

    def _refresh(self):
        if self._widget is None:
            return
        self._feedback_out.value = ""
        self.sync_controls()
