"""The pictures the page draws from a frame's weights (assets/network_pictures.js), held to a numpy reading
of the same network (tests/picture_reference.py), in the browser that draws them: every neuron at full size,
its thumbnail and the output, for each kind of output and activation, and a diverged network."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from playground.domain.experiment import Experiment
from playground.live.frame_encoding import encode_frame
from playground.live.frames import FrameBuilder
from playground.resources import asset

from .. import picture_reference as reference

pytestmark = pytest.mark.browser

LINKS = {
    "tanh, two classes": "#seed=0.59704&networkShape=4,2",
    "relu, squares and a sine": "#activation=relu&networkShape=5,3&xSquared=true&ySquared=true&sinX=true&seed=3",
    "two colours only": "#discretize=true&dataset=xor&networkShape=3&seed=1",
    "sigmoid output": "#loss=cross-entropy&networkShape=3&xTimesY=true&seed=1",
    "a layer each its own activation": "#networkShape=4,3&activations=relu,sigmoid&sinY=true&seed=2",
    "regression": "#problem=regression&regDataset=reg-gauss&networkShape=4&seed=1",
    "three classes": "#dataset=spiral&numClasses=3&networkShape=8,8&seed=0.1",
    "three classes in two colours": "#dataset=spiral&numClasses=3&networkShape=6&discretize=true&seed=0.1",
}

# the page's functions, from the sources the component's module joins
PAGE_FUNCTIONS = """([sources, text, density, extent, thumb]) => {
  const f = new Function(sources + '\\nreturn {readFrame, b64bytes, networkPictures, featureGrids, thumbnailCodes, featureDetail};')();
  const read = f.readFrame(f.b64bytes(text.slice(text.indexOf(':') + 1)));
  const pictures = f.networkPictures(read, density, extent, thumb);
  const neurons = read.layers.reduce((a, b) => a + b, 0) + read.outputs;
  return {output: Array.from(pictures.output), thumbnails: Array.from(pictures.thumbnails),
          neurons: Array.from({length: neurons}, (_, i) => Array.from(pictures.detail(i))),
          featureThumbnails: Array.from(f.thumbnailCodes(f.featureGrids(density, extent).grids, density, thumb)),
          featureDetail: Array.from({length: 7}, (_, i) => Array.from(f.featureDetail(i, density, extent)))};
}"""


def _page_pictures(page, experiment: Experiment, **changed) -> dict[str, np.ndarray]:
    sources = "\n".join(asset(name).read_text(encoding="utf-8") for name in ("frame_record.js", "network_pictures.js"))
    text = encode_frame(dataclasses.replace(FrameBuilder().build(experiment), **changed))
    drawn = page.evaluate(PAGE_FUNCTIONS, [sources, text, reference.DENSITY, reference.EXTENT, reference.THUMB])
    d, t = reference.DENSITY, reference.THUMB
    return {"output": np.array(drawn["output"], np.int64).reshape(d, d),
            "thumbnails": np.array(drawn["thumbnails"], np.int64).reshape(-1, t, t),
            "neurons": np.array(drawn["neurons"], np.int64).reshape(-1, d, d),
            "feature_thumbnails": np.array(drawn["featureThumbnails"], np.int64).reshape(-1, t, t),
            "feature_detail": np.array(drawn["featureDetail"], np.int64).reshape(-1, d, d)}


def _assert_close(drawn: np.ndarray, want: np.ndarray, what: str, far: int = 1) -> None:
    """Codes equal but where float32 and float64 round a value across a step: off by one, or (a tie between
    two classes, a value at 0 in two colours) across classes in a handful of pixels."""
    assert drawn.shape == want.shape, what
    off = np.abs(drawn - want.astype(np.int64))
    assert (off > 1).sum() <= math.ceil(far * want.size / 10_000), f"{what}: {(off > 1).sum()} pixels differ"
    assert (off == 1).mean() < 0.01, f"{what}: {(off == 1).sum()} pixels off by one"


@pytest.fixture(scope="module")
def blank_page(browser):
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    yield page
    page.close()


@pytest.mark.parametrize("name", list(LINKS))
def test_the_page_draws_every_neuron_and_the_output_as_numpy_does(blank_page, name):
    experiment = Experiment.from_link(LINKS[name])
    experiment.step(25)
    drawn, want = _page_pictures(blank_page, experiment), reference.pictures(experiment)
    _assert_close(drawn["output"], want["output"], f"{name}: the output")
    _assert_close(drawn["thumbnails"], want["thumbnails"], f"{name}: the thumbnails")
    _assert_close(drawn["neurons"], want["neurons"], f"{name}: the neurons at full size")
    assert len(set(drawn["output"].ravel().tolist())) > 1, f"{name}: the output is one colour"


def test_the_input_features_are_drawn_as_numpy_draws_them(blank_page):
    drawn, want = _page_pictures(blank_page, Experiment.from_link(LINKS["tanh, two classes"])), reference.feature_pictures()
    np.testing.assert_array_equal(drawn["feature_thumbnails"], want["thumbnails"])
    _assert_close(drawn["feature_detail"], want["detail"], "the input features")


def test_a_diverged_network_is_drawn_in_the_middle_colour(blank_page):
    experiment = Experiment.from_link(LINKS["tanh, two classes"])
    weights = FrameBuilder().build(experiment).weights.copy()
    weights[0] = np.inf  # a weight beyond float32's range
    drawn = _page_pictures(blank_page, experiment, weights=weights)
    assert set(drawn["output"].ravel().tolist()) == {128} and set(drawn["thumbnails"].ravel().tolist()) == {128}


def test_a_weight_read_in_the_wrong_place_would_show(blank_page):
    """The comparison can fail: the same network with two weights swapped is drawn otherwise."""
    experiment = Experiment.from_link(LINKS["relu, squares and a sine"])
    experiment.step(25)
    want = reference.pictures(experiment)
    weights = experiment.model.get_weights()
    weights[0][[0, 1]] = weights[0][[1, 0]]
    experiment.model.set_weights(weights)
    with pytest.raises(AssertionError):
        _assert_close(_page_pictures(blank_page, experiment)["neurons"], want["neurons"], "swapped")
