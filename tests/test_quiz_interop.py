"""Quiz interoperability: GIFT, QTI and jupyterquiz exports, and jupyterquiz import.

The GIFT export is read back with an independent parser (pygiftparser), the QTI zip is opened and
its XML read, the jupyterquiz export is checked against jupyterquiz's own multiple-choice schema
(copied below), and imported banks must pass our schema and load with the rest of the course.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

from course.instructor import quizexport, quizimport

with warnings.catch_warnings():  # pygiftparser 1.1 calls locale.getdefaultlocale() on import
    warnings.simplefilter("ignore", DeprecationWarning)
    from pygiftparser import parser as giftparser
from course.material.api import content
from course.material.catalog import load
from course.material.model import ItemSpec, freeze

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jupyterquiz"
QTI_NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
CITE = "ftc-endorsement-guides-2023#material-connection"

# A copy of jupyterquiz's schema/mc_schema.json (jmshea/jupyterquiz), the shape its
# multiple_choice / many_choice questions must have.
JUPYTERQUIZ_MC_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "JupyterQuiz Multiple or Many Choice Quiz",
    "type": "object",
    "properties": {
        "question": {"type": "string"},
        "type": {"type": "string", "pattern": "multiple_choice|many_choice"},
        "answers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "answer": {"type": "string"},
                    "correct": {"type": "boolean"},
                    "feedback": {"type": "string"},
                    "answer_cols": {"type": "number"},
                },
                "required": ["answer", "correct"],
            },
        },
        "code": {"type": "string"},
    },
    "required": ["type", "question", "answers"],
}

TRICKY = r"Curly {braces}, equals =, tilde ~, hash #, colon: and a back\ slash"


# -- helpers ------------------------------------------------------------------------------------

def all_specs():
    loaded = content()
    return [spec for unit in loaded.units for spec in loaded.unit_items(unit.id)]


def spec(item_id, kind, data, unit="01-benefits"):
    return ItemSpec(item_id, kind, unit, freeze({"id": item_id, "type": kind, **data}))


def option(key, text, correct, feedback="Because.", cite=(CITE,)):
    return {"key": key, "text": text, "correct": correct, "feedback": feedback, "cite": list(cite)}


def gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_gift(text: str):
    return giftparser.parseFile(io.StringIO(text))


def html_plain(fragment: str) -> str:
    fragment = re.sub(r"</p>\s*<p>", "\n\n", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def expected_skips(specs, essays=True) -> Counter:
    """What the exporters must skip, counted from the content independently of the exporter."""
    skipped = Counter()
    for s in specs:
        if s.type in ("stance", "ranking"):
            skipped[s.type] += 1
        questions = [s.data] if s.type in ("single", "multiple", "reflection") else (
            [stage["question"] for stage in s.data["stages"]] if s.type == "case" else [])
        for q in questions:
            if q["type"] == "reflection" and not essays:
                skipped["reflection"] += 1
            elif q["type"] != "reflection" and not q.get("graded", True):
                skipped[f"ungraded {q['type']}"] += 1
    return skipped


def run_cli(module, argv, capsys):
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    code = module.run(parser.parse_args([str(a) for a in argv]))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- GIFT ---------------------------------------------------------------------------------------

def test_gift_export_of_all_units_parses_with_an_independent_parser(tmp_path):
    path = tmp_path / "course.gift"
    summary = quizexport.export(path, "gift")
    questions, _ = quizexport.collect(all_specs())
    parsed = parse_gift(path.read_text("utf-8"))

    assert summary.exported == len(questions) > 30
    assert len(parsed) == summary.exported
    assert all(q.valid for q in parsed)
    kinds = Counter(type(q.answers).__name__ for q in parsed)
    assert kinds == Counter({"SelectSet": summary.exported_by_kind["single"],
                             "MultipleChoicesSet": summary.exported_by_kind["multiple"],
                             "Essay": summary.exported_by_kind["essay"]})
    for mine, theirs in zip(questions, parsed):
        assert gift_unescape(theirs.title) == mine.title
        assert gift_unescape(theirs.text) == mine.text
        if mine.kind == "essay":
            assert gift_unescape(theirs.generalFeedback) == mine.general_feedback
            continue
        answers = theirs.answers.answers
        assert [gift_unescape(a.answer) for a in answers] == [o.text for o in mine.options]
        assert [gift_unescape(a.feedback) for a in answers] == [o.feedback for o in mine.options]
        assert [a.fraction > 0 for a in answers] == [o.correct for o in mine.options]
        if mine.kind == "multiple":
            assert sum(a.fraction for a in answers if a.fraction > 0) == pytest.approx(100, abs=0.001)
            if any(a.fraction < 0 for a in answers):
                assert sum(a.fraction for a in answers if a.fraction < 0) == pytest.approx(-100, abs=0.001)


def test_gift_export_has_categories_titles_and_cited_feedback(tmp_path):
    path = tmp_path / "course.gift"
    quizexport.export(path, "gift")
    text = path.read_text("utf-8")
    categories = re.findall(r"^\$CATEGORY: (.+)$", text, re.M)
    assert categories == [f"social-media-ethics/{u.id}" for u in content().units]
    assert "::benefits-evidence-crisis::" in text
    case_titles = re.findall(r"^::([^\n]*? \u2013 stage \d)::", text, re.M)
    assert case_titles and all(re.search(r"stage [1-5]$", t) for t in case_titles)
    # every option's feedback ends with the label of what it cites
    assert "(Source\\: \u201cDisclosures 101" in text or "(Sources\\: \u201cDisclosures 101" in text
    assert "\n\n\n" not in text  # exactly one blank line between blocks


def test_gift_escapes_special_characters_everywhere_and_they_round_trip():
    item = spec("tricky-item", "single", {
        "prompt": TRICKY,
        "options": [option("a", TRICKY + " (right)", True, feedback="Yes = " + TRICKY),
                    option("b", "plain wrong", False, feedback="No: ~ # {")],
    })
    gift = quizexport.to_gift([item])
    # every special character is escaped in prompt, answers and feedback
    body = gift.split("::tricky-item::", 1)[1]
    for raw in ("{braces}", " =,", " ~,", " #,", "colon:", "back\\ slash"):
        assert raw not in body
    assert r"\{braces\}" in body and r"back\\ slash" in body
    [parsed] = parse_gift(gift)
    assert parsed.valid
    assert gift_unescape(parsed.text) == TRICKY
    assert parsed.cat == "social"  # pygiftparser keeps only [/\w$] of a category name


def test_gift_tricky_answers_round_trip_through_pygiftparser():
    # pygiftparser 1.1 ends the answer block at the first '}', escaped or not (Moodle does not),
    # so the answer-side round trip uses every special character except '}'.
    tricky = TRICKY.replace("}", ")")
    item = spec("tricky-answers", "single", {
        "prompt": "Which?",
        "options": [option("a", tricky, True, feedback="Yes = " + tricky),
                    option("b", "wrong: " + tricky, False, feedback="No # " + tricky)],
    })
    [parsed] = parse_gift(quizexport.to_gift([item]))
    answers = parsed.answers.answers
    label = "\u201cGuides Concerning the Use of Endorsements and Testimonials in Advertising\u201d (2023)"
    assert [gift_unescape(a.answer) for a in answers] == [tricky, "wrong: " + tricky]
    assert [gift_unescape(a.feedback) for a in answers] == [f"Yes = {tricky} (Source: {label})",
                                                            f"No # {tricky} (Source: {label})"]
    assert [a.fraction for a in answers] == [100, 0]


def test_gift_multiple_uses_weights_that_sum_to_plus_and_minus_100():
    item = spec("weights", "multiple", {
        "prompt": "Choose all that apply.",
        "options": [option(k, f"Option {k}", k in "abc") for k in "abcde"],
    })
    gift = quizexport.to_gift([item])
    assert gift.count("~%33.33333%") == 3 and gift.count("~%-50%") == 2
    [parsed] = parse_gift(gift)
    assert type(parsed.answers).__name__ == "MultipleChoicesSet" and parsed.valid
    assert sorted(a.fraction for a in parsed.answers.answers) == [-50, -50, 33.33333, 33.33333, 33.33333]


def test_ungraded_choice_is_skipped_and_counted():
    item = spec("ungraded", "single", {
        "graded": False, "prompt": "What do you think?",
        "options": [{k: v for k, v in option(k, f"View {k}", False).items() if k != "correct"} for k in "ab"],
    })
    questions, skipped = quizexport.collect([item])
    assert questions == [] and skipped == {"ungraded single": 1}
    assert quizexport.to_gift([item]) == ""


# -- jupyterquiz --------------------------------------------------------------------------------

def test_jupyterquiz_export_matches_jupyterquiz_schema(tmp_path):
    path = tmp_path / "quiz.json"
    summary = quizexport.export(path, "jupyterquiz")
    data = json.loads(path.read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(JUPYTERQUIZ_MC_SCHEMA)

    assert isinstance(data, list) and len(data) == summary.exported > 20
    for question in data:
        assert not list(validator.iter_errors(question)), question
        assert question["type"] in ("multiple_choice", "many_choice")
        assert all(answer["feedback"] for answer in question["answers"])
    assert "essay" not in summary.exported_by_kind
    assert summary.skipped == dict(expected_skips(all_specs(), essays=False))
    assert summary.skipped["reflection"] >= 5
    singles = [q for q in data if q["type"] == "multiple_choice"]
    assert all(sum(a["correct"] for a in q["answers"]) == 1 for q in singles)
    assert "$" not in json.dumps(data, ensure_ascii=False)


def test_jupyterquiz_text_is_escaped_for_html_and_maths():
    # jupyterquiz sets text as innerHTML and turns $...$ into maths and [a](b) into links
    text = "Fined $500, then $200 <b>not bold</b> & [not](a-link)"
    item = spec("escaped", "single", {"prompt": text, "options": [option("a", text, True), option("b", "No", False)]})
    [question] = quizexport.to_jupyterquiz([item])
    for raw in (question["question"], question["answers"][0]["answer"]):
        assert "$" not in raw and "<b>" not in raw and "[" not in raw
        assert html.unescape(raw) == text


# -- QTI ----------------------------------------------------------------------------------------

def _assessment(path):
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = zf.read("imsmanifest.xml").decode("utf-8")
        [name] = [n for n in names if n.endswith(".xml") and n != "imsmanifest.xml"
                  and not n.endswith("assessment_meta.xml")]
        return names, manifest, name, ET.fromstring(zf.read(name))


def test_qti_zip_has_manifest_and_assessment_with_every_question(tmp_path):
    path = tmp_path / "course-qti.zip"
    summary = quizexport.export(path, "qti")
    questions, _ = quizexport.collect(all_specs())
    names, manifest, name, root = _assessment(path)

    assert "imsmanifest.xml" in names
    ET.fromstring(manifest)  # well-formed
    assert name.split("/")[0] in manifest  # the manifest lists the assessment
    assert root.tag == "{%s}questestinterop" % QTI_NS["q"]
    assert root.find("q:assessment", QTI_NS) is not None
    items = root.findall(".//q:item", QTI_NS)
    assert len(items) == summary.exported == len(questions)
    types = Counter(f.text for f in root.iterfind(".//q:qtimetadatafield", QTI_NS)
                    for label in [f.find("q:fieldlabel", QTI_NS)] if label.text == "question_type"
                    for f in [f.find("q:fieldentry", QTI_NS)])
    assert types == Counter({"multiple_choice_question": summary.exported_by_kind["single"],
                             "multiple_answers_question": summary.exported_by_kind["multiple"],
                             "essay_question": summary.exported_by_kind["essay"]})
    for item, mine in zip(items, questions):
        assert item.get("title") == mine.title
        shown = item.find("q:presentation/q:material/q:mattext", QTI_NS).text
        assert html_plain(shown) == mine.text
        labels = [html_plain(m.text) for m in item.findall(".//q:response_label/q:material/q:mattext", QTI_NS)]
        assert labels == [o.text for o in mine.options]
        feedback = {html_plain(m.text) for m in item.findall("q:itemfeedback//q:mattext", QTI_NS)}
        assert {o.feedback for o in mine.options} <= feedback
        if mine.kind == "essay":
            assert mine.general_feedback in feedback


def test_qti_keeps_markdown_and_latex_characters_as_plain_text(tmp_path):
    nasty = (r"1. Not a list; *not bold* _nor this_ `no code` [no](link) ![no](image.png) "
             r"<b>no tag</b> & $5 to $6 is not maths; | a | table? 'quotes' \"too\" -- ... ~~~ :")
    item = spec("nasty", "single", {
        "prompt": TRICKY + "\n\n" + nasty,
        "options": [option("a", nasty, True, feedback=nasty), option("b", "- " + TRICKY, False)],
    })
    path = tmp_path / "nasty.zip"
    assert quizexport.to_qti([item], path) == 1
    _, _, _, root = _assessment(path)
    [qti_item] = root.findall(".//q:item", QTI_NS)
    assert html_plain(qti_item.find("q:presentation/q:material/q:mattext", QTI_NS).text) == TRICKY + "\n\n" + nasty
    labels = [html_plain(m.text) for m in qti_item.findall(".//q:response_label/q:material/q:mattext", QTI_NS)]
    assert labels == [nasty, "- " + TRICKY]


# -- command line: export -----------------------------------------------------------------------

def test_export_run_prints_one_summary_line(tmp_path, capsys):
    out = tmp_path / "unit.gift"
    code, stdout, stderr = run_cli(quizexport, ["--format", "gift", "-o", out, "--unit", "01"], capsys)
    assert code == 0 and stderr == ""
    unit_specs = content().unit_items("01-benefits")
    questions, _ = quizexport.collect(unit_specs)
    skipped = ", ".join(f"{n} {kind}" for kind, n in
                        sorted(expected_skips(unit_specs).items(), key=lambda p: (-p[1], p[0])))
    assert stdout == f"quiz-export: wrote {len(questions)} questions to {out} (skipped: {skipped})\n"
    assert re.findall(r"^\$CATEGORY: (.+)$", out.read_text("utf-8"), re.M) == ["social-media-ethics/01-benefits"]


def test_export_counts_skips_by_type(tmp_path):
    summary = quizexport.export(tmp_path / "all.gift", "gift")
    assert summary.skipped == dict(expected_skips(all_specs()))
    assert summary.skipped["stance"] > 0 and summary.skipped["ranking"] > 0
    assert summary.exported == sum(summary.exported_by_kind.values())


def test_export_run_reports_unwritable_output(tmp_path, capsys):
    code, stdout, stderr = run_cli(quizexport, ["--format", "qti", "-o", tmp_path / "missing" / "q.zip"], capsys)
    assert code == 1 and stdout == ""
    assert stderr.startswith("quiz-export: ") and "Traceback" not in stderr


def test_export_run_reports_unknown_unit(tmp_path, capsys):
    code, stdout, stderr = run_cli(quizexport, ["-o", tmp_path / "x.gift", "--unit", "99-nothing"], capsys)
    assert code == 1 and stdout == "" and stderr.startswith("quiz-export: no unit '99-nothing'")
    assert not (tmp_path / "x.gift").exists()


def test_export_arguments():
    parser = argparse.ArgumentParser()
    quizexport.add_arguments(parser)
    args = parser.parse_args(["--format", "jupyterquiz", "-o", "x.json"])
    assert (args.format, args.output, args.unit) == ("jupyterquiz", "x.json", None)
    with pytest.raises(SystemExit):
        parser.parse_args(["--format", "gift"])  # -o is required
    with pytest.raises(SystemExit):
        parser.parse_args(["--format", "docx", "-o", "x"])


# -- import -------------------------------------------------------------------------------------

def test_import_fixture_bank_converts_reports_and_passes_schema():
    report = quizimport.ImportReport()
    bank = quizimport.from_jupyterquiz(json.loads((FIXTURES / "bank.json").read_text("utf-8")),
                                       "01-benefits", "imported", CITE, report)
    assert [(i["id"], i["type"]) for i in bank["items"]] == [
        ("imported-q1", "single"), ("imported-q2", "multiple"), ("imported-q6", "single")]
    assert report.imported == 3 and len(report.skipped) == 3 and report.missing_feedback == 1
    assert any("numeric" in m for m in report.skipped) and any("string" in m for m in report.skipped)
    assert any("exactly one correct" in m for m in report.skipped)
    first = bank["items"][0]
    assert [o["key"] for o in first["options"]] == ["a", "b", "c"]
    assert [o["correct"] for o in first["options"]] == [True, False, False]
    assert first["options"][2]["feedback"] == quizimport.PLACEHOLDER_FEEDBACK
    assert all(o["cite"] == [CITE] for item in bank["items"] for o in item["options"])
    assert bank["items"][1]["options"][2]["feedback"] == "Not by itself & not without other details."
    assert quizimport.schema_problems(quizimport.bank_yaml(bank), "bank.yaml") == []


def test_import_run_writes_yaml_that_loads_with_the_course(tmp_path, capsys):
    out = tmp_path / "imported.yaml"
    code, stdout, stderr = run_cli(quizimport, [FIXTURES / "bank.json", "--unit", "01-benefits",
                                                "--prefix", "imported", "--cite", CITE, "-o", out], capsys)
    assert code == 0, stderr
    assert stdout.startswith(f"quiz-import: wrote 3 items to {out}")
    assert "1 answer without feedback" in stdout
    assert stderr.count("(skipped)") == 3 and "Traceback" not in stderr
    bank = yaml.safe_load(out.read_text("utf-8"))

    readings = tmp_path / "readings"
    shutil.copytree(REPO / "readings", readings)
    unit_file = readings / "items" / "01-benefits.yaml"
    unit_bank = yaml.safe_load(unit_file.read_text("utf-8"))
    unit_bank["items"].extend(bank["items"])
    unit_file.write_text(yaml.safe_dump(unit_bank, sort_keys=False, allow_unicode=True), "utf-8")

    loaded, problems = load(readings)
    assert problems == []
    assert loaded.items["imported-q2"].type == "multiple"
    assert loaded.items["imported-q6"].unit == "01-benefits"


def test_import_accepts_a_dict_of_questions(tmp_path, capsys):
    out = tmp_path / "dict.yaml"
    code, stdout, _ = run_cli(quizimport, [FIXTURES / "dict-bank.json", "--unit", "02-sponsorship",
                                           "--prefix", "dict", "--cite", CITE, "-o", out], capsys)
    assert code == 0 and "wrote 1 item to" in stdout
    assert [i["id"] for i in yaml.safe_load(out.read_text("utf-8"))["items"]] == ["dict-q1"]


def test_round_trip_export_import_keeps_questions_options_and_correctness():
    exported = quizexport.to_jupyterquiz(all_specs())
    bank = quizimport.from_jupyterquiz(exported, "01-benefits", "rt", CITE)
    questions, _ = quizexport.collect(all_specs(), essays=False)
    assert len(bank["items"]) == len(questions) == len(exported)
    for item, mine in zip(bank["items"], questions):
        expected = f"{mine.title}\n\n{mine.text}" if mine.stage else mine.text
        assert item["prompt"] == expected
        assert item["type"] == mine.kind
        assert [o["text"] for o in item["options"]] == [o.text for o in mine.options]
        assert [o["correct"] for o in item["options"]] == [o.correct for o in mine.options]
        assert [o["feedback"] for o in item["options"]] == [o.feedback for o in mine.options]
    assert quizimport.schema_problems(quizimport.bank_yaml(bank), "rt.yaml") == []


@pytest.mark.parametrize("fixture, message", [
    ("malformed.json", "not valid JSON"),
    ("no-answers.json", "has no answers"),
    ("wrong-shape.json", "must be a JSON list"),
])
def test_import_of_bad_input_exits_1_without_traceback(tmp_path, fixture, message):
    out = tmp_path / "out.yaml"
    script = ("import argparse, sys\n"
              "from course.instructor.quizimport import add_arguments, run\n"
              "parser = argparse.ArgumentParser()\n"
              "add_arguments(parser)\n"
              "sys.exit(run(parser.parse_args(sys.argv[1:])))\n")
    result = subprocess.run([sys.executable, "-c", script, str(FIXTURES / fixture), "--unit", "01-benefits",
                             "--prefix", "bad", "--cite", CITE, "-o", str(out)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("quiz-import: ") and message in result.stderr
    assert not out.exists()


def test_import_skips_answers_without_a_boolean_correct():
    bank = [{"question": "Q?", "type": "multiple_choice",
             "answers": [{"answer": "A", "correct": "true"}, {"answer": "B", "correct": False}]}]
    report = quizimport.ImportReport()
    assert quizimport.from_jupyterquiz(bank, "01-benefits", "p", CITE, report)["items"] == []
    assert "true or false" in report.skipped[0]


def test_import_rejects_bad_prefix_and_missing_file(tmp_path, capsys):
    code, _, stderr = run_cli(quizimport, [FIXTURES / "bank.json", "--unit", "01-benefits",
                                           "--prefix", "Bad Prefix", "--cite", CITE, "-o", tmp_path / "x.yaml"], capsys)
    assert code == 1 and "prefix" in stderr
    code, _, stderr = run_cli(quizimport, [tmp_path / "nope.json", "--unit", "01-benefits",
                                           "--prefix", "p", "--cite", CITE, "-o", tmp_path / "x.yaml"], capsys)
    assert code == 1 and stderr.startswith("quiz-import: cannot read")
