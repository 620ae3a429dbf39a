"""The module's figures, each with alt text, drawn from content data in colour-blind-safe colours.

A `Chart` displays as `image/png` for viewers, as `text/html` (`<figure>` with `<img alt>` and a
caption) for JupyterLab and static pages, and as `text/plain` holding the alt text and the data,
so a screen reader and nbval both get the figure in words. Matplotlib is imported only here,
through its object API (no pyplot state, nothing shown twice).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from course import cache
from course.material.api import content, reading
from course.render import PALETTE
from course.render.templates import render

SUPPORT_ORDER = ("evidence", "example", "anecdote", "assertion")
SUPPORT_STYLE = {  # colour and hatch: the pattern repeats what the colour says
    "evidence": (PALETTE["blue"], ""),
    "example": (PALETTE["sky"], ".."),
    "anecdote": (PALETTE["orange"], "//"),
    "assertion": (PALETTE["vermillion"], "xx"),
}
IDENTITY_ORDER = ("anonymous", "semi-anonymous", "named", "undeclared")
IDENTITY_STYLE = {
    "anonymous": (PALETTE["vermillion"], "s"),
    "semi-anonymous": (PALETTE["orange"], "D"),
    "named": (PALETTE["blue"], "o"),
    "undeclared": (PALETTE["grey"], "^"),
}


class Chart:
    """A rendered figure with its alt text and caption.

    `draw(figure, ax)` draws it; the PNG is taken from the cache when the same chart (same size,
    caption, alt text and data, same matplotlib) was drawn before, so matplotlib is then not even imported.
    """

    def __init__(self, size, draw, alt: str, caption: str, data_lines: list[str]):
        self.alt, self.caption, self.data_lines = alt, caption, data_lines
        key = "chart-" + cache.fingerprint(repr(size), caption, alt, *data_lines, _matplotlib_version()) + ".png"
        self.png = cache.read(key)
        if self.png is None:
            from matplotlib.figure import Figure

            figure = Figure(figsize=size, layout="constrained")
            draw(figure, figure.add_subplot())
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
            self.png = buffer.getvalue()
            cache.write(key, self.png)

    def __repr__(self) -> str:
        return self.text()

    def text(self) -> str:
        return "\n".join([f"Figure: {self.caption}", f"Alt text: {self.alt}", "Data:"]
                         + [f"  {line}" for line in self.data_lines])

    def html(self) -> str:
        """The figure for JupyterLab and static pages: image with alt text, caption, the data in words."""
        from markupsafe import Markup

        # Base64 has no character HTML would escape; saying so skips escaping ~40 kB per figure.
        png = Markup(base64.b64encode(self.png).decode("ascii"))
        return render("learner/figure.html", png=png, alt=self.alt, caption=self.caption, data_lines=self.data_lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text(),
                "text/html": self.html()}


def _matplotlib_version() -> str:
    """matplotlib's version, for the chart cache's key, without importing matplotlib.

    Read from the installed package's `_version.py` (about 0.1 ms); importlib.metadata's lookup,
    which scans every installed distribution, took 23 ms of each notebook kernel (measured).
    """
    import re
    from importlib.util import find_spec

    spec = find_spec("matplotlib")
    try:
        text = (Path(spec.origin).parent / "_version.py").read_text(encoding="utf-8")
        return re.search(r"""^(?:__version__ = )?version\s*=\s*['"]([^'"]+)['"]""", text, re.M).group(1)
    except (AttributeError, OSError, TypeError):  # an unusual install: ask the metadata instead
        from importlib.metadata import version

        return version("matplotlib")


def _wrap(text: str, width: int) -> str:
    import textwrap

    lines = textwrap.wrap(text, width)
    return "\n".join(lines[:3]) + ("\u2026" if len(lines) > 3 else "")


def _short(title: str, limit: int = 38) -> str:
    title = title.split(" (")[0]
    return title if len(title) <= limit else title[: limit - 1] + "\u2026"


def module_map() -> Chart:
    """The module at a glance: each unit's minutes of reading and of exercises."""
    units = content().units

    def draw(figure, ax):
        for row, u in enumerate(units):
            ax.barh(row, u.teaching_minutes, color=PALETTE["sky"], hatch="..", edgecolor="white",
                    label="reading" if row == 0 else None)
            ax.barh(row, u.exercise_minutes, left=u.teaching_minutes, color=PALETTE["blue"], edgecolor="white",
                    label="exercises" if row == 0 else None)
            ax.text(u.minutes + 1, row, f"{u.minutes} min", va="center", fontsize=8)
        ax.set_yticks(range(len(units)), [f"{u.id.split('-')[0]} {_short(u.title.split(':')[0], 30)}"
                                          for u in units], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel("Minutes")
        ax.set_xlim(0, max(u.minutes for u in units) * 1.2)
        figure.legend(fontsize=8, loc="outside lower center", ncol=2)
        ax.set_title("The module at a glance", fontsize=10)

    total = sum(u.minutes for u in units)
    lines = [f"{u.id}: {u.teaching_minutes} min reading + {u.exercise_minutes} min exercises = {u.minutes} min"
             for u in units]
    alt = (f"Horizontal bars for the {len(units)} units in order, each split into minutes of reading "
           f"and of exercises; about {total} minutes in all.")
    return Chart((7, 1.2 + 0.5 * len(units)), draw, alt, "The five units and the time each takes", lines)


def theme_matrix(reading_ids) -> Chart:
    """Which reading claims which theme: a grid of readings by themes, a filled mark where a text touches it."""
    loaded = content()
    chosen = [reading(r) for r in reading_ids]
    theme_ids = [t for t in loaded.themes if any(t in r.themes for r in chosen)]

    def draw(figure, ax):
        for row, r in enumerate(chosen):
            for col, t in enumerate(theme_ids):
                hit = t in r.themes
                ax.scatter(col, row, s=220 if hit else 40, marker="o" if hit else ".",
                           color=PALETTE["blue"] if hit else PALETTE["grey"], zorder=3)
        ax.set_xticks(range(len(theme_ids)), [loaded.themes[t].label for t in theme_ids], rotation=40, ha="right",
                      fontsize=8)
        ax.set_yticks(range(len(chosen)), [_short(r.title) for r in chosen], fontsize=9)
        ax.set_xlim(-0.6, len(theme_ids) - 0.4)
        ax.set_ylim(len(chosen) - 0.5, -0.5)
        ax.grid(True, color="#dddddd", zorder=0)
        ax.set_title("Themes each reading touches (large dot = touches the theme)", fontsize=10)

    lines = [f"{_short(r.title, 60)}: " + ", ".join(loaded.themes[t].label for t in theme_ids if t in r.themes)
             for r in chosen]
    shared = [loaded.themes[t].label for t in theme_ids if all(t in r.themes for r in chosen)]
    alt = (f"A grid of {len(chosen)} readings by {len(theme_ids)} themes, with a large dot where a reading "
           f"touches a theme. Themes all of them touch: {', '.join(shared) if shared else 'none'}.")
    return Chart((1.1 + 0.55 * len(theme_ids), 1.2 + 0.6 * len(chosen)), draw, alt,
                 "Which reading claims which benefit or theme", lines)


def claim_support(reading_ids) -> Chart:
    """How each reading supports its claims: counts of asserted, anecdotal, example and evidence claims."""
    chosen = [reading(r) for r in reading_ids]
    counts = {r.id: {k: sum(1 for s in r.sections for c in s.claims if c.support == k) for k in SUPPORT_ORDER}
              for r in chosen}

    def draw(figure, ax):
        for row, r in enumerate(chosen):
            left = 0
            for kind in SUPPORT_ORDER:
                n = counts[r.id][kind]
                colour, hatch = SUPPORT_STYLE[kind]
                ax.barh(row, n, left=left, color=colour, hatch=hatch, edgecolor="white",
                        label=kind if row == 0 else None)
                if n:
                    ax.text(left + n / 2, row, str(n), ha="center", va="center", fontsize=8, color="black",
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
                left += n
        ax.set_yticks(range(len(chosen)), [_short(r.title) for r in chosen], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel("Number of claims in our digest")
        figure.legend(title="Support the text gives", fontsize=8, title_fontsize=8, loc="outside lower center",
                      ncol=4)
        ax.set_title("How each text supports its claims", fontsize=10)

    lines = [f"{_short(r.title, 60)}: " + ", ".join(f"{counts[r.id][k]} {k}" for k in SUPPORT_ORDER)
             for r in chosen]
    totals = {r.id: sum(counts[r.id].values()) for r in chosen}
    most = max(chosen, key=lambda r: counts[r.id]["assertion"] / max(totals[r.id], 1))
    alt = (f"Stacked horizontal bars, one per reading, counting its claims by the support the text gives "
           f"(evidence, example, anecdote, assertion). The text with the largest share of bare assertions is "
           f"\u201c{_short(most.title, 60)}\u201d ({counts[most.id]['assertion']} of {totals[most.id]}).")
    return Chart((7, 1.2 + 0.55 * len(chosen)), draw, alt, "Claims by the support each text gives for them", lines)


def anonymity_map(reading_id: str = "meded-monday") -> Chart:
    """Each writer's identity choice (anonymous to named) against the reasons they give."""
    loaded = content()
    r = reading(reading_id)
    reason_ids = [x for x in loaded.reasons if any(x in p.reasons for p in r.positions)]
    rows = reason_ids + ["(no reason given)"]
    stacks: dict[tuple[str, str], int] = {}
    for p in r.positions:
        for reason in (p.reasons or ("(no reason given)",)):
            stacks[(p.identity, reason)] = stacks.get((p.identity, reason), 0) + 1
    deepest = max(stacks.values(), default=1) - 1  # writers stacked in one cell, below the first

    def draw(figure, ax):
        placed: dict[tuple[int, int], int] = {}
        for p in r.positions:
            col = IDENTITY_ORDER.index(p.identity)
            for reason in (p.reasons or ("(no reason given)",)):
                row = rows.index(reason)
                offset = placed.get((col, row), 0)
                placed[(col, row)] = offset + 1
                colour, marker = IDENTITY_STYLE[p.identity]
                ax.scatter(col, row + offset * 0.28, color=colour, marker=marker, s=60, zorder=3)
                ax.annotate(_short(p.who, 22), (col, row + offset * 0.28), xytext=(7, -3),
                            textcoords="offset points", fontsize=7)
        ax.set_xticks(range(len(IDENTITY_ORDER)), [i.replace("-", "\u2011") for i in IDENTITY_ORDER])
        ax.set_yticks(range(len(rows)), [loaded.reasons[x].label if x in loaded.reasons else x for x in rows],
                      fontsize=8)
        ax.set_xlim(-0.4, len(IDENTITY_ORDER) - 0.1)
        ax.set_ylim(len(rows) - 0.6 + 0.28 * deepest, -0.6)
        ax.grid(True, color="#eeeeee", zorder=0)
        ax.set_title("Who writes under which identity, and why", fontsize=10)

    lines = [f"{p.who}: {p.identity}; reasons: "
             + (", ".join(loaded.reasons[x].label for x in p.reasons) if p.reasons else "none given")
             for p in r.positions]
    tally = {i: sum(1 for p in r.positions if p.identity == i) for i in IDENTITY_ORDER}
    alt = ("A chart placing each writer in the discussion by identity choice (columns: anonymous, semi-anonymous, "
           "named, undeclared) against the reasons they give (rows), each point labelled with the writer's name. "
           + "; ".join(f"{n} {i}" for i, n in tally.items()) + ".")
    return Chart((8, 1.4 + 0.42 * (len(rows) + 0.28 * deepest)), draw, alt,
                 f"Positions on named and anonymous writing in \u201c{_short(r.title, 60)}\u201d", lines)


def stance_shift(journal=None, name: str | None = None) -> Chart:
    """A learner's stances before (unit 00) and after (unit 04), one line per question.

    Without arguments: your own, from your journal. For an example learner pass their journal and name.
    """
    from course.learner.journal import journal as default_journal

    loaded = content()
    answers = (journal or default_journal()).answers()
    pairs = [(spec, loaded.items[spec.data["revisits"]]) for spec in loaded.items.values()
             if spec.type == "stance" and spec.data.get("revisits") in loaded.items]
    whose, who = (f"{name}'s", name) if name else ("Your", "You")
    values = [(answers.get(b.id, {}).get("value"), answers.get(a.id, {}).get("value")) for a, b in pairs]
    scale = pairs[0][0].data["scale"] if pairs else {"min": 1, "max": 5, "low": "", "high": ""}

    def draw(figure, ax):
        for row, (before, after) in enumerate(values):
            if before is not None and after is not None:
                ax.annotate("", xy=(after, row), xytext=(before, row),
                            arrowprops={"arrowstyle": "->", "color": PALETTE["grey"], "lw": 1.5})
            if before is not None:
                ax.scatter(before, row, marker="o", s=90, facecolor="white", edgecolor=PALETTE["orange"], lw=2,
                           zorder=3, label="before (unit 00)" if row == 0 else None)
            if after is not None:
                ax.scatter(after, row, marker="s", s=80, color=PALETTE["blue"], zorder=4,
                           label="after (unit 04)" if row == 0 else None)
        ax.set_xlim(scale["min"] - 0.5, scale["max"] + 0.5)
        ax.set_xticks(range(scale["min"], scale["max"] + 1))
        ax.set_yticks(range(len(pairs)), [_wrap(a.data["prompt"], 42) for a, _ in pairs], fontsize=7)
        ax.set_ylim(len(pairs) - 0.5, -0.5)
        ax.grid(True, axis="x", color="#eeeeee")
        ax.set_xlabel(f"{scale['min']} = the low pole of each scale \u2026 {scale['max']} = the high pole")
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            figure.legend(fontsize=8, loc="outside lower center", ncol=2)
        ax.set_title(f"{whose} stances before and after the module", fontsize=10)

    lines = []
    for (after_spec, _), (before, after) in zip(pairs, values):
        s = after_spec.data["scale"]
        lines.append(f"{_short(after_spec.data['prompt'], 70)}: before {before if before is not None else 'not answered'}, "
                     f"after {after if after is not None else 'not answered'} (scale {s['min']} "
                     f"{s['low']} to {s['max']} {s['high']})")
    both = sum(1 for before, after in values if before is not None and after is not None)
    moved = sum(1 for before, after in values if before is not None and after is not None and before != after)
    owner = whose.lower() if not name else whose
    alt = (f"A chart of {owner} {len(pairs)} stance questions: an open circle marks "
           f"the answer before the module, a filled square after, and an arrow the change. {who} answered {both} of "
           f"{len(pairs)} both times and moved on {moved}.")
    return Chart((8.5, 1.5 + 0.75 * len(pairs)), draw, alt,
                 f"How {owner} stances moved since the orientation", lines)
