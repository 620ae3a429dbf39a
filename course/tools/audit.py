"""The post-audit checker: flags patterns in an invented post, each flag citing its guideline.

It is deliberately transparent and simple: every rule is a list of regular expressions in
readings/tools/post-audit.yaml that a learner can read. It is a teaching aid, not legal advice;
the disclaimer from the rules file is shown with every report.
"""

from __future__ import annotations

from dataclasses import dataclass

from course import render
from course.material.api import content
from course.render.templates import render_macro

TEMPLATE = "tools/audit.html"


@dataclass(frozen=True)
class Flag:
    """One rule that fired, with the words in the post that triggered it."""

    rule_id: str
    label: str
    explanation: str
    cite: tuple[str, ...]
    matched: str


def _rules():
    data = content().extra.get("post_audit")
    if data is None:
        raise LookupError("this course has no readings/tools/post-audit.yaml")
    return data


def check_post(post: str) -> list[Flag]:
    """Apply every rule to `post`; return the flags in rule order.

    Matching runs in bounded time whatever a rule author wrote (course.material.patterns): a rule that
    cannot finish in time on this post is skipped with a PatternTimeWarning instead of hanging the kernel.
    """
    import warnings

    from course.material import patterns

    if not isinstance(post, str):
        raise TypeError("the post must be text")
    flags, until = [], patterns.deadline()
    for rule in _rules()["rules"]:
        try:
            hit = next((m for p in rule["when_any"] if (m := patterns.search(p, post, until))), None)
            if hit is None:
                continue
            scope = post[: rule["unless_within"]] if "unless_within" in rule else post
            if any(patterns.search(p, scope, until) for p in rule.get("unless_any", ())):
                continue
        except TimeoutError:
            warnings.warn(f"the rule \u201c{rule['label']}\u201d took too long on this post and was skipped: "
                          "treat its absence from the flags as unknown", patterns.PatternTimeWarning, stacklevel=2)
            continue
        flags.append(Flag(rule["id"], rule["label"], rule["explanation"], tuple(rule["cite"]), hit.group(0)))
    return flags


class AuditReport:
    """What the learner sees: their post, each flag with its reason and source, and the disclaimer."""

    def __init__(self, post: str):
        self.post = post
        self.flags = check_post(post)
        self.disclaimer = _rules()["disclaimer"]
        self.cite = content().cite_label

    def text(self) -> str:
        lines = ["Your invented post:", render.indent(self.post.strip(), "  | ")]
        if not self.flags:
            lines.append(f"{render.mark_text('info')}: no rule fired. That does not make the post fine: read it "
                         "again against the guidance.")
        else:
            lines.append(f"{len(self.flags)} flag{'s' if len(self.flags) != 1 else ''}:")
        for flag in self.flags:
            lines += [f"  \u2691 {flag.label} (matched: \u201c{flag.matched}\u201d)",
                      render.indent(flag.explanation.strip(), "      "),
                      render.indent(render.cites_text(flag.cite, self.cite), "      ")]
        lines.append(f"Teaching aid, not legal advice: {self.disclaimer.strip()}")
        return "\n".join(lines)

    def html(self) -> str:
        return render_macro(TEMPLATE, "report", self.post, self.flags, self.disclaimer, self.cite)

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text(), "text/html": render.box_html(self.html(), "Post audit")}


def audit_post(post: str) -> AuditReport:
    """Check an invented post and return the report a learner reads."""
    return AuditReport(post)


class AuditPanel:
    """The live post checker, with a text and HTML form for places where widgets cannot run."""

    def __init__(self):
        self.rules = _rules()

    def text(self) -> str:
        lines = ["[Post audit] Write an invented post in the box and press \u201cCheck my post\u201d.",
                 "The rules it applies:"]
        lines += [f"  \u2691 {rule['label']}" for rule in self.rules["rules"]]
        lines.append(f"Teaching aid, not legal advice: {self.rules['disclaimer'].strip()}")
        return "\n".join(lines)

    def html(self) -> str:
        return render_macro(TEMPLATE, "panel", self.rules["rules"], self.rules["disclaimer"])

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None):
        from course.learner.items.base import with_widget_view

        return with_widget_view({"text/plain": self.text(), "text/html": render.box_html(self.html(), "Post audit")},
                                _audit_controls())


def audit_widget() -> AuditPanel:
    """A text box and a button: write an invented post and see the flags (live, in JupyterLab)."""
    return AuditPanel()


def _audit_controls():
    from course.learner import widgetkit as w

    box = w.Textarea(description="Your invented post", style={"description_width": "initial"},
                     placeholder="Write an invented sponsored post here (no real people or patients).", rows=5,
                     layout=w.Layout(width="100%"), tooltip="Your invented post")
    button = w.Button(description="Check my post", button_style="primary", tooltip="Run the post-audit rules")
    result = w.HTML()

    def run(_):
        result.value = AuditReport(box.value).html() if box.value.strip() else "Write a post first."

    button.on_click(run)
    panel = w.VBox([box, button, result], classes=["course-widget"])
    return panel
