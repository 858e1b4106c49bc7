"""Dataset generators, shuffle/split, the page-load recording, and user CSV data."""

import json
import math

import numpy as np
import pytest

from playground.data import datasets as ds
from playground.data.datasets import (
    CLASSIFICATION,
    N_CLASSIFY,
    N_REGRESS,
    REGRESSION,
    DataError,
    add_point,
    generate,
    parse_csv,
    remove_nearest,
    shuffle,
    split,
    to_csv,
)
from playground.data.seedrandom import SeedRandom
from playground.domain.features import FEATURES, feature_matrix
from tests.fixtures import REFERENCE

RECORDING = REFERENCE / "tfp_circle_default.json"


def draw_initial_weights(rand, sizes, init_zero=False):
    """The page's buildNetwork: one `rand() - 0.5` per link, layer by layer, neuron by neuron."""
    layers = []
    for fan_in, width in zip(sizes[:-1], sizes[1:], strict=True):
        neurons = []
        for _ in range(width):
            weights = [rand() - 0.5 for _ in range(fan_in)]  # drawn even with initZero
            neurons.append(([0.0] * fan_in, 0.0) if init_zero else (weights, 0.1))
        layers.append(neurons)
    return layers


def mean_loss(layers, points):
    """0.5·(o − t)² averaged, tanh everywhere (classification output is tanh too)."""
    total = 0.0
    for x, y, label in points:
        activations = [x, y]
        for neurons in layers:
            activations = [math.tanh(b + sum(w * a for w, a in zip(ws, activations, strict=True)))
                           for ws, b in neurons]
        total += 0.5 * (activations[0] - label) ** 2
    return total / len(points)


# ---------------------------------------------------------------- the recording


@pytest.fixture(scope="module")
def recording():
    return json.loads(RECORDING.read_text())


def test_recording_points_and_weights(recording):
    assert recording["config"]["seed"] == "0.59704"
    train, test, rand = generate("classification", "circle", 0, 50, "0.59704")
    assert len(train) == recording["n_train"] == 250
    assert len(test) == recording["n_test"] == 250
    assert train[:3].tolist() == recording["first_train_points"]  # exact, not approximate
    layers = draw_initial_weights(rand.random, [2, 4, 2, 1])
    assert layers[0][0][0] == recording["first_weights"]


def test_recording_initial_loss_uses_the_whole_stream(recording):
    # Epoch 0 loss depends on all 18 weights, so it checks the draw order beyond the first neuron.
    train, test, rand = generate("classification", "circle", 0, 50, "0.59704")
    layers = draw_initial_weights(rand.random, [2, 4, 2, 1])
    epoch0 = recording["epochs"][0]
    assert mean_loss(layers, train) == pytest.approx(epoch0["train_loss"], abs=1e-9)
    assert mean_loss(layers, test) == pytest.approx(epoch0["test_loss"], abs=1e-9)


# Computed by dataset.ts's formulas under Node with seedrandom (seed 0.59704, unshuffled).
NODE_FIRST_POINTS = {
    ("xor", 25): [[-3.223079490383064, -4.534759230077279, 1], [-0.603426292936611, 2.7697942626798016, 1]],
    ("reg-plane", 25): [[-0.0676091387184723, 2.4979576625837137, 0.3145303483859432],
                        [3.345019464984901, 1.8401358150424532, 0.6064114152048887]],
    ("reg-gauss", 25): [[-0.0676091387184723, 2.4979576625837137, -0.441887695226321],
                        [3.345019464984901, 1.8401358150424532, 0.407261355155907]],
    ("gauss", 25): [[-1.5098141609026914, -1.7301890955080377, -1], [-2.586455816351478, -1.5576930642282711, -1]],
    ("spiral", 25): [[-0.773861258493601, -0.09488853920057685, -1],
                     [-0.15348261647640213, -0.14797498777086224, -1]],
}
NODE_LABEL_SUMS = {("xor", 25): -10, ("reg-plane", 25): -22.647167698198626, ("reg-gauss", 25): -9.251336876358748,
                   ("gauss", 25): 0, ("spiral", 25): 0, ("circle", 50): -150}


@pytest.mark.parametrize("name, noise", list(NODE_FIRST_POINTS))
def test_matches_javascript_after_shuffle(name, noise):
    generator = {**CLASSIFICATION, **REGRESSION}[name]
    n = N_REGRESS if name in REGRESSION else N_CLASSIFY
    rand = SeedRandom("0.59704")
    points = shuffle(generator(n, noise / 100, rand.random), rand.random)
    expected = np.array(NODE_FIRST_POINTS[name, noise])
    if name in ("xor", "reg-plane", "reg-gauss"):  # no sin/cos/log: bit-exact
        assert points[:2].tolist() == expected.tolist()
    else:  # Math.sin/log may differ from libm in the last bit
        np.testing.assert_allclose(points[:2], expected, rtol=0, atol=1e-14)
    assert points[:, 2].sum() == pytest.approx(NODE_LABEL_SUMS[name, noise], abs=1e-9)


# ---------------------------------------------------------------- generator properties

ALL = [("classification", name) for name in CLASSIFICATION] + [("regression", name) for name in REGRESSION]


@pytest.mark.parametrize("problem, name", ALL)
@pytest.mark.parametrize("noise", [0, 50])
def test_shape_labels_range_and_determinism(problem, name, noise):
    generator = (CLASSIFICATION if problem == "classification" else REGRESSION)[name]
    n = N_CLASSIFY if problem == "classification" else N_REGRESS
    points = generator(n, noise / 100, SeedRandom("prop").random)
    assert points.shape == (n, 3) and points.dtype == np.float64
    assert np.isfinite(points).all()
    assert np.array_equal(points, generator(n, noise / 100, SeedRandom("prop").random))
    other = generator(n, noise / 100, SeedRandom("other").random)
    # A noiseless spiral is fixed geometry: it still draws, but the seed cannot show.
    assert np.array_equal(points, other) == (name == "spiral" and noise == 0)
    labels = points[:, 2]
    if problem == "classification":
        assert set(np.unique(labels)) == {-1.0, 1.0}
    elif name == "reg-plane":  # labels are (x + y) / 10 on noisy x, y: not clamped to [-1, 1]
        assert np.abs(labels).max() <= (12 + 12 * noise / 100) / 10
    else:
        assert np.abs(labels).max() <= 1
    bound = {"xor": 5.3, "moons": 4.5 + 1.5 * noise / 100, "spiral": 5 + noise / 100, "gauss": None}.get(name, 6)
    if bound is not None:  # gaussian clouds have no hard edge
        assert np.abs(points[:, :2]).max() <= bound + 1e-12


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral", "moons"])
def test_half_and_half_construction(name):
    points = CLASSIFICATION[name](500, 0.0, SeedRandom("half").random)
    assert (points[:250, 2] == 1).all() and (points[250:, 2] == -1).all()


def test_circle_geometry_and_noise_flips_labels():
    clean = ds.circle(500, 0.0, SeedRandom("c").random)
    radius = np.hypot(clean[:, 0], clean[:, 1])
    assert radius[:250].max() < 2.5 and radius[250:].min() >= 3.5 - 1e-12 and radius.max() <= 5 + 1e-12
    noisy = ds.circle(500, 0.5, SeedRandom("c").random)
    # Noise draws happen either way, so positions are identical; only labels move.
    assert np.array_equal(clean[:, :2], noisy[:, :2])
    assert (noisy[:, 2] != np.where(radius < 2.5, 1, -1)).sum() > 10


def test_xor_padding_and_labels():
    clean = ds.xor(500, 0.0, SeedRandom("x").random)
    assert np.abs(clean[:, :2]).min() >= 0.3
    assert np.array_equal(clean[:, 2], np.where(clean[:, 0] * clean[:, 1] >= 0, 1.0, -1.0))
    noisy = ds.xor(500, 0.5, SeedRandom("x").random)
    assert np.array_equal(clean[:, :2], noisy[:, :2])
    assert (noisy[:, 2] != clean[:, 2]).sum() > 10


def test_gauss_noise_widens_the_clusters():
    tight = ds.gauss(500, 0.0, SeedRandom("g").random)  # variance 0.5
    wide = ds.gauss(500, 0.5, SeedRandom("g").random)  # variance 4
    assert np.std(tight[:250, 0]) == pytest.approx(math.sqrt(0.5), rel=0.15)
    assert np.std(wide[:250, 0]) == pytest.approx(2.0, rel=0.15)
    assert np.mean(tight[:250, :2]) == pytest.approx(2, abs=0.15)
    assert np.mean(tight[250:, :2]) == pytest.approx(-2, abs=0.15)


def test_spiral_lies_on_the_curve_without_noise():
    points = ds.spiral(500, 0.0, SeedRandom("s").random)
    i = np.arange(250)
    np.testing.assert_allclose(np.hypot(points[:250, 0], points[:250, 1]), i / 250 * 5, atol=1e-12)
    noisy = ds.spiral(500, 0.5, SeedRandom("s").random)
    offsets = np.abs(noisy[:, :2] - points[:, :2])
    assert offsets.max() <= 0.5 and offsets.max() > 0.4


def test_regression_labels_follow_the_formulas():
    plane = ds.reg_plane(1200, 0.0, SeedRandom("p").random)
    np.testing.assert_allclose(plane[:, 2], (plane[:, 0] + plane[:, 1]) / 10, atol=1e-15)
    bumps = ds.reg_gauss(1200, 0.0, SeedRandom("p").random)
    assert np.array_equal(plane[:, :2], bumps[:, :2])  # same draws, different label rule
    near_centre = np.hypot(bumps[:, 0] + 4, bumps[:, 1] - 2.5) < 0.2  # centre (-4, 2.5, +1)
    assert near_centre.any() and (bumps[near_centre, 2] > 0.89).all()
    far = np.all([np.hypot(bumps[:, 0] - cx, bumps[:, 1] - cy) >= 2 for cx in (-4, 0, 4) for cy in (2.5, -2.5)], axis=0)
    assert far.any() and (bumps[far, 2] == 0).all()


def test_moons_and_checkerboard():
    moons = ds.moons(500, 0.0, SeedRandom("m").random)
    assert np.abs(moons[:, 0]).max() <= 4.5 + 1e-12 and np.abs(moons[:, 1]).max() <= 2.25 + 1e-12
    assert moons[:250, 1].mean() > moons[250:, 1].mean()  # upper moon first
    board = ds.checkerboard(500, 0.0, SeedRandom("b").random)
    parity = (np.floor(board[:, 0] / 2.5) + np.floor(board[:, 1] / 2.5)) % 2
    assert np.array_equal(board[:, 2], np.where(parity == 0, 1.0, -1.0))
    noisy = ds.checkerboard(500, 0.5, SeedRandom("b").random)
    assert np.array_equal(board[:, :2], noisy[:, :2]) and (noisy[:, 2] != board[:, 2]).sum() > 10


# ---------------------------------------------------------------- shuffle, split, generate


def test_shuffle_is_the_playgrounds_swap_sequence():
    points = np.arange(12, dtype=float).reshape(4, 3)
    # rand() = 0 always picks index 0: swaps (3,0), (2,0), (1,0), (0,0) -> rows 1, 2, 3, 0
    assert shuffle(points, lambda: 0.0)[:, 0].tolist() == [3.0, 6.0, 9.0, 0.0]
    assert points[:, 0].tolist() == [0.0, 3.0, 6.0, 9.0]  # input untouched


def test_shuffle_is_a_permutation_using_n_draws():
    points = ds.circle(500, 0.0, SeedRandom("perm").random)
    rand, reference = SeedRandom("k"), SeedRandom("k")
    shuffled = shuffle(points, rand.random)
    assert not np.array_equal(shuffled, points)
    assert sorted(map(tuple, shuffled)) == sorted(map(tuple, points))
    for _ in range(500):
        reference.random()
    assert rand.random() == reference.random()


@pytest.mark.parametrize("n", [500, 1200, 7])
@pytest.mark.parametrize("perc", range(10, 100, 10))
def test_split_sizes(n, perc):
    points = np.arange(n * 3, dtype=float).reshape(n, 3)
    train, test = split(points, perc)
    assert len(train) == math.floor(n * perc / 100)
    assert np.array_equal(np.concatenate([train, test]), points)


@pytest.mark.parametrize("problem, name", ALL)
def test_generate_counts_and_stream(problem, name):
    train, test, rand = generate(problem, name, 10, 30, "0.1")
    n = N_CLASSIFY if problem == "classification" else N_REGRESS
    assert len(train) == math.floor(n * 0.3) and len(train) + len(test) == n
    again_train, _, again_rand = generate(problem, name, 10, 30, "0.1")
    assert np.array_equal(train, again_train) and rand.random() == again_rand.random()


@pytest.mark.parametrize("args", [("classification", "user"), ("classification", "reg-plane"),
                                  ("regression", "circle"), ("ranking", "circle")])
def test_generate_rejects_unknown(args):
    with pytest.raises(DataError):
        generate(*args, 0, 50, "1")


def test_feature_matrix_order_and_values():
    xy = np.array([[0.5, -2.0], [3.0, 1.0]])
    names = ["sinY", "x", "xTimesY", "ySquared"]  # any order in, FEATURES order out
    out = feature_matrix(xy, names)
    expected = np.column_stack([xy[:, 0], xy[:, 1] * xy[:, 1], xy[:, 0] * xy[:, 1], np.sin(xy[:, 1])])
    assert np.array_equal(out, expected)
    assert list(FEATURES) == ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"]
    assert feature_matrix(xy, []).shape == (2, 0)
    with pytest.raises(ValueError):
        feature_matrix(xy, ["cosX"])


# ---------------------------------------------------------------- user data


@pytest.mark.parametrize("problem, generator", [("classification", ds.spiral), ("regression", ds.reg_gauss)])
def test_csv_round_trip_is_exact(problem, generator):
    points = generator(300, 0.3, SeedRandom("csv").random)
    text = to_csv(points)
    assert text.startswith("x,y,label\n")
    assert np.array_equal(parse_csv(text, problem), points)


def test_csv_accepts_no_header_crlf_bom_blank_lines_and_bytes():
    text = "\ufeff1,2,1\r\n\r\n  -3.5 , 4e-1, -1 \r\n"
    expected = np.array([[1, 2, 1], [-3.5, 0.4, -1]], dtype=float)
    assert np.array_equal(parse_csv(text), expected)
    assert np.array_equal(parse_csv(text.encode()), expected)
    assert np.array_equal(parse_csv("x,y,value\n0,0,0.25\n", "regression"), [[0, 0, 0.25]])


PLAIN_CSV = "1.5,2,1\n-3,0.25,-1\n0,-4e-1,1\n"
# The same three points as spreadsheets and people write them.
CSV_DIALECTS = {
    "quoted values": '"1.5","2","1"\n"-3","0.25","-1"\n"0","-4e-1","1"\n',
    "quoted, with spaces": '"1.5", "2", "1"\n"-3", "0.25", "-1"\n"0", "-4e-1", "1"\n',
    "semicolons": "1.5;2;1\n-3;0.25;-1\n0;-4e-1;1\n",
    "tabs": "1.5\t2\t1\n-3\t0.25\t-1\n0\t-4e-1\t1\n",
    "comment lines": "# my points\n1.5,2,1\n  # the orange one\n-3,0.25,-1\n0,-4e-1,1\n# end\n",
    "a header": "x,y,label\n1.5,2,1\n-3,0.25,-1\n0,-4e-1,1\n",
    "a comment, then a quoted header, semicolons": '# from a spreadsheet\n"x";"y";"label"\n"1.5";"2";"1"\n'
                                                     '"-3";"0.25";"-1"\n"0";"-4e-1";"1"\n',
}


@pytest.mark.parametrize("dialect", list(CSV_DIALECTS))
def test_csv_dialects_load_the_same_points_as_the_plain_file(dialect):
    plain = parse_csv(PLAIN_CSV)
    assert plain.tolist() == [[1.5, 2, 1], [-3, 0.25, -1], [0, -0.4, 1]]
    assert np.array_equal(parse_csv(CSV_DIALECTS[dialect]), plain)


BAD_CSV = {
    "missing column": ("x,y,label\n1,2,1\n3,4\n", "line 3"),
    "extra column": ("1,2,1,7\n", "line 1"),
    "text in number": ("1,2,1\n1,abc,1\n", "line 2"),
    "nan": ("1,2,1\nnan,2,1\n", "line 2"),
    "inf": ("1,2,1\n1,inf,1\n", "line 2"),
    "overflow": ("1,1e999,1\n", "line 1"),
    "unicode digit": ("1,٣,1\n", "line 1"),
    "bad class label": ("1,2,0\n", "1 or -1"),
    "huge coordinate": ("1e300,2,1\n", "line 1"),
    "empty": ("", "empty"),
    "blank": ("  \n\n ", "empty"),
    "header only": ("x,y,label\n", "no data rows"),
    "too many rows": ("x,y,label\n" + "1,1,1\n" * 5001, "too many"),
    "junk": ("#" * 10_000_000, "too large"),
    "semicolons, a missing column": ("1;2;1\n3;4\n", "line 2: expected 3 columns"),
    "quoted text": ('"1","abc","1"\n', "line 1: y is not a number: 'abc'"),
    "comments count as lines": ("# mine\n1\t2\t1\n1\tx\t1\n", "line 3: y is not a number"),
    "comments only": ("# nothing\n# here\n", "no data rows"),
    "two header lines": ("x,y,label\nx,y,label\n1,2,1\n", "line 2: x is not a number"),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_bad_csv_raises_one_line_message_and_keeps_caller_data(case):
    text, fragment = BAD_CSV[case]
    current = ds.circle(20, 0.0, SeedRandom("keep").random)
    snapshot = current.copy()
    data = current
    with pytest.raises(DataError) as info:
        data = parse_csv(text)
    message = str(info.value)
    assert fragment in message and "\n" not in message
    assert data is current and np.array_equal(current, snapshot)


def test_bad_bytes():
    with pytest.raises(DataError, match="UTF-8"):
        parse_csv(b"1,2,1\n\xff\xfe,1,1\n")
    with pytest.raises(DataError, match="too large"):
        parse_csv(b"\x00" * 10_000_000)
    with pytest.raises(DataError, match="problem"):
        parse_csv("1,2,1", "ranking")


def test_add_and_remove_points_return_new_arrays():
    points = np.array([[0.0, 0.0, 1.0], [2.0, 2.0, -1.0]])
    grown = add_point(points, 1.0, -1.0, -1.0)
    assert grown.shape == (3, 3) and grown[-1].tolist() == [1.0, -1.0, -1.0] and points.shape == (2, 2 + 1)
    assert remove_nearest(grown, 1.9, 2.1, 0.5).tolist() == [[0.0, 0.0, 1.0], [1.0, -1.0, -1.0]]
    assert np.array_equal(remove_nearest(grown, 5.0, 5.0, 0.5), grown)  # nothing within the radius
    assert len(grown) == 3
    with pytest.raises(DataError):
        add_point(points, math.nan, 0.0, 1.0)
    assert remove_nearest(np.empty((0, 3)), 0, 0, 1).shape == (0, 3)


def test_your_own_points_split_by_the_ratio_in_order():
    from playground.data.datasets import split_user_points

    points = np.array([[i, -i, 1.0 if i % 2 else -1.0] for i in range(10)], dtype=np.float64)
    for perc in range(10, 100, 10):
        train, test = split_user_points(points, perc)
        assert len(train) == int(np.ceil(10 * perc / 100 - 1e-9)) and len(train) + len(test) == 10
        assert train[0][0] == 0  # the first point always trains: one drawn point can be learnt from
        more_train, more_test = split_user_points(np.concatenate([points, [[5.0, 5.0, 1.0]]]), perc)
        assert np.array_equal(more_train[: len(train)], train) and np.array_equal(more_test[: len(test)], test)
    train, test = split_user_points(np.empty((0, 3)), 50)
    assert train.shape == test.shape == (0, 3)


def test_a_link_generated_again_gives_equal_points_and_generator_that_no_caller_shares():
    first_train, _, first_rand = generate("classification", "spiral", 15, 60, "0.5")
    first_train[:] = 0.0  # a caller changing its points changes nobody else's
    train, test, rand = generate("classification", "spiral", 15, 60, "0.5")
    assert np.any(train != 0.0) and train.shape == (300, 3) and test.shape == (200, 3)
    assert [first_rand() for _ in range(5)] == [rand() for _ in range(5)]  # each got its own stream, at the same place
    other_train, _, _ = generate("classification", "spiral", 15, 60, "0.6")
    assert not np.array_equal(train, other_train)
