"""The seminar deck: `python -m course slides [-o DIR] [--plan 90|120] [--report DIR]`.

The deck follows one of the guide's plans (readings/instructor/guide.yaml): a title slide, the
agenda with its timings, then for each segment an opening slide (its timing and the unit's
question) and what the segment's `deck:` entry names, in this order: the class's results (only
with `--report`), a list of points (ground rules, key points), the debate's motion and roles,
each case with its stages revealed one by one (reveal.js fragments), the unit's discussion
prompts. Every slide carries speaker notes (`<aside class="notes">`): the timing, the activity,
the facilitator's prompts, debate briefs, model answers and misconceptions, all from the guide.

DIR receives:
- `index.html`, the deck, presented with reveal.js (bundled into `DIR/reveal/` by
  `course.instructor.revealjs`, with its licence) and `DIR/deck.js`, its settings. The page's
  Content-Security-Policy lets scripts, styles and fonts come only from the deck's own folder
  (`'self'`), images only from there or data: URLs, and nothing from any other origin.
- `handout.html`, the same slides and notes as one script-free page (the layout's default CSP,
  no scripts at all), for reading, screen readers and a printed facilitator's copy.
- `report/stance-shift.png`, copied from the class report when `--report` gives one.

`--report DIR` reads the `summary.json` that `python -m course seminar report ... -o DIR` writes.
What it cannot find (a figure, a field the report no longer has) is left out, or shown as a table
instead of a missing chart; only a missing or unreadable summary.json is an error.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from course.atomic import atomic_write_text
from course.material.api import content, unit
from course.render.templates import render as render_template

# What the deck's page allows: its own files only, never another origin.
DECK_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'")
STANCE_FIGURE = "stance-shift.png"
MISSED = 3  # how many of the most-missed questions the results show


class DeckError(ValueError):
    """A plan or report the deck cannot be built from; the message says what to do."""


@dataclass(frozen=True)
class Deck:
    """What `write_deck` wrote: the two pages, how many slides, for which plan, with which reveal.js."""

    deck: Path       # index.html, presented with reveal.js
    handout: Path    # handout.html, the same slides and notes without a script
    slides: int
    plan: str
    reveal_version: str


def _guide() -> dict:
    data = content().extra.get("guide")
    if data is None:
        raise DeckError("this course has no readings/instructor/guide.yaml")
    return data


def plan_for(minutes: int) -> dict:
    plans = _guide()["plans"]
    for plan in plans:
        if plan["minutes"] == minutes:
            return plan
    raise DeckError(f"the guide has no {minutes}-minute plan; it has "
                    + ", ".join(f"{p['minutes']} ({p['title']})" for p in plans))


# -- the class report ----------------------------------------------------------------------------------
def read_report(folder: Path) -> dict:
    """The class report's summary.json, with the folder it came from."""
    path = Path(folder) / "summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeckError(f"cannot read the class report's {path}: {exc}; write it with "
                        "`python -m course seminar report EXPORTS -o DIR`") from None
    if not isinstance(data, dict):
        raise DeckError(f"{path} is not a class report summary")
    return {"folder": Path(folder), "summary": data}


def _rows(summary: dict, key: str) -> list[dict]:
    rows = summary.get(key)
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _stance_rows(summary: dict) -> list[dict]:
    out = []
    for row in _rows(summary, "stance_shift"):
        heading = row.get("heading")
        if not isinstance(heading, str):
            continue
        sides = [row.get(side) if isinstance(row.get(side), dict) else {} for side in ("before_answers", "after_answers")]
        shift = row.get("mean_shift")
        out.append({"heading": heading, "before": sides[0].get("respondents"), "after": sides[1].get("respondents"),
                    "shift": shift if isinstance(shift, (int, float)) else None})
    return out


def _option_text(item_id, stage, key) -> str:
    spec = content().items.get(item_id)
    try:
        data = spec.data["stages"][stage - 1]["question"] if stage else spec.data
        return next(o["text"] for o in data["options"] if o["key"] == key)
    except (AttributeError, KeyError, IndexError, TypeError, StopIteration):
        return ""


def _missed_rows(summary: dict) -> list[dict]:
    rows = [r for r in _rows(summary, "difficulty")
            if isinstance(r.get("share_fully_correct"), (int, float)) and isinstance(r.get("heading"), str)]
    rows.sort(key=lambda r: (r["share_fully_correct"], r["heading"]))
    out = []
    for row in rows[:MISSED]:
        top = row.get("top_wrong") if isinstance(row.get("top_wrong"), dict) else {}
        options = [k for k in top.get("options") or [] if isinstance(k, str)]
        title = row.get("title") if isinstance(row.get("title"), str) else row["heading"]  # the question itself
        out.append({"heading": title, "percent": round(100 * row["share_fully_correct"]),
                    "wrong": [{"key": k, "text": _option_text(row.get("item"), row.get("stage"), k)} for k in options]})
    return out


def _results(kind: str, report: dict, out_dir: Path) -> dict:
    summary = report["summary"]
    learners = summary.get("learners") if isinstance(summary.get("learners"), int) else None
    slide = {"kind": kind, "learners": learners, "min_count": summary.get("min_count"), "figure": None,
             "notes": {}}
    if kind == "stance-shift":
        slide["rows"] = _stance_rows(summary)
        figure = report["folder"] / STANCE_FIGURE
        if figure.is_file():
            (out_dir / "report").mkdir(exist_ok=True)
            shutil.copyfile(figure, out_dir / "report" / STANCE_FIGURE)
            slide["figure"] = f"report/{STANCE_FIGURE}"
    else:
        slide["rows"] = _missed_rows(summary)
    return slide


# -- the slides ------------------------------------------------------------------------------------------
def _case(case_id: str, models: dict) -> dict:
    spec = content().items[case_id]
    data = spec.data
    return {"kind": "case", "title": data["title"], "invented": data.get("invented", False),
            "stages": [{"text": s["text"], "prompt": s["question"].get("prompt", "")} for s in data["stages"]],
            "notes": {"discussion": data.get("discussion"), "guidance": data.get("guidance", []),
                      "model_answers": [models[case_id]] if case_id in models else []}}


# What speaker notes may hold; a slide's notes name only some of these.
NOTE_FIELDS = {"timing": None, "plan_minutes": None, "overview": None, "activity": None, "prompts": (), "format": None,
               "briefs": (), "discussion": None, "guidance": (), "model_answers": (), "misconceptions": ()}


def slides(plan: dict, report: dict | None = None, out_dir: Path | None = None) -> list[dict]:
    """Every slide of the deck for `plan`, as data the templates lay out."""
    out = _slides(plan, report, out_dir)
    for slide in out:
        slide["notes"] = {**NOTE_FIELDS, **slide["notes"]}
        slide.setdefault("figure", None)
    return out


def _slides(plan: dict, report: dict | None, out_dir: Path | None) -> list[dict]:
    loaded, guide = content(), _guide()
    debates = {d["id"]: d for d in guide["debates"]}
    misconceptions = {m["id"]: m for m in guide["misconceptions"] if "id" in m}
    models = {m["item"]: m for m in guide["model_answers"]}
    prompts = {b["unit"]: b["questions"] for b in guide["prompts"]}
    agenda, clock = [], 0
    for seg in plan["segments"]:
        agenda.append({"start": clock, "end": clock + seg["minutes"], "title": seg["title"],
                       "unit": unit(seg["unit"]).title if "unit" in seg else None})
        clock += seg["minutes"]
    out = [{"kind": "title", "module": loaded.module, "plan": plan, "notes": {"overview": guide["overview"]}},
           {"kind": "agenda", "agenda": agenda, "plan": plan, "notes": {"plan_minutes": plan["minutes"]}}]
    for seg, times in zip(plan["segments"], agenda):
        deck = seg.get("deck", {})
        the_unit = unit(seg["unit"]) if "unit" in seg else None
        timing = {"start": times["start"], "end": times["end"], "minutes": seg["minutes"], "segment": seg["title"]}
        out.append({"kind": "segment", "title": seg["title"], "timing": timing, "unit": the_unit,
                    "motion": debates[deck["motion"]]["motion"] if "motion" in deck else None,
                    "notes": {"timing": timing, "activity": seg["activity"], "prompts": seg.get("prompts", []),
                              "misconceptions": [misconceptions[m] for m in deck.get("misconceptions", [])]}})
        for kind in deck.get("results", []) if report else []:
            out.append(_results(kind, report, out_dir))
        if "points" in deck:
            out.append({"kind": "points", "title": deck["points"]["title"], "points": deck["points"]["items"],
                        "notes": {"timing": timing}})
        if "debate" in deck:
            debate = debates[deck["debate"]]
            out.append({"kind": "motion", "debate": debate, "notes": {"timing": timing, "format": debate["format"]}})
            out.append({"kind": "roles", "debate": debate, "notes": {"timing": timing, "briefs": debate["roles"]}})
        for case_id in deck.get("cases", []):
            case = _case(case_id, models)
            case["notes"]["timing"] = timing
            out.append(case)
        if deck.get("discussion") and the_unit and the_unit.id in prompts:
            out.append({"kind": "discussion", "unit": the_unit, "questions": prompts[the_unit.id],
                        "notes": {"timing": timing, "prompts": seg.get("prompts", [])}})
    return out


def _page(template: str, plan: dict, deck_slides: list[dict], **extra) -> str:
    loaded = content()
    return render_template(template, title=f"{loaded.module['short_title']}: {plan['title']}", plan=plan,
                           slides=deck_slides, label=loaded.cite_label, **extra)


def write_deck(out_dir: Path, plan: int = 90, report: Path | None = None) -> Deck:
    """Write the deck for the `plan`-minute plan into `out_dir`, with reveal.js bundled beside it."""
    from course.instructor import revealjs

    chosen = plan_for(plan)
    summary = read_report(report) if report is not None else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    version = revealjs.bundle(out_dir / "reveal")
    settings = resources.files("course.render") / "templates" / "instructor" / "deck.js"
    atomic_write_text(out_dir / "deck.js", settings.read_text(encoding="utf-8"))
    deck_slides = slides(chosen, summary, out_dir)
    index = out_dir / "index.html"
    atomic_write_text(index, _page("instructor/deck.html", chosen, deck_slides, csp=DECK_CSP, reveal_version=version))
    handout = out_dir / "handout.html"
    atomic_write_text(handout, _page("instructor/handout.html", chosen, deck_slides))
    return Deck(index, handout, len(deck_slides), chosen["id"], version)


def write_slides(out_dir: Path, plan: int = 90, report: Path | None = None) -> Path:
    """Write the deck (see `write_deck`) and return the page to present, `index.html`.

    The script-free `handout.html` is beside it; callers that need both use `write_deck`.
    """
    return write_deck(out_dir, plan, report).deck
