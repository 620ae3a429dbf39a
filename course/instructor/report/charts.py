"""The class report's four charts, drawn with matplotlib from the aggregates alone, and the alt
text that describes each one's data for a screen reader.

A chart never sees a raw count: a cell `aggregate` hid is None here and is not drawn (the chart
marks it "hidden"). Matplotlib is imported on first use.
"""

from __future__ import annotations

import math

from course.instructor.report.answers import _short
from course.instructor.report.disclosure import SMALL
from course.render import PALETTE

CHART_FILES = {"stance": "stance-shift.png", "difficulty": "difficulty.png", "ranking": "ranking.png",
               "words": "word-counts.png"}

UNIT_STYLE = [(PALETTE["blue"], ""), (PALETTE["orange"], "//"), (PALETTE["green"], ".."),
              (PALETTE["vermillion"], "xx"), (PALETTE["purple"], "\\\\"), (PALETTE["sky"], "++")]
BEFORE_STYLE = (PALETTE["orange"], "//")
AFTER_STYLE = (PALETTE["blue"], "")


def _figure(width, height, rows=1, cols=1):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=False)
    return figure, [ax for row in axes for ax in row]


def _png(figure) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def _percent_axis(ax, axis="y"):
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(100, decimals=0))


def _empty(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, transform=ax.transAxes, wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])


def _unit_style(unit_id: str, unit_ids: list[str]):
    return UNIT_STYLE[unit_ids.index(unit_id) % len(UNIT_STYLE)] if unit_id in unit_ids else (PALETTE["grey"], "")


def draw_stance(pairs: list[dict], k: int) -> bytes:
    """Grouped bars per band (disagree / neutral / agree), before and after, as a share of each side's
    respondents."""
    figure, axes = _figure(7.5, 0.6 + 2.1 * max(1, len(pairs)), rows=max(1, len(pairs)))
    if not pairs:
        _empty(axes[0], "No stance question is asked twice in this course.")
    for ax, pair in zip(axes, pairs):
        bands = list(pair["bands"])
        places = range(len(bands))
        for offset, side, (colour, hatch), label in ((-0.2, "before_answers", BEFORE_STYLE, "before (orientation)"),
                                                     (0.2, "after_answers", AFTER_STYLE, "after (policy workshop)")):
            part = pair[side]
            counts, n = part["counts"], part["respondents"]
            if counts is None:
                if part["too_few"]:
                    ax.text(-0.4, 50 + offset * 100, f"{label}: fewer than {k} responses", fontsize=8)
                continue
            drawn = [x for x in places if counts[bands[x]] is not None]  # hidden cells are not drawn at all
            ax.bar([x + offset for x in drawn], [100 * counts[bands[x]] / n for x in drawn], width=0.38, color=colour,
                   hatch=hatch, edgecolor="white", label=label)
            for x in places:
                if counts[bands[x]] is None:
                    why = f"fewer than {k}" if part["hidden"].get(bands[x]) == SMALL else "withheld"
                    ax.text(x + offset, 1, why, rotation=90, ha="center", va="bottom", fontsize=7,
                            color=PALETTE["grey"])
        ax.set_xticks(list(places), [_short(pair["bands"][b], 45) for b in bands], fontsize=8)
        ax.set_xlim(-0.6, len(bands) - 0.4)
        ax.set_ylim(0, 100)
        _percent_axis(ax)
        shift = pair["mean_shift"]
        note = (f"net movement {shift:+.2f}" if shift is not None else
                "movement not shown (too few, or it would reveal a hidden count)")
        ax.set_title(f"{_short(pair['heading'], 80)}\n({note})", fontsize=9)
        ax.set_ylabel("Share of respondents", fontsize=8)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="upper right")
    return _png(figure)


def draw_difficulty(rows: list[dict], unit_ids: list[str], k: int) -> bytes:
    """One horizontal bar per graded question: the share answering fully correctly."""
    figure, (ax,) = _figure(11, 1.2 + 0.24 * max(1, len(rows)))
    if not rows:
        _empty(ax, "No graded questions.")
        return _png(figure)
    used = set()
    for row_number, row in enumerate(rows):
        colour, hatch = _unit_style(row["unit"], unit_ids)
        share = row["share_fully_correct"]
        if share is None:
            why = (f"fewer than {k} responses" if row["too_few"] else "no responses" if not row["respondents"]
                   else f"hidden: fewer than {k} answered right, or wrong")
            ax.text(1, row_number, why, va="center", fontsize=7, color=PALETTE["grey"])
            continue
        label = _short(row.get("unit_title", row["unit"]), 40) if row["unit"] not in used else None
        used.add(row["unit"])
        ax.barh(row_number, 100 * share, color=colour, hatch=hatch, edgecolor="white", label=label)
    ax.set_yticks(range(len(rows)), [_short(r["title"], 70) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    _percent_axis(ax, "x")
    ax.grid(True, axis="x", color="#dddddd")
    ax.set_xlabel("Share of respondents answering fully correctly")
    ax.set_title("How hard each graded question was", fontsize=10)
    if used:
        ax.legend(title="Unit", fontsize=7, title_fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(figure)


def draw_ranking(rows: list[dict], k: int) -> bytes:
    """Per ranking task: each entry's mean class position beside its reference position."""
    heights = [1.3 + 0.42 * max(3, len(r["entries"])) for r in rows] or [2]
    figure, axes = _figure(7.5, sum(heights), rows=len(heights))
    if not rows:
        _empty(axes[0], "No ranking tasks.")
    for ax, row in zip(axes, rows):
        reference = row["reference_order"]
        keys = reference + [key for key in row["entries"] if key not in reference]
        ax.scatter([reference.index(key) + 1 if key in reference else None for key in keys], range(len(keys)),
                   marker="D", s=70, facecolor="white", edgecolor=PALETTE["orange"], linewidth=2, zorder=3,
                   label="position in the reference order")
        if row["mean_position"] is not None:
            ax.scatter([row["mean_position"][key] for key in keys], range(len(keys)), marker="o", s=60,
                       color=PALETTE["blue"], zorder=4, label="class mean position")
        else:
            ax.text(1, len(keys) - 0.5, "class positions not shown: " + (f"fewer than {k} responses" if row["too_few"]
                                                                         else "no responses"), fontsize=8)
        ax.set_yticks(range(len(keys)), [f"({key}) {_short(row['entries'][key], 40)}" for key in keys], fontsize=7)
        ax.set_ylim(len(keys) - 0.5, -0.5)
        ax.set_xlim(0.5, len(keys) + 0.5)
        ax.set_xticks(range(1, len(keys) + 1))
        ax.grid(True, axis="x", color="#eeeeee")
        ax.set_xlabel("Position (1 = most acceptable)", fontsize=8)
        ax.set_title(_short(row["heading"], 90), fontsize=9)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, frameon=False)
    return _png(figure)


def draw_words(rows: list[dict], unit_ids: list[str], k: int) -> bytes:
    """Per reflection: share of respondents in each word-count band."""
    cols = 3 if len(rows) > 4 else 2 if len(rows) > 1 else 1
    nrows = max(1, math.ceil(len(rows) / cols))
    figure, axes = _figure(3.2 * cols, 0.4 + 2.5 * nrows, rows=nrows, cols=cols)
    if not rows:
        _empty(axes[0], "No reflections.")
    for index, ax in enumerate(axes):
        if index >= len(rows):
            ax.set_axis_off()
            continue
        row = rows[index]
        ax.set_title(_short(row["title"], 40), fontsize=8)
        if row["bands"] is None:
            _empty(ax, f"fewer than {k} responses" if row["too_few"] else "no responses")
            continue
        colour, hatch = _unit_style(row["unit"], unit_ids)
        n = row["respondents"]
        drawn = [x for x, b in enumerate(row["bands"]) if b["count"] is not None]
        ax.bar(drawn, [100 * row["bands"][x]["count"] / n for x in drawn], color=colour, hatch=hatch, edgecolor="white")
        for x, band in enumerate(row["bands"]):
            if band["count"] is None:
                ax.text(x, 1, "hidden", rotation=90, ha="center", va="bottom", fontsize=7, color=PALETTE["grey"])
        ax.set_xticks(range(len(row["bands"])), [b["label"] for b in row["bands"]], rotation=35, ha="right",
                      fontsize=7)
        ax.set_ylim(0, 100)
        _percent_axis(ax)
        ax.tick_params(axis="y", labelsize=7)
        median = row["median_words"]
        ax.set_xlabel(f"words (median {_number(median)})" if median is not None else "words", fontsize=7)
    return _png(figure)


def _number(value) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"



def _pct(share) -> str:
    return f"{100 * share:.0f}%"


def _alt_stance(pairs, k) -> str:
    if not pairs:
        return "No stance question is asked twice in this course, so there is nothing to compare."
    parts = []
    for pair in pairs:
        shift = pair["mean_shift"]
        scale = pair["scale"]
        if shift is None:
            parts.append(f"\u201c{_short(pair['heading'], 70)}\u201d: how learners moved is not shown (too few answered "
                         f"both times, or a count would be below {k})")
        else:
            way = (f"towards \u201c{scale['high']}\u201d" if shift > 0 else f"towards \u201c{scale['low']}\u201d"
                   if shift < 0 else "no net movement")
            parts.append(f"\u201c{_short(pair['heading'], 70)}\u201d: net movement {shift:+.2f}, {way}, "
                         f"among {pair['both']:,} learners who answered both times")
    return (f"Grouped bar charts, one for each of the {len(pairs)} stance questions asked in the orientation and again "
            f"in the policy workshop: for each band of the scale (disagree, in between, agree), the share of respondents before (orange, hatched) "
            f"and after (blue). " + "; ".join(parts) + f". Bars for fewer than {k} learners are not drawn.")


def _alt_difficulty(rows, k) -> str:
    drawn = [r for r in rows if r["share_fully_correct"] is not None]
    if not drawn:
        return f"No graded question has enough responses to show (each needs at least {k})."
    ordered = sorted(drawn, key=lambda r: r["share_fully_correct"])
    hardest = ", ".join(f"\u201c{r['title']}\u201d ({_pct(r['share_fully_correct'])})" for r in ordered[:3])
    easiest = ", ".join(f"\u201c{r['title']}\u201d ({_pct(r['share_fully_correct'])})" for r in ordered[-3:][::-1])
    missing = len(rows) - len(drawn)
    return (f"Horizontal bars, one per graded question ({len(rows)} in all, grouped by unit by colour and pattern), "
            f"giving the share of respondents who answered fully correctly. Hardest: {hardest}. Easiest: {easiest}."
            + (f" {missing} of the questions are not drawn because they have too few responses or a count would "
               f"be below {k}." if missing else ""))


def _alt_ranking(rows, k) -> str:
    if not rows:
        return "No ranking tasks."
    parts = []
    for row in rows:
        if row["consensus_order"] is None:
            parts.append(f"\u201c{_short(row['heading'], 60)}\u201d: not enough responses to show the class's order")
        else:
            same, total = row["pairs_as_reference"]
            parts.append(f"\u201c{_short(row['heading'], 60)}\u201d: class order {', '.join(row['consensus_order'])}; "
                         f"reference order {', '.join(row['reference_order'])} ({same} of {total} pairs in the same "
                         f"order)")
    return ("Dot charts, one per ranking task: each entry's mean position in the class (filled circle) beside its "
            "position in the reference order (open diamond). " + "; ".join(parts) + ".")


def _alt_words(rows, k) -> str:
    if not rows:
        return "No reflections."
    parts = [f"\u201c{_short(r['heading'], 50)}\u201d median {_number(r['median_words'])} words "
             f"(suggested {r['suggested_words']['min']} to {r['suggested_words']['max']})" if r["median_words"] is not None
             else f"\u201c{_short(r['heading'], 50)}\u201d median not shown ("
             + ("too few responses" if r["bands"] is None else "a band is hidden") + ")" for r in rows]
    return (f"Bar charts, one per reflection ({len(rows)} in all), giving the share of respondents whose reflection "
            f"falls in each word-count band. " + "; ".join(parts) + f". Bands with fewer than {k} learners are not "
            "drawn.")



def alt_texts(agg: dict, k: int) -> dict[str, str]:
    """The alt text of each chart, by the keys of CHART_FILES."""
    return {"stance": _alt_stance(agg["stance_shift"], k), "difficulty": _alt_difficulty(agg["difficulty"], k),
            "ranking": _alt_ranking(agg["ranking"], k), "words": _alt_words(agg["reflections"], k)}
