"""The learner API of every item type, its static renderings and its widgets, on the real item banks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from html import escape
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pytest

import course
import course.material.api
from course import render
from course.learner.journal import Journal

# ------------------------------------------------------------------------------------ helpers
SPECS = course.material.api.content().items


def ids_of(*types, where=lambda spec: True) -> list[str]:
    """Item ids of these types, read from the banks so the tests follow content edits."""
    return [s.id for s in SPECS.values() if s.type in types and where(s)]


def graded(spec) -> bool:
    return spec.data.get("graded", True)


def first(*types, where=lambda spec: True) -> str:
    found = ids_of(*types, where=where)
    if not found:
        pytest.skip(f"no {'/'.join(types)} item in the banks")
    return found[0]


ALL_IDS = list(SPECS)
CHOICE_IDS = ids_of("single", "multiple")
ONE_OF_EACH = {t: ids_of(t)[0] for t in ("single", "multiple", "stance", "ranking", "reflection", "case")}
REFLECTION_TEXT = "Posting about a patient, even without a name, can still identify them to people nearby."


def good_answer(question) -> object:
    """A valid (and, if graded, right) answer to a choice/reflection question or a stance/ranking item."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        right = [o["key"] for o in question["options"] if o.get("correct")] or [question["options"][0]["key"]]
        return right[0] if kind == "single" else right
    if kind == "reflection":
        return REFLECTION_TEXT
    if kind == "stance":
        return question["scale"]["min"]
    if kind == "ranking":
        return list(question["reference_order"])
    raise AssertionError(kind)


def answer_fully(found) -> None:
    """Answer an item (every stage of a case) through the learner API."""
    if found.spec.type == "case":
        for stage in found.data["stages"]:
            found.answer(good_answer(stage["question"]))
    else:
        found.answer(good_answer(found.data))


def journal_value(item_id):
    record = Journal().get(item_id)
    return record["value"] if record else None


VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area", "base", "embed"}
BLOCK = {"p", "div", "ul", "ol", "table", "details", "blockquote", "section", "h4", "h5", "summary"}


class Checker(HTMLParser):
    """Well-formedness checker: every tag closed in order, no block element inside a <p>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.details_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in BLOCK and "p" in self.stack:
            self.errors.append(f"<{tag}> inside <p>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if "details" in self.stack:
            self.details_text.append(data)


def check_html(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, f"unclosed: {checker.stack}"
    assert html.count("<details>") == html.count("</details>")
    return checker


def plain(html: str) -> str:
    """The words of an HTML fragment, as a screen reader or a colour-blind reader gets them."""
    checker = Checker()
    checker.feed(html)
    return " ".join("".join(checker.text).split())


def squash(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------------ single / multiple
class TestChoice:
    @pytest.mark.parametrize("item_id", ids_of("single", where=graded))
    def test_single_right_and_wrong_feedback(self, item_id):
        """A learner must be told in words whether they were right, why, and where the readings say so."""
        q = course.quiz(item_id)
        options = q.data["options"]
        right = next(o for o in options if o["correct"])
        wrong = next(o for o in options if not o["correct"])

        fb = q.answer(right["key"])
        text = str(fb)
        assert "\u2713 Correct" in text
        assert squash(right["feedback"]) in squash(text)
        assert "Source:" in text
        assert "Not the best answer" not in text
        assert "Correct" in plain(fb.html)
        assert q.value == right["key"] == journal_value(item_id)

        fb = q.answer(wrong["key"].upper())  # letters are accepted in either case
        text = str(fb)
        assert "\u2717 Not the best answer" in text
        assert squash(wrong["feedback"]) in squash(text)
        assert "Source:" in text
        assert "Not the best answer" in plain(fb.html)
        assert q.value == wrong["key"]
        assert str(q.feedback()) == text

    @pytest.mark.parametrize("item_id", CHOICE_IDS)
    def test_invalid_keys_raise_clear_error_and_save_nothing(self, item_id):
        """A typo must explain what the valid answers are and must not overwrite a saved answer."""
        q = course.quiz(item_id)
        keys = [o["key"] for o in q.data["options"]]
        with pytest.raises(ValueError, match=rf"no option 'z'; the options are {', '.join(keys)}"):
            q.answer("z")
        with pytest.raises(ValueError, match="option letters"):
            q.answer(3)
        with pytest.raises(ValueError, match="at least one"):
            q.answer([])
        assert q.value is None and not course.journal().path.exists()
        q.answer(good_answer(q.data))
        saved = q.value
        with pytest.raises(ValueError):
            q.answer(["a", "zz"])
        assert q.value == saved

    @pytest.mark.parametrize("item_id", ids_of("single"))
    def test_single_rejects_two_keys(self, item_id):
        """A single-choice question must not silently keep one of two chosen options."""
        q = course.quiz(item_id)
        a, b = (o["key"] for o in q.data["options"][:2])
        with pytest.raises(ValueError, match="exactly one"):
            q.answer([a, b])

    @pytest.mark.parametrize("item_id", ids_of("multiple", where=graded))
    def test_multiple_partial_answer_reports_found_of_total(self, item_id):
        """Partial credit tells learners how many right options they found, so they look again."""
        q = course.quiz(item_id)
        right = [o["key"] for o in q.data["options"] if o["correct"]]
        wrong = [o["key"] for o in q.data["options"] if not o["correct"]]
        if len(right) < 2:
            pytest.skip("needs at least two right options")
        text = str(q.answer(right[:1] + wrong[:1]))
        assert f"You found 1 of {len(right)} right options" in text
        assert "Missed: this option is also right" in text
        assert "\u2717 Not the best answer" in text
        assert q.value == sorted(right[:1] + wrong[:1])
        text = str(q.answer(", ".join(reversed(right))))  # "c, a" style strings work too
        assert "Well reasoned" in text
        assert q.value == sorted(right)

    def test_ungraded_choice_items_never_say_not_the_best_answer(self):
        """Items with several defensible positions must not mark any of them wrong."""
        found = ids_of("single", "multiple", where=lambda s: not graded(s))
        if not found:
            pytest.skip("no top-level ungraded choice item in the banks (case stages are tested below)")
        for item_id in found:
            q = course.quiz(item_id)
            for option in q.data["options"]:
                text = str(q.answer(option["key"] if q.spec.type == "single" else [option["key"]]))
                assert "Not the best answer" not in text and "Correct" not in text
                assert "Other defensible positions" in text
                assert "Not the best answer" not in q.html()

    def test_ungraded_case_stage_never_says_not_the_best_answer(self):
        """An ungraded stage inside a case follows the same rule as an ungraded question."""
        found = [(s.id, n) for s in SPECS.values() if s.type == "case"
                 for n, st in enumerate(s.data["stages"], 1)
                 if st["question"]["type"] != "reflection" and not st["question"].get("graded", True)]
        if not found:
            pytest.skip("no ungraded case stage")
        for item_id, number in found:
            case = course.item(item_id)
            stages = case.data["stages"]
            for stage in stages[:number - 1]:
                case.answer(good_answer(stage["question"]))
            for option in stages[number - 1]["question"]["options"]:
                key = option["key"] if stages[number - 1]["question"]["type"] == "single" else [option["key"]]
                text = str(case.answer(key, stage=number))
                assert "Not the best answer" not in text
                assert "A defensible position" in text and "Other defensible positions" in text
            case.reset(confirm=True)

    def test_quiz_refuses_non_choice_items(self):
        """course.quiz() promises a question; handing it a stance id must say what to use instead."""
        with pytest.raises(TypeError, match=r"course\.item\(\)"):
            course.quiz(ONE_OF_EACH["stance"])
        with pytest.raises(KeyError, match="course.items()"):
            course.item("no-such-item")


# ------------------------------------------------------------------------------------ stance
REVISITING = ids_of("stance", where=lambda s: bool(s.data.get("revisits")))


class TestStance:
    @pytest.mark.parametrize("item_id", ids_of("stance"))
    def test_out_of_range_or_non_integer_raises(self, item_id):
        """Only whole points on the scale can be saved; anything else explains the range."""
        s = course.item(item_id)
        low, high = s.data["scale"]["min"], s.data["scale"]["max"]
        for bad in (low - 1, high + 1, 2.5, True, "3", None):
            with pytest.raises(ValueError, match=rf"{low}.*{high}"):
                s.answer(bad)
        assert s.value is None
        fb = s.answer(high)
        assert "\u2714 Saved" in str(fb) and s.value == high

    @pytest.mark.parametrize("item_id", REVISITING)
    def test_revisit_shows_how_far_the_stance_moved(self, item_id):
        """The policy workshop shows each learner how their stance moved since orientation."""
        later = course.item(item_id)
        earlier = course.item(later.data["revisits"])
        assert earlier.spec.type == "stance"
        text = str(later.answer(2))
        assert "moved" not in text and "Before the module" not in text  # nothing to compare yet
        earlier.answer(4)
        text = str(later.answer(2))
        assert "Before the module you chose 4; now 2: you moved 2 steps towards" in text
        assert later.data["scale"]["low"] in text
        assert "moved 1 step towards" in str(later.answer(3))
        assert "your stance held" in str(later.answer(4))
        assert "moved 2 steps" in str(course.item(item_id).answer(2))


# ------------------------------------------------------------------------------------ ranking
class TestRanking:
    @pytest.mark.parametrize("item_id", ids_of("ranking"))
    def test_reference_order_agrees_on_every_pair(self, item_id):
        """The agreement count is the learner's only measure of how close they were to the rubric."""
        r = course.item(item_id)
        order = list(r.data["reference_order"])
        pairs = len(list(combinations(order, 2)))
        text = str(r.answer(order))
        assert f"ordered {pairs} of {pairs} pairs" in text
        assert r.value == order
        assert f"ordered 0 of {pairs} pairs" in str(r.answer(list(reversed(order))))
        assert f"ordered {pairs} of {pairs} pairs" in str(r.answer("".join(order).upper()))

    @pytest.mark.parametrize("item_id", ids_of("ranking"))
    def test_incomplete_or_repeated_permutation_raises(self, item_id):
        """A ranking missing or repeating an entry cannot be compared, so it must not be saved."""
        r = course.item(item_id)
        order = list(r.data["reference_order"])
        for bad in (order[:-1], order[:-1] + order[:1], order + ["z"]):
            with pytest.raises(ValueError, match="rank every entry exactly once"):
                r.answer(bad)
        with pytest.raises(ValueError):
            r.answer(42)
        assert r.value is None


# ------------------------------------------------------------------------------------ reflection
class TestReflection:
    @pytest.mark.parametrize("item_id", ids_of("reflection"))
    def test_text_and_share_are_stored_and_model_answer_follows(self, item_id):
        """Sharing is opt-in and stored explicitly; the expert view appears only after the learner writes."""
        r = course.item(item_id)
        model = squash(r.data["model_answer"]["text"])[:60]
        assert model not in squash(str(r))
        text = str(r.answer("  " + REFLECTION_TEXT + "\n", share=True))
        assert r.value == {"text": REFLECTION_TEXT, "share": True}
        assert Journal().get(item_id)["value"] == {"text": REFLECTION_TEXT, "share": True}
        assert model in squash(text) and model in squash(str(r))
        assert "shared anonymously" in text
        assert r.answer(REFLECTION_TEXT).text.count("private (not shared)") == 1
        assert r.value["share"] is False

    @pytest.mark.parametrize("item_id", ids_of("reflection"))
    def test_word_count_note(self, item_id):
        """The word count is a hint, phrased kindly for short and long texts alike."""
        r = course.item(item_id)
        words = r.data["words"]
        assert "1 word;" in str(r.answer("Short."))
        n = words["min"] + 1
        assert f"{n} words;" in str(r.answer(" ".join(["word"] * n)))
        short = str(r.answer(" ".join(["word"] * (words["min"] - 1))))
        assert f"{words['min'] - 1} words; a little under the suggested {words['min']}" in short
        long = str(r.answer(" ".join(["word"] * (words["max"] + 1))))
        assert f"{words['max'] + 1} words; more than the suggested {words['max']}" in long

    def test_empty_reflection_raises(self):
        """Saving an empty box by accident must not replace a written reflection."""
        r = course.item(ONE_OF_EACH["reflection"])
        r.answer(REFLECTION_TEXT)
        for bad in ("", "   \n", None, {"share": True}):
            with pytest.raises(ValueError, match="write your reflection"):
                r.answer(bad)
        assert r.value["text"] == REFLECTION_TEXT


# ------------------------------------------------------------------------------------ case
CASE_IDS = ids_of("case")


class TestCase:
    @pytest.mark.parametrize("item_id", CASE_IDS)
    def test_stages_unfold_in_order_then_discussion_and_guidance(self, item_id):
        """A case is only a case if later stages and the discussion stay hidden until earned."""
        case = course.item(item_id)
        stages = case.data["stages"]
        discussion = squash(case.data["discussion"])[:60]
        guidance = [squash(g["text"])[:60] for g in case.data["guidance"]]
        if len(stages) >= 3:
            with pytest.raises(ValueError, match="answer stage 1 first"):
                case.answer(good_answer(stages[2]["question"]), stage=3)
        with pytest.raises(ValueError, match=f"stages 1 to {len(stages)}"):
            case.answer("a", stage=len(stages) + 1)
        for number, stage in enumerate(stages, 1):
            text = squash(str(case))
            assert f"Stage {number} of {len(stages)}" in text
            assert f"Stage {number + 1} of" not in text  # later stages stay hidden
            assert discussion not in text
            if number + 2 <= len(stages):
                with pytest.raises(ValueError, match=f"answer stage {number} first"):
                    case.answer(good_answer(stages[number + 1]["question"]), stage=number + 2)
            case.answer(good_answer(stage["question"]))
            assert set(case.value) == {str(n) for n in range(1, number + 1)}
        text = squash(str(case))
        assert "(not answered yet)" not in text
        assert discussion in text
        assert all(g in text for g in guidance)
        assert discussion in squash(plain(case.html()))
        with pytest.raises(ValueError, match="every stage"):
            case.answer("a")

    @pytest.mark.parametrize("item_id", CASE_IDS)
    def test_real_and_invented_cases_say_so(self, item_id):
        """Learners must never mistake an invented scenario for a real one, or the reverse."""
        case = course.item(item_id)
        text = str(case)
        if case.data["invented"]:
            assert "invented" in text.lower() and "Invented case" in text
            assert "A real, public case" not in text
        else:
            assert "A real, public case" in text and "Real case" in text
            assert "Source:" in text
            assert "invented for teaching" not in text
    def test_stage_zero_is_rejected(self):
        """A zero-based stage number must be refused, not silently applied to another stage."""
        case = course.item(CASE_IDS[0])
        with pytest.raises(ValueError, match="stages 1 to"):
            case.answer(good_answer(case.data["stages"][0]["question"]), stage=0)


# ------------------------------------------------------------------------------------ restart, reset
RESTART_ANSWER = textwrap.dedent("""
    import json, sys
    import course
    for item_id, value, options in json.loads(sys.argv[1]):
        course.item(item_id).answer(value, **options)
""")
RESTART_READ = textwrap.dedent("""
    import json, sys
    import course
    print(json.dumps({i: [str(course.item(i)), course.item(i).value] for i in json.loads(sys.argv[1])}))
""")


class TestRestartAndReset:
    def test_answers_survive_a_kernel_restart(self, course_home):
        """Answers given in one kernel must show in a fresh kernel, as the learner left them."""
        single, multiple = ONE_OF_EACH["single"], ONE_OF_EACH["multiple"]
        stance, ranking, reflection, case = (ONE_OF_EACH[t] for t in ("stance", "ranking", "reflection", "case"))
        single_key = SPECS[single].data["options"][1]["key"]
        multi_keys = [o["key"] for o in SPECS[multiple].data["options"][:2]]
        order = list(reversed(SPECS[ranking].data["reference_order"]))
        first_stage = SPECS[case].data["stages"][0]["question"]
        plan = [
            [single, single_key, {}],
            [multiple, multi_keys, {}],
            [stance, 3, {}],
            [ranking, order, {}],
            [reflection, "Restart-proof text <b>here</b>.", {"share": True}],
            [case, good_answer(first_stage), {}],
        ]
        env = {**os.environ, "COURSE_HOME": str(course_home)}
        done = subprocess.run([sys.executable, "-c", RESTART_ANSWER, json.dumps(plan)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        ids = [p[0] for p in plan]
        read = subprocess.run([sys.executable, "-c", RESTART_READ, json.dumps(ids)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert read.returncode == 0, read.stderr
        shown = json.loads(read.stdout)

        def option_text(item_id, key):
            return next(o["text"] for o in SPECS[item_id].data["options"] if o["key"] == key)

        assert shown[single][1] == single_key
        assert f"Your answer: ({single_key}) {option_text(single, single_key)}" in shown[single][0]
        assert shown[multiple][1] == multi_keys
        assert f"Your answer: ({multi_keys[0]})" in shown[multiple][0]
        assert shown[stance][1] == 3 and "you placed yourself at 3" in shown[stance][0]
        assert shown[ranking][1] == order and f"Your order: {' > '.join(order)}" in shown[ranking][0]
        assert shown[reflection][1] == {"text": "Restart-proof text <b>here</b>.", "share": True}
        assert "| Restart-proof text <b>here</b>." in shown[reflection][0]
        assert list(shown[case][1]) == ["1"] and "Your answer:" in shown[case][0]
        for item_id in ids[:-1]:
            assert "(not answered yet)" not in shown[item_id][0], item_id
        assert "(not answered yet)" in shown[case][0]  # stage 2 is still open
        for item_id in ids:  # and this (third) process renders the same
            assert str(course.item(item_id)) == shown[item_id][0]

    @pytest.mark.parametrize("item_id", ONE_OF_EACH.values(), ids=ONE_OF_EACH.keys())
    def test_reset_needs_confirmation(self, item_id):
        """Deleting an answer is irreversible, so a bare reset() must delete nothing."""
        found = course.item(item_id)
        answer_fully(found)
        saved = found.value
        message = found.reset()
        assert "Nothing was deleted" in message and "confirm=True" in message
        assert found.value == saved == course.item(item_id).value
        assert "deleted" in found.reset(confirm=True)
        assert found.value is None and journal_value(item_id) is None
        assert "(not answered yet)" in str(found)
        assert "(not answered yet)" in str(course.item(item_id))


# ------------------------------------------------------------------------------------ static renderings
ABSOLUTE_PATH = re.compile(r"(?:^|[\s(\"'=])(?:/(?:home|tmp|work|usr|var|root|Users|private|opt)/|[A-Za-z]:\\)")


def no_leaks(text: str, *paths) -> None:
    assert not re.search(r"0x[0-9a-fA-F]{4,}", text), "memory address in rendering"
    assert " object at " not in text
    assert not ABSOLUTE_PATH.search(text), ABSOLUTE_PATH.search(text)
    for path in paths:
        assert str(path) not in text


class TestStaticRenderings:
    @pytest.mark.parametrize("answered", [False, True], ids=["unanswered", "answered"])
    @pytest.mark.parametrize("item_id", ALL_IDS)
    def test_mimebundle_is_stable_clean_and_well_formed(self, item_id, answered, course_home):
        """GitHub, nbviewer and nbval see only these texts; they must be deterministic, private and valid."""
        if answered:
            answer_fully(course.item(item_id))
        bundle = course.item(item_id)._repr_mimebundle_()
        again = course.item(item_id)._repr_mimebundle_()
        assert {"text/plain", "text/html"} <= set(bundle)
        assert bundle["text/plain"] == again["text/plain"]
        assert bundle["text/html"] == again["text/html"]
        assert bundle["text/plain"].strip() and plain(bundle["text/html"])
        repo = Path(course.__file__).resolve().parent.parent
        for mime in ("text/plain", "text/html"):
            no_leaks(bundle[mime], repo, course_home, Path.home(), sys.prefix)
        check_html(bundle["text/html"])
        assert ("(not answered yet)" in bundle["text/plain"]) is (not answered)

    @pytest.mark.parametrize("item_id", CHOICE_IDS)
    def test_unanswered_choice_html_folds_feedback_in_details(self, item_id):
        """Readers without widgets can still check themselves: every option's feedback is folded away."""
        html = course.item(item_id)._repr_mimebundle_()["text/html"]
        checker = check_html(html)
        assert html.count("<details>") >= len(SPECS[item_id].data["options"])
        folded = squash("".join(checker.details_text))
        for option in SPECS[item_id].data["options"]:
            assert squash(option["feedback"]) in folded
        assert "Source:" in folded

    def test_reflection_html_escapes_learner_text(self):
        """A learner's text is shown in exported HTML; it must never run as markup or script."""
        payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        r = course.item(ONE_OF_EACH["reflection"])
        fb = r.answer(payload, share=True)
        widget_html = (r.widget(), r._feedback_out.value)[1]
        for html in (r._repr_mimebundle_()["text/html"], fb.html, widget_html):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            assert "<script" not in html.lower() and "<img" not in html.lower()
            checker = check_html(html)
            assert "script" not in checker.tags and "img" not in checker.tags
        assert payload in str(r)  # plain text keeps it as typed

    def test_case_reflection_stage_escapes_learner_text(self):
        """The same escaping holds for reflections written inside a case."""
        payload = "<script>alert(1)</script>"
        for item_id in CASE_IDS:
            case = course.item(item_id)
            stages = case.data["stages"]
            numbers = [n for n, st in enumerate(stages, 1) if st["question"]["type"] == "reflection"]
            if not numbers:
                continue
            for stage in stages[:numbers[0] - 1]:
                case.answer(good_answer(stage["question"]))
            case.answer(payload, stage=numbers[0])
            html = case._repr_mimebundle_()["text/html"]
            assert "&lt;script&gt;" in html and "<script" not in html.lower()
            check_html(html)
            return
        pytest.skip("no case with a reflection stage")

    def test_every_mark_carries_words_not_only_colour(self):
        """Feedback must be readable without colour (colour-vision deficiency, screen readers)."""
        for kind, (symbol, words, colour) in render.MARKS.items():
            html = render.mark_html(kind)
            assert words in plain(html) and words in render.mark_text(kind)
            assert 'aria-hidden="true"' in html  # the symbol is decoration; the words are read out


# ------------------------------------------------------------------------------------ widgets
def walk(widget):
    """Every widget in a tree of ipywidgets boxes."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def buttons(widget):
    import ipywidgets as w

    return [x for x in walk(widget) if isinstance(x, w.Button)]


def button(widget, prefix):
    found = [b for b in buttons(widget) if b.description.startswith(prefix)]
    assert len(found) == 1, [b.description for b in buttons(widget)]
    return found[0]


def fill_question(box, question) -> object:
    """Operate a choice/reflection control box as a learner would; returns the expected saved value."""
    import ipywidgets as w

    kind = question["type"]
    if kind == "reflection":
        text, count, share, _ = box.children
        text.value = REFLECTION_TEXT
        share.value = True
        assert f"{len(REFLECTION_TEXT.split())} words" in count.value
        return {"text": REFLECTION_TEXT, "share": True}
    picker = box.children[0]
    wanted = good_answer(question)
    if kind == "single":
        assert isinstance(picker, w.RadioButtons)
        picker.value = wanted
        return wanted
    for option, checkbox in zip(question["options"], picker.children):
        checkbox.value = option["key"] in wanted
    return sorted(wanted)


class TestWidgets:
    @pytest.mark.parametrize("item_id", ALL_IDS)
    def test_widget_builds_and_every_button_is_labelled(self, item_id):
        """Keyboard and screen-reader users find buttons by their label; none may be blank."""
        import ipywidgets as w

        found = course.item(item_id)
        widget = found.widget()
        assert isinstance(widget, w.VBox) and len(widget.children) == 5
        header, controls, live, clear_row, confirm_row = widget.children
        status, feedback = live.children  # one polite live region: what just happened, then the feedback
        assert escape(found.heading()) in header.value
        assert feedback.value == status.value == "" and confirm_row.layout.display == "none"
        button(clear_row, "Clear my answer").click()
        for b in buttons(widget):
            assert b.description.strip(), f"unlabelled button in {item_id}"
        assert found.widget() is widget

    @pytest.mark.parametrize("item_id", CHOICE_IDS)
    def test_choice_submit_saves_to_journal(self, item_id):
        """Clicking the button is how most learners answer; it must save exactly what they selected."""
        found = course.quiz(item_id)
        widget = found.widget()
        controls, feedback = widget.children[1], widget.children[2].children[1]
        picker, submit = controls.children
        expected = fill_question(controls, found.data)
        assert journal_value(item_id) is None
        submit.click()
        assert journal_value(item_id) == expected
        assert course.item(item_id).value == expected
        words = plain(feedback.value)
        assert ("Correct" in words) if graded(found.spec) else ("A defensible position" in words)
        assert "Your answer:" in words

    def test_choice_wrong_answer_feedback_in_words(self):
        """A wrong answer is announced in words, not only in red."""
        item_id = first("single", where=graded)
        found = course.quiz(item_id)
        widget = found.widget()
        picker, submit = widget.children[1].children
        picker.value = next(o["key"] for o in found.data["options"] if not o["correct"])
        submit.click()
        assert "Not the best answer" in plain(widget.children[2].children[1].value)

    def test_submit_without_choice_explains_and_saves_nothing(self):
        """Clicking submit with nothing selected must say why nothing happened."""
        for item_id in (first("single"), first("stance")):
            found = course.item(item_id)
            widget = found.widget()
            buttons(widget.children[1])[0].click()
            assert "Note" in plain(widget.children[2].children[1].value)
            assert journal_value(item_id) is None

    def test_stance_ranking_reflection_submit(self):
        """Every non-choice control also saves what the learner did."""
        stance = course.item(ONE_OF_EACH["stance"])
        picker, save = stance.widget().children[1].children
        picker.value = stance.data["scale"]["max"]
        save.click()
        assert journal_value(stance.id) == stance.data["scale"]["max"]
        assert "Saved" in plain(stance.widget().children[2].children[1].value)

        ranking = course.item(ONE_OF_EACH["ranking"])
        help_text, listing, row = ranking.widget().children[1].children
        start = [key for _, key in listing.options]
        listing.value = start[0]
        button(row, "Move down").click()
        button(row, "Save my ranking").click()
        assert journal_value(ranking.id) == [start[1], start[0]] + start[2:]
        assert "pairs" in plain(ranking.widget().children[2].children[1].value)

        reflection = course.item(ONE_OF_EACH["reflection"])
        box = reflection.widget().children[1]
        expected = fill_question(box, reflection.data)
        box.children[-1].click()
        assert journal_value(reflection.id) == expected

    @pytest.mark.parametrize("item_id", CASE_IDS)
    def test_case_widget_answers_stage_by_stage(self, item_id):
        """The case widget reveals one stage at a time and saves each stage's answer."""
        case = course.item(item_id)
        widget = case.widget()
        stage_box = widget.children[1]
        stages = case.data["stages"]
        for number, stage in enumerate(stages, 1):
            controls = stage_box.children[-1]
            assert f"Stage {number} of {len(stages)}" in stage_box.children[-2].value
            expected = fill_question(controls, stage["question"])
            buttons(controls)[-1].click()
            assert journal_value(item_id)[str(number)] == expected
        assert squash(case.data["discussion"])[:60] in squash(plain(stage_box.children[-1].value))

    def test_widget_follows_api_answers(self):
        """An answer given by code (or in a previous session) shows in the controls."""
        item_id = ONE_OF_EACH["single"]
        found = course.quiz(item_id)
        picker = found.widget().children[1].children[0]
        key = found.data["options"][-1]["key"]
        found.answer(key)
        assert picker.value == key
        assert "Your answer:" in plain(found.widget().children[2].children[1].value)
        fresh = course.quiz(item_id)
        assert fresh.widget().children[1].children[0].value == key

    @pytest.mark.parametrize("item_id", ONE_OF_EACH.values(), ids=ONE_OF_EACH.keys())
    def test_clear_asks_first_and_only_yes_deletes(self, item_id):
        """The Clear button must never delete in one click; 'Keep it' keeps, only 'Yes, delete' deletes."""
        found = course.item(item_id)
        answer_fully(found)
        saved = found.value
        widget = found.widget()
        confirm_row = widget.children[4]
        clear = button(widget.children[3], "Clear my answer")

        clear.click()
        assert confirm_row.layout.display != "none", "no confirmation asked"
        assert "Delete your saved answer" in plain(confirm_row.children[0].value)
        assert journal_value(item_id) == saved
        button(confirm_row, "Keep it").click()
        assert confirm_row.layout.display == "none"
        assert journal_value(item_id) == saved
        assert "Nothing was deleted" in plain(widget.children[2].children[0].value)

        clear.click()
        assert journal_value(item_id) == saved
        button(confirm_row, "Yes, delete").click()
        assert journal_value(item_id) is None
        assert confirm_row.layout.display == "none"
        assert "Your saved answer was deleted" in plain(widget.children[2].children[0].value)
        if found.spec.type != "case":
            assert widget.children[2].children[1].value == ""
        assert "(not answered yet)" in str(found)


class TestWidgetAnnouncements:
    """What the live region (status line, then feedback) tells a learner who cannot see the page change."""

    def test_a_save_that_fails_says_so_and_a_save_that_works_confirms(self, monkeypatch):
        found = course.quiz(ONE_OF_EACH["single"])
        widget = found.widget()
        status = widget.children[2].children[0]
        picker, submit = widget.children[1].children
        picker.value = found.data["options"][0]["key"]

        def fail(*args, **kwargs):
            raise OSError("No space left on device")

        monkeypatch.setattr(found.journal, "save", fail)
        submit.click()
        assert "not saved" in plain(status.value) and "No space left on device" in plain(status.value)
        assert journal_value(found.id) is None
        monkeypatch.undo()
        submit.click()
        assert "Saved in your journal" in plain(status.value)

    def test_a_ranking_move_says_where_the_entry_went(self):
        ranking = course.item(ONE_OF_EACH["ranking"])
        widget = ranking.widget()
        help_text, listing, row = widget.children[1].children
        first_key = listing.options[0][1]
        button(row, "Move up").click()
        assert "Choose an entry first" in plain(widget.children[2].children[0].value)
        listing.value = first_key
        button(row, "Move down").click()
        assert f"({first_key}) is now at place 2 of" in plain(widget.children[2].children[0].value)
