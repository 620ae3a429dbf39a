"""Teaching from the module: the facilitator guide as a document, and seminar slides.

The guide's content lives in readings/instructor/guide.yaml; `guide_markdown()` lays it out for
instructors (stored as notebooks/instructor/facilitator-guide.md by `make notebooks`).

Slides: `python -m course slides -o DIR` writes one self-contained HTML deck from the stored
notebooks, with every widget in its static rendering and the guide's discussion prompts after
each unit. It needs no network: nbconvert's reveal.js exporter loads reveal.js from a CDN, and
jupyterlab-rise presents only live inside a running JupyterLab, so neither works offline in a
seminar room; this deck uses CSS scroll snapping (one slide per screen, PageDown/Space/arrows to move).
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
def _markdown_html(text: str) -> str:
    """A Markdown cell as HTML, by nbconvert's own mistune filter (trusted: the course's notebooks)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _output_part(output) -> tuple[str, str] | None:
    """What a slide shows of one stored cell output: ("html", its HTML) or ("pre", its plain text)."""
    data = output.get("data", {})
    if "text/html" in data:
        return "html", data["text/html"]
    if "text/plain" in data:
        return "pre", data["text/plain"]
    if output.get("output_type") == "stream":
        return "pre", output.get("text", "")
    return None


def slides_html(notebooks_dir: Path) -> str:
    """One deck: a title slide, then each unit's Markdown and outputs, then its discussion prompts."""
    import nbformat

    loaded = content()
    prompts = {b["unit"]: b["questions"] for b in (loaded.extra.get("guide") or {}).get("prompts", [])}
    units = []
    for u in loaded.units:
        path = Path(notebooks_dir) / u.notebook
        slides = []
        if path.is_file():
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    slides.append([("html", _markdown_html(cell.source))])
                elif cell.cell_type == "code":
                    parts = [p for p in map(_output_part, cell.get("outputs", [])) if p and (p[0] == "pre" or p[1])]
                    if parts:
                        slides.append(parts)
        units.append({"unit": u, "slides": slides, "prompts": prompts.get(u.id)})
    return render_template("instructor/slides.html", title=f"{loaded.module['short_title']}: seminar slides",
                           module=loaded.module, units=units)


def write_slides(out_dir: Path, notebooks_dir: Path | None = None) -> Path:
    notebooks_dir = Path(notebooks_dir) if notebooks_dir else content().root.parent / "notebooks"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "seminar.html"
    atomic_write_text(target, slides_html(notebooks_dir))
    return target
