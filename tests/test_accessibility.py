"""Accessibility in a real JupyterLab (headless Chromium), as issue 11 asks: keyboard, reading, screen readers.

- a keyboard-only learner answers one item of each type with key presses alone (Tab in, arrow keys,
  Space/Enter), reorders the ranking, clears an answer through its confirmation, never loses focus
  and always sees it; the journal holds each answer and the live region reads the feedback back;
- axe-core (npm, injected by Playwright) finds no WCAG 2.0/2.1 A or AA violation inside any output
  of any notebook, before and after answering, nor on the learner's HTML export, the class report,
  the facilitator guide as HTML or the slide deck;
- no widget element's content is wider than its box, at 1280 px and at 200% zoom (640 CSS px);
- JupyterLab opens with nothing to dismiss (the course's settings in jupyter/).
Each check has a control: a variant that breaks it (today's widgets, an image without alt text, a
one-line list, no course settings) must make it fail. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import re

import nbformat
import pytest

import course
from browser_lab import (CURRENT, REPO, SCREENSHOTS, LabSession, axe_script, axe_violations, chromium_available,
                         clipped)
from course.learner.journal import Journal

pytestmark = pytest.mark.browser

TYPED = "Typed with the keyboard only: I would disclose every payment and never post about patients."
ZOOM_200 = {"width": 640, "height": 900}  # a 1280 px window at 200% zoom (WCAG 1.4.10)
WIDE = {"width": 1280, "height": 900}


def _require_tools():
    missing = [what for what, ok in (("Chromium (apt-get install chromium)", chromium_available()),
                                     ("axe-core (npm install --prefix .cache/npm axe-core)", axe_script() is not None))
               if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing under CI=true: {', '.join(missing)}; .ci/run must install them")
        pytest.skip(f"missing: {', '.join(missing)}")


@pytest.fixture(scope="module")
def lab():
    _require_tools()
    with LabSession() as session:
        session.page.set_viewport_size(WIDE)
        yield session


def _journal(lab) -> dict:
    path = lab.home / "journal.json"
    return json.loads(path.read_text("utf-8"))["answers"] if path.exists() else {}


# -- the keyboard-only learner -------------------------------------------------------------------------------
class Keyboard:
    """Key presses only; after each, focus must be inside the widget and visibly marked."""

    def __init__(self, lab, item_id):
        self.page = lab.page
        self.widget = lab.page.locator(f"{CURRENT} .course-item-{item_id}").first
        self.widget.scroll_into_view_if_needed()
        self.widget.wait_for()
        # Where a learner's Tab arrives from: the widget's own edge (focus placed there, not clicked).
        self.widget.evaluate("w => { w.tabIndex = -1; w.focus(); }")

    def press(self, *keys, settle=150):
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(settle)
            state = self.widget.evaluate("""w => { const a = document.activeElement, s = getComputedStyle(a);
                return [w.contains(a), a.tagName + ' ' + (a.type || '') + ' ' + (a.textContent || '').slice(0, 40),
                        s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }""")
            assert state[0], f"after {key}, focus left the widget (now on {state[1]})"
            assert state[2], f"after {key}, focus on {state[1]} is not visible"
        return self

    def focused(self) -> str:
        return self.page.evaluate("() => document.activeElement.textContent || document.activeElement.type")

    def checked(self) -> list[bool]:
        return self.widget.locator("input[type=radio], input[type=checkbox]").evaluate_all("e => e.map(x => x.checked)")

    def live(self, text, timeout=15_000):
        """Wait until the widget's polite live region says `text`; return what it says."""
        region = self.widget.locator(".course-live[aria-live=polite][role=status]").first
        region.get_by_text(text).first.wait_for(timeout=timeout)
        return region.inner_text()

    def tab_to(self, text, most=30):
        """Tab (only Tab) until the focused control says `text`."""
        for _ in range(most):
            if text in self.focused():
                return self
            self.press("Tab", settle=60)
        raise AssertionError(f"Tab never reached {text!r}")

    def type(self, text):
        self.page.keyboard.type(text)
        return self


def keyboard_choice(lab, item_id):
    """Single choice: Tab onto the group, ArrowDown twice (chooses the second option), Tab, Enter."""
    k = Keyboard(lab, item_id).press("Tab", "ArrowDown", "ArrowDown", "ArrowUp")
    assert k.checked()[:2] == [False, True], f"arrow keys did not choose an option: {k.checked()}"
    k.press("Tab")
    assert "Check my answer" in k.focused()
    k.press("Enter")
    assert "Your answer:" in k.live("Saved in your journal")
    return k


def test_a_keyboard_only_learner_answers_every_kind_of_item(lab):
    """One item of each type, and a clearing, with key presses only; each answer reaches the journal."""
    lab.open("01-benefits.ipynb")
    lab.run_all()
    options = course.item("benefits-evidence-crisis").data["options"]
    keyboard_choice(lab, "benefits-evidence-crisis")
    assert _journal(lab)["benefits-evidence-crisis"]["value"] == options[1]["key"]

    k = Keyboard(lab, "benefits-evidence-anecdote").press("Tab", "Space", "Tab", "Tab", "Space")
    k.press(*["Tab"] * (len(k.checked()) - 2), "Space")
    assert "Your answer:" in k.live("Saved in your journal")
    keys = [o["key"] for o in course.item("benefits-evidence-anecdote").data["options"]]
    assert _journal(lab)["benefits-evidence-anecdote"]["value"] == sorted([keys[0], keys[2]])

    k = Keyboard(lab, "benefits-stance-public").press("Tab", "ArrowDown", "ArrowDown", "Tab", "Space")
    assert "you placed yourself at 3" in k.live("Saved in your journal")
    assert _journal(lab)["benefits-stance-public"]["value"] == 3

    k = Keyboard(lab, "benefits-reflection-who-benefits").press("Tab")
    k.type(TYPED).press("Tab", "Space", "Tab", "Enter")
    assert "An expert perspective" in k.live("Saved in your journal")
    assert _journal(lab)["benefits-reflection-who-benefits"]["value"] == {"text": TYPED, "share": True}

    # A case unfolds: each stage's controls replace the last, and focus must follow to the new stage.
    # (a second and a half to settle: the next stage's controls arrive, then focus moves to the first)
    k = Keyboard(lab, "benefits-case-demystify").press("Tab", "ArrowDown", "Tab").press("Enter", settle=1500)
    k.live("Stage 2 of 3 follows")
    assert k.widget.evaluate("w => document.activeElement.type") == "checkbox"  # stage 2's first option
    k.press("Space").tab_to("Check my answer").press("Enter", settle=1500)
    k.live("Stage 3 of 3 follows")
    assert k.widget.evaluate("w => document.activeElement.tagName") == "TEXTAREA"  # stage 3's text box
    k.type("Stage three, by keyboard.").press("Tab", "Tab").press("Enter", settle=1500)
    k.live("Every stage is saved")
    stages = _journal(lab)["benefits-case-demystify"]["value"]
    assert sorted(stages) == ["1", "2", "3"] and stages["3"]["text"] == "Stage three, by keyboard."

    # "Clear my answer..." and its confirmation: Enter opens it with focus on "Keep it"; Shift+Tab, Enter deletes.
    k = Keyboard(lab, "benefits-evidence-crisis").press("Tab").tab_to("Clear my answer").press("Enter", settle=600)
    assert "Keep it" in k.focused()
    k.press("Shift+Tab", "Enter", settle=600)
    k.live("Your saved answer was deleted")
    assert "Clear my answer" in k.focused()
    assert "benefits-evidence-crisis" not in _journal(lab)

    lab.open("02-sponsorship.ipynb")
    lab.run_all()
    ranking = course.item("sponsorship-rank-posts")
    entries = [e["key"] for e in ranking.data["entries"]]
    k = Keyboard(lab, "sponsorship-rank-posts").press("Tab", "ArrowDown", "ArrowDown", "Tab")
    assert "Move up" in k.focused()
    k.press("Enter", settle=600)
    assert f"({entries[2]}) is now at place 2 of {len(entries)}" in k.live("is now at place")
    k.press("Enter", settle=600)
    k.live("is now at place 1")
    k.press("Tab", "Tab", "Enter")
    k.live("Your ranking is saved")
    assert _journal(lab)["sponsorship-rank-posts"]["value"] == [entries[2], entries[0], entries[1], *entries[3:]]
    _ranking_screenshots(lab)


def _ranking_screenshots(lab):
    """The ranking item in full, at 1280 px and at 200% zoom, for artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("ranking-1280px", WIDE), ("ranking-200pct-zoom", ZOOM_200)):
        lab.page.set_viewport_size(size)
        lab.page.wait_for_timeout(800)
        widget = lab.page.locator(f"{CURRENT} .course-item-sponsorship-rank-posts").first
        widget.scroll_into_view_if_needed()
        # JupyterLab draws only what is in the window: make the window tall enough for the whole item
        height = int(widget.bounding_box()["height"]) + 300
        lab.page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        lab.page.wait_for_timeout(800)
        widget.scroll_into_view_if_needed()
        widget.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
    lab.page.set_viewport_size(WIDE)


def _control_notebook(lab, name, code):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, lab.root / name)
    lab.open(name)
    lab.run_all()


# Today's main: the same widget without what widget.js adds (its stylesheet's onload removed).
TODAYS_WIDGET = """import course
q = course.quiz("sponsorship-wrapup-1")
header = q.widget().children[0]
header.value = header.value.replace("onload=", "data-no-onload=")
q"""


def test_the_keyboard_check_fails_on_todays_widget(lab):
    """Control: without keys kept from JupyterLab, ArrowDown leaves the widget and the learner test fails."""
    _control_notebook(lab, "keyboard-control.ipynb", TODAYS_WIDGET)
    with pytest.raises(AssertionError, match="focus left the widget|did not choose"):
        keyboard_choice(lab, "sponsorship-wrapup-1")


# -- axe-core and clipping over every notebook ---------------------------------------------------------------
def _answer_everything(home, unit_id):
    """A valid answer for every item of a unit, written to the session's journal, so feedback renders."""
    journal = Journal(home)
    for item_id in course.items(unit_id):
        item = course.item(item_id, journal)
        data, kind = item.data, item.spec.type
        if item.answered:  # e.g. by the keyboard learner
            continue
        if kind == "case":
            for _, question in item.stages:
                item.answer({"text": "A case answer.", "share": True} if question.data["type"] == "reflection"
                            else question.data["options"][0]["key"] if question.data["type"] == "single"
                            else [question.data["options"][0]["key"]])
            continue
        item.answer({"single": lambda: data["options"][0]["key"], "multiple": lambda: [data["options"][0]["key"]],
                     "stance": lambda: data["scale"]["max"], "ranking": lambda: [e["key"] for e in data["entries"]],
                     "reflection": lambda: {"text": "A reflection typed for the scan.", "share": True}}[kind]())


@pytest.mark.parametrize("unit_id", [u.id for u in course.units()])
def test_every_output_passes_axe_and_nothing_is_clipped(lab, unit_id):
    """After Run All (1280 px) and again after answering every item (200% zoom): no violation, nothing cut off."""
    lab.open(f"{unit_id}.ipynb")
    lab.run_all()
    scanned, violations = axe_violations(lab.page, f"{CURRENT} .jp-OutputArea-output")
    assert scanned >= 1 and violations == [], f"{unit_id}, unanswered:\n" + "\n".join(violations)
    assert clipped(lab.page) == []

    _answer_everything(lab.home, unit_id)
    lab.restart_and_run_all()
    lab.page.set_viewport_size(ZOOM_200)
    try:
        lab.page.wait_for_timeout(800)
        expected, rendered = lab.widget_outputs()  # (test_browser.py checks the rest of what could break)
        assert rendered == expected
        scanned, violations = axe_violations(lab.page, f"{CURRENT} .jp-OutputArea-output")
        assert violations == [], f"{unit_id}, answered, 200% zoom:\n" + "\n".join(violations)
        assert clipped(lab.page) == [], f"{unit_id}: text cut off at 200% zoom"
    finally:
        lab.page.set_viewport_size(WIDE)


# The checks' controls: an image without alt text, and today's one-line ranking list (a Select).
BROKEN_OUTPUTS = """import ipywidgets as w
long = "An invented post whose text is far longer than any box it could be shown in, " * 6
box = w.VBox([w.HTML('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
              w.Select(options=[long, "short"], rows=2, layout=w.Layout(width="100%"))])
box.add_class("course-widget")
box"""


def test_the_axe_and_clipping_checks_see_broken_outputs(lab):
    """Control: an image without alt text and a list cut off at one line must both be reported."""
    _control_notebook(lab, "a11y-control.ipynb", BROKEN_OUTPUTS)
    _, violations = axe_violations(lab.page, f"{CURRENT} .jp-OutputArea-output")
    assert any(v.startswith("image-alt") for v in violations), violations
    assert any(c.startswith("select") for c in clipped(lab.page))


# -- the course's own pages ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(tmp_path_factory, lab):
    """The learner's HTML export, the class report, the facilitator guide as HTML and the slide deck."""
    import importlib.util

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from course.instructor import report
    from course.instructor.seminar import guide_markdown, write_slides

    out = tmp_path_factory.mktemp("pages")
    for unit in course.units():
        _answer_everything(out / "journal", unit.id)
    found = {"export": course.export(out / "export.html", "html", journal=Journal(out / "journal"), name="Sam")}
    spec = importlib.util.spec_from_file_location("report_bench", REPO / "benchmarks" / "report_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    (out / "exports").mkdir()
    bench.make_exports(30, out / "exports", seed=3)
    report.build_report([out / "exports"], out / "report", min_count=5, progress=False)
    found["class report"] = out / "report" / "index.html"
    guide = out / "guide.html"
    guide.write_text(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Facilitator guide</title>"
                     f"</head><body><main>{markdown2html_mistune(guide_markdown())}</main></body></html>", "utf-8")
    found["facilitator guide"] = guide
    found["slides"] = write_slides(out / "slides")
    return found


@pytest.fixture(scope="module")
def page_browser(lab):
    """A page that may run axe on our own files: their CSP forbids scripts, so this context bypasses it."""
    context = lab.browser.new_context(bypass_csp=True, viewport=WIDE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", ["export", "class report", "facilitator guide", "slides"])
def test_the_courses_pages_pass_axe(pages, page_browser, name):
    """The learner's export, the class report, the guide as HTML and the deck: no WCAG A/AA violation."""
    page_browser.goto(pages[name].as_uri())
    _, violations = axe_violations(page_browser, None)
    assert violations == [], f"{name}:\n" + "\n".join(violations)


def test_the_page_check_sees_a_broken_page(pages, page_browser, tmp_path):
    """Control: the export with its language removed and an image without alt text must be reported."""
    html = pages["export"].read_text("utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(re.sub(r"<html[^>]*>", "<html>", html, count=1).replace(
        "</body>", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body>'), "utf-8")
    page_browser.goto(broken.as_uri())
    _, violations = axe_violations(page_browser, None)
    assert any(v.startswith("html-has-lang") for v in violations) and any(v.startswith("image-alt") for v in violations)


# -- nothing to dismiss --------------------------------------------------------------------------------------
def _prompts(session) -> list[str]:
    session.open("00-orientation.ipynb")
    session.page.wait_for_timeout(3000)
    return session.page.locator(".Toastify__toast, .jp-Dialog").all_inner_texts()


def test_jupyterlab_opens_with_nothing_to_dismiss(lab):
    """With the course's settings (jupyter/, as `make lab` uses them): no news prompt, no dialog."""
    assert _prompts(lab) == []


def test_without_the_course_settings_the_news_prompt_appears(lab):
    """Control: the same JupyterLab without jupyter/ asks about Jupyter news, so the check above can fail."""
    with LabSession([REPO / "notebooks" / "00-orientation.ipynb"], course_settings=False, browser=lab.browser) as bare:
        assert any("Jupyter news" in text for text in _prompts(bare))
