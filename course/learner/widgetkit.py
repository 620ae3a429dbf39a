"""The ipywidgets the course builds, sharing their Layout and Style models.

Every ipywidgets control comes with a Layout model and most with a Style model, and each model is one
more comm message between kernel and front end. Before this module the five notebooks opened 2,588
models, of which 921 were layouts and over 600 styles, nearly all default or identical to another.
Here each distinct set of layout (or style) attributes is one model for the whole kernel, handed to
every widget that asks for it.

Use it where you would use ipywidgets: `from course.learner import widgetkit as w`, then
`w.Button(...)`, `w.VBox([...], layout=w.Layout(width="100%"), classes=["course-widget"])`.
A shared model is read-only: a widget whose layout or style changes later (a row shown and
hidden) must have its own, from `w.own_layout(...)` or an ipywidgets Style passed as `style=`;
changing a shared one raises an error instead of silently changing every widget that uses it.

Imported only when a widget is first built, so `import course` stays light.
"""

from __future__ import annotations

import weakref

import ipywidgets as _ipw

__all__ = ["Layout", "is_shared", "own_layout", "HTML", "Button", "Checkbox", "RadioButtons", "Textarea", "HBox", "VBox"]

_shared: dict[tuple, _ipw.Widget] = {}
_ever_shared: "weakref.WeakSet[_ipw.Widget]" = weakref.WeakSet()  # closed ones too: still read-only


class SharedModelChanged(RuntimeError):
    """A shared Layout or Style was changed; the widget that changes it needs its own model."""


def _refuse_change(change):
    model = change["owner"]
    model.unobserve(_refuse_change, names=model.keys)
    model.set_trait(change["name"], change["old"])
    model.observe(_refuse_change, names=model.keys)
    raise SharedModelChanged(f"this {type(model).__name__} is shared by many widgets and must not change "
                             f"({change['name']}); give the widget its own: own_layout(), or an ipywidgets "
                             f"Style passed as style=")


def _shared_model(model_class, attrs: dict):
    """The one `model_class(**attrs)` of this kernel (a fresh one if the old was closed)."""
    key = (model_class, tuple(sorted(attrs.items())))
    model = _shared.get(key)
    if model is None or model.comm is None:  # never built, or closed by Widget.close_all()
        model = _shared[key] = model_class(**attrs)
        _ever_shared.add(model)
        model.observe(_refuse_change, names=model.keys)  # the synced attributes, not the comm itself
    return model


def Layout(**attrs) -> _ipw.Layout:  # noqa: N802 - named like the ipywidgets class it stands in for
    """A shared, read-only layout with these attributes."""
    return _shared_model(_ipw.Layout, attrs)


def is_shared(model: _ipw.Widget) -> bool:
    """Whether this Layout or Style is one of the shared, read-only models."""
    return model in _ever_shared


def own_layout(**attrs) -> _ipw.Layout:
    """A layout for one widget only, free to change (for example `display` to show and hide)."""
    return _ipw.Layout(**attrs)


def _with_shared_models(widget_class):
    """A constructor like `widget_class` whose default layout and style are shared models.

    `classes` are the widget's CSS classes, set as it is built rather than by `add_class()`, which
    would send the front end one more update message each.
    """
    style_trait = widget_class.class_traits().get("style")

    def build(*args, layout=None, style=None, classes=(), **kwargs):
        if classes:
            kwargs["_dom_classes"] = tuple(classes)
        kwargs["layout"] = layout if isinstance(layout, _ipw.Layout) else Layout(**(layout or {}))
        if style_trait is not None:
            kwargs["style"] = (style if isinstance(style, _ipw.Widget)
                               else _shared_model(style_trait.klass, dict(style or {})))
        elif style is not None:
            kwargs["style"] = style
        return widget_class(*args, **kwargs)

    build.__name__ = build.__qualname__ = widget_class.__name__
    build.__doc__ = f"An ipywidgets {widget_class.__name__} with shared layout and style models."
    return build


HTML = _with_shared_models(_ipw.HTML)
Button = _with_shared_models(_ipw.Button)
Checkbox = _with_shared_models(_ipw.Checkbox)
RadioButtons = _with_shared_models(_ipw.RadioButtons)
Textarea = _with_shared_models(_ipw.Textarea)
HBox = _with_shared_models(_ipw.HBox)
VBox = _with_shared_models(_ipw.VBox)
