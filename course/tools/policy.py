"""The policy builder: draft a school social media policy clause by clause, with reasons.

For each area in readings/tools/policy-builder.yaml the learner picks a candidate clause or
writes their own, gives a reason from the readings, and then sees what AMA, ACP-FSMB, GMC and
other guidance say on that area. The draft is saved in the journal under `policy-builder`.
"""

from __future__ import annotations

from markupsafe import Markup

from course import render
from course.material.api import content
from course.learner.items.base import problem_html
from course.learner.compat import builder_fits
from course.learner.journal import JournalWriteError
from course.learner.journal import journal as default_journal
from course.render.templates import render_macro

JOURNAL_KEY = "policy-builder"
TEMPLATE = "tools/policy.html"


class PolicyBuilder:
    """The learner's draft policy: one clause and one reason per area."""

    def __init__(self, journal=None):
        data = content().extra.get("policy_builder")
        if data is None:
            raise LookupError("this course has no readings/tools/policy-builder.yaml")
        self.data = data
        self.cite = content().cite_label
        self.areas = {a["id"]: a for a in data["areas"]}
        self.journal = journal or default_journal()
        self._widget = None

    @property
    def draft(self) -> dict:
        """The saved clauses that fit the builder as it is now; others stay in the journal, unshown."""
        return {area_id: entry for area_id, entry in self._saved().items()
                if builder_fits(self.data, {area_id: entry})}

    def _saved(self) -> dict:
        record = self.journal.get(JOURNAL_KEY)
        return dict(record["value"]) if record and isinstance(record["value"], dict) else {}

    def _area(self, area_id):
        try:
            return self.areas[area_id]
        except KeyError:
            raise ValueError(f"no area '{area_id}'; the areas are {', '.join(self.areas)}") from None

    def choose(self, area_id: str, option: str, reason: str = "") -> "AreaView":
        """Adopt one of the candidate clauses for an area; returns what the learner sees."""
        area = self._area(area_id)
        keys = [o["key"] for o in area["options"]]
        if option not in keys:
            raise ValueError(f"no clause '{option}' in area '{area_id}'; choose one of {', '.join(keys)}")
        return self._save(area_id, {"option": option, "reason": reason.strip()})

    def write(self, area_id: str, clause: str, reason: str = "") -> "AreaView":
        """Write your own clause for an area; returns what the learner sees."""
        self._area(area_id)
        if not clause.strip():
            raise ValueError("write the clause's text")
        return self._save(area_id, {"option": "own", "clause": clause.strip(), "reason": reason.strip()})

    def _save(self, area_id, entry):
        draft = self._saved()  # keeps areas saved by an earlier version, even those that no longer fit
        draft[area_id] = entry
        self.journal.save(JOURNAL_KEY, draft)
        self._refresh()
        return AreaView(self, area_id)

    def clause_text(self, area_id: str, entry: dict) -> str:
        if entry["option"] == "own":
            return entry["clause"]
        return next(o["clause"] for o in self._area(area_id)["options"] if o["key"] == entry["option"])

    # -- renderings ---------------------------------------------------------------------------------
    def area_text(self, area_id: str) -> str:
        area, entry = self._area(area_id), self.draft.get(area_id)
        lines = [f"{area['title']}: {area['question']}"]
        if entry is None:
            lines.append("  Candidate clauses:")
            lines += [f"    ({o['key']}) {o['clause'].strip()}" for o in area["options"]]
            lines.append("  (no clause chosen yet)")
            return "\n".join(lines)
        origin = "your own clause" if entry["option"] == "own" else f"clause ({entry['option']})"
        lines += [f"  Your clause ({origin}): {self.clause_text(area_id, entry).strip()}",
                  f"  Your reason: {entry['reason'] or '(none given yet)'}", "  What guidance says on this area:"]
        for g in area["guidance"]:
            lines += [f"    {g['body']}: {g['text'].strip()}", render.indent(render.cites_text(g["cite"], self.cite), "      ")]
        return "\n".join(lines)

    def text(self) -> str:
        done = len(self.draft)
        lines = ["[Policy builder]", self.data["intro"].strip(), f"Areas drafted: {done} of {len(self.areas)}"]
        lines += [self.area_text(a) for a in self.areas]
        return "\n".join(lines)

    def area_html(self, area_id: str) -> str:
        return self._area_html(area_id)

    def _area_html(self, area_id: str, saved: bool = False) -> str:
        """One area's HTML; `saved` leads with the Saved mark, as the widget shows it after saving."""
        area, entry = self._area(area_id), self.draft.get(area_id)
        clause = None if entry is None else self.clause_text(area_id, entry)
        reason = None if entry is None else entry["reason"] or "(none given yet)"
        return render_macro(TEMPLATE, "area", area, clause, reason, self.cite, saved=saved)

    def html(self) -> str:
        areas = [Markup(self.area_html(a)) for a in self.areas]
        return render_macro(TEMPLATE, "builder", self.data["intro"], len(self.draft), len(self.areas), areas)

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None):
        from course.learner.items.base import with_widget_view

        return with_widget_view({"text/plain": self.text(), "text/html": self.html()}, self.widget())

    # -- live widget ----------------------------------------------------------------------------------
    def widget(self):
        if self._widget is None:
            from course.learner import widgetkit as w

            self._views = {}
            sections = [w.HTML(render_macro(TEMPLATE, "widget_header", self.data["intro"]))]
            for area_id, area in self.areas.items():
                choices = [(f"({o['key']}) {o['clause'].strip()}", o["key"]) for o in area["options"]]
                choices.append(("Write my own clause", "own"))
                pick = w.RadioButtons(options=choices, value=None, layout=w.Layout(width="100%"))
                notes = w.HTML(render_macro(TEMPLATE, "notes", area["options"]))
                own = w.Textarea(description="Own clause", style={"description_width": "initial"},
                                 placeholder="Your own clause (if you chose 'Write my own clause')", rows=2,
                                 layout=w.Layout(width="100%"))
                reason = w.Textarea(description="Reason", style={"description_width": "initial"},
                                    placeholder="Your reason, from the readings", rows=2, layout=w.Layout(width="100%"))
                save = w.Button(description=f"Save: {area['title'][:40]}", button_style="primary")
                view = w.HTML()
                self._views[area_id] = (pick, own, reason, view)
                save.on_click(lambda _, a=area_id: self._save_from_widget(a))
                sections.append(w.VBox([w.HTML(render_macro(TEMPLATE, "area_heading", area)),
                                        pick, notes, own, reason, save, view]))
            self._widget = w.VBox(sections, classes=["course-widget"])
            self._refresh()
        return self._widget

    def _save_from_widget(self, area_id):
        pick, own, reason, view = self._views[area_id]
        try:
            if pick.value == "own":
                self.write(area_id, own.value, reason.value)
            elif pick.value is None:
                raise ValueError("choose a clause first")
            else:
                self.choose(area_id, pick.value, reason.value)
        except (ValueError, JournalWriteError) as exc:
            view.value = problem_html(exc)

    def _refresh(self):
        if self._widget is None:
            return
        draft = self.draft
        for area_id, (pick, own, reason, view) in self._views.items():
            entry = draft.get(area_id)
            if entry:
                pick.value = entry["option"]
                own.value = entry.get("clause", "")
                reason.value = entry["reason"]
                view.value = self._area_html(area_id, saved=True)


class AreaView:
    """What the learner sees after saving one area: their clause, reason and the guidance."""

    def __init__(self, builder: PolicyBuilder, area_id: str):
        self.text, self.html = builder.area_text(area_id), builder.area_html(area_id)

    def __repr__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "text/html": self.html}


def policy_builder(journal=None) -> PolicyBuilder:
    """The learner's policy draft, as a widget and in text."""
    return PolicyBuilder(journal)
