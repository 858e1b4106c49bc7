"""What the distribution is: its name, licence and dependency bounds in the metadata, LICENSE and NOTICE in
the wheel and the sdist, and an installed copy that carries what the app reads (the wheel is built, installed
into a fresh venv outside the checkout, and from there serves the app with its CSS and loads every lesson)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
import urllib.request
import zipfile
from email.parser import HeaderParser
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import playground
from playground.lessons import lesson_files
from playground.server.ports import free_port
from playground.views.esm_bundle import BUNDLE_PATH
from playground.views.styles import APP_CSS_URL, app_css

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
# What the build needs: everything else in the checkout (tests, scripts, .venv, caches) stays out.
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "NOTICE", "assets", "engine", "playground")
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DIST = "nn-playground"  # `playground` on the package index is another project
FRAMEWORK = ("panel", "bokeh", "param")  # bounded on both sides: the versions the suite passes on


def test_every_package_folder_is_listed_in_pyproject():
    listed = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    found = {".".join(init.parent.relative_to(REPO).parts)
             for top in ("engine", "playground") for init in (REPO / top).rglob("__init__.py")}
    assert sorted(listed) == sorted(found | {"playground.assets"})


BUNDLE_URL = "components/playground.views.esm_bundle/BundledComponent/_bundle_path/components.bundle.js"


def _get(url: str, server: subprocess.Popen, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as reply:
                return reply.read().decode("utf-8")
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of what the build reads, outside the checkout."""
    copy = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, copy / name)
    return copy


def test_a_checkout_reads_its_own_assets(source):
    # This test venv's editable install maps `playground.assets` to REPO/assets; a copy run from its own
    # folder must still read the copy's assets (where a lesson may have just been added).
    scratch = source / "assets" / "lessons" / "99-scratch.toml"
    scratch.write_text((REPO / "assets" / "lessons" / "01-linear-boundary.toml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    try:
        env = {**os.environ, "PYTHONPATH": str(source)}
        done = subprocess.run([sys.executable, "-m", "playground", "lessons", "--format", "json"], cwd=source,
                              env=env, capture_output=True, text=True, timeout=120)
    finally:
        scratch.unlink()  # the wheel is built from this copy next
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[-1]["name"] == "99-scratch"


def test_the_distribution_has_its_own_name_and_the_command_and_packages_keep_theirs():
    assert PROJECT["name"] == DIST
    assert PROJECT["scripts"] == {"playground": "playground.cli:main"}
    assert DIST in packages_distributions()["playground"] and DIST in packages_distributions()["engine"]


INSTALL_HINT = re.compile(r"pip install (?:-\S+ )*['\"]?([A-Za-z0-9_.-]+)\[")


def test_every_install_hint_names_the_distribution():
    """`pip install '<name>[extra]'` in the code and the docs names this distribution, not `playground` (or
    `.`, the checkout)."""
    places = [*(REPO / "playground").rglob("*.py"), *(REPO / "engine").rglob("*.py"), REPO / "README.md",
              *(REPO / "docs").glob("*.md")]
    hints = {(str(path.relative_to(REPO)), name) for path in places
             for name in INSTALL_HINT.findall(path.read_text(encoding="utf-8"))}
    wrong = sorted((path, name) for path, name in hints if name not in (DIST, "."))
    assert DIST in {name for _, name in hints} and not wrong, wrong


def test_the_installed_dependencies_lie_inside_the_declared_bounds():
    declared = {req.name: req for req in map(Requirement, PROJECT["dependencies"])
                if req.marker is None or req.marker.evaluate()}
    for name in FRAMEWORK:  # each with a lower and an upper bound
        assert {spec.operator for spec in declared[name].specifier} >= {">=", "<"}, declared[name]
    outside = {name: version(name) for name, req in declared.items()
               if not req.specifier.contains(version(name), prereleases=True)}
    assert not outside, f"installed outside the declared bounds: {outside}"


@pytest.fixture(scope="module")
def built(tmp_path_factory, source) -> dict[str, Path]:
    """The wheel and the sdist, built from the copy with this venv's setuptools."""
    dist = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
                   check=True, capture_output=True, text=True, timeout=300)
    subprocess.run([sys.executable, "-c", "import sys, setuptools.build_meta as b; b.build_sdist(sys.argv[1])",
                    str(dist)], cwd=source, check=True, capture_output=True, text=True, timeout=300)
    return {"wheel": next(dist.glob("nn_playground-*.whl")), "sdist": next(dist.glob("nn_playground-*.tar.gz"))}


@pytest.mark.slow
def test_the_wheel_metadata_names_the_licence_the_urls_and_the_bounds(built):
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = wheel.namelist()
        metadata_path = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(wheel.read(metadata_path).decode("utf-8"))
        licence = wheel.read(next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))).decode("utf-8")
    assert metadata["Name"] == DIST and metadata["Version"] == playground.__version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert sorted(metadata.get_all("License-File")) == ["LICENSE", "NOTICE"]
    assert any("https://github.com/tensorflow/playground" in url for url in metadata.get_all("Project-URL"))
    assert {str(Requirement(r)) for r in metadata.get_all("Requires-Dist") if "extra ==" not in r} >= {
        str(Requirement(r)) for r in PROJECT["dependencies"]}
    assert "Apache License" in licence and "Version 2.0" in licence
    assert {"engine/py.typed", "playground/py.typed"} <= set(names)  # PEP 561: both packages are typed
    assert any(n.endswith(".dist-info/licenses/NOTICE") for n in names)


@pytest.mark.slow
def test_the_sdist_carries_the_licence_and_the_notices(built):
    with tarfile.open(built["sdist"]) as sdist:
        top = {Path(name).relative_to(Path(name).parts[0]).as_posix() for name in sdist.getnames()}
        notice = sdist.extractfile(next(m for m in sdist.getmembers() if m.name.endswith("/NOTICE"))).read()
    assert {"LICENSE", "NOTICE", "pyproject.toml", "engine/py.typed", "playground/py.typed"} <= top
    assert b"David Bau" in notice  # seedrandom's notice


@pytest.fixture(scope="module")
def installed(tmp_path_factory, built) -> Path:
    """The `bin/` of a fresh venv holding the built wheel; its dependencies are this venv's (no download)."""
    root = tmp_path_factory.mktemp("installed")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheel = built["wheel"]
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # Without PYTHONPATH: pip would find a checkout's `playground.egg-info` there and skip the install.
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300, env=_without_pythonpath())
    # Dependencies (panel, numpy, ...) come from this test venv, after the new venv's own site-packages.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "test-venv-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def _without_pythonpath() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _run_outside(bin_dir: Path, *args: str, **kwargs):
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=bin_dir.parent.parent, env=_without_pythonpath(),
                          capture_output=True, text=True, timeout=300, **kwargs)


@pytest.mark.slow
def test_the_wheel_imports_from_its_own_install(installed):
    done = _run_outside(installed, "python", "-c", "import engine, playground; print(playground.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(installed.parent)  # not the checkout


@pytest.mark.slow
def test_the_installed_copy_lists_every_lesson(installed):
    done = _run_outside(installed, "playground", "lessons", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [row["name"] for row in json.loads(done.stdout)] == [path.stem for path in lesson_files()]


@pytest.mark.slow
def test_the_installed_copy_serves_the_app_with_its_css(installed):
    port = free_port()
    env = _without_pythonpath()
    server = subprocess.Popen([str(installed / "playground"), "serve", "--port", str(port), "--no-show"],
                              cwd=installed.parent.parent, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        try:
            page = _get(f"http://127.0.0.1:{port}/", server, time.time() + 120)
            # the page links the stylesheet by URL (not its text in every component): fetch it from there
            stylesheet = _get(f"http://127.0.0.1:{port}/{APP_CSS_URL}", server, time.time() + 30)
            bundle = _get(f"http://127.0.0.1:{port}/{BUNDLE_URL}", server, time.time() + 30)
        except OSError as exc:
            page = stylesheet = bundle = f"no page: {exc}"
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    marker = next(line.strip() for line in app_css().splitlines() if line.strip().startswith("."))
    # The stylesheet's first rule, served by the installed copy at the URL its page links.
    assert APP_CSS_URL in page, f"{page[:300]}\n--- server log ---\n{log}"
    assert marker in stylesheet, f"{stylesheet[:300]}\n--- server log ---\n{log}"
    # the components' JavaScript, as one module, from where their models name it
    assert bundle == BUNDLE_PATH.read_text(encoding="utf-8"), f"{bundle[:300]}\n--- server log ---\n{log}"
