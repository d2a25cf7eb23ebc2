"""The Q-learning example runs end to end on a small budget."""

import importlib.util
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python" / "q_learning.py"


def test_q_learning_example_reports_oz_reduction(capsys):
    spec = importlib.util.spec_from_file_location("q_learning", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--seeds", "1-2", "--episodes", "4", "--steps", "5"])
    output = capsys.readouterr().out
    assert "generator://csmith-v0/2" in output
    assert "mean reduction relative to -Oz:" in output
