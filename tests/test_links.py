"""Link reading/writing: the real playground's rules, our forgiving fallbacks, round trips."""

import math
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data.seedrandom import js_to_fixed
from playground.domain import state as ps
from playground.domain.links import KEYS, js_number_to_string, js_to_number, parse_link, to_hash, too_long
from playground.domain.state import ExperimentState

README_HASH = (
    "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0"
    "&noise=0&networkShape=4,2&seed=0.59704&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
    "&collectStats=false&problem=classification&initZero=false&hideText=false"
)
PARAM_NAMES = set(ExperimentState.param) - {"name"}


def read(link):
    values, warnings = parse_link(link)
    return values, warnings


def only(link, name):
    values, warnings = read(link)
    return values[name], warnings


# ---------------------------------------------------------------- defaults and forms


def test_readme_link_gives_defaults_and_writes_back_identically():
    values, warnings = read("https://playground.tensorflow.org/#" + README_HASH)
    assert warnings == []
    assert set(values) == PARAM_NAMES
    defaults = ExperimentState(seed="0.59704").param.values()
    del defaults["name"]
    assert values == defaults
    assert to_hash(values) == README_HASH
    assert to_hash(ExperimentState(**values)) == README_HASH


@pytest.mark.parametrize(
    "prefix", ["", "#", "?", "https://playground.tensorflow.org/#", "http://h:5006/app?x=1#", "localhost/app#"]
)
def test_url_forms(prefix):
    values, warnings = read(prefix + "activation=relu&seed=abc")
    assert (values["activation"], values["seed"], warnings) == ("relu", "abc", [])


@pytest.mark.parametrize("link", ["", "#", "https://playground.tensorflow.org/", "&&", "seed="])
def test_missing_everything_means_defaults_and_a_fresh_seed(link):
    random.seed(7)
    expected_seed = js_to_fixed(random.random(), 5)
    random.seed(7)
    values, warnings = read(link)
    assert warnings == []
    assert values["seed"] == expected_seed and re.fullmatch(r"[01]\.\d{5}", values["seed"])
    assert values["network_shape"] == [4, 2] and values["learning_rate"] == 0.03


# ---------------------------------------------------------------- the real reading rules


@pytest.mark.parametrize(
    "raw, expected, warns",
    [("false", False, False), ("true", True, False), ("False", True, True), ("0", True, True), ("no", True, True)],
)
def test_boolean_is_false_only_for_literal_false(raw, expected, warns):
    value, warnings = only(f"showTestData={raw}&x={raw}", "show_test_data")
    assert value is expected and read(f"x={raw}")[0]["x"] is expected
    assert bool(warnings) == warns and all("showTestData" in w or "x=" in w for w in warnings)


@pytest.mark.parametrize(
    "text, number",
    [(" 12 ", 12), ("\u00a012\ufeff", 12), ("0x1F", 31), ("0b101", 5), ("0o17", 15), ("", 0), (".5", 0.5),
     ("5.", 5), ("+1e3", 1000), ("Infinity", math.inf), ("-Infinity", -math.inf), ("1e999", math.inf),
     ("0x" + "f" * 300, math.inf)],
)
def test_js_to_number(text, number):
    assert js_to_number(text) == number


@pytest.mark.parametrize("text", ["infinity", "1_0", ".", "-0x10", "0b2", "٣", "1,2", "12px", "NaN", "e5"])
def test_js_to_number_nan(text):
    assert math.isnan(js_to_number(text))


@pytest.mark.parametrize(
    "value, text",
    [(0.00001, "0.00001"), (0.03, "0.03"), (10.0, "10"), (1e-7, "1e-7"), (1e21, "1e+21"), (1.5e-10, "1.5e-10"),
     (123.456, "123.456"), (-0.0, "0"), (3, "3"), (2.0**53, "9007199254740992"), (1e20, "100000000000000000000")],
)
def test_js_number_to_string(value, text):
    assert js_number_to_string(value) == text


def test_numbers_read_like_javascript():
    values, warnings = read("learningRate=0.030&batchSize=0x0A&regularizationRate= 3e-3 &seed=s")
    assert (values["learning_rate"], values["batch_size"], values["regularization_rate"]) == (0.03, 10, 0.003)
    assert warnings == []


@pytest.mark.parametrize("link", ["learningRate=", "learningRate=  ", "activation=", "x= ", "noise=\t"])
def test_blank_value_counts_as_missing(link):
    values, warnings = read(link)
    assert warnings == []
    assert (values["learning_rate"], values["activation"], values["x"], values["noise"]) == (0.03, "tanh", True, 0)


@pytest.mark.parametrize(
    "raw, shape, warns",
    [("", [], False), ("  ", [], False), ("1,2,3", [1, 2, 3], False), (" 8, 1", [8, 1], False),
     ("a,b", [4, 2], True), ("4,,2", [4, 1, 2], True), ("20,3", [8, 3], True), ("2.5", [3], True),
     ("1,1,1,1,1,1,1,1,1", [1] * 6, True), ("-3", [1], True), ("Infinity", [8], True)],
)
def test_network_shape(raw, shape, warns):
    value, warnings = only(f"networkShape={raw}", "network_shape")
    assert value == shape
    assert bool(warnings) == warns and all(w.startswith("networkShape=") for w in warnings)


def test_network_shape_without_equals_sign_keeps_default():
    value, warnings = only("networkShape", "network_shape")
    assert value == [4, 2] and len(warnings) == 1 and "networkShape" in warnings[0]


@pytest.mark.parametrize(
    "raw, noise, warns",
    [("80", 80, False), ("35", 35, False), ("81", 50, True), ("1e9", 50, True), ("-5", 0, True),
     ("12.5", 13, True), ("abc", 0, True), ("-Infinity", 0, True)],
)
def test_noise_rules(raw, noise, warns):
    value, warnings = only(f"noise={raw}", "noise")
    assert value == noise and bool(warnings) == warns
    ExperimentState(noise=value)


@pytest.mark.parametrize("raw", ["0.59704", " 0.5 ", "abc", "héllo", "%41", "1e3"])
def test_seed_is_kept_as_the_string(raw):
    assert only(f"seed={raw}", "seed") == (raw, [])


def test_value_keeps_only_the_text_before_a_second_equals_sign():
    assert only("seed=a=b&activation=relu", "seed") == ("a", [])


def test_hide_keys():
    values, warnings = read("noise_hide=true&dataset_hide=false&batchSize_hide=True&noise_hide=true&bogus_hide=true")
    assert values["hidden"] == ["noise"]
    assert any("batchSize_hide" in w for w in warnings) and any("bogus_hide" in w for w in warnings)
    assert not any("dataset_hide" in w for w in warnings)


def test_duplicates_use_the_last_value_and_say_so():
    values, warnings = read("activation=relu&activation=sigmoid")
    assert values["activation"] == "sigmoid" and any("activation" in w for w in warnings)


# ---------------------------------------------------------------- our fallbacks


@pytest.mark.parametrize(
    "link, name, used",
    [("activation=foo", "activation", "tanh"), ("activation=toString", "activation", "tanh"),
     ("activation=TANH", "activation", "tanh"), ("regularization=l1", "regularization", "none"),
     ("learningRate=0.5", "learning_rate", 0.3), ("learningRate=0.002", "learning_rate", 0.003),
     ("learningRate=0", "learning_rate", 0.00001), ("learningRate=1e9", "learning_rate", 10.0),
     ("learningRate=abc", "learning_rate", 0.03), ("regularizationRate=-1", "regularization_rate", 0.0),
     ("regularizationRate=0.02", "regularization_rate", 0.03), ("batchSize=0", "batch_size", 1),
     ("batchSize=100", "batch_size", 30), ("batchSize=NaN", "batch_size", 10), ("batchSize=2.5", "batch_size", 3),
     ("percTrainData=5", "perc_train_data", 10), ("percTrainData=55.5", "perc_train_data", 56),
     ("dataset=spirals", "dataset", "circle"), ("regDataset=plane", "reg_dataset", "reg-plane"),
     ("problem=ranking", "problem", "classification"), ("engine=tpu", "engine", "numpy"),
     ("optimizer=sgd", "optimizer", "playground-sgd"), ("loss=hinge", "loss", "square")],
)
def test_invalid_values_fall_back_with_a_warning(link, name, used):
    value, warnings = only(link, name)
    key, raw = link.split("=")
    assert value == used
    assert len(warnings) == 1 and key in warnings[0] and raw in warnings[0]
    ExperimentState(**{name: value})


@pytest.mark.parametrize(
    "link, name, value",
    [("regularization=none", "regularization", "none"), ("regularization=L2", "regularization", "L2"),
     ("dataset=moons", "dataset", "moons"), ("dataset=user", "dataset", "user"), ("engine=gpu", "engine", "gpu"),
     ("optimizer=adam", "optimizer", "adam"), ("loss=cross-entropy", "loss", "cross-entropy"),
     ("problem=regression", "problem", "regression"), ("learningRate=0.00001", "learning_rate", 0.00001),
     ("tutorial=intro", "tutorial", "intro"), ("collectStats=true", "collect_stats", True)],
)
def test_valid_values_are_silent(link, name, value):
    assert only(link, name) == (value, [])


def test_unknown_keys_warn():
    values, warnings = read("foo=1&bar&activation=relu")
    assert values["activation"] == "relu"
    assert len(warnings) == 2 and "foo" in warnings[0] and "bar" in warnings[1]
    many = "&".join(f"k{i}=1" for i in range(30))
    warnings = read(many)[1]
    assert 1 < len(warnings) <= 12 and "k29" in warnings[-1]


# ---------------------------------------------------------------- writing


def test_to_hash_format():
    state = ExperimentState(
        seed="s1", regularization="L1", regularization_rate=0.001, learning_rate=0.00001, network_shape=[],
        tutorial="", engine="gpu", hidden=["noise", "playButton"], noise=80,
    )
    text = to_hash(state)
    assert "regularization=L1" in text and "learningRate=0.00001" in text and "regularizationRate=0.001" in text
    assert "&networkShape=&" in text and "tutorial" not in text and "noise=80" in text
    assert text.endswith("&engine=gpu&noise_hide=true&playButton_hide=true")
    assert "optimizer" not in text and "loss" not in text
    keys = [part.split("=")[0] for part in text.split("&")]
    assert keys[:3] == ["activation", "regularization", "batchSize"]
    order = [k for k in KEYS if k in keys]
    assert [k for k in keys if k in KEYS] == order
    assert "regularization=" not in to_hash(ExperimentState(seed="s"))


@pytest.mark.parametrize("seed", ["a#b", "x://y", "?q", "#", "a?b#c"])
def test_round_trip_of_awkward_seeds(seed):
    assert parse_link(to_hash({"seed": seed}))[0]["seed"] == seed
    assert parse_link("#" + to_hash({"seed": seed}))[0]["seed"] == seed


def test_to_hash_from_partial_dict_and_escaping():
    text = to_hash({"seed": "a&b=c", "learning_rate": 10.0, "tutorial": "t1"})
    assert "seed=a%26b%3Dc" in text and "learningRate=10&" in text and "tutorial=t1&problem=" in text
    assert "seed" not in to_hash({"seed": "  "})


VALID_STATES = st.fixed_dictionaries(
    {
        "learning_rate": st.sampled_from(ps.LEARNING_RATES),
        "activation": st.sampled_from(ps.ACTIVATIONS),
        "regularization": st.sampled_from(ps.REGULARIZATIONS),
        "regularization_rate": st.sampled_from(ps.REGULARIZATION_RATES),
        "problem": st.sampled_from(ps.PROBLEMS),
        "dataset": st.sampled_from(ps.DATASETS),
        "reg_dataset": st.sampled_from(ps.REG_DATASETS),
        "noise": st.integers(0, 80),
        "perc_train_data": st.integers(10, 90),
        "batch_size": st.integers(1, 30),
        "network_shape": st.lists(st.integers(1, 8), max_size=6),
        **{name: st.booleans() for name in ps.FEATURE_PARAMS + ["cos_x", "cos_y", "show_test_data",
                                                               "discretize", "init_zero", "hide_text",
                                                               "collect_stats"]},
        "seed": st.text(st.characters(blacklist_characters="&=", blacklist_categories=("Cs",)), min_size=1).filter(
            lambda s: s.strip(" \t\n\r\v\f\u00a0\u2028\u2029\ufeff\u3000\u1680\u202f\u205f"
                              "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a") != ""),
        "tutorial": st.sampled_from(["", "intro", "t 2"]),
        "hidden": st.lists(st.sampled_from(ps.HIDABLE_CONTROLS), unique=True),
        "engine": st.sampled_from(ps.ENGINES),
        "optimizer": st.sampled_from(ps.OPTIMIZERS),
        "loss": st.sampled_from(ps.LOSSES),
        "num_classes": st.integers(2, ps.MAX_CLASSES),
        "activations": st.lists(st.sampled_from(ps.ACTIVATIONS), max_size=6),
    }
).map(lambda v: {**v,
                 # only combinations a link can carry: per-layer activations for every layer, and more than two
                 # classes only on a classification dataset that has them
                 "activations": v["activations"] if len(v["activations"]) == len(v["network_shape"]) else [],
                 "num_classes": v["num_classes"] if v["problem"] == "classification"
                 and v["dataset"] in ps.MULTICLASS_DATASETS else 2})


@settings(max_examples=200, deadline=None)
@given(VALID_STATES)
def test_round_trip(values):
    state = ExperimentState(**values)
    parsed, warnings = parse_link(to_hash(state))
    assert warnings == []
    assert parsed == values
    assert parse_link("https://example.org/#" + to_hash(values))[0] == values


# ---------------------------------------------------------------- fuzzing

SAFE_KEY = st.text(st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="&='\"\\#?"),
                   min_size=1, max_size=12)
LINK_KEY = st.one_of(st.sampled_from(list(KEYS)), st.sampled_from([c + "_hide" for c in ps.HIDABLE_CONTROLS]), SAFE_KEY)
NASTY = ["", " ", "true", "false", "NaN", "Infinity", "-Infinity", "-1", "0", "1e308", "1e-400", "0x1F", "4,2",
         ",", "9,9,9,9,9,9,9,9", "0.5", "💥", "\u00a0", "null", "undefined", "%20", "#", "?"]
LINK_VALUE = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=20).map(lambda s: s.replace("&", "").replace("=", "")),
    st.integers(-10**30, 10**30).map(str), st.floats(allow_nan=True).map(repr),
    st.lists(st.integers(-100, 100).map(str), max_size=10).map(",".join),
)
PAIRS = st.lists(st.tuples(LINK_KEY, LINK_VALUE), max_size=25)


def names_a_key(warning, keys):
    return any(key in warning for key in keys)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAIRS, st.sampled_from(["", "#", "https://playground.tensorflow.org/#"]))
def test_parse_never_raises_and_is_valid(pairs, prefix):
    link = prefix + "&".join(f"{k}={v}" for k, v in pairs)
    values, warnings = parse_link(link)
    assert set(values) == PARAM_NAMES
    state = ExperimentState(**values)  # every value is allowed by its parameter
    assert all(1 <= n <= ps.MAX_NEURONS for n in state.network_shape)
    assert all(isinstance(w, str) and w and "\n" not in w for w in warnings)
    keys = {k for k, _ in pairs}
    assert all(names_a_key(w, keys) for w in warnings), warnings
    assert parse_link(to_hash(state))[0] == values  # whatever was read writes back faithfully


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")),
                 st.text(alphabet="&=#?,.0123456789xeE+-_ af", max_size=200)))
def test_parse_survives_junk(junk):
    values, warnings = parse_link(junk)
    ExperimentState(**values)
    assert all(isinstance(w, str) for w in warnings)


def test_parse_survives_huge_input():
    values, warnings = parse_link("networkShape=" + "9," * 1000 + "&noise=" + "9" * 1000)
    assert values["network_shape"] == [8] * 6 and values["noise"] == 50
    assert len(warnings) == 2
    huge = "networkShape=" + "9," * 100_000 + "&noise=" + "9" * 5000  # longer than any link: not read at all
    values, warnings = parse_link(huge)
    assert values["network_shape"] == [4, 2] and warnings == [too_long(huge)]


def test_state_change_sets_match_the_playground():
    params = set(ExperimentState.param)
    assert ps.REBUILD_PARAMS | ps.LIVE_PARAMS | ps.REGENERATE_PARAMS <= params
    assert not ps.REBUILD_PARAMS & ps.LIVE_PARAMS
    assert ps.REGENERATE_PARAMS <= ps.REBUILD_PARAMS  # new data always resets too
    assert "engine" in ps.LIVE_PARAMS and "learning_rate" in ps.LIVE_PARAMS
    assert {"optimizer", "loss", "batch_size", "regularization_rate", "x_squared"} <= ps.REBUILD_PARAMS
    assert ps.FEATURE_PARAMS == ["x", "y", "x_squared", "y_squared", "x_times_y", "sin_x", "sin_y"]
    state = ExperimentState()
    assert (state.learning_rate, state.activation, state.network_shape, state.engine) == (0.03, "tanh", [4, 2], "numpy")
    assert re.fullmatch(r"[01]\.\d{5}", state.seed) and ExperimentState.param.noise.softbounds == (0, 50)
    with pytest.raises(ValueError):
        ExperimentState(learning_rate=0.5)
