"""Defect 10 (issue 10): quiz-import has limits and never writes a bank `course check` rejects.

Input size and question count are limited before any work is done; NUL, ESC, other control
characters, bidi overrides and lone surrogates are refused (they used to pass into the items and
from there into the GIFT file); and a bank over the content size limit is never written.
"""

from __future__ import annotations

import argparse
import json
import time

import pytest

from course.instructor import quizimport
from course.material.sourcefile import MAX_BYTES

CITE = "ftc-endorsement-guides-2023#material-connection"


def _question(text="Which is right?", answer="Right", feedback="Because."):
    return {"question": text, "type": "multiple_choice",
            "answers": [{"answer": answer, "correct": True, "feedback": feedback},
                        {"answer": "Wrong", "correct": False, "feedback": "No."}]}


def _run(tmp_path, bank, capsys, raw: bytes | None = None):
    source = tmp_path / "bank.json"
    source.write_bytes(raw if raw is not None else json.dumps(bank).encode("utf-8"))
    out = tmp_path / "out.yaml"
    parser = argparse.ArgumentParser()
    quizimport.add_arguments(parser)
    args = parser.parse_args([str(source), "--unit", "01-benefits", "--prefix", "imp", "--cite", CITE,
                              "-o", str(out)])
    code = quizimport.run(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err, out


def test_too_many_questions_are_refused_quickly(tmp_path, capsys):
    small = {"question": "Q?", "type": "multiple_choice",
             "answers": [{"answer": "a", "correct": True}, {"answer": "b", "correct": False}]}
    bank = [small] * 2_000
    start = time.perf_counter()
    code, _, err, out = _run(tmp_path, bank, capsys)
    assert time.perf_counter() - start < 10
    assert code == 1 and not out.exists()
    assert "2,000 questions" in err and str(quizimport.MAX_QUESTIONS) in err and "Traceback" not in err


def test_twenty_thousand_questions_are_refused_in_seconds_not_minutes(tmp_path, capsys):
    bank = [_question(f"Question {n}?") for n in range(20_000)]
    start = time.perf_counter()
    code, _, err, out = _run(tmp_path, bank, capsys)
    assert time.perf_counter() - start < 10
    assert code == 1 and not out.exists() and "Traceback" not in err


def test_an_oversized_file_is_refused_before_parsing(tmp_path, capsys):
    raw = b"[" + b" " * (quizimport.MAX_INPUT_BYTES + 1) + b"]"
    code, _, err, out = _run(tmp_path, None, capsys, raw=raw)
    assert code == 1 and not out.exists()
    assert "at most" in err and "bytes" in err


@pytest.mark.parametrize("bad, name", [
    ("\x00", "U+0000"), ("\x1b[31m", "U+001B"), ("\u202e", "U+202E"), ("\u2066", "U+2066"),
    ("\x7f", "U+007F"), ("\x9b", "U+009B"), ("\ud800", "U+D800"),
])
@pytest.mark.parametrize("where", ["question", "answer", "feedback"])
def test_control_and_bidi_characters_are_refused(tmp_path, capsys, bad, name, where):
    kwargs = {"question": {"text": f"Which{bad} is right?"}, "answer": {"answer": f"Ri{bad}ght"},
              "feedback": {"feedback": f"Be{bad}cause."}}[where]
    bank = [_question(**kwargs), _question("A clean one?")]
    code, _, err, out = _run(tmp_path, bank, capsys)
    assert name in err and "question 1" in err
    assert "\x1b" not in err and "\u202e" not in err
    if out.exists():
        text = out.read_text(encoding="utf-8")
        assert bad not in text
        assert "imp-q1" not in text and "imp-q2" in text


def test_a_bank_over_the_content_limit_is_never_written(tmp_path, capsys):
    long = "word " * 3000
    bank = [_question(f"Question {n}? {long}", feedback=long) for n in range(60)]
    code, _, err, out = _run(tmp_path, bank, capsys)
    assert code == 1 and not out.exists()
    assert f"{MAX_BYTES:,}" in err and "Traceback" not in err


def test_a_label_from_a_dict_bank_cannot_reach_the_terminal_raw(tmp_path, capsys):
    bank = {"evil\x1b]0;owned\x07": {"question": "Numeric?", "type": "numeric", "answers": [{"value": 1}]},
            "fine": _question()}
    code, _, err, _ = _run(tmp_path, bank, capsys)
    assert code == 0
    assert "\x1b" not in err and "\x07" not in err
