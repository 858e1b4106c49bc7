"""Each list of choices is written once: backend names come from the engine's registry, menu labels sit
beside their values in `playground/domain/state.py`, and every other place derives from those."""

from __future__ import annotations

import pytest

import engine
from playground import cli
from playground.domain import state
from playground.domain.state import ExperimentState


def test_engines_are_the_registry_plus_auto():
    assert state.ENGINES == [*engine.backend_names(), "auto"]
    assert ExperimentState.param.engine.objects == state.ENGINES


@pytest.mark.parametrize("command", ["run", "replay"])
def test_cli_engine_choices_are_the_states(command):
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    option = next(a for a in sub._actions if a.dest == "engine")
    assert list(option.choices) == state.ENGINES


def test_export_refuses_an_engine_outside_the_states_list(capsys, tmp_path):
    assert cli.main(["export", "--url", "#seed=1", "--out", str(tmp_path / "x.ipynb"), "--engine", "tpu"]) == 2
    assert ", ".join(state.ENGINES) in capsys.readouterr().err


def test_every_menu_of_named_choices_has_labels_for_exactly_its_values():
    for name, labels in state.LABELS.items():
        assert list(labels) == list(ExperimentState.param[name].objects), name
    named = {name for name, p in ExperimentState.param.objects().items()
             if type(p).__name__ == "Selector" and all(isinstance(v, str) for v in p.objects)}
    assert named - set(state.LABELS) == {"engine"}  # engines are labelled by their own name (and availability)


def test_the_top_bar_and_thumbnails_show_the_states_labels():
    from playground.views.controls import TopBar
    from playground.views.dataset_picker import DatasetPicker

    exp_state = ExperimentState(seed="1")
    bar = TopBar(exp_state, session=None, engines=[(name, True, "") for name in engine.backend_names()])
    sent = {menu["name"]: [label for label, _ in menu["options"]] for menu in bar.controls.menus}
    for key, param_name in [("activation", "activation"), ("regularization", "regularization"),
                            ("problem", "problem"), ("optimizer", "optimizer"), ("loss", "loss")]:
        assert bar.choices[key] == {label: value for value, label in state.LABELS[param_name].items()}
        mixed = ["Mixed"] if key == "activation" else []  # shown when the layers differ, never picked
        assert sent[key] == list(state.LABELS[param_name].values()) + mixed
    thumbs = DatasetPicker(exp_state)
    assert {name: label for name, label, _ in thumbs.datasets} == state.DATASET_LABELS
    exp_state.problem = "regression"
    assert {name: label for name, label, _ in thumbs.datasets} == state.REG_DATASET_LABELS


def test_a_module_in_commands_is_a_command(tmp_path, monkeypatch, capsys):
    from playground import commands

    (tmp_path / "hello.py").write_text(
        'NAME = "hello"\nHELP = "say hello"\n\ndef add_arguments(parser):\n    parser.add_argument("--who")\n\n'
        'def run(args):\n    print("hello", args.who)\n    return 0\n')
    (tmp_path / "shared_helper.py").write_text("LIMIT = 3  # no NAME: a helper, not a command\n")
    monkeypatch.setattr(commands, "__path__", [*commands.__path__, str(tmp_path)])
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cli.main(["hello", "--who", "class"]) == 0
    assert capsys.readouterr().out == "hello class\n"
    names = [module.NAME for module in cli.command_modules()]
    assert names == sorted(names) and {"hello", "run", "serve", "lessons"} <= set(names)
    assert "shared_helper" not in names
