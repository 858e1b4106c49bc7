#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine, then runs ruff and the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's chromium for the browser tests, haproxy for the test of a class across machines (deploy/).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]' 'torch==2.13.0'
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# The gpu backend's code path runs on torch's CPU device where no GPU exists (explicit override).
export PLAYGROUND_GPU_DEVICE="${PLAYGROUND_GPU_DEVICE:-cpu}"
# Every backend must run here: a test for a missing backend fails instead of skipping.
export PLAYGROUND_REQUIRE_BACKENDS="${PLAYGROUND_REQUIRE_BACKENDS:-cpu,numpy,gpu}"
.venv/bin/ruff check .
# pytest exits 5 when it collected no test: with `set -e` that fails the run instead of passing silently.
.venv/bin/pytest -q -p no:cacheprovider "$@"
