"""What every item shares: its saved answer in the journal, the learner API, and two renderings.

An `Item` displays as a live ipywidget in JupyterLab and, in the same mime bundle, as
`text/plain` and `text/html` for places where widgets cannot run (GitHub, nbviewer, VS Code
without widgets, exported HTML and PDF) and for nbval, which compares the text forms.

The HTML comes from the templates in `course/render/templates/items/`: each item type has one
(`choice.html`, `case.html`, ...) and `macros.html` holds what they share (the static frame,
the widget header and its stylesheet). Python hands a template the data; the template escapes it.
An HTML fragment handed on to another template is wrapped in `Markup`, which says it is HTML already.
"""

from __future__ import annotations

from markupsafe import Markup

from course.learner import compat
from course.learner.journal import JournalWriteError
from course.learner.journal import journal as default_journal
from course.render.templates import render_macro

EARLIER_TEXT = ("(answered in an earlier version of the module: that answer is kept in your journal, but this "
                "question has changed since; answer it again here)")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def with_widget_view(bundle: dict, widget) -> dict:
    """A static mime bundle plus the live widget's view, so one display serves Lab and static viewers.

    The view comes from ipywidgets' `get_view_spec()`, what its `_repr_mimebundle_` puts there too (a
    test holds them equal); that method would also make a `repr` of every widget in the tree, only to
    cut it to 110 characters of text/plain that this bundle replaces anyway.
    """
    if widget._view_name is not None:
        bundle[WIDGET_VIEW] = widget.get_view_spec()
    return bundle


def problem_html(exc: Exception) -> str:
    """Why an answer was not saved, as HTML for the widget's feedback line."""
    return render_macro("items/macros.html", "problem", str(exc))


def _content_labels():
    """The loaded course's citation labeller, for items built without one."""
    from course.material.api import content

    return content().cite_label


class Feedback:
    """What a learner sees after answering, in plain text and HTML."""

    def __init__(self, text: str, html: str):
        self.text, self.html = text, html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "text/html": self.html}


class Item:
    """A question, scale, ranking, reflection or case the learner answers; saved in the journal."""

    type_label = "Item"

    def __init__(self, spec, journal=None, cite=None):
        self.spec = spec
        self.id = spec.id
        self.data = spec.data
        self.journal = journal or default_journal()
        self.cite = cite or _content_labels()
        self._widget = None
        self._feedback_out = None
        self._confirm_row = None

    # -- learner API --------------------------------------------------------------------------
    @property
    def value(self):
        """The learner's saved answer, or None (also for an answer that no longer fits, see `earlier_value`)."""
        record = self.journal.get(self.id)
        return record["value"] if record and self.fits(record["value"]) else None

    @property
    def earlier_value(self):
        """An answer saved by an earlier version of the module that no longer fits this item, or None.

        It stays in the journal untouched (and in exports, marked as such) until the learner answers again.
        """
        record = self.journal.get(self.id)
        return record["value"] if record and not self.fits(record["value"]) else None

    def fits(self, value) -> bool:
        """Whether a saved value is a well-formed answer to this item as the content is now."""
        return compat.fits(self.spec.type, self.data, value)

    @property
    def answered(self) -> bool:
        return self.value is not None

    def answer(self, value, **options) -> Feedback:
        """Answer as a learner would; saves at once and returns the feedback the learner sees."""
        stored = self.normalise(value, **options)
        self.journal.save(self.id, stored)
        self._refresh()
        self._build_confirmation()
        return self.feedback()

    def reset(self, confirm: bool = False) -> str:
        """Delete this item's saved answer. Needs confirm=True, so nothing is lost by accident."""
        if not confirm:
            return "Nothing was deleted. To delete your saved answer, call .reset(confirm=True)."
        self.journal.forget(self.id, confirm=True)
        self._refresh()
        return "Your saved answer was deleted."

    def feedback(self) -> Feedback | None:
        """The feedback for the saved answer, or None before answering."""
        value = self.value
        if value is None:
            return None
        return Feedback(self.feedback_text(value), self.feedback_html(value))

    # -- to be provided by each type --------------------------------------------------------
    def normalise(self, value, **options):
        """Check a learner's answer and return the JSON value to save; ValueError if it is not valid."""
        raise NotImplementedError

    def prompt_text(self) -> str:
        raise NotImplementedError

    def prompt_html(self, static: bool = True) -> str:
        """The prompt as HTML; `static` adds what a page without widgets needs (e.g. folded feedback)."""
        raise NotImplementedError

    def feedback_text(self, value) -> str:
        raise NotImplementedError

    def feedback_html(self, value) -> str:
        raise NotImplementedError

    def controls(self):
        """The ipywidgets a learner answers with; must call self._submit(value) on submit."""
        raise NotImplementedError

    def sync_controls(self) -> None:
        """Show the saved answer in the controls (after a restart or an API answer)."""

    # -- renderings ---------------------------------------------------------------------------
    def heading(self) -> str:
        return self.type_label

    def text(self) -> str:
        lines = [f"[{self.heading()}]", self.prompt_text()]
        value = self.value
        if value is not None:
            lines.append(self.feedback_text(value))
        elif self.earlier_value is not None:
            lines.append(EARLIER_TEXT)
        else:
            lines.append("(not answered yet)")
        return "\n".join(lines)

    def html(self) -> str:
        value = self.value
        feedback = Markup(self.feedback_html(value)) if value is not None else None
        return render_macro("items/macros.html", "static_item", self.heading(), Markup(self.prompt_html()), feedback,
                            earlier=self.earlier_value is not None)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return with_widget_view({"text/plain": self.text(), "text/html": self.html()}, self.widget())

    # -- live widget ----------------------------------------------------------------------------
    def widget(self):
        """The live ipywidgets view (built once; imported only when first needed).

        Below the controls, a status line and the feedback form one polite live region, so a screen
        reader hears what a save, a clearing or a problem did. "Clear my answer..." opens a
        confirmation row that stays in the page (hidden when closed), so focus can move to its
        buttons and back by keyboard. The row's question and buttons are built once there is an
        answer to clear (at once for a saved answer, else on the first save), and so is the row's own
        layout, the one it shows and hides itself with; until then it shares one hidden layout with
        every other unanswered item. An unanswered item, most of a fresh notebook, so opens four fewer
        widget models, and the buttons are on the page well before the learner can ask for them, so
        focus has somewhere to go. The Clear button stands in the frame itself, held to its own width.
        """
        if self._widget is None:
            from course.learner import widgetkit as w

            self._status = w.HTML()
            self._feedback_out = w.HTML()
            live = w.VBox([self._status, self._feedback_out], classes=["course-live"])
            self._clear = w.Button(description="Clear my answer\u2026", tooltip="Delete your saved answer (asks first)",
                                   layout=w.Layout(width="auto", align_self="flex-start"))
            self._clear.on_click(lambda _: self._ask_to_clear())
            answered = self.value is not None or self.earlier_value is not None
            self._confirm_row = w.HBox([], layout=w.own_layout(display="none") if answered else w.Layout(display="none"))
            header = w.HTML(render_macro("items/macros.html", "widget_header", self.heading(),
                                         Markup(self.prompt_html(static=False))))
            self._widget = w.VBox([header, self.controls(), live, self._clear, self._confirm_row],
                                  layout=w.Layout(border="1px solid #bbb", padding="0.4em 1em", margin="0.4em 0"),
                                  # course-item-<id> lets a test or a stylesheet find one item
                                  classes=["course-widget", f"course-item-{self.id}"])
            self._refresh()
            if answered:
                self._build_confirmation()
        return self._widget

    def _build_confirmation(self):
        """Fill the (hidden) confirmation row with its question and buttons, and give it its own layout, once."""
        if self._widget is None or self._confirm_row.children:
            return
        from course.learner import widgetkit as w

        yes = w.Button(description="Yes, delete my answer", button_style="danger")
        self._keep = w.Button(description="Keep it")
        yes.on_click(lambda _: self._confirm_clear())
        self._keep.on_click(lambda _: self._close_confirm("Nothing was deleted."))
        question = w.HTML(render_macro("items/macros.html", "confirm_question"))
        with self._confirm_row.hold_sync():  # one update message for both
            if w.is_shared(self._confirm_row.layout):
                self._confirm_row.layout = w.own_layout(display="none")
            self._confirm_row.children = (question, yes, self._keep)

    def _say(self, message: str | None):
        """Put a short message in the live status line (nothing before the widget exists)."""
        if self._widget is not None:
            self._status.value = render_macro("items/macros.html", "status", message or "")

    def _submit(self, value, **options):
        try:
            self.answer(value, **options)
        except ValueError as exc:
            self._say(None)
            if self._feedback_out is not None:
                self._feedback_out.value = problem_html(exc)
        except JournalWriteError as exc:  # the journal's own words: NOT saved, why, and what to do
            self._say(Markup(problem_html(exc)))
        except OSError as exc:  # any other failed save must not pass in silence either
            self._say(Markup(render_macro("items/macros.html", "not_saved", str(exc) or type(exc).__name__)))
        else:
            self._say(self.saved_message())

    def saved_message(self) -> str:
        """What the status line says after a save."""
        return "Saved in your journal. Your feedback follows."

    def _ask_to_clear(self):
        self._build_confirmation()  # only if there was nothing to clear when the widget was built
        self._confirm_row.layout.display = "flex"
        self._keep.focus()

    def _confirm_clear(self):
        try:
            self.reset(confirm=True)
        except OSError as exc:  # the disk refused (JournalWriteError says so in words): the answer stays
            self._close_confirm(Markup(problem_html(exc)))
            return
        self._close_confirm("Your saved answer was deleted.")

    def _close_confirm(self, message=None):
        self._confirm_row.layout.display = "none"
        self._clear.focus()
        self._say(message)

    def _refresh(self):
        if self._widget is None:
            return
        value = self.value
        self._feedback_out.value = self.feedback_html(value) if value is not None else ""
        self.sync_controls()


class QuestionItem(Item):
    """An item whose text, feedback and controls come from a question object (shared with case stages)."""

    question_class = None

    def __init__(self, spec, journal=None, cite=None):
        super().__init__(spec, journal, cite)
        self.question = self.question_class(self.data, self.cite)
        self._show = None

    def normalise(self, value, **options):
        return self.question.normalise(value, **options)

    def prompt_text(self):
        return self.question.prompt_text()

    def prompt_html(self, static: bool = True):
        return self.question.prompt_html(static)

    def feedback_text(self, value):
        return self.question.feedback_text(value)

    def feedback_html(self, value):
        return self.question.feedback_html(value)

    def controls(self):
        box, self._show = self.question.controls(self._submit, self.data["prompt"][:80])
        return box

    def sync_controls(self):
        if self._show is not None:
            self._show(self.value)
