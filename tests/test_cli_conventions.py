"""What any command line is expected to do: `--version`, an example in every `--help`, progress only on a
terminal, exit 2 for every bad input, a run that says how to repeat it, and a clear word for what is
missing (the notebook packages, the points of dataset 'user')."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata

import pytest

import playground
from playground import cli
from playground.cli import main

from .cli_process import COMMAND, REPO, TerminalStderr
from .test_cli_engine import NO_GPU, RECORDING, assert_one_line_error
from .test_cli_engine import playground as run_cli

COMMANDS = [module.NAME for module in cli.command_modules()]


def test_version_is_the_packages_and_the_installed_distributions(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"playground {playground.__version__}\n"
    installed = []
    for name in (playground.DISTRIBUTION, "playground"):
        try:
            installed.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            continue
    assert installed[:1] == [playground.__version__]  # pyproject.toml reads the version from the package


@pytest.mark.parametrize("name", COMMANDS)
def test_every_commands_help_ends_with_an_example_and_names_no_source_folder(name, capsys):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    text = capsys.readouterr().out
    example = text[text.index("\nexample"):]
    assert f"  playground {name}" in example, text
    for folder in ("tests/", "assets/", "fixtures"):
        assert folder not in text, f"`playground {name} --help` points at {folder}"
    assert set(COMMANDS) >= {"run", "export", "replay", "serve", "lessons", "engines", "bench"}


def test_the_progress_bar_shows_on_a_terminal_and_not_in_a_log(tmp_path):
    log = tmp_path / "err.txt"
    with log.open("w") as err:
        done = subprocess.run([*COMMAND, "run", "--url", "#dataset=xor", "--epochs", "2000"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=err, text=True, timeout=300)
    assert done.returncode == 0 and log.read_bytes() == b""  # no carriage return, no bar: nothing to say
    code, _out, terminal = TerminalStderr("run", "--url", "#dataset=xor", "--epochs", "2000").finish()
    assert code == 0 and "\r" in terminal and "2000/2000" in terminal, terminal[-300:]


def test_export_says_what_it_is_doing_on_a_terminal(tmp_path):
    code, out, terminal = TerminalStderr("export", "--url", "#dataset=xor", "--epochs", "1",
                                         "--out", tmp_path / "x.ipynb").finish()
    assert code == 0 and out == f"wrote {tmp_path / 'x.ipynb'}\n"
    assert "export: building the notebook" in terminal and f"export: writing {tmp_path / 'x.ipynb'}" in terminal
    done = run_cli("export", "--url", "#dataset=xor", "--epochs", "1", "--out", tmp_path / "y.ipynb")
    assert done.returncode == 0 and done.stderr == ""  # not a terminal: no status line


def test_a_run_says_its_seed_and_the_link_that_repeats_it():
    first = json.loads(run_cli("run", "--url", "#dataset=xor&networkShape=3", "--epochs", "5", "--format", "json").stdout)
    seed, link = first["seed"], first["link"]
    assert isinstance(seed, str) and f"&seed={seed}&" in link and "networkShape=3&" in link
    again = json.loads(run_cli("run", "--url", link, "--epochs", "5", "--format", "json").stdout)
    assert again["epochs"] == first["epochs"] and again["link"] == link and again["seed"] == seed
    table = run_cli("run", "--url", link, "--epochs", "5").stdout.splitlines()
    assert f"seed {seed}" in table and f"link {link}" in table
    lesson = json.loads(run_cli("run", "--url", "#lesson=03-hidden-layers", "--epochs", "0", "--format", "json").stdout)
    assert lesson["link"].startswith("#lesson=03-hidden-layers&")  # repeats the lesson and its goal too


def test_a_run_without_points_says_so():
    done = run_cli("run", "--url", "#dataset=user&seed=1", "--epochs", "2")
    assert done.returncode == 0 and "0 training and 0 test points" in done.stdout
    assert done.stderr.startswith("warning: no points to train on: dataset 'user' is your own points"), done.stderr
    result = json.loads(run_cli("run", "--url", "#dataset=user", "--epochs", "1", "--format", "json").stdout)
    assert any(w.startswith("no points to train on") for w in result["warnings"])
    assert not any("no points" in w for w in json.loads(
        run_cli("run", "--url", "#dataset=xor", "--epochs", "0", "--format", "json").stdout)["warnings"])


BAD_INPUTS = {
    "run: negative epochs": (["run", "--url", "#seed=1", "--epochs", "-1"], "--epochs must be >= 0"),
    "run: a link that is not UTF-8": (["run", "--url", "#seed=\udced\udca0\udc80"], "not UTF-8 text"),
    "export: a link that is not UTF-8": (["export", "--url", "#seed=\udced\udca0\udc80", "--out", "x.ipynb"],
                                         "--url is not UTF-8 text: it holds the bytes \\xed\\xa0\\x80"),
    "export: dataset user": (["export", "--url", "#dataset=user", "--out", "x.ipynb"], "cannot be exported"),
    "export: no such folder": (["export", "--url", "#", "--out", "no/such/folder/x.ipynb"], "does not exist"),
    "export: timeout 0": (["export", "--url", "#", "--out", "x.ipynb", "--timeout", "0"], "--timeout must be"),
    "export: unknown engine": (["export", "--url", "#", "--out", "x.ipynb", "--engine", "tpu"], "unknown engine"),
    "replay: missing file": (["replay", "no-such-recording.json"], "no-such-recording.json: cannot read"),
    "replay: /dev/zero": (["replay", "/dev/zero"], "/dev/zero: not a recording (larger than 8 MB"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_every_bad_input_exits_2_with_one_line(case, tmp_path, monkeypatch, capsys):
    args, words = BAD_INPUTS[case]
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and words in captured.err, captured.err
    assert captured.err.startswith(f"playground {args[0]}: ") and not list(tmp_path.iterdir())


def test_an_unavailable_engine_a_file_for_a_folder_and_a_bad_port_exit_2(tmp_path):
    assert_one_line_error(run_cli("run", "--url", "#", "--engine", "gpu", env=NO_GPU), 2, "not available")
    (tmp_path / "file").write_text("")
    assert_one_line_error(run_cli("bench", "--out", tmp_path / "file"), 2, "is a file, not a folder")
    assert_one_line_error(run_cli("replay", RECORDING, "--engine", "gpu", env=NO_GPU), 2, "not available")
    assert_one_line_error(run_cli("serve", "--port", "70000"), 2, "--port must be between")


# Python started with this finder cannot import the module it names, as on a base install without the
# notebook extra.
WITHOUT = """
import sys
class Without:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == sys.argv[1]:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Without())
from playground.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("missing, extra", [("nbformat", []), ("nbformat", ["--standalone"]),
                                            ("ipykernel", ["--html", "x.html"]), ("nbconvert", ["--html", "x.html"])])
def test_export_without_the_notebook_packages_names_the_extra(tmp_path, missing, extra):
    done = subprocess.run([sys.executable, "-c", WITHOUT, missing, "export", "--url", "#seed=1", *extra,
                           "--out", "x.ipynb"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr == (f"playground export: the notebook packages are not installed (no module {missing}); "
                           f"install them with pip install '{playground.DISTRIBUTION}[notebook]'\n")
    assert not list(tmp_path.iterdir())
