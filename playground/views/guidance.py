"""Guidance on the page, in our own words: notes on the network picture and a short "What is this?" text
under the tool. Everything here is hidden by the link's `hideText=true`, as on the real site; the app
switches it with `show_guidance`.
"""

from __future__ import annotations

import panel as pn

NETWORK_NOTES = (
    "<div class='network-notes'>"
    "<p><b>Squares.</b> The left column holds the inputs: click one to feed it in or leave it out. Every other "
    "square is one neuron: the picture in it is what that neuron outputs over the whole input plane. Hover it "
    "to see it large in the output plot.</p>"
    "<p><b>Lines.</b> Each line is a weight: the thicker, the larger. Blue is positive, orange negative. A "
    "neuron adds up its inputs times these weights, plus its bias (the small square at its left).</p>"
    "<p><b>Edit.</b> Click a line or a bias square to type in a new value.</p>"
    "</div>")

ABOUT = (
    "<div class='about'>"
    "<h2>What is this?</h2>"
    "<p>A small neural network you can train in your browser. Pick a dataset on the left: points of two "
    "colors (or, for regression, numbers). The network gets each point's coordinates, or features computed "
    "from them, and learns to predict its color. Press play: every epoch it sees all training points once "
    "and nudges every weight a little in the direction that lowers the loss (how wrong it is on average).</p>"
    "<p>The output plot colors the whole plane by what the network predicts there; the points drawn on it "
    "are the data. Test points (tick <i>Show test data</i>) are never trained on: a low test loss means the "
    "network learnt the pattern, not just the points.</p>"
    "<p>Orange means negative and blue positive, everywhere: in the data, in each neuron's picture and on "
    "the weights. Try more neurons, other features, a different learning rate, and watch what changes. "
    "The <b>Lesson</b> menu has guided exercises.</p>"
    "</div>")


class Guidance:
    """The network notes (placed under the network picture) and the "What is this?" text (under the tool)."""

    def __init__(self):
        self.network_notes = pn.pane.HTML(NETWORK_NOTES, css_classes=["guidance", "network-notes-pane"],
                                          width=560, margin=(6, 0, 0, 0))
        self.about = pn.pane.HTML(ABOUT, css_classes=["guidance", "about-pane"], sizing_mode="stretch_width",
                                  margin=(24, 0, 40, 0))

    def show_guidance(self, shown: bool) -> None:
        for pane in (self.network_notes, self.about):
            pane.visible = shown
