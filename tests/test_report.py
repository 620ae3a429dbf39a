"""The anonymised class report: bad input never crashes it, and no small count leaves it."""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course import __version__
from course.instructor import report
from course.material.api import content

ROOT = Path(__file__).resolve().parent.parent
K = 5


def _load_bench():
    spec = importlib.util.spec_from_file_location("report_bench", ROOT / "benchmarks" / "report_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_bench()
make_exports = bench.make_exports


# -- helpers --------------------------------------------------------------------------------------
@pytest.fixture
def no_charts(monkeypatch):
    """Skip drawing (a constant ~2 s) where a test is not about the charts."""
    monkeypatch.setattr(report, "_charts", lambda agg, k: {name: b"\x89PNG stub" for name in report.CHART_FILES.values()})


def _edit(paths, change):
    """Rewrite each synthetic export: change(index, doc) edits it in place."""
    for index, path in enumerate(paths):
        doc = json.loads(path.read_text("utf-8"))
        change(index, doc)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _set(doc, item_id, value):
    """Give `item_id` this answer (None: remove the answer)."""
    doc["answers"] = [a for a in doc["answers"] if a["item"] != item_id]
    if value is not None:
        spec = content().items[item_id]
        doc["answers"].append({"item": item_id, "unit": spec.unit, "type": spec.type, "value": value})


class _Page(HTMLParser):
    """Table rows (as lists of cell texts), <img> attributes, and the visible text."""

    def __init__(self):
        super().__init__()
        self.rows, self.images, self.text, self.tags, self.tables = [], [], [], [], []
        self._row, self._cell = None, None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _page(outdir) -> _Page:
    parser = _Page()
    parser.feed((Path(outdir) / "index.html").read_text("utf-8"))
    return parser


def _row(page, first_cell, width):
    """The row starting with `first_cell` (a chart's table and its unit's table repeat it identically)."""
    rows = [row for row in page.rows if row and row[0] == first_cell and len(row) == width]
    assert rows and all(row == rows[0] for row in rows), rows
    return rows[0]


COUNT_KEYS = {"count", "counts", "fully_correct", "respondents", "both", "learners", "movement"}


def _small_counts(node, k=K, key=None):
    """Every count of 1..k-1 anywhere under `node` (looked up under the keys that hold counts)."""
    found = []
    if isinstance(node, dict):
        for child_key, value in node.items():
            found += _small_counts(value, k, child_key if child_key in COUNT_KEYS else key)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found += _small_counts(value, k, key)
    elif key in COUNT_KEYS and type(node) is int and 0 < node < k:
        found.append((key, node))
    return found


# -- malformed input: reported and skipped, never a crash -------------------------------------------
def _bad_folder(tmp_path) -> Path:
    folder = tmp_path / "exports"
    paths = make_exports(12, folder, seed=3)
    (folder / "bad-json.json").write_text('{"format": "social-media-ethics-export/1", ', encoding="utf-8")
    (folder / "wrong-shape.json").write_text(json.dumps([1, 2, 3]), encoding="utf-8")
    (folder / "missing-answers.json").write_text(json.dumps(
        {"format": "social-media-ethics-export/1", "module_version": __version__, "learner_code": "ABCD-EFGH"}))
    (folder / "latin1.json").write_bytes('{"learner_name": "Zoë"}'.encode("latin-1"))
    (folder / "empty.json").write_bytes(b"")
    (folder / "huge.json").write_bytes(b" " * (report.MAX_BYTES + 10))
    (folder / "x.json").mkdir()
    (folder / "zz-copy.json").write_bytes(paths[0].read_bytes())  # byte-identical to the first
    same_code = json.loads(paths[1].read_text("utf-8"))
    same_code["answers"] = same_code["answers"][:3]
    (folder / "zz-same-code.json").write_text(json.dumps(same_code), encoding="utf-8")
    other = json.loads(paths[2].read_text("utf-8"))
    other.update(module_version="0.2.0", learner_code="OTHR-VERS")
    (folder / "zz-other-version.json").write_text(json.dumps(other), encoding="utf-8")
    (folder / "notes.txt").write_text("not an export, and not *.json: never read")
    return folder


def test_malformed_duplicate_and_other_version_files_are_reported_and_skipped(tmp_path, no_charts):
    folder = _bad_folder(tmp_path)
    summary = report.build_report([folder, tmp_path / "no-such-file.json"], tmp_path / "out", progress=False)
    assert summary.learners == 12
    reasons = {Path(s.path).name: (s.kind, s.reason) for s in summary.skipped}
    assert reasons["bad-json.json"][0] == "malformed" and "not valid JSON" in reasons["bad-json.json"][1]
    assert reasons["wrong-shape.json"][0] == "malformed"
    assert reasons["missing-answers.json"][0] == "malformed" and "answers" in reasons["missing-answers.json"][1]
    assert reasons["latin1.json"] == ("malformed", "not UTF-8 text (bad byte at position 20)")
    assert reasons["empty.json"] == ("malformed", "empty file")
    assert reasons["huge.json"][0] == "too large"
    assert reasons["x.json"][0] == "unreadable" and "folder" in reasons["x.json"][1]
    assert reasons["zz-copy.json"][0] == "duplicate" and "same bytes" in reasons["zz-copy.json"][1]
    assert reasons["zz-same-code.json"][0] == "duplicate" and "learner code" in reasons["zz-same-code.json"][1]
    assert reasons["zz-other-version.json"] == ("other version", "from module version 0.2.0; this report reads "
                                                f"version {'.'.join(__version__.split('.')[:2])}.x")
    assert reasons["no-such-file.json"][0] == "unreadable"
    assert "notes.txt" not in reasons
    assert summary.files == 12 + len(summary.skipped)
    assert summary.skipped_counts() == {"malformed": 5, "too large": 1, "unreadable": 2, "duplicate": 2,
                                        "other version": 1}


def test_run_prints_one_summary_line_and_the_skipped_files(tmp_path, capsys, no_charts):
    folder = tmp_path / "exports"
    paths = make_exports(8, folder, seed=4)
    (folder / "a-bad.json").write_text("{nope")
    (folder / "b-bad.json").write_text("[]")
    (folder / "c-copy.json").write_bytes(paths[0].read_bytes())
    doc = json.loads(paths[1].read_text("utf-8"))
    doc.update(module_version="1.0.0", learner_code="VERS-ION2")
    (folder / "d-old.json").write_text(json.dumps(doc))
    parser = argparse.ArgumentParser()
    report.add_arguments(parser)
    args = parser.parse_args([str(folder), "-o", str(tmp_path / "out"), "--no-progress"])
    assert args.min_count == 5
    assert report.run(args) == 0
    out, err = capsys.readouterr()
    assert out == (f"report: 8 learners from 12 files; skipped 4 (2 malformed, 1 duplicate, 1 other version); "
                   f"wrote {tmp_path / 'out' / 'index.html'}\n")
    assert "a-bad.json: not valid JSON" in err and "d-old.json: from module version 1.0.0" in err
    assert "Traceback" not in out + err
    with pytest.raises(SystemExit):
        parser.parse_args([str(folder), "-o", "x", "--min-count", "0"])
    assert report.run(parser.parse_args([str(folder), "-o", str(paths[2]), "--no-progress"])) == 1  # -o is a file
    out, err = capsys.readouterr()
    assert out == "" and f"report: cannot write the report to {paths[2]}" in err and "Traceback" not in err


def test_minor_versions_match_and_others_do_not(tmp_path, no_charts):
    major, minor, _ = __version__.split(".")
    folder = tmp_path / "exports"
    paths = make_exports(4, folder, seed=5)
    versions = [f"{major}.{minor}.99", f"{major}.{minor}.0-rc1", f"{major}.{int(minor) + 1}.0", f"{int(major) + 1}.{minor}.0"]
    _edit(paths, lambda i, doc: doc.update(module_version=versions[i]))
    summary = report.build_report([folder], tmp_path / "out", progress=False)
    assert summary.learners == 2
    assert sorted(s.kind for s in summary.skipped) == ["other version", "other version"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_skipped_without_blocking(tmp_path, no_charts):
    folder = tmp_path / "exports"
    make_exports(1, folder, seed=6)
    os.mkfifo(folder / "pipe.json")
    summary = report.build_report([folder], tmp_path / "out", progress=False, min_count=1)
    assert summary.learners == 1 and summary.skipped[0].kind == "unreadable"


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                                       max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_whatever_the_bytes_reading_never_raises(tmp_path, raw):
    path = tmp_path / "any.json"
    path.write_bytes(raw)
    summary = report.ReportSummary(outdir=tmp_path)
    questions = report._questions(content())
    report._collect([path], questions, report._pairs(content()), summary, progress=False)
    assert summary.learners + len(summary.skipped) == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(json_values, min_size=1, max_size=60))
def test_answers_that_do_not_fit_are_ignored_never_a_crash(tmp_path, values):
    loaded = content()
    ids = list(loaded.items)
    doc = {"format": report.EXPORT_FORMAT, "module_version": __version__, "learner_code": "ABCD-EFGH",
           "answers": [{"item": ids[i % len(ids)], "unit": "01-benefits", "type": loaded.items[ids[i % len(ids)]].type,
                        "value": v} for i, v in enumerate(values)]}
    questions = report._questions(loaded)
    answers = {key: [] for key in questions}
    pairs = report._pairs(loaded)
    shifts = {pair: [] for pair in pairs}
    item_types = {q.item: "case" if q.stage else q.kind for q in questions.values()}
    stages = {}
    for q in questions.values():
        if q.stage:
            stages.setdefault(q.item, {})[str(q.stage)] = q
    ignored = report._count_doc(doc, questions, item_types, stages, pairs, answers, shifts)
    assert ignored >= 0 and sum(map(len, answers.values())) <= len(values) + 20
    agg = report._aggregate(questions, answers, shifts, loaded, 1, 1)
    json.dumps(agg)  # whatever was counted can be written out


def test_ignored_answers_are_counted(tmp_path, no_charts):
    folder = tmp_path / "exports"
    paths = make_exports(1, folder, seed=7)

    def spoil(index, doc):
        for item in ("benefits-wrapup-1", "benefits-stance-public", "sponsorship-rank-posts", "policy-wrapup-1",
                     "benefits-case-demystify", "orientation-reflection-start"):
            _set(doc, item, None)
        doc["answers"] += [
            {"item": "no-such-item", "unit": "01-benefits", "type": "single", "value": "a"},
            {"item": "benefits-wrapup-1", "unit": "01-benefits", "type": "single", "value": "z"},  # unknown option
            {"item": "benefits-stance-public", "unit": "01-benefits", "type": "stance", "value": 9},  # off the scale
            {"item": "sponsorship-rank-posts", "unit": "02-sponsorship", "type": "ranking", "value": ["a", "a"]},
            {"item": "policy-wrapup-1", "unit": "04-policy-workshop", "type": "multiple", "value": ["a"]},  # wrong type
            {"item": "benefits-case-demystify", "unit": "01-benefits", "type": "case",
             "value": {"1": "a", "2": "a", "9": "a"}},  # stage 2 wants a list; there is no stage 9
            {"item": "orientation-reflection-start", "unit": "00-orientation", "type": "reflection",
             "value": {"share": True, "words": 5, "text": "fine"}},
            {"item": "orientation-reflection-start", "unit": "00-orientation", "type": "reflection",
             "value": {"share": True, "words": 7, "text": "the same item twice"}},
        ]
    _edit(paths, spoil)
    summary = report.build_report([folder], tmp_path / "out", min_count=1, progress=False)
    assert summary.learners == 1
    assert summary.ignored_answers == 8
    assert "ignored 8 answers that did not fit their items" in summary.line()


# -- the fast schema check is the schema ------------------------------------------------------------
def test_fast_check_mirrors_this_schema():
    """If this fails, export.schema.json changed: update _export_problem, then the hash."""
    checker = report._Checker()
    assert checker.fast, "export.schema.json is not the schema report._export_problem mirrors"


def _mutations():
    base = {"format": report.EXPORT_FORMAT, "module_version": "0.1.0", "learner_code": "ABCD-EFGH",
            "learner_name": "Sam", "answers": [{"item": "a-b", "unit": "c", "type": "single", "value": "a",
                                                "saved": "x"}]}
    odd = [None, True, 1, 1.5, "", "x", [], {}, "ABCD-EFGH\n", "abcd-efgh", "1.2.3\n", "1.2", "1.2.3-rc", "A" * 201,
           "ab--c", "single", "builder", "nope", "social-media-ethics-export/2",
           "\ud800", "ABCD-\ud800FGH", 2 ** 64, -(10 ** 30), 1e308]  # values a compiled checker may not take
    top = [(k,) for k in ["format", "module_version", "learner_code", "learner_name", "answers", "extra"]]
    inner = [("answers", 0, k) for k in ["item", "unit", "type", "value", "saved", "extra"]]
    return base, odd, top + inner + [("answers", 0), ("answers", 1)]


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_fast_check_agrees_with_jsonschema(data):
    from course.material.schema import _validators

    base, odd, places = _mutations()
    doc = json.loads(json.dumps(base))
    for _ in range(data.draw(st.integers(0, 3))):
        place = data.draw(st.sampled_from(places))
        action = data.draw(st.sampled_from(["set", "drop"]))
        node = doc
        for part in place[:-1]:
            node = node[part] if isinstance(node, dict) and part in node or isinstance(node, list) and \
                isinstance(part, int) and part < len(node) else None
            if node is None:
                break
        last = place[-1]
        if isinstance(node, dict):
            if action == "drop":
                node.pop(last, None)
            else:
                node[last] = data.draw(st.sampled_from(odd))
        elif isinstance(node, list) and isinstance(last, int):
            if action == "drop" and last < len(node):
                node.pop(last)
            elif action == "set":
                node.append(data.draw(st.sampled_from(odd + [dict(base["answers"][0])])))
    assert report._export_problem(doc) == (not _validators()["export"].is_valid(doc)), doc


# -- small-count suppression -------------------------------------------------------------------------
def test_suppress_hides_small_counts_and_what_would_give_them_away():
    # one small cell: the first large cell in table order is withheld with it (not the smallest,
    # which would tell a reader that the withheld count is at most each one shown)
    shown, status, whole = report.suppress({"1": 0, "2": 3, "3": 10, "4": 7, "5": 0}, 5)
    assert shown == {"1": 0, "2": None, "3": None, "4": 7, "5": 0} and not whole
    assert status == {"2": report.SMALL, "3": report.WITHHELD}
    shown, status, whole = report.suppress({"a": 1, "b": 1, "c": 9}, 5)  # 1 + 1: withheld whole, not "c" too
    assert shown == {"a": None, "b": None, "c": None} and whole
    shown, status, whole = report.suppress({"a": 1, "b": 5}, 5)  # n = 6: any label would give "1" away
    assert shown == {"a": None, "b": None} and whole
    assert report.suppress({"a": 3, "b": 40}, 5, partition=False)[0] == {"a": None, "b": 40}
    assert report.suppress({"a": 3, "b": 0, "c": 40}, 1)[0] == {"a": 3, "b": 0, "c": 40}  # min_count 1: no hiding
    assert report.suppress({"a": 0, "b": 12}, 5)[0] == {"a": 0, "b": 12}  # zero is shown


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=4), st.integers(2, 6))
def test_no_hidden_small_count_can_be_worked_out(cells, k):
    """Brute force: every table consistent with what is shown leaves each small cell two values or more."""
    counts = {str(i): v for i, v in enumerate(cells)}
    total = sum(cells)
    if total < k:
        return  # an item with fewer than k respondents shows no table at all
    shown, status, whole = report.suppress(counts, k)
    assert all(shown[c] is None for c, v in counts.items() if 0 < v < k)
    ranges = []
    for c in counts:
        if shown[c] is not None:
            ranges.append([shown[c]])
        elif whole:
            ranges.append(range(0, total + 1))
        elif status[c] == report.SMALL:
            ranges.append(range(1, k))
        else:
            ranges.append(range(k, total + 1))
    possible = [combo for combo in itertools.product(*ranges) if sum(combo) == total]
    for index, (c, v) in enumerate(counts.items()):
        if 0 < v < k:
            assert len({combo[index] for combo in possible}) >= 2, (counts, shown, status)


def _small_class(tmp_path) -> Path:
    """20 learners; 3 pick wrong option (c); 3 sit at scale point 1; 3 answer one question; 2 write long."""
    folder = tmp_path / "exports"
    paths = make_exports(20, folder, seed=11)

    def shape(i, doc):
        _set(doc, "benefits-wrapup-1", "c" if i < 3 else "a")
        _set(doc, "policy-wrapup-4", "a" if i < 3 else None)
        _set(doc, "orientation-stance-benefits", 1 if i < 3 else 3 if i < 11 else 4)
        for other in ("orientation-stance-sponsorship", "orientation-stance-anonymity", "orientation-stance-school-policy"):
            _set(doc, other, 2 if i < 10 else 4)  # fixed, so that no other stance row shows a 9 whatever the content
        _set(doc, "orientation-reflection-start",
             {"share": True, "words": 3, "text": "LONELY-SHARED-TEXT only one learner answered"} if i == 0 else None)
        reflection = {"share": False, "words": 500 if i < 2 else 100}
        if i == 0:
            reflection.update(share=True, text="<script>alert('x')</script> I will never post about patients.")
        if i == 1:
            reflection["text"] = "PRIVATE-SECRET-TEXT that an export wrongly carries"  # share is false
        if i == 2:
            reflection.update(share=True, text="I will ask before I post.")
        _set(doc, "policy-reflection-own-rules", reflection)
    _edit(paths, shape)
    return folder


def test_no_small_count_appears_in_the_page_the_charts_or_summary_json(tmp_path, monkeypatch):
    drawn = []
    for name in ("draw_stance", "draw_difficulty", "draw_ranking", "draw_words"):
        original = getattr(report, name)
        monkeypatch.setattr(report, name, lambda *args, _f=original, _n=name: drawn.append((_n, args)) or _f(*args))
    out = tmp_path / "out"
    summary = report.build_report([_small_class(tmp_path)], out, min_count=K, progress=False)
    assert summary.learners == 20
    page = _page(out)

    # a wrong option chosen by 3: right and not right both withheld (the 17 would give the 3 away),
    # and the wrong option not named (its rank among hidden counts is not shown either)
    difficulty = {r["question"]: r for r in summary.aggregates["difficulty"]}
    row = _row(page, difficulty["benefits-wrapup-1"]["title"], 6)
    assert row[1] in {u.title for u in content().units}  # the unit by its title, the question by its text
    assert row[2:4] == ["20", "withheld"] and row[4].startswith("not shown") and row[5] == ""
    assert not any(re.search(r"\b(3|17)\b|%", cell) for cell in row[2:])
    assert difficulty["benefits-wrapup-1"]["top_wrong"] is None
    assert difficulty["benefits-wrapup-1"]["top_wrong_status"] == "not published"
    assert difficulty["benefits-wrapup-1"]["fully_correct"] is None
    assert difficulty["benefits-wrapup-1"]["share_fully_correct"] is None

    # a question 3 learners answered: nothing but "fewer than 5 responses"
    row = _row(page, difficulty["policy-wrapup-4"]["title"], 6)
    assert row[2:] == ["fewer than 5 responses", "", "", ""]
    assert difficulty["policy-wrapup-4"]["respondents"] is None and difficulty["policy-wrapup-4"]["too_few"]

    # bands: 3 disagree, 8 in between, 9 agree; the 8 (first large band) withheld so the 3 cannot be
    # subtracted out, and no movement or net movement, since a side hides a cell
    (pair,) = [p for p in summary.aggregates["stance_shift"] if p["before"] == "orientation-stance-benefits"]
    assert pair["before_answers"]["counts"] == {"disagree": None, "neutral": None, "agree": 9}
    assert pair["movement"] is None and pair["mean_shift"] is None
    (row,) = {tuple(r) for r in page.rows if r and r[0] == "Before (orientation)" and "9" in r}
    assert list(row[1:5]) == ["fewer than 5", "withheld", "9", "20"]

    # a word-count band with 2 learners
    (words,) = [r for r in summary.aggregates["reflections"] if r["question"] == "policy-reflection-own-rules"]
    assert {b["label"]: b["count"] for b in words["bands"]}["over 200"] is None

    # nowhere: not in summary.json, not in what the chart functions were given, not in a count column
    on_disk = json.loads((out / "summary.json").read_text("utf-8"))
    assert _small_counts(on_disk) == []
    assert sorted(name for name, _ in drawn) == ["draw_difficulty", "draw_ranking", "draw_stance", "draw_words"]
    assert _small_counts([args for _, args in drawn]) == []
    stance_rows = next(args[0] for name, args in drawn if name == "draw_stance")
    assert [p["before_answers"]["counts"]["disagree"] for p in stance_rows
            if p["before"] == "orientation-stance-benefits"] == [None]
    allowed = re.compile(r"^(0|[0-9]{2,}|[5-9]|[0-9,]{2,}( \(\d+%\))?|[5-9] \(\d+%\)|fewer than 5( responses)?|withheld|"
                         r"no responses|)$")
    count_columns = {"Learners", "Respondents", "Fully correct", "Chosen by"}
    for header, *rows in page.tables:
        for row in rows:
            for name, cell in zip(header, row):
                if name in count_columns or header[0] == "When" and name != "When":
                    assert allowed.match(cell), (header, row)


def test_reflections_shared_only_by_choice_escaped_and_never_a_script(tmp_path, no_charts):
    out = tmp_path / "out"
    summary = report.build_report([_small_class(tmp_path)], out, min_count=K, progress=False)
    html = (out / "index.html").read_text("utf-8")
    on_disk = (out / "summary.json").read_text("utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; I will never post about patients." in html
    assert "I will ask before I post." in html
    assert "<script" not in html.lower()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "PRIVATE-SECRET-TEXT" not in html and "PRIVATE-SECRET-TEXT" not in on_disk  # share was false
    assert "LONELY-SHARED-TEXT" not in html and "LONELY-SHARED-TEXT" not in on_disk  # 1 respondent: no texts
    (row,) = [r for r in summary.aggregates["reflections"] if r["question"] == "policy-reflection-own-rules"]
    assert len(row["shared"]) == 2
    assert not any(code in html or code in on_disk for code in _codes(tmp_path / "exports"))


def _codes(folder):
    return [json.loads(p.read_text("utf-8"))["learner_code"] for p in sorted(Path(folder).glob("*.json"))]


def test_too_few_learners_show_nothing(tmp_path, capsys, no_charts):
    folder = tmp_path / "exports"
    make_exports(3, folder, seed=12)
    out = tmp_path / "out"
    out.mkdir()
    (out / "difficulty.png").write_bytes(b"from an earlier run")
    parser = argparse.ArgumentParser()
    report.add_arguments(parser)
    assert report.run(parser.parse_args([str(folder), "-o", str(out), "--no-progress"])) == 1
    page = _page(out)
    assert page.images == [] and page.rows == []
    assert "fewer than 5 learners" in "".join(page.text)
    assert not (out / "difficulty.png").exists()
    on_disk = json.loads((out / "summary.json").read_text())
    assert on_disk["learners"] is None and _small_counts(on_disk) == []
    assert "report: 3 learners from 3 files; skipped 0;" in capsys.readouterr().out


# -- the page and the charts ------------------------------------------------------------------------
def test_every_image_has_alt_text_a_caption_and_exists(tmp_path):
    folder = tmp_path / "exports"
    make_exports(30, folder, seed=13)
    out = tmp_path / "out"
    report.build_report([folder], out, progress=False)
    html = (out / "index.html").read_text("utf-8")
    page = _page(out)
    assert sorted(img["src"] for img in page.images) == sorted(report.CHART_FILES.values())
    for img in page.images:
        assert len(img.get("alt", "")) > 60, img
        assert (out / img["src"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert html.count("<figure>") == 4 and html.count("<figcaption>") == 4
    assert page.tags.count("table") >= 4 + 2  # a table for each chart, and more per unit
    for unit in content().units:
        assert f">{unit.title}</h2>" in html.replace("&#x27;", "'")
    assert "answered both times" in html and "Class mean position" in html and 'id="summary"' in html
    assert sorted(p.name for p in out.iterdir()) == sorted([*report.CHART_FILES.values(), "index.html", "summary.json"])


def test_the_summary_comes_first_and_names_questions_by_their_text(tmp_path, no_charts):
    """One screen for the seminar before the detail: the group before and after, the three
    most-missed questions (lowest published share first) with the most-chosen wrong answer's text
    where it can be shown, and shared reflections."""
    folder = tmp_path / "exports"
    make_exports(60, folder, seed=17)
    out = tmp_path / "out"
    summary = report.build_report([folder], out, progress=False)
    html = (out / "index.html").read_text("utf-8")
    start, detail = html.index('id="summary"'), html.index('id="charts"')
    assert start < detail and html.index("<figure>") > detail
    top = html[start:detail]
    assert "before and after" in top and "Before (orientation)" in top and "most-missed" in top
    assert "Shared reflections" in top and "<blockquote>" in top
    shown = sorted((r for r in summary.aggregates["difficulty"] if r["share_fully_correct"] is not None),
                   key=lambda r: (r["share_fully_correct"], r["heading"]))[:3]
    places = [top.index(_escaped(r["title"])) for r in shown]
    assert places == sorted(places)
    for row in shown:
        if row["top_wrong"]:
            assert all(_escaped(text) in top for text in row["top_wrong"]["texts"].values())
    ids = set(content().items) | {u.id for u in content().units}
    visible = re.sub(r'(id|href)="[^"]*"', "", html)
    assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", visible)]


def _escaped(text):
    import html

    return html.escape(text)  # as the page's templates escape


def test_progress_bar_on_stderr_only_when_asked(tmp_path, capsys, no_charts):
    folder = tmp_path / "exports"
    make_exports(report.PROGRESS_MIN_FILES + 5, folder, seed=14)
    total = report.PROGRESS_MIN_FILES + 5
    report.build_report([folder], tmp_path / "out", progress=True)
    err = capsys.readouterr().err
    lines = [line for line in re.split(r"[\r\n]", err) if line]
    assert 2 <= len(lines) <= 21
    assert lines[0] == f"reading exports [....................] 0/{total}"
    assert lines[-1] == f"reading exports [####################] {total}/{total}"
    assert all(re.fullmatch(rf"reading exports \[#*\.*\] \d+/{total}", line) for line in lines)
    report.build_report([folder], tmp_path / "out", progress=False)
    assert capsys.readouterr() == ("", "")
    report.build_report([folder / "learner-00000.json"], tmp_path / "out", progress=True)  # one file: no bar
    assert capsys.readouterr().err == ""


def test_a_real_export_is_read_as_written(tmp_path, no_charts):
    """An export written by course.export from a real journal, not by the benchmark's generator."""
    from course.tools.export import export
    from course.learner.items import item
    from course.learner.journal import Journal

    journal = Journal(tmp_path / "home")
    item("benefits-wrapup-1", journal).answer("a")
    item("benefits-wrapup-2", journal).answer(["a", "b", "d"])
    item("orientation-stance-benefits", journal).answer(2)
    item("policy-stance-benefits", journal).answer(4)
    item("sponsorship-rank-posts", journal).answer("becad")
    item("policy-reflection-own-rules", journal).answer("I will not post about patients, ever.", share=True)
    item("orientation-reflection-start", journal).answer("Something private I wrote.", share=False)
    case = item("anonymity-case-flea", journal)
    case.answer("a")
    case.answer("A shared thought on the case.", share=True)
    export(tmp_path / "me.json", "json", journal=journal)
    summary = report.build_report([tmp_path / "me.json"], tmp_path / "out", min_count=1, progress=False)
    assert (summary.learners, summary.ignored_answers, summary.skipped) == (1, 0, [])
    agg = summary.aggregates
    difficulty = {r["question"]: r for r in agg["difficulty"]}
    assert difficulty["benefits-wrapup-1"]["fully_correct"] == 1
    assert {k: v for k, v in difficulty["benefits-wrapup-2"]["top_wrong"].items() if k != "texts"} == \
        {"options": ["d"], "count": 1}
    (pair,) = [p for p in agg["stance_shift"] if p["after"] == "policy-stance-benefits"]
    assert pair["movement"] == {"toward_agree": 1, "stayed": 0, "toward_disagree": 0}  # 2 (disagree) to 4 (agree)
    assert pair["mean_shift"] == 1.0
    (ranking,) = [r for r in agg["ranking"] if r["question"] == "sponsorship-rank-posts"]
    assert ranking["consensus_order"] == list("becad")
    shared = {r["question"]: r["shared"] for r in agg["reflections"]}
    assert shared["policy-reflection-own-rules"] == ["I will not post about patients, ever."]
    assert shared["anonymity-case-flea#2"] == ["A shared thought on the case."]
    assert shared["orientation-reflection-start"] == []
    assert "Something private" not in (tmp_path / "out" / "index.html").read_text("utf-8")


def test_a_thousand_learners(tmp_path):
    folder = tmp_path / "exports"
    make_exports(1000, folder, seed=15)
    out = tmp_path / "out"
    summary = report.build_report([folder], out, progress=False)
    assert (summary.learners, summary.skipped, summary.ignored_answers) == (1000, [], 0)
    assert summary.validation == "fast"
    assert (out / "index.html").stat().st_size > 0 and all((out / n).exists() for n in report.CHART_FILES.values())
    assert _small_counts(summary.aggregates) == []
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_synthetic_exports_match_the_schema(tmp_path):
    from course.material.schema import _validators

    for path in make_exports(20, tmp_path, seed=16):
        assert _validators()["export"].is_valid(json.loads(path.read_text("utf-8")))


def test_the_page_lists_a_spread_of_shared_reflections_and_summary_json_keeps_all(tmp_path, monkeypatch, no_charts):
    from course.instructor.report import pages

    assert pages.spread(list("abcdefghij"), 4) == ["a", "c", "f", "h"]
    assert pages.spread(list("abc"), 4) == ["a", "b", "c"]
    monkeypatch.setattr(pages, "MAX_SHOWN_REFLECTIONS", 1)
    out = tmp_path / "out"
    summary = report.build_report([_small_class(tmp_path)], out, min_count=K, progress=False)
    (row,) = [r for r in summary.aggregates["reflections"] if r["question"] == "policy-reflection-own-rules"]
    first, second = row["shared"]
    html = (out / "index.html").read_text("utf-8")
    assert _escaped(first) in html and _escaped(second) not in html
    assert "1 of 2, spread evenly through them; summary.json beside this page has every one" in html
    on_disk = json.loads((out / "summary.json").read_text("utf-8"))
    (kept,) = [r for r in on_disk["reflections"] if r["question"] == "policy-reflection-own-rules"]
    assert kept["shared"] == [first, second]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-p", "no:nbval", "-o", "addopts=", "-q"]))

