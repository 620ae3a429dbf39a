"""The seminar deck (`python -m course slides`): a reveal.js presentation that follows the guide's plans.

Without a browser: the pages parse strictly, the deck's CSP admits only its own folder, every file
it names is bundled, its text comes from guide.yaml, and the 90-minute deck stays within 45 slides.
In headless Chromium (marked `browser`), opened from file:// with every other URL blocked: keys
move it, the URL and the counter say where it is, every slide has notes, the overview opens, a
case reveals its stages one by one, and print-pdf gives one PDF page per slide.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
import yaml

from course.instructor import deck as deck_module
from course.instructor import revealjs
from course.instructor.deck import DECK_CSP, write_deck
from course.material.api import content

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_lab import CHROMIUM, CHROMIUM_ARGS, chromium_available  # noqa: E402


def _parse(path: Path):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(path.read_text(encoding="utf-8"))
    except html5lib.html5parser.ParseError as exc:
        pytest.fail(f"{path.name}: {exc} at {parser.errors[-1][0]}")


def _csp(tree) -> str:
    metas = [m for m in tree.iter("meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(metas) == 1
    return metas[0].get("content", "")


def _sections(tree):
    slides = next(d for d in tree.iter("div") if d.get("class") == "slides")
    return [s for s in slides if s.tag == "section"]


def _text(node) -> str:
    return " ".join(" ".join(node.itertext()).split())


@pytest.fixture(scope="module")
def deck90(tmp_path_factory):
    return write_deck(tmp_path_factory.mktemp("deck90"), 90)


@pytest.fixture(scope="module")
def deck120(tmp_path_factory):
    return write_deck(tmp_path_factory.mktemp("deck120"), 120)


# -- without a browser ------------------------------------------------------------------------------
def test_both_pages_parse_strictly(deck90, deck120):
    """A parse error is what each browser repairs its own way."""
    for deck in (deck90, deck120):
        _parse(deck.deck)
        _parse(deck.handout)


def test_the_deck_csp_admits_its_own_folder_only(deck90):
    """reveal.js needs its scripts: they may come from the deck's folder ('self'), never from elsewhere."""
    tree = _parse(deck90.deck)
    policy = _csp(tree)
    assert policy == DECK_CSP
    directives = dict((d.split()[0], d.split()[1:]) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    for sources in directives.values():
        assert not any(s.startswith(("http", "ws", "*", "'unsafe-eval'")) for s in sources), policy
    assert "'unsafe-inline'" not in directives["script-src"]
    scripts = list(tree.iter("script"))
    assert scripts and all(s.get("src") and not "".join(s.itertext()).strip() for s in scripts), "no inline script"


def test_every_file_the_deck_names_is_in_its_folder(deck90):
    """Offline from a USB stick: nothing remote, nothing missing."""
    html = deck90.deck.read_text("utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    tree = _parse(deck90.deck)
    named = [e.get("src") for e in tree.iter("script")] + [e.get("href") for e in tree.iter("link")]
    folder = deck90.deck.parent
    for name in named:
        assert (folder / name).is_file(), name
    for css in folder.rglob("*.css"):  # the theme's fonts and imports
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text("utf-8")):
            if url.startswith("data:"):
                continue
            assert not re.match(r"(https?:)?//", url), f"{css.name} loads {url}"
    assert (folder / "reveal" / "LICENSE").read_text("utf-8").startswith("Copyright (C) 2011-2024 Hakim El Hattab")


def test_reveal_js_comes_from_the_pinned_sphinx_revealjs_wheel():
    """Installed with the instructor extra; the version in the bundle is the one the markup is written for."""
    pins = (REPO / "constraints.txt").read_text("utf-8").splitlines()
    assert "sphinx-revealjs==3.2.1" in pins
    assert "sphinx-revealjs" in (REPO / "pyproject.toml").read_text("utf-8")
    assert revealjs.version().startswith("5.")


def test_the_handout_has_no_script_and_the_default_csp(deck90):
    """The same slides and notes, readable where scripts are off."""
    html = deck90.handout.read_text("utf-8")
    tree = _parse(deck90.handout)
    assert "<script" not in html and "script-src" not in _csp(tree)
    assert html.count('class="deck-slide"') == deck90.slides
    assert html.count('<aside class="notes"') == deck90.slides


def test_the_90_minute_deck_has_at_most_45_slides(deck90, deck120):
    assert deck90.slides <= 45
    assert len(_sections(_parse(deck90.deck))) == deck90.slides
    assert deck120.slides > deck90.slides  # the 2-hour plan adds the break and the anonymity debate


def test_every_slide_has_speaker_notes(deck90, deck120):
    for deck in (deck90, deck120):
        for number, section in enumerate(_sections(_parse(deck.deck)), 1):
            notes = [a for a in section if a.tag == "aside" and a.get("class") == "notes"]
            assert notes and len(_text(notes[0])) > 20, f"slide {number} has no speaker notes"


def _guide():
    return content().extra["guide"]


@pytest.mark.parametrize("minutes", [90, 120])
def test_deck_text_comes_from_the_guide(minutes, deck90, deck120):
    """Agenda, questions, cases, debates, prompts, points, model answers and misconceptions are guide data."""
    deck = deck90 if minutes == 90 else deck120
    html = deck.deck.read_text("utf-8")
    text = _text(_parse(deck.deck))
    loaded, guide = content(), _guide()
    plan = next(p for p in guide["plans"] if p["minutes"] == minutes)
    debates = {d["id"]: d for d in guide["debates"]}
    models = {m["item"]: m for m in guide["model_answers"]}
    misconceptions = {m["id"]: m for m in guide["misconceptions"]}

    def shown(value):
        assert " ".join(value.split()) in text, value[:80]

    for seg in plan["segments"]:
        shown(seg["title"])
        shown(seg["activity"])
        for prompt in seg.get("prompts", []):
            shown(prompt)
        if "unit" in seg:
            shown(next(u for u in loaded.units if u.id == seg["unit"]).question)
        spec = seg.get("deck", {})
        for point in spec.get("points", {}).get("items", []):
            shown(point)
        if "debate" in spec:
            debate = debates[spec["debate"]]
            shown(debate["motion"])
            for role in debate["roles"]:
                shown(role["name"])
                shown(role["brief"])
        for case_id in spec.get("cases", []):
            case = loaded.items[case_id].data
            for stage in case["stages"]:
                shown(stage["text"])
            if case_id in models:
                shown(models[case_id]["answer"])
        for m_id in spec.get("misconceptions", []):
            shown(misconceptions[m_id]["text"])
            shown(misconceptions[m_id]["correction"])
    assert html.count('data-kind="case"') == sum(len(s.get("deck", {}).get("cases", [])) for s in plan["segments"])


def test_editing_the_guide_changes_the_deck(tmp_path, monkeypatch):
    """Slide text is data: a new key point in guide.yaml appears on the slides, with no code change."""
    readings = tmp_path / "readings"
    shutil.copytree(REPO / "readings", readings)
    path = readings / "instructor" / "guide.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    close = data["plans"][0]["segments"][-1]
    close["deck"]["points"]["items"].append("A key point added only in this test's copy of the guide.")
    close["title"] = "Closing circle"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(readings))
    html = write_deck(tmp_path / "out", 90).deck.read_text("utf-8")
    assert "A key point added only in this test&#x27;s copy of the guide." in html
    assert "Closing circle" in html


def _report(folder: Path, figure: bool) -> Path:
    """A summary.json in the shape `seminar report` writes (format of today's report)."""
    loaded = content()
    stance = next(s for s in loaded.items.values() if s.type == "stance" and s.data.get("revisits"))
    graded = [s for s in loaded.items.values() if s.type == "single" and s.data.get("graded", True)][:4]
    summary = {"learners": 12, "min_count": 5,
               "stance_shift": [{"heading": "Benefits outweigh the risks", "before": stance.data["revisits"],
                                 "after": stance.id, "before_answers": {"respondents": 12},
                                 "after_answers": {"respondents": 12}, "mean_shift": 0.42},
                                {"heading": "A stance with too few answers", "before_answers": {"respondents": None},
                                 "after_answers": {}, "mean_shift": None}],
               "difficulty": [{"item": s.id, "stage": None, "heading": f"Question {i}: {s.data['prompt'][:40]}",
                               "share_fully_correct": share, "top_wrong": {"options": ["a"], "count": None}}
                              for i, (s, share) in enumerate(zip(graded, (0.9, 0.25, 0.5, 0.4)))]
                             + [{"heading": "withheld", "share_fully_correct": None}, "not a row"]}
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps(summary), "utf-8")
    if figure:
        import base64

        (folder / "stance-shift.png").write_bytes(base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
    return folder


@pytest.mark.parametrize("figure", [True, False])
def test_a_class_report_adds_the_results(tmp_path, figure):
    """The stance chart (or, without it, a table) and the three most-missed questions, lowest first."""
    report = _report(tmp_path / "report", figure)
    deck = write_deck(tmp_path / "out", 90, report)
    tree = _parse(deck.deck)
    text = _text(tree)
    assert "12 learners" in text
    assert text.index("Question 1") < text.index("Question 3") < text.index("Question 2")
    assert "Question 0" not in text  # 90% correct: not among the three most missed
    assert "25% fully correct" in text
    images = [i for i in tree.iter("img") if i.get("src") == "report/stance-shift.png"]
    if figure:
        assert images and "net movement toward agree +0.42" in images[0].get("alt")
        assert (deck.deck.parent / "report" / "stance-shift.png").is_file()
    else:
        assert not images and "+0.42" in text and "not published" in text
    _parse(deck.handout)
    plain = write_deck(tmp_path / "plain", 90)
    assert plain.slides == deck.slides - 2


def test_the_command_line_writes_the_deck_and_refuses_what_it_cannot_build(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "course", "slides", *args], capture_output=True, text=True,
                              env=env, cwd=tmp_path)

    done = run("-o", "deck", "--plan", "120")
    assert done.returncode == 0, done.stderr
    assert "deck/index.html" in done.stdout and (tmp_path / "deck" / "reveal" / "reveal.js").is_file()
    assert run("-o", "x", "--plan", "60").returncode == 1
    missing = run("-o", "x", "--report", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "summary.json" in missing.stderr


def test_without_reveal_js_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(revealjs.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(revealjs.RevealMissing, match=r"\[instructor\]"):
        write_deck(tmp_path, 90)


# -- in a browser -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing under CI=true")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def open_deck(browser, deck90):
    """Open the 90-minute deck from file://; any request for a URL that is not a file fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    remote, errors = [], []

    def block(route):
        remote.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!file:).*"), block)
    page = context.new_page()
    page.on("request", lambda r: r.url.startswith("file:") or remote.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    def go(query=""):
        page.goto(deck90.deck.as_uri() + query)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
        return page

    yield go
    context.close()
    assert not remote, f"the deck asked for {remote}"
    assert not errors, errors


@pytest.mark.browser
def test_arrow_keys_and_clicker_keys_move_and_the_url_and_counter_follow(open_deck, deck90):
    page = open_deck()
    assert page.evaluate("Reveal.getTotalSlides()") == deck90.slides
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.hash === '#/1'")
    assert page.locator(".slide-number").inner_text().replace(" ", "") == f"2/{deck90.slides}"
    page.keyboard.press("PageDown")
    page.wait_for_function("() => location.hash === '#/2'")
    page.keyboard.press("PageUp")
    page.wait_for_function("() => location.hash === '#/1'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => Reveal.getIndices().h === 0")


@pytest.mark.browser
def test_every_slide_has_notes_and_the_overview_opens(open_deck, deck90):
    page = open_deck()
    notes = page.evaluate("() => Reveal.getSlides().map(s => Reveal.getSlideNotes(s) || '')")
    assert len(notes) == deck90.slides and all(len(n) > 20 for n in notes)
    page.keyboard.press("o")
    page.wait_for_function("() => Reveal.isOverview()")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !Reveal.isOverview()")


@pytest.mark.browser
def test_a_case_reveals_its_stages_one_at_a_time(open_deck):
    page = open_deck()
    index = page.evaluate("() => Reveal.getSlides().findIndex(s => s.dataset.kind === 'case')")
    page.evaluate(f"Reveal.slide({index}, 0, -1)")
    visible = ("() => [...Reveal.getCurrentSlide().querySelectorAll('.deck-stage')]"
               ".filter(e => getComputedStyle(e).visibility === 'visible' && getComputedStyle(e).opacity !== '0')"
               ".map(e => e.querySelector('.deck-label').textContent)")
    page.wait_for_timeout(400)
    first = page.evaluate(visible)
    assert first == ["Stage 1 of 3"], first
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(600)
    assert page.evaluate(visible) == ["Stage 2 of 3"]
    assert page.evaluate("Reveal.getIndices().h") == index  # a stage, not the next slide


@pytest.mark.browser
def test_print_to_pdf_gives_one_page_per_slide(open_deck, deck90, tmp_path):
    page = open_deck("?print-pdf")
    page.wait_for_function(f"() => document.querySelectorAll('.pdf-page').length === {deck90.slides}", timeout=15_000)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages == deck90.slides
