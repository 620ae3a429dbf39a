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

from html import escape
from pathlib import Path

from course import render
from course.material.api import content, unit
from course.atomic import atomic_write_text

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
_DECK_CSS = """
html { scroll-snap-type: y mandatory; }
body { margin: 0; font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }
section.slide { scroll-snap-align: start; min-height: 100vh; box-sizing: border-box; padding: 4vh 8vw;
  border-bottom: 4px solid #0072B2; font-size: 1.25rem; line-height: 1.45; overflow-wrap: anywhere; }
section.slide h1 { color: #0072B2; } section.slide.title { display: flex; flex-direction: column;
  justify-content: center; background: #f3f8fc; }
section.slide img { max-width: 100%; max-height: 70vh; }
.course-mark-correct { color: #0072B2; } .course-mark-incorrect { color: #D55E00; }
nav.toc a { display: block; margin: 0.2em 0; }
a:focus-visible, summary:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
"""


def _markdown_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _output_html(output) -> str | None:
    data = output.get("data", {})
    if "text/html" in data:
        return data["text/html"]
    if "text/plain" in data:
        return f"<pre>{escape(data['text/plain'])}</pre>"
    if output.get("output_type") == "stream":
        return f"<pre>{escape(output.get('text', ''))}</pre>"
    return None


def slides_html(notebooks_dir: Path) -> str:
    """One deck: a title slide, then each unit's Markdown and outputs, then its discussion prompts."""
    import nbformat

    loaded = content()
    prompts = {b["unit"]: b["questions"] for b in (loaded.extra.get("guide") or {}).get("prompts", [])}
    slides = [f'<section class="slide title" id="start"><h1>{escape(loaded.module["title"])}</h1>'
              f'<p>{escape(loaded.module["audience"])}</p><nav class="toc" aria-label="Units">'
              + "".join(f'<a href="#{u.id}">{escape(u.title)}</a>' for u in loaded.units) + "</nav></section>"]
    for u in loaded.units:
        path = Path(notebooks_dir) / u.notebook
        slides.append(f'<section class="slide title" id="{u.id}"><h1>{escape(u.title)}</h1>'
                      f"<p><strong>{escape(u.question)}</strong></p><p>About {u.minutes} minutes.</p></section>")
        if path.is_file():
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    slides.append(f'<section class="slide">{_markdown_html(cell.source)}</section>')
                elif cell.cell_type == "code":
                    parts = [h for h in (_output_html(o) for o in cell.get("outputs", [])) if h]
                    if parts:
                        slides.append(f'<section class="slide">{"".join(parts)}</section>')
        if u.id in prompts:
            items = "".join(f"<li>{escape(q['text'])}</li>" for q in prompts[u.id])
            slides.append(f'<section class="slide"><h2>Discussion</h2><ol>{items}</ol></section>')
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(loaded.module['short_title'])}: seminar slides</title>"
            f"<style>{_DECK_CSS}</style></head><body>{''.join(slides)}</body></html>")


def write_slides(out_dir: Path, notebooks_dir: Path | None = None) -> Path:
    notebooks_dir = Path(notebooks_dir) if notebooks_dir else content().root.parent / "notebooks"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "seminar.html"
    atomic_write_text(target, slides_html(notebooks_dir))
    return target
