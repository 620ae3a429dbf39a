"""Case prompts: a scenario revealed in stages, a question at each, then discussion and guidance."""

from __future__ import annotations

from markupsafe import Markup

from course import render
from course.learner import compat
from course.learner.items.base import EARLIER_TEXT, Item
from course.learner.items.choice import ChoiceQuestion
from course.learner.items.reflection import ReflectionQuestion
from course.render.templates import render_macro

TEMPLATE = "items/case.html"


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

    def fits(self, value) -> bool:
        """A case's saved value: {"1": answer, ...}, each stage's answer fitting that stage's question."""
        if type(value) is not dict:
            return False
        questions = {str(n): stage["question"] for n, stage in enumerate(self.data["stages"], 1)}
        return all(key in questions and compat.stage_fits(questions[key], v) for key, v in value.items())

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
        if not static:
            return render_macro(TEMPLATE, "prompt", self.origin_text(), None, None)
        stages = [(text, Markup(question.prompt_html(static=True))) for text, question in self.stages]
        return render_macro(TEMPLATE, "prompt", self.origin_text(), stages, Markup(self._closing_html()))

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
        if self.earlier_value is not None:
            lines.append(EARLIER_TEXT)
        return "\n".join(lines)

    def feedback_text(self, value) -> str:
        return self.text()

    def feedback_html(self, value) -> str:
        answers = self.answers
        answered = [(number, Markup(question.feedback_html(answers[str(number)])))
                    for number, (_, question) in enumerate(self._visible(), 1) if str(number) in answers]
        return render_macro(TEMPLATE, "feedback", answered, self._closing_markup())

    def _closing_text(self) -> str:
        lines = ["Discussion:", render.indent(self.data["discussion"], "  "), "Guidance that applies:"]
        for g in self.data["guidance"]:
            lines += [f"  - {g['text']}", render.indent(render.cites_text(g["cite"], self.cite), "      ")]
        return "\n".join(lines)

    def _closing_html(self) -> str:
        return render_macro(TEMPLATE, "closing", self.data["discussion"], self.data["guidance"], self.cite)

    def _closing_markup(self):
        """The closing part as Markup once every stage is answered, else None."""
        return Markup(self._closing_html()) if self.next_stage() is None else None

    def html(self) -> str:
        answers = self.answers
        stages = []
        if answers:
            for number, (text, question) in enumerate(self._visible(), 1):
                saved = answers.get(str(number))
                stages.append((text, Markup(question.prompt_html(static=False)),
                               Markup(question.feedback_html(saved)) if saved is not None else None))
        return render_macro(TEMPLATE, "static_case", self.heading(), Markup(self.prompt_html(static=not answers)),
                            stages, len(self.stages), self._closing_markup() if answers else None,
                            earlier=self.earlier_value is not None)

    # -- live widget: one stage at a time ----------------------------------------------------------
    def controls(self):
        from course.learner import widgetkit as w

        self._stage_box = w.VBox([])
        self.sync_controls()
        return self._stage_box

    def sync_controls(self):
        if self._stage_box is None:
            return
        from course.learner import widgetkit as w

        children = []
        answers = self.answers
        for number, (text, question) in enumerate(self._visible(), 1):
            saved = answers.get(str(number))
            intro = w.HTML(render_macro(TEMPLATE, "stage", number, len(self.stages), text,
                                        Markup(question.prompt_html(static=False))))
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
        share = value.get("share", False) if isinstance(value, dict) else False
        self._submit(value, stage=number, share=share)

    def saved_message(self) -> str:
        number = self.next_stage()
        if number is None:
            return "Every stage is saved in your journal. The discussion and guidance follow."
        return f"Saved in your journal. Stage {number} of {len(self.stages)} follows."

    def _refresh(self):
        if self._widget is None:
            return
        self._feedback_out.value = ""
        self.sync_controls()
