"""Teaching from the module: the facilitator guide as a document, and seminar slides.

The guide's content lives in readings/instructor/guide.yaml; `guide_markdown()` lays it out for
instructors (stored as notebooks/instructor/facilitator-guide.md by `make notebooks`).

Slides: `python -m course slides -o DIR [--plan 90|120] [--report DIR]` writes a reveal.js deck
that follows one of the guide's plans, with speaker notes; see course/instructor/deck.py.
"""

from __future__ import annotations

from pathlib import Path

from course import render
from course.atomic import atomic_write_text
from course.material.api import content, unit
from course.render.templates import render as render_template

GUIDE_FILE = Path("instructor") / "facilitator-guide.md"


def _guide():
    data = content().extra.get("guide")
    if data is None:
        raise LookupError("this course has no readings/instructor/guide.yaml")
    return data


def _cites(cites) -> str:
    return render.cites_text(cites, content().cite_label).replace("Source: ", "")


def guide_markdown() -> str:
    """The facilitator guide as Markdown, generated from guide.yaml (do not edit the output by hand)."""
    g = _guide()
    out = [f"# {g['title']}", "",
           "<!-- Generated from readings/instructor/guide.yaml by `make notebooks`; edit the YAML, not this file. -->",
           "", g["overview"].strip(), ""]
    for plan in g["plans"]:
        out += [f"## {plan['title']} ({plan['minutes']} minutes)", "",
                f"Slides for this plan, with these timings and prompts in the speaker notes: "
                f"`python -m course slides --plan {plan['minutes']} -o slides` (add `--report DIR` to show the "
                f"class report's results), then open `slides/index.html`.", "",
                "| minutes | segment | unit | what happens |", "| --- | --- | --- | --- |"]
        clock = 0
        for seg in plan["segments"]:
            activity = seg["activity"].strip().replace("\n", " ").replace("|", "\\|")
            out.append(f"| {clock}\u2013{clock + seg['minutes']} | {seg['title']} | {seg.get('unit', '')} | {activity} |")
            clock += seg["minutes"]
        out.append("")
    out += ["## Discussion prompts", ""]
    for block in g["prompts"]:
        out += [f"### {unit(block['unit']).title}", ""]
        out += [f"- {q['text'].strip()} *({_cites(q['cite'])})*" for q in block["questions"]]
        out.append("")
    for debate in g["debates"]:
        out += [f"## Debate: {debate['title']} ({debate['minutes']} minutes)", "", f"**Motion:** {debate['motion']}", "",
                debate["format"].strip(), "", "| role | side | brief |", "| --- | --- | --- |"]
        for role in debate["roles"]:
            brief = role["brief"].strip().replace("\n", " ").replace("|", "\\|")
            out.append(f"| {role['name']} | {role['side']} | {brief} ({_cites(role['cite'])}) |")
        out.append("")
    out += ["## Model answers", ""]
    items = content().items
    for model in g["model_answers"]:
        spec = items[model["item"]]
        title = spec.data.get("prompt") or spec.data.get("title")
        out += [f"### {model['item']}", "", f"> {title.strip()}", "", model["answer"].strip(), "",
                f"*Why it is strong:* {model['rationale'].strip()} ({_cites(model['cite'])})", ""]
    out += ["## Common misconceptions", ""]
    for m in g["misconceptions"]:
        out += [f"- **{m['text'].strip()}** {m['correction'].strip()} *({_cites(m['cite'])})*"]
    rubric = g["rubric"]
    out += ["", f"## {rubric['title']}", "", "| criterion | " + " | ".join(rubric["levels"]) + " |",
            "| --- |" + " --- |" * len(rubric["levels"])]
    for criterion in rubric["criteria"]:
        cells = " | ".join(d.strip().replace("|", "\\|") for d in criterion["descriptors"])
        out.append(f"| {criterion['name']} | {cells} |")
    return "\n".join(out) + "\n"


def write_guide(notebooks_dir: Path) -> Path:
    target = Path(notebooks_dir) / GUIDE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, guide_markdown())
    return target


# -- slides -------------------------------------------------------------------------------------
def write_slides(out_dir: Path, plan: int = 90, report: Path | None = None) -> Path:
    """The seminar deck (course.instructor.deck): returns index.html, the page to present; handout.html is beside it."""
    from course.instructor.deck import write_slides as write

    return write(out_dir, plan, report)
