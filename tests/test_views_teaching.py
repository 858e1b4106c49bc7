"""Teaching polish that needs no browser: where the output neuron sits, what tooltips and messages say."""

from __future__ import annotations

import pytest

from playground.live.frames import Topology
from playground.views import network_layout as nl
from playground.views.message_box import MessageBox, message_html, pick


@pytest.mark.parametrize("features, layers", [(("x", "y"), (4, 2)), (("x", "y"), ()), (("x",), (8, 8, 3)),
                                              (("x", "y", "xSquared"), (1,))])
def test_the_output_neuron_sits_level_with_the_middle_of_the_column_feeding_it(features, layers):
    geometry = nl.build_geometry(Topology(features, layers))
    ys = list(geometry.neurons["cy"])
    output_y = ys[-1]
    feeding = ys[-1 - layers[-1]:-1] if layers else [nl.row_y(list(nl.FEATURE_NAMES).index(f)) for f in features]
    assert output_y == pytest.approx((min(feeding) + max(feeding)) / 2)


def test_one_message_at_a_time_escaped_and_deduplicated():
    box = MessageBox()
    box.show(["link: <img src=x onerror=alert(1)>", "link: <img src=x onerror=alert(1)>"], [])
    assert box.showing.count("<p>") == 1 and "<img" not in box.showing and "&lt;img" in box.showing
    assert box.kind == "warning"
    box.show(["The network collapsed at epoch 9: ..."], [])  # a newer message replaces the one shown
    assert box.kind == "notice" and "collapsed" in box.showing and "img" not in box.showing
    box.show(["Training paused at epoch 3: the loss is no longer finite (NaN) ..."], ["Error: boom"])
    assert box.kind == "danger" and "boom" in box.showing and "paused" not in box.showing
    box.show([], [])  # a frame without messages leaves the message alone
    assert "boom" in box.showing
    box.clear()
    assert box.showing == ""
    assert pick(["Training paused: there are no training points yet."], []) == (
        ["Training paused: there are no training points yet."], "warning")
    assert message_html(["a & b"]) == "<p>a &amp; b</p>"


@pytest.mark.parametrize("layers", [(2,), (8,), (1,)])
def test_class_outputs_stack_around_that_level_on_the_canvas(layers):
    geometry = nl.build_geometry(Topology(("x", "y"), layers, outputs=4))
    ys = list(geometry.neurons["cy"])
    outputs, feeding = ys[-4:], ys[-4 - layers[-1]:-4]
    assert all(nl.row_y(nl.ROWS - 1) <= y <= nl.row_y(0) for y in outputs)
    assert [a - b for a, b in zip(outputs, outputs[1:], strict=False)] == [nl.ROW] * 3
    middle = (min(feeding) + max(feeding)) / 2
    if nl.row_y(nl.ROWS - 1) + 3 * nl.ROW <= middle + 1.5 * nl.ROW <= nl.row_y(0):  # room to centre them
        assert (outputs[0] + outputs[-1]) / 2 == pytest.approx(middle)
