"""Tests of cgym.suites and of the benchmark forms that reset() accepts."""

import pytest

import cgym
from cgym import suites


def test_builtin_suites_listed():
    assert {"default", "csmith-v0"} <= set(suites.builtin_suites())


def test_unknown_suite_raises_not_found():
    with pytest.raises(cgym.NotFoundError):
        suites.Suite("no-such-suite")


def test_default_suite_lists_benchmarks_without_fetching():
    with suites.Suite("default") as suite:
        assert suite.kind == "source"
        assert len(suite.benchmark_names) > 0


def test_fetch_csmith_seeds():
    result = suites.fetch("csmith-v0", first_seed=5, seed_count=2)
    assert [b.uri for b in result.benchmarks] == ["generator://csmith-v0/5",
                                                  "generator://csmith-v0/6"]
    assert all(b.instructions_oz <= b.instructions_o0 for b in result.benchmarks)


def test_fetch_rejects_negative_seed():
    with pytest.raises(cgym.InvalidArgumentError, match="expected first_seed"):
        suites.fetch("csmith-v0", first_seed=-1, seed_count=1)


def test_reset_accepts_benchmark_object_path_and_short_name(tmp_path):
    benchmark = suites.fetch("csmith-v0", first_seed=2, seed_count=1).benchmarks[0]
    with cgym.CgymEnv() as env:
        _, info = env.reset(options={"benchmark": benchmark})
        assert info["benchmark"] == "generator://csmith-v0/2"
        _, info = env.reset(options={"benchmark": "csmith-v0/2"})
        assert info["benchmark"] == "generator://csmith-v0/2"
        _, info = env.reset(options={"benchmark": benchmark.path})
        assert info["benchmark"] == "file://" + benchmark.path
        assert env.baselines == (benchmark.instructions_o0, benchmark.instructions_oz)


def test_reset_rejects_invalid_ir(tmp_path):
    path = tmp_path / "broken.ll"
    path.write_text("define i32 @f( {\n")
    with cgym.CgymEnv() as env:
        with pytest.raises(cgym.ParseError):
            env.reset(options={"benchmark": str(path)})
