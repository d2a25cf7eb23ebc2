"""Tests of the registered ids: gymnasium's checker, TimeLimit and vectorized envs."""

import warnings

import gymnasium
import pytest
from gymnasium.utils.env_checker import check_env

import cgym


@pytest.mark.parametrize("name", list(cgym.ENVIRONMENTS))
def test_check_env_passes(name):
    env = gymnasium.make(f"cgym/{name}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped)
    env.close()
    # The only warning allowed: render_fps, which text rendering has no use for.
    messages = [str(w.message) for w in caught if "render_fps" not in str(w.message)]
    assert messages == []


def test_make_accepts_id_without_namespace():
    with cgym.make("llvm-ic-v0") as env:
        assert env.spec.id == "cgym/llvm-ic-v0"
        assert env.unwrapped.reward_space == "IrInstructionCountOz"


def test_make_unknown_id_suggests():
    with pytest.raises(cgym.NotFoundError, match="did you mean 'llvm-ic-v0'"):
        cgym.make("llvm-ic-v1")


def test_time_limit_truncates_episode():
    with cgym.make("llvm-ic-v0", max_episode_steps=2) as env:
        env.reset(seed=0)
        assert env.step(0)[3] is False
        assert env.step(0)[3] is True


def test_async_vector_env_steps():
    envs = gymnasium.vector.AsyncVectorEnv(
        [lambda: cgym.make("llvm-autophase-ic-v0") for _ in range(2)])
    try:
        observations, _ = envs.reset(seed=0)
        assert observations.shape == (2, 56)
        observations, rewards, terminated, truncated, _ = envs.step([1, 2])
        assert observations.shape == (2, 56)
        assert rewards.shape == (2,)
    finally:
        envs.close()


def test_async_vector_env_ir_without_shared_memory():
    # Text spaces need shared_memory=False: shared memory reserves max_length per env.
    envs = gymnasium.vector.AsyncVectorEnv(
        [lambda: cgym.make("llvm-ir-ic-v0") for _ in range(2)], shared_memory=False)
    try:
        observations, _ = envs.reset(seed=0)
        assert all("define" in ir for ir in observations)
    finally:
        envs.close()
