"""`python -m course check`: every kind of broken content is reported as `path:line: message`, never a traceback.

Each broken case is the valid folder tests/fixtures/minimal/ with ONE mistake in it, made either by laying
the files of tests/fixtures/broken/<case>/ over it (each a copy of one minimal file, the mistake marked
`# MISTAKE` where YAML allows a comment) or, for byte-level mistakes that have no place in the repository
(a BOM, a Latin-1 byte, a 600 KB file, a NUL, a deleted file), by one of the small patch functions below.

Most cases run in-process through `course.material.check.run`; three run `python -m course check` in a subprocess
to prove the command line itself: its exit code, its stdout and an empty stderr.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import course

from course.material import check

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINIMAL = TESTS / "fixtures" / "minimal"
BROKEN = TESTS / "fixtures" / "broken"

PROBLEM_LINE = re.compile(r"^.+:\d+: .+$")
SUMMARY_BAD = re.compile(r"^course check: (\d+) problems? found$")
SUMMARY_OK = re.compile(
    r"^course check: ok: \d+ units, \d+ readings \(\d+ sections, \d+ claims\), \d+ references, \d+ items$"
)

ITEMS = "items/01-basics.yaml"
DIGEST = "digests/tiny-blog.md"
MANIFEST = "manifest.yaml"
REFERENCES = "references.yaml"


# -- byte-level mistakes, made at test time ---------------------------------------------------------------

def _rewrite(relative: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def patch(root: Path) -> None:
        path = root / relative
        path.write_bytes(change(path.read_bytes()))
    return patch


def _replace_once(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert data.count(old) == 1, f"patch target {old!r} must occur exactly once in the minimal file"
        return data.replace(old, new)
    return change


def _remove(relative: str) -> Callable[[Path], None]:
    def patch(root: Path) -> None:
        (root / relative).unlink()
    return patch


# -- the cases ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str          # a folder in fixtures/broken/, or (with `patch`) just a name
    file: str          # the file the problem is reported in, relative to the readings folder
    line: int          # the line it is reported at
    fragment: str      # part of the message
    alone: bool = True  # the mistake is the only problem reported (no knock-on problems)
    patch: Callable[[Path], None] | None = None


CASES = [
    # files that cannot be read as content at all
    Case("byte-order-mark", REFERENCES, 1, "file starts with a byte-order mark (BOM)", alone=False,
         patch=_rewrite(REFERENCES, lambda data: b"\xef\xbb\xbf" + data)),
    Case("non-utf8-byte", DIGEST, 20, "not valid UTF-8 (byte 0xe9", alone=False,
         patch=_rewrite(DIGEST, _replace_once(b"The author says", b"The auth\xe9r says"))),
    Case("huge-file", REFERENCES, 1, "content files may be at most 524,288", alone=False,
         patch=_rewrite(REFERENCES, lambda data: data + b"# " + b"x" * (512 * 1024) + b"\n")),
    Case("nul-character", ITEMS, 14, "contains a NUL character",
         patch=_rewrite(ITEMS, _replace_once(b"Staying silent.", b"Staying\x00 silent."))),
    Case("empty-file", ITEMS, 1, "must be a mapping, not empty"),
    # YAML that does not parse, or parses into the wrong shape
    Case("yaml-syntax", ITEMS, 6, "YAML syntax error: mapping values are not allowed here"),
    Case("yaml-tab-indent", ITEMS, 4, "YAML syntax error: found character '\\t'"),
    Case("yaml-two-documents", ITEMS, 2, "YAML syntax error: but found another document"),
    Case("duplicate-yaml-key", ITEMS, 73, "duplicate key 'prompt' (first at line 72)"),
    Case("top-level-list", MANIFEST, 2, "must be a mapping, not a list"),
    Case("recursive-alias", ITEMS, 5, ""),
    # schema: fields
    Case("missing-required-field", ITEMS, 70, "items[5].prompt: missing required field 'prompt'"),
    Case("wrong-type", MANIFEST, 20, "units[0].minutes.exercises: must be a whole number, not text"),
    Case("unknown-field", ITEMS, 5, "items[0].theme: unknown field 'theme' (allowed:"),
    Case("bad-enum-value", DIGEST, 7, "kind: must be one of: blog-post, opinion, article, essay (got 'podcast')",
         alone=False),
    Case("id-path-traversal", ITEMS, 70, "items[5].id: '../x' is not allowed here: Lowercase letters"),
    Case("id-uppercase", ITEMS, 50, "items[4].id: 'Basics-Ranking' is not allowed here: Lowercase letters"),
    # digests
    Case("front-matter-missing", DIGEST, 1, "a digest must start with YAML front matter", alone=False),
    Case("front-matter-unclosed", DIGEST, 1, "front matter opened at line 1 is never closed with '---'", alone=False),
    Case("digest-id-mismatch", DIGEST, 2, "id: digest id 'tiny-post' must match its file name 'tiny-blog.md'",
         alone=False),
    Case("unknown-theme", DIGEST, 8, "themes[1]: unknown theme 'anonimity' (see manifest.yaml)"),
    Case("unknown-reason", DIGEST, 15, "positions[0].reasons[0]: unknown reason 'safty'"),
    Case("position-unknown-section", DIGEST, 13, "names section 'comment-b', which this digest does not have"),
    Case("text-before-first-section", DIGEST, 18, "text before the first section"),
    Case("heading-without-anchor", DIGEST, 26, "section heading needs an anchor: '## Title {#anchor}'", alone=False),
    Case("empty-section", DIGEST, 26, "section 'comment-a' is empty: write its paraphrase"),
    Case("duplicate-anchor", DIGEST, 30, "duplicate anchor 'post' (first at line 18)"),
    Case("bad-claim-tag", DIGEST, 24, "claim tag '[opinion]' must be one of: assertion, anecdote, example, evidence"),
    Case("claim-without-text", DIGEST, 24, "claim has a tag but no text"),
    # citations
    Case("dangling-citation-id", ITEMS, 61,
         "citation 'tiny-guidence#disclose' does not resolve: no reading or reference called 'tiny-guidence'"),
    Case("dangling-citation-anchor", ITEMS, 76,
         "citation 'tiny-blog#comment-b' does not resolve: reading 'tiny-blog' has no section 'comment-b'"),
    # item rules beyond the schema
    Case("single-two-correct", ITEMS, 7,
         "items[0].options: a single-choice item has exactly one correct option (has 2)"),
    Case("graded-no-correct", ITEMS, 7, "items[0].options: a graded item needs a correct option"),
    Case("graded-option-missing-correct", ITEMS, 13, "missing required field 'correct' (the item is graded)"),
    Case("ungraded-with-correct", ITEMS, 25, "an ungraded item ('graded: false') must not mark options correct"),
    Case("duplicate-option-key", ITEMS, 27, "items[1].options[1].key: duplicate key 'a'"),
    Case("ranking-not-permutation", ITEMS, 66, "items[4].reference_order: must list each entry key exactly once"),
    Case("revisits-not-stance", ITEMS, 42, "'revisits' must name a stance item; 'basics-single' is not one"),
    Case("words-min-above-max", ITEMS, 73, "items[5].words: words 'min' must not exceed 'max'"),
    Case("real-case-without-based-on", ITEMS, 77, "items[6].based_on: missing required field 'based_on'"),
    Case("real-case-based-on-not-case", ITEMS, 81,
         "'based_on' must name a reference of kind 'case' (got 'tiny-guidance')"),
    # across files
    Case("duplicate-item-id", "items/02-extra.yaml", 3, "items[0].id: duplicate item id 'basics-reflection' (also in "),
    Case("items-for-unknown-unit", "items/02-extra.yaml", 1, "unit: unknown unit '02-extra' (see manifest.yaml)"),
    Case("reading-without-digest", MANIFEST, 21, "unit '01-basics' lists reading 'tiny-vlog', which has no digest"),
    Case("id-shared-by-reading-and-reference", "digests/tiny-guidance.md", 3,
         "id 'tiny-guidance' is used by both a reading and a reference"),
    # notebook sources and tools
    Case("unit-source-missing", "units/01-basics.md", 1, "missing notebook source for unit '01-basics'",
         patch=_remove("units/01-basics.md")),
    Case("unit-source-unclosed-code", "units/01-basics.md", 5, "block opened at line 5 is never closed"),
    Case("post-audit-bad-regex", "tools/post-audit.yaml", 9, "not a valid regular expression: bad character range"),
    Case("post-audit-huge-repeat", "tools/post-audit.yaml", 8, "not a valid regular expression"),
]
BY_NAME = {case.name: case for case in CASES}
CLI_CASES = ("yaml-syntax", "non-utf8-byte", "digest-id-mismatch")


def _params(cases):
    return [pytest.param(case, id=case.name) for case in cases]


# -- helpers ------------------------------------------------------------------------------------------------

def build(case: Case, parent: Path) -> Path:
    """The minimal folder with the case's one mistake, at parent/readings."""
    root = parent / "readings"
    shutil.copytree(MINIMAL, root)
    if (BROKEN / case.name).is_dir():
        shutil.copytree(BROKEN / case.name, root, dirs_exist_ok=True)
    if case.patch is not None:
        case.patch(root)
    return root


def run_check(folder: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = check.run(str(folder), out=out)
    return code, out.getvalue()


def assert_reported(case: Case, folder: Path, code: int, output: str) -> None:
    """Exit 1, problem lines then a summary that counts them, and the case's `path:line:` with its message."""
    assert "Traceback" not in output
    assert code == 1, output
    *problems, summary = output.splitlines()
    counted = SUMMARY_BAD.match(summary)
    assert counted and int(counted[1]) == len(problems), output
    prefix = f"{folder}/{case.file}:{case.line}: "
    assert any(line.startswith(prefix) and case.fragment in line for line in problems), (
        f"expected a line starting {prefix!r} containing {case.fragment!r}, got:\n{output}")
    if case.alone:
        assert len(problems) == 1, f"expected only the one mistake to be reported, got:\n{output}"


class _CliRun:
    """`python -m course check <folder>` started in the background; `result()` waits for it."""

    def __init__(self, folder: Path):
        env = {k: v for k, v in os.environ.items() if k not in ("COURSE_CONTENT_DIR", "COURSE_FULLTEXT_DIR")}
        self.folder = folder
        self.process = subprocess.Popen([sys.executable, "-m", "course", "check", str(folder)], cwd=REPO, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.output: tuple[str, str] | None = None

    def result(self) -> tuple[int, str, str]:
        if self.output is None:
            self.output = self.process.communicate(timeout=60)
        return self.process.returncode, *self.output

    def stop(self) -> None:
        if self.output is None:
            self.process.kill()
            self.process.communicate()


@pytest.fixture(scope="module", autouse=True)
def cli_runs(tmp_path_factory):
    """Start the CLI cases when this module's first test starts (each costs ~1.5 s, mostly importing jsonschema),
    so that they run while the in-process tests do."""
    runs = {name: _CliRun(build(BY_NAME[name], tmp_path_factory.mktemp(name))) for name in CLI_CASES}
    yield runs
    for run in runs.values():
        run.stop()


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """`check` run in-process on a case's folder, once per case, for every test that reads its output."""
    cache: dict[str, tuple] = {}

    def get(case: Case) -> tuple[Path, int, str]:
        if case.name not in cache:
            folder = build(case, tmp_path_factory.mktemp(case.name))
            try:
                cache[case.name] = (folder, *run_check(folder), None)
            except Exception as exc:  # a crash is a bug; re-raised to every test that asks
                cache[case.name] = (folder, None, None, exc)
        folder, code, output, crash = cache[case.name]
        if crash is not None:
            raise crash
        return folder, code, output

    return get


# -- the fixtures themselves ---------------------------------------------------------------------------------

class TestFixtureCorpus:
    def test_minimal_folder_checks_clean(self):
        """Every broken case is 'minimal + one mistake', so the minimal folder itself must have no problems."""
        code, output = run_check(MINIMAL)
        assert code == 0, output
        assert output == "course check: ok: 1 unit, 1 reading (2 sections, 2 claims), 2 references, 7 items\n"

    def test_every_fixture_folder_is_one_case(self):
        """A fixture folder without a case (or a case without its folder) would silently test nothing."""
        folders = {path.name for path in BROKEN.iterdir() if path.is_dir()}
        from_folders = {case.name for case in CASES if case.patch is None}
        assert folders == from_folders
        assert len(BY_NAME) == len(CASES) >= 22


# -- each kind of mistake ------------------------------------------------------------------------------------

class TestBrokenContent:
    @pytest.mark.parametrize("case", _params(CASES))
    def test_reported_at_its_file_and_line(self, case, checked):
        """An author must be sent to the exact file and line of a mistake, whatever kind it is."""
        folder, code, output = checked(case)
        assert_reported(case, folder, code, output)

    def test_every_problem_line_is_path_line_message(self, checked):
        """Editors and CI annotate `path:line: message`; a line in any other shape is lost."""
        for case in CASES:
            folder, _, output = checked(case)
            *problems, summary = output.splitlines()
            assert SUMMARY_BAD.match(summary), (case.name, output)
            for line in problems:
                assert PROBLEM_LINE.match(line), (case.name, line)
                assert line.startswith(f"{folder}/"), (case.name, line)


class TestCommandLine:
    @pytest.mark.parametrize("name", CLI_CASES)
    def test_cli_reports_broken_content(self, name, cli_runs):
        """The real entry point exits 1, prints to stdout and never shows a maintainer a traceback."""
        code, stdout, stderr = cli_runs[name].result()
        assert "Traceback" not in stdout + stderr
        assert stderr == ""
        assert_reported(BY_NAME[name], cli_runs[name].folder, code, stdout)

    def test_real_content_checks_clean(self, monkeypatch):
        """`make test` runs `course check` first: the shipped readings pass with a summary, the levels and the minutes."""
        monkeypatch.delenv("COURSE_CONTENT_DIR", raising=False)
        out = io.StringIO()
        code = check.run(None, out=out)
        assert code == 0, out.getvalue()
        summary, levels, *minutes = out.getvalue().strip().splitlines()
        assert SUMMARY_OK.match(summary), out.getvalue()
        assert levels.startswith("graded questions by level: recall "), levels
        assert len(minutes) == len(course.content().units) + 1 and minutes[-1].startswith("minutes: the module ")


# -- known weaknesses: misleading knock-on messages -------------------------------------------------------------

class TestKnockOnMessages:
    def test_broken_digest_is_not_called_missing(self, tmp_path):
        """An author told 'no digest' looks for a missing file instead of the broken one."""
        folder = build(BY_NAME["front-matter-missing"], tmp_path)
        _, output = run_check(folder)
        assert "which has no digest" not in output
    def test_unloadable_references_do_not_blame_based_on(self, tmp_path):
        """The message must point at references.yaml, not accuse a correct `based_on` in an item bank."""
        case = Case("references-missing-title", REFERENCES, 17, "references[1].title: missing required field 'title'",
                    alone=False, patch=_rewrite(REFERENCES, _replace_once(b"    title: A tiny public case\n", b"")))
        folder = build(case, tmp_path)
        code, output = run_check(folder)
        assert_reported(case, folder, code, output)
        assert "must name a reference of kind 'case' (got 'tiny-case')" not in output
    def test_heading_without_anchor_does_not_turn_prose_into_claims(self, tmp_path):
        """One mistake should give one message, not a second one about prose the author wrote correctly."""
        folder = build(BY_NAME["heading-without-anchor"], tmp_path)
        _, output = run_check(folder)
        assert "after 'Claims:'" not in output
    def test_item_bank_with_yml_extension_is_reported(self, tmp_path):
        """A bank saved as .yml must not vanish from the course without a word."""
        folder = build(Case("yml", ITEMS, 1, ""), tmp_path)
        (folder / ITEMS).rename(folder / "items" / "01-basics.yml")
        code, output = run_check(folder)
        assert code == 1, output
