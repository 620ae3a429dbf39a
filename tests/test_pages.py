"""Every HTML page and fragment the package writes parses without a single error in a strict HTML5
parser (html5lib, strict=True), and every whole page carries its Content-Security-Policy.

A parse error is what a browser silently repairs, differently in each browser and each screen reader;
here it fails the test with the parser's message and the page's name.
"""

from __future__ import annotations

import re

import html5lib
import pytest

import course
from course.learner.journal import Journal
from course.material.api import content


def _strict(html: str, name: str, fragment: bool):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parseFragment(html) if fragment else parser.parse(html)
    except html5lib.html5parser.ParseError as exc:
        pytest.fail(f"{name}: {exc}\n{_around(html, parser)}")


def parse_page(html: str, name: str):
    return _strict(html, name, fragment=False)


def parse_fragment(html: str, name: str):
    return _strict(html, name, fragment=True)


def _around(html: str, parser) -> str:
    try:
        line, col = parser.errors[-1][0]
        text = html.splitlines()[line - 1]
        return "   ..." + text[max(0, col - 80):col + 40] + "..."
    except (IndexError, TypeError):
        return ""


def assert_csp(tree, name: str, scripts_from_self: bool = False):
    """The page has a CSP that loads nothing remote; only a page that must run scripts may, from its own folder."""
    metas = [m for m in tree.iter("meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert metas, f"{name}: no Content-Security-Policy"
    policy = metas[0].get("content", "")
    assert "default-src 'none'" in policy, f"{name}: CSP allows too much: {policy}"
    sources = " ".join(d.split(None, 1)[1] for d in policy.split(";") if len(d.split()) > 1)
    assert not re.search(r"https?:|\*|'unsafe-eval'", sources), f"{name}: CSP allows remote loads: {policy}"
    scripts = [d.strip() for d in policy.split(";") if d.strip().startswith("script-src")]
    assert scripts == (["script-src 'self'"] if scripts_from_self else []), f"{name}: scripts allowed: {policy}"


# -- fragments: everything a notebook cell shows ---------------------------------------------------
ITEM_IDS = sorted(content().items)


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path)


def _some_answer(item):
    """A valid answer for any item, so that feedback renders too."""
    data = item.data
    kind = data["type"]
    if kind in ("single",):
        return data["options"][0]["key"]
    if kind == "multiple":
        return [data["options"][0]["key"]]
    if kind == "stance":
        return data["scale"]["min"] if "scale" in data else 1
    if kind == "ranking":
        return "".join(e["key"] for e in data["entries"])
    if kind == "reflection":
        return "A reflection with <b>markup</b> & an ampersand."
    return None


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_every_item_parses_before_and_after_an_answer(item_id, journal):
    shown = course.item(item_id, journal)
    parse_fragment(shown.html(), f"{item_id} (unanswered)")
    answer = _some_answer(shown)
    if answer is None:  # a case: answer each stage with its first option or a short text
        for _ in shown.stages:
            stage = shown.data["stages"][len(shown.value or {})]["question"] if shown.value else \
                shown.data["stages"][0]["question"]
            shown.answer(stage["options"][0]["key"] if "options" in stage else "A short answer.")
    else:
        try:
            shown.answer(answer)
        except (ValueError, TypeError):
            pytest.skip("no generic answer for this item's shape")
    parse_fragment(shown.html(), f"{item_id} (answered)")
    parse_fragment(shown.feedback().html, f"{item_id} feedback")


def test_cell_displays_parse(journal):
    unit = content().units[1]
    shown = {
        "header": course.header(unit.id),
        "key_points": course.key_points(unit.id),
        "reading_list": course.reading_list(),
        "show_reading": course.show_reading("meded-monday"),
        "progress": course.progress(journal),
        "my_journal": course.my_journal(journal),
        "audit_post": course.audit_post("Our sponsor's scrubs are the best! Patient in bed 4 was rude. #ad"),
        "module_map": course.figures.module_map(),
        "theme_matrix": course.figures.theme_matrix(["instagram-eight-reasons", "empowered-engaged"]),
        "claim_support": course.figures.claim_support(["student-influencer", "instagram-eight-reasons"]),
        "anonymity_map": course.figures.anonymity_map(),
    }
    course.item("orientation-reflection-start", journal).answer("Mine & <yours>.", share=False)
    shown["my_journal (answered)"] = course.my_journal(journal)
    for name, thing in shown.items():
        bundle = thing._repr_mimebundle_() if hasattr(thing, "_repr_mimebundle_") else {"text/html": thing._repr_html_()}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        parse_fragment(bundle["text/html"], name)


def test_the_policy_builder_parses(journal):
    builder = course.policy_builder(journal)
    area = builder.areas and next(iter(builder.areas))
    parse_fragment(builder.html(), "policy builder (empty)")
    builder.choose(area, builder.areas[area]["options"][0]["key"], "Because <reasons> & more.")
    parse_fragment(builder.html(), "policy builder (one area)")


# -- whole pages --------------------------------------------------------------------------------------
def test_the_learners_html_export_parses_and_keeps_its_csp(tmp_path, journal):
    course.item("orientation-reflection-start", journal).answer("<script>x()</script> & more", share=True)
    path = course.export(tmp_path / "mine.html", "html", journal=journal, name="Sam <O'Neil>")
    tree = parse_page(path.read_text("utf-8"), "learner export")
    assert_csp(tree, "learner export")


def test_the_class_report_parses_and_keeps_its_csp(tmp_path, monkeypatch):
    import importlib.util
    from pathlib import Path

    from course.instructor import report

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("report_bench", root / "benchmarks" / "report_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    exports = tmp_path / "exports"
    exports.mkdir()
    bench.make_exports(30, exports, seed=3)
    report.build_report([exports], tmp_path / "out", min_count=5, progress=False)
    tree = parse_page((tmp_path / "out" / "index.html").read_text("utf-8"), "class report")
    assert_csp(tree, "class report")


def test_the_slide_deck_and_its_handout_parse_and_forbid_remote_loads(tmp_path):
    """The reveal.js deck runs its own bundled scripts ('self' only); the handout needs none."""
    from course.instructor.seminar import write_slides

    deck = write_slides(tmp_path)
    for path in (deck, deck.parent / "handout.html"):
        html = path.read_text("utf-8")
        tree = parse_page(html, path.name)
        assert_csp(tree, path.name, scripts_from_self=path.name == "index.html")
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{path.name} loads something from the network"
    assert not re.search(r"<script\b", (deck.parent / "handout.html").read_text("utf-8"))
