"""Tests of cgym.CgymEnv: reset, step, observations, rewards, fork, state and errors."""

import numpy as np
import pytest

import cgym
from cgym.spaces import _ObservationBuffer

from conftest import BENCHMARK


def test_reset_returns_observation_and_info(env):
    observation, info = env.reset(seed=0)
    assert env.observation_space.contains(observation)
    assert info == {"benchmark": BENCHMARK}
    assert env.benchmark == BENCHMARK
    assert env.actions == []


def test_step_returns_five_tuple(env):
    env.reset()
    observation, reward, terminated, truncated, info = env.step(env.action_space["mem2reg"])
    assert env.observation_space.contains(observation)
    assert isinstance(reward, float)
    assert reward > 0
    assert terminated is False
    assert truncated is False
    assert info == {"action": "mem2reg"}
    assert env.actions == [env.action_space["mem2reg"]]


def test_episode_reward_is_oz_normalized(env):
    env.reset()
    for name in ("mem2reg", "instcombine", "simplifycfg"):
        env.step(env.action_space[name])
    c0, c_oz = env.baselines
    expected = (c0 - env.instruction_count) / max(c0 - c_oz, 1)
    assert env.episode_reward == pytest.approx(expected)


def test_action_space_is_discrete_with_names(env):
    assert env.action_space.n == len(env.action_space.names)
    assert env.action_space.names[env.action_space["-mem2reg"]] == "mem2reg"
    assert env.action_space.id == "llvm19-passes-v1"


def test_unknown_action_name_suggests(env):
    with pytest.raises(cgym.NotFoundError, match="instcombine"):
        env.action_space["instcombin"]


@pytest.mark.parametrize("action", [-1, 1.5, "mem2reg", True])
def test_step_rejects_invalid_action(env, action):
    env.reset()
    with pytest.raises(cgym.InvalidArgumentError, match="expected an action index"):
        env.step(action)


def test_step_rejects_out_of_range_action(env):
    env.reset()
    with pytest.raises(cgym.InvalidArgumentError, match="out of range"):
        env.step(env.action_space.n)


def test_step_accepts_numpy_integer(env):
    env.reset()
    env.step(np.int64(env.action_space["mem2reg"]))
    assert len(env.actions) == 1


def test_step_before_reset_raises_state_error(env):
    with pytest.raises(cgym.StateError):
        env.step(0)


def test_unknown_observation_suggests(env):
    env.reset()
    with pytest.raises(cgym.NotFoundError, match="did you mean 'Autophase'"):
        env.observation["Autofase"]


def test_unknown_reset_option_suggests(env):
    with pytest.raises(cgym.InvalidArgumentError, match="did you mean 'benchmark'"):
        env.reset(options={"benchmrk": BENCHMARK})


def test_unknown_benchmark_raises_not_found(env):
    with pytest.raises(cgym.NotFoundError, match="no-such-file.bc. does not exist"):
        env.reset(options={"benchmark": "no-such-file.bc"})


@pytest.mark.parametrize("name", cgym.observation_space_names())
def test_observation_is_in_its_space(env, name):
    env.reset()
    value = env.observation[name]
    assert env.observation.spaces[name].contains(value), name


def test_vector_observation_shares_c_buffer(env):
    env.reset()
    autophase = env.observation["Autophase"]
    assert isinstance(autophase.base, _ObservationBuffer)
    assert not autophase.flags.owndata
    assert autophase.dtype == np.int64


def test_reward_space_selection(env):
    env.reward_space = "IrInstructionCount"
    env.reset()
    before = env.instruction_count
    _, reward, _, _, _ = env.step(env.action_space["mem2reg"])
    assert reward == before - env.instruction_count


def test_unknown_reward_space_suggests(env):
    with pytest.raises(cgym.NotFoundError, match="IrInstructionCountOz"):
        env.reward_space = "IrInstructionCountOzz"


def test_fork_is_exact_and_independent(env):
    env.reset()
    env.step(env.action_space["mem2reg"])
    with env.fork() as copy:
        assert copy.bitcode_sha256 == env.bitcode_sha256
        assert copy.actions == env.actions
        copy.step(copy.action_space["instcombine"])
        assert copy.bitcode_sha256 != env.bitcode_sha256
        assert len(env.actions) == 1


def test_state_round_trips_through_text(env):
    env.reset()
    env.step(env.action_space["mem2reg"])
    state = env.state
    assert cgym.State(state.to_text()) == state
    assert state.benchmark == BENCHMARK
    assert state.actions == ["mem2reg"]
    assert len(state.sha256) == 64


def test_apply_replays_state(env):
    env.reset()
    for name in ("mem2reg", "gvn", "simplifycfg"):
        env.step(env.action_space[name])
    with cgym.CgymEnv() as other:
        other.apply(env.state)
        assert other.bitcode_sha256 == env.bitcode_sha256
        assert other.actions == env.actions
        assert other.episode_reward is None


def test_apply_rejects_other_bytes(env):
    env.reset()
    text = env.state.to_text().replace(env.state.sha256, "0" * 64)
    with pytest.raises(cgym.ChecksumError):
        env.apply(cgym.State(text))


def test_state_csv_round_trip(env):
    env.reset()
    env.step(env.action_space["mem2reg"])
    rows = cgym.read_csv(env.state.to_csv(reward=0.25, walltime=1.5))
    assert len(rows) == 1
    assert rows[0].state.actions == ["mem2reg"]
    assert rows[0].reward == 0.25
    assert rows[0].walltime == 1.5
    assert rows[0].unmapped == ()


def test_malformed_state_raises_format_error():
    with pytest.raises(cgym.FormatError):
        cgym.State("not a state\n")


def test_render_ansi_returns_ir():
    with cgym.CgymEnv(benchmark=BENCHMARK, render_mode="ansi") as env:
        env.reset()
        assert "define" in env.render()


def test_write_bitcode_matches_cli_format(env, tmp_path):
    env.reset()
    path = tmp_path / "module.bc"
    env.write_bitcode(path)
    assert path.read_bytes()[:4] == b"BC\xc0\xde"


def test_close_twice_and_use_after_close(env):
    env.close()
    env.close()
    with pytest.raises(cgym.StateError, match="closed"):
        env.reset()


def test_context_manager_closes():
    with cgym.CgymEnv(benchmark=BENCHMARK) as env:
        env.reset()
    assert env._handle is None


def test_pipeline_action_space():
    with cgym.CgymEnv(benchmark=BENCHMARK, action_space="pipelines") as env:
        env.reset()
        _, reward, _, _, _ = env.step(env.action_space["Oz"])
        assert reward == pytest.approx(1.0)


def test_errors_share_one_base():
    for cls in (cgym.NotFoundError, cgym.StateError, cgym.ParseError, cgym.LlvmError):
        assert issubclass(cls, cgym.CgymError)


def test_function_and_loop_steps_replay_and_fork(env):
    env.reset()
    env.step(env.action_space["sroa"])
    functions = env.functions
    assert functions and {"index", "name", "instructions", "loops"} <= set(functions[0])
    largest = max(functions, key=lambda f: f["instructions"])["index"]
    env.step_function(largest, "gvn")
    loops = env.loops
    if loops:
        env.step_loop(loops[0]["index"], "unroll-2")
    state = env.state
    assert state.steps[1] == ("function", largest, "gvn")
    assert cgym.State(state.to_text()) == state
    with cgym.CgymEnv() as other:
        other.apply(state)
        assert other.bitcode_sha256 == env.bitcode_sha256
    with env.fork() as copy:
        assert copy.bitcode_sha256 == env.bitcode_sha256


def test_finer_steps_reject_bad_indices(env):
    env.reset()
    before = env.bitcode_sha256
    with pytest.raises(cgym.InvalidArgumentError, match="does not exist"):
        env.step_function(10_000, "gvn")
    with pytest.raises(cgym.InvalidArgumentError, match="does not exist"):
        env.step_loop(10_000, "unroll-2")
    with pytest.raises(cgym.NotFoundError, match="did you mean"):
        env.step_function(0, "gvnn")
    with pytest.raises(cgym.InvalidArgumentError):
        env.step_function(-1, "gvn")
    assert env.bitcode_sha256 == before


def test_suite_benchmark_is_picked_by_seed(tmp_path):
    for name, body in (("a.c", "int a(int x) { return x; }\n"),
                       ("b.c", "int b(int x) { return x * 3; }\n"),
                       ("c.c", "int c(int x) { return x - 1; }\n")):
        (tmp_path / name).write_text(body)
    picks = []
    for _ in range(2):
        with cgym.CgymEnv(benchmark=str(tmp_path)) as env:
            picks.append([env.reset(seed=5 if i == 0 else None)[1]["benchmark"]
                          for i in range(6)])
    assert picks[0] == picks[1]
    assert all(uri.startswith("file://") for uri in picks[0])
    assert len(set(picks[0])) > 1


def test_verify_each_step_gives_the_same_module():
    with cgym.CgymEnv(verify_each_step=True) as checked, cgym.CgymEnv() as unchecked:
        for env in (checked, unchecked):
            env.reset()
            for name in ("mem2reg", "gvn", "simplifycfg"):
                env.step(env.action_space[name])
            env.verify()
        assert checked.bitcode_sha256 == unchecked.bitcode_sha256


def test_no_reward_space_gives_zero_rewards(env):
    env.reward_space = None
    env.reset()
    _, reward, _, _, _ = env.step(env.action_space["mem2reg"])
    assert reward == 0.0
    assert env.reward_space is None
    assert env.instruction_count < env.baselines[0]
    env.reward_space = "IrInstructionCount"
    _, reward, _, _, _ = env.step(env.action_space["gvn"])
    assert reward >= 0
