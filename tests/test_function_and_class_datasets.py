"""Datasets beyond the real playground: sine / cubic / abs (which side of a curve) and K-class spiral and Gaussian clusters."""

import math

import numpy as np
import pytest

from playground.data import datasets as ds
from playground.data.class_datasets import relabel
from playground.data.function_datasets import CURVES
from playground.data.seedrandom import SeedRandom
from playground.domain.experiment import Experiment

# seed "0.1", no noise: the first three points straight from the generator (before the page's shuffle)
FIRST_POINTS = {
    "sine": [(2.1898425442585667, -0.3721834625710576, -1.0), (-2.5696189660791076, 3.1505766473021044, 1.0),
             (0.016761141791791445, -2.5698524900593194, -1.0)],
    "cubic": [(2.1898425442585667, -0.3721834625710576, 1.0), (-2.5696189660791076, 3.1505766473021044, 1.0),
              (0.016761141791791445, -2.5698524900593194, -1.0)],
    "abs": [(2.1898425442585667, -0.3721834625710576, 1.0), (-2.5696189660791076, 3.1505766473021044, 1.0),
            (0.016761141791791445, -2.5698524900593194, 1.0)],
}


@pytest.mark.parametrize("name", sorted(FIRST_POINTS))
def test_first_points_are_pinned_for_a_seed(name):
    points = ds.CLASSIFICATION[name](ds.N_CLASSIFY, 0.0, SeedRandom("0.1").random)
    assert [tuple(map(float, p)) for p in points[:3]] == FIRST_POINTS[name]
    # the page's pipeline: the same seed gives the same shuffled, split data every time
    train, test, _ = ds.generate("classification", name, 10, 50, "0.1")
    assert tuple(map(float, train[0])) == (2.6905250378543766, -3.223959669581329, -1.0)
    again, _, _ = ds.generate("classification", name, 10, 50, "0.1")
    np.testing.assert_array_equal(train, again)


@pytest.mark.parametrize("name", sorted(CURVES))
def test_labels_say_above_or_below_the_curve_and_fill_the_square(name):
    points = ds.CLASSIFICATION[name](2000, 0.0, SeedRandom("curves").random)
    x, y, label = points.T
    curve = np.array([CURVES[name](v) for v in x])
    np.testing.assert_array_equal(label, np.where(y > curve, 1.0, -1.0))
    assert np.abs(points[:, :2]).max() <= 5 and np.abs(points[:, :2]).max() > 4.9
    assert 0.4 < np.mean(label == 1) < 0.6  # each curve splits the square about in half
    grid = np.linspace(-5, 5, 201)
    values = np.array([CURVES[name](v) for v in grid])
    assert values.min() >= -5 and values.max() <= 5 and values.max() - values.min() > 5.9  # the curve spans it


def test_noise_flips_labels_near_the_curve_only():
    clean = ds.CLASSIFICATION["sine"](1000, 0.0, SeedRandom("n").random)
    noisy = ds.CLASSIFICATION["sine"](1000, 0.3, SeedRandom("n").random)
    np.testing.assert_array_equal(clean[:, :2], noisy[:, :2])  # noise moves the deciding point, not the point
    flipped = clean[:, 2] != noisy[:, 2]
    assert 0.05 < flipped.mean() < 0.4
    distance = np.abs(clean[:, 1] - 3 * np.sin(clean[:, 0]))
    assert distance[flipped].mean() < distance[~flipped].mean()


@pytest.mark.parametrize("name", ["sine", "cubic", "abs"])
def test_function_dataset_links_load_without_warnings(name):
    experiment = Experiment.from_link(f"#dataset={name}&seed=0.1&noise=5")
    assert experiment.warnings == []
    assert len(experiment.train) == 250 and set(np.unique(experiment.train[:, 2])) == {-1.0, 1.0}
    experiment.step(2)
    assert math.isfinite(experiment.history[-1]["train_loss"])


@pytest.mark.parametrize("name", ["spiral", "gauss"])
@pytest.mark.parametrize("classes", [3, 4, 5])
def test_k_class_datasets_have_k_balanced_labels(name, classes):
    train, test, _ = ds.generate("classification", name, 0, 50, "0.1", classes)
    points = np.concatenate([train, test])
    counts = np.bincount(points[:, 2].astype(int))
    assert len(counts) == classes and counts.min() == counts.max() == math.ceil(ds.N_CLASSIFY / classes)
    assert np.array_equal(points[:, 2], points[:, 2].astype(int))


def test_k_arm_spiral_turns_each_arm_by_a_kth_of_a_circle():
    points = ds.MULTICLASS["spiral"](300, 0.0, SeedRandom("s").random, 3)
    for label in range(3):
        arm = points[points[:, 2] == label]
        r = np.hypot(arm[:, 0], arm[:, 1])
        i = np.arange(len(arm))
        np.testing.assert_allclose(r, i / 100 * 5, atol=1e-12)
        t = 1.75 * i / 100 * 2 * np.pi + 2 * np.pi * label / 3
        np.testing.assert_allclose(arm[1:, 0], r[1:] * np.sin(t[1:]), atol=1e-12)


def test_gauss_clusters_centre_on_a_circle():
    points = ds.MULTICLASS["gauss"](4000, 0.0, SeedRandom("g").random, 4)
    for label in range(4):
        centre = points[points[:, 2] == label, :2].mean(axis=0)
        angle = np.pi / 4 + 2 * np.pi * label / 4
        np.testing.assert_allclose(centre, 3 * np.array([np.cos(angle), np.sin(angle)]), atol=0.1)


def test_two_class_datasets_are_unchanged_by_the_classes_argument():
    a = ds.generate("classification", "spiral", 10, 50, "0.1")
    b = ds.generate("classification", "spiral", 10, 50, "0.1", 2)
    np.testing.assert_array_equal(a[0], b[0])


@pytest.mark.parametrize("args", [("classification", "circle", 0, 50, "1", 3),
                                  ("regression", "reg-plane", 0, 50, "1", 3),
                                  ("classification", "spiral", 0, 50, "1", 6)])
def test_classes_a_dataset_cannot_have_are_refused(args):
    with pytest.raises(ds.DataError, match="cannot have"):
        ds.generate(*args)


def test_csv_labels_follow_the_number_of_classes():
    assert ds.parse_csv("1,2,0\n3,4,2\n", classes=3)[:, 2].tolist() == [0.0, 2.0]
    with pytest.raises(ds.DataError, match="whole number 0-2"):
        ds.parse_csv("1,2,3\n", classes=3)
    with pytest.raises(ds.DataError, match="whole number 0-3"):
        ds.parse_csv("1,2,0.5\n", classes=4)
    with pytest.raises(ds.DataError, match="1 or -1"):
        ds.parse_csv("1,2,0\n")


def test_own_points_are_relabelled_when_the_classes_change():
    binary = np.array([[0, 0, -1.0], [1, 1, 1.0]])
    three = relabel(binary, 3)
    assert three[:, 2].tolist() == [0.0, 1.0]
    assert relabel(three, 3) is three
    back = relabel(np.array([[0, 0, 0.0], [1, 1, 1.0], [2, 2, 2.0]]), 2)
    assert back[:, 2].tolist() == [-1.0, 1.0] and back[:, 0].tolist() == [0, 1]
    assert relabel(np.array([[0, 0, 4.0], [1, 1, 2.0]]), 3)[:, 2].tolist() == [2.0]
    assert relabel(binary, 2) is binary
