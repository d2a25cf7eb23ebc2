#!/usr/bin/env bash
# Installs the Python package from python/ into a virtual environment and runs the Python tests
# and the package's doctests against the installed copy, then prints pytest's summary line (all
# of pytest's output when a test fails).
#
# Environment: BUILD_DIR (default build) contains the venv (BUILD_DIR/venv, created once, then
# reused) and the suite cache of the tests; CGYM_BIN is the cgym program that the CLI parity
# test compares with (default BUILD_DIR/cgym when it exists; without one that test is skipped).
# pip needs the network to install gymnasium, numpy, pytest and scikit-build-core; the tests
# themselves do not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
venv=$build_dir/venv
mkdir -p "$build_dir"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q "$root/python" pytest

export CGYM_CACHE=${CGYM_CACHE:-$build_dir/python-test-cache}
if [ -z "${CGYM_BIN:-}" ] && [ -x "$build_dir/cgym" ]; then
  export CGYM_BIN=$build_dir/cgym
fi
# The installed package must load its own libcgym.so, not one named by the caller.
unset CGYM_LIBRARY

# Running from the build folder keeps python/ off sys.path, so the tests import the wheel.
cd "$build_dir"
status=0
output=$(PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -m pytest -q -p no:cacheprovider \
  --doctest-modules --pyargs cgym "$root/tests/python" 2>&1) || status=$?
if [ "$status" -ne 0 ]; then
  printf '%s\n' "$output"
  exit "$status"
fi
printf '%s\n' "$output" | tail -n 1
