"""Shared setup of the Python tests: a private suite cache and small csmith benchmarks."""

import os
import tempfile

import pytest

# Benchmarks come from csmith-v0, which is generated locally, so no test needs the network.
# Without $CGYM_CACHE the tests write to a temporary cache instead of the user's.
if not os.environ.get("CGYM_CACHE"):
    os.environ["CGYM_CACHE"] = tempfile.mkdtemp(prefix="cgym-python-tests-")

import cgym  # noqa: E402  (imported after $CGYM_CACHE is set)

BENCHMARK = "generator://csmith-v0/1"


@pytest.fixture
def env():
    with cgym.CgymEnv(benchmark=BENCHMARK) as env:
        yield env
