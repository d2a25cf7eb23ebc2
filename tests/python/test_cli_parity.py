"""Python and the cgym command-line program give the same module for the same actions."""

import os
import re
import shutil
import subprocess

import pytest

import cgym
from cgym import suites

CLI = os.environ.get("CGYM_BIN") or shutil.which("cgym")


@pytest.mark.skipif(not CLI, reason="set CGYM_BIN to the cgym program to compare with the CLI")
@pytest.mark.parametrize("seed", [1, 3])
def test_python_and_cli_give_identical_counts(seed):
    benchmark = suites.fetch("csmith-v0", first_seed=seed, seed_count=1).benchmarks[0]
    with cgym.CgymEnv(benchmark=benchmark) as env:
        env.reset(seed=seed)
        actions = [int(env.action_space.sample()) for _ in range(15)]
        for action in actions:
            env.step(action)
        names = [env.action_space.names[action] for action in actions]

        output = subprocess.run(
            [CLI, "apply", benchmark.path, "--actions", ",".join(names)],
            check=True, capture_output=True, text=True).stdout

        instructions = re.search(r"^instructions: (\d+)$", output, re.MULTILINE)
        sha256 = re.search(r"^sha256: ([0-9a-f]{64})$", output, re.MULTILINE)
        assert instructions is not None, output
        assert sha256 is not None, output
        assert int(instructions.group(1)) == env.instruction_count
        assert sha256.group(1) == env.bitcode_sha256
