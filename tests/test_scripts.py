"""Every tool in scripts/ still starts: `--help` answers with a usage text, not an import error (the scripts
run outside the suite, so nothing else would notice one left behind by a refactor)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.mark.parametrize("script", sorted(p.name for p in SCRIPTS.glob("*.py")))
def test_the_script_starts(script):
    done = subprocess.run([sys.executable, str(SCRIPTS / script), "--help"], capture_output=True, text=True,
                          timeout=120, cwd=SCRIPTS.parent, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr  # 2: argparse's usage, or a script's own usage line
    assert "usage" in (done.stdout + done.stderr).lower() or done.returncode == 0
