"""The shared Layout and Style models behind the course's widgets."""

import pytest

ipywidgets = pytest.importorskip("ipywidgets")

from course.learner import widgetkit as w  # noqa: E402


def test_equal_layouts_and_default_styles_are_one_model():
    first, second = w.Button(description="a"), w.Button(description="b")
    assert first.layout is second.layout and first.style is second.style
    assert w.Layout(width="100%") is w.Layout(width="100%") is not w.Layout(width="auto")
    assert w.Textarea(style={"description_width": "initial"}).style is not w.Textarea().style


def test_a_shared_model_refuses_to_change_and_keeps_its_value():
    shared = w.Layout(width="100%")
    with pytest.raises(w.SharedModelChanged, match="own_layout"):
        shared.display = "none"
    assert shared.display is None and w.Layout(width="100%") is shared


def test_an_own_layout_is_free_to_change():
    row = w.HBox([], layout=w.own_layout(display="none"))
    row.layout.display = "flex"
    assert row.layout.display == "flex" and w.own_layout(display="none") is not row.layout


def test_a_closed_shared_model_is_replaced_not_reused():
    old = w.Layout(height="3em")
    old.close()
    fresh = w.Layout(height="3em")
    assert fresh is not old and fresh.comm is not None


def test_an_item_widget_opens_far_fewer_models_than_plain_ipywidgets(tmp_path):
    import course
    from ipywidgets.widgets.widget import _instances as open_models

    before = set(open_models)
    course.item("orientation-howto-1", journal=course.Journal(tmp_path / "j.json")).widget()
    opened = [model for key, model in open_models.items() if key not in before]
    layouts = [model for model in opened if isinstance(model, ipywidgets.Layout)]
    assert len(opened) < 25, len(opened)  # 36, with a layout and a style for every control
    assert len(layouts) <= 5, len(layouts)  # 13 before


def test_classes_are_set_as_the_widget_is_built():
    box = w.VBox([], classes=["course-widget", "course-item-x"])
    assert box._dom_classes == ("course-widget", "course-item-x")


def test_the_clear_confirmation_is_built_once_there_is_an_answer(tmp_path):
    import course

    journal = course.Journal(tmp_path / "j.json")
    item = course.quiz("orientation-howto-1", journal=journal)
    confirm_row = item.widget().children[4]
    assert confirm_row.children == () and confirm_row.layout.display == "none"
    item.answer(item.data["options"][0]["key"])
    labels = [getattr(child, "description", "") for child in confirm_row.children]
    assert labels[1:] == ["Yes, delete my answer", "Keep it"] and confirm_row.layout.display == "none"
    answered = course.quiz("orientation-howto-1", journal=journal).widget().children[4]
    assert len(answered.children) == 3, "a saved answer's widget must offer the confirmation at once"


def test_clear_on_an_unanswered_item_still_asks(tmp_path):
    import course

    item = course.quiz("orientation-howto-1", journal=course.Journal(tmp_path / "j.json"))
    widget = item.widget()
    clear = widget.children[3]
    assert clear.description.startswith("Clear my answer")
    clear.click()
    assert widget.children[4].layout.display != "none" and len(widget.children[4].children) == 3


def test_unanswered_items_share_one_hidden_row_layout_until_they_need_their_own(tmp_path):
    import course

    journal = course.Journal(tmp_path / "j.json")
    first, second = (course.quiz(item_id, journal=journal).widget().children[4]
                     for item_id in ("orientation-howto-1", "orientation-howto-2"))
    assert first.layout is second.layout and w.is_shared(first.layout) and first.layout.display == "none"
    item = course.quiz("orientation-howto-1", journal=journal)
    row = item.widget().children[4]
    item.widget().children[3].click()  # opening the row on an unanswered item gives it a layout of its own
    assert not w.is_shared(row.layout) and row.layout.display != "none"
    assert second.layout.display == "none", "showing one item's row must not show another's"
    item.answer(item.data["options"][0]["key"])
    assert not w.is_shared(course.quiz("orientation-howto-1", journal=journal).widget().children[4].layout)


def test_an_items_widget_view_is_the_one_ipywidgets_gives(tmp_path):
    import course
    from course.learner.items.base import WIDGET_VIEW, with_widget_view

    widget = course.quiz("orientation-howto-1", journal=course.Journal(tmp_path / "j.json")).widget()
    assert with_widget_view({}, widget)[WIDGET_VIEW] == widget._repr_mimebundle_()[WIDGET_VIEW]
    assert with_widget_view({"text/plain": "kept"}, widget)["text/plain"] == "kept"


def test_an_answer_gives_the_row_its_own_layout_before_any_click(tmp_path):
    import course

    item = course.quiz("orientation-howto-1", journal=course.Journal(tmp_path / "j.json"))
    row = item.widget().children[4]
    assert w.is_shared(row.layout)
    item.answer(item.data["options"][0]["key"])
    assert not w.is_shared(row.layout) and row.layout.display == "none" and len(row.children) == 3
    item.widget().children[3].click()
    assert row.layout.display != "none"


def test_a_shared_model_stays_read_only_after_close_all():
    old = w.Layout(display="none")
    ipywidgets.Widget.close_all()
    assert w.is_shared(old) and w.is_shared(w.Layout(display="none"))
    with pytest.raises(w.SharedModelChanged):
        old.display = "flex"
