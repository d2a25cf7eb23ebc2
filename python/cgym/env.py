"""The gymnasium environment over one cgym C env.

Each step runs one LLVM 19 pass pipeline on the module through the C core; observations and
rewards are computed by the core on request. The C env has no terminal state, so ``terminated``
is always False; the registered ids end episodes through gymnasium's TimeLimit.
"""

import ctypes
import difflib
import json
import os

import gymnasium
import numpy as np

from cgym import _capi, benchmarks
from cgym._capi import lib
from cgym.errors import InvalidArgumentError, StateError
from cgym.spaces import (ActionSpace, convert_observation, observation_space_info,
                         observation_space_names, reward_space_info)
from cgym.state import State

_RESET_OPTIONS = ("benchmark",)
_ACTION_SPACES = {"passes": ActionSpace.passes, "pipelines": ActionSpace.pipelines_space}


class Observations:
    """On-demand observations of an env's current module, by space name.

    Example:
        >>> with CgymEnv() as env:
        ...     _ = env.reset()
        ...     env.observation["Autophase"].shape
        (56,)
    """

    def __init__(self, env):
        self._env = env

    def __getitem__(self, name):
        """Compute observation `name` now.

        Raises:
            NotFoundError: for an unknown name; the message suggests the closest one.
            StateError: before reset.
        """
        return self._env._observe(name)

    @property
    def spaces(self):
        """Gymnasium spaces of every observation, by name."""
        return {name: observation_space_info(name).to_gymnasium()
                for name in observation_space_names()}


class CgymEnv(gymnasium.Env):
    """Compiler optimization as a gymnasium environment: pick LLVM 19 passes to shrink code.

    Args:
        benchmark: the default benchmark of reset(): a URI ("generator://csmith-v0/1",
            "benchmark://default/bzip2"), a file path, or a :class:`cgym.suites.Benchmark`.
            None selects csmith's program for seed 1, which is built locally.
        observation_space: name of the observation that reset() and step() return.
        reward_space: name of the reward that step() returns, or None for none (rewards are 0.0
            and steps skip the instruction count that rewards need).
        action_space: "passes" (one LLVM 19 pass per action, in CompilerGym's order) or
            "pipelines" (actions O0, O1, O2, O3, Os and Oz).
        cache_dir: suite cache folder; None selects $CGYM_CACHE, else $XDG_CACHE_HOME/cgym,
            else ~/.cache/cgym.
        mirror: archive folder or http(s) base URL tried before a suite's own URLs.
        render_mode: None or "ansi" (render() returns the module's IR).
        verify_each_step: run LLVM's module verifier after every step (about the cost of a
            cheap pass); by default only :meth:`verify` runs it.

    Raises:
        NotFoundError: for an unknown space name; the message suggests the closest one.

    Example:
        >>> env = CgymEnv(observation_space="InstCount")
        >>> observation, info = env.reset(seed=0)
        >>> observation, reward, terminated, truncated, info = env.step(env.action_space["mem2reg"])
        >>> int(observation[0]) < env.baselines[0], reward > 0, terminated
        (True, True, False)
        >>> env.close()
    """

    metadata = {"render_modes": ["ansi"]}

    def __init__(self, benchmark=None, observation_space="IrInstructionCount",
                 reward_space="IrInstructionCountOz", action_space="passes", cache_dir=None,
                 mirror=None, render_mode=None, verify_each_step=False):
        self._handle = None
        if render_mode not in (None, "ansi"):
            raise InvalidArgumentError(f"expected render_mode None or 'ansi', got {render_mode!r}")
        if action_space not in _ACTION_SPACES:
            raise InvalidArgumentError(
                f"expected action_space 'passes' or 'pipelines', got {action_space!r}")
        self.render_mode = render_mode
        self.action_space = _ACTION_SPACES[action_space]()
        observation_info = observation_space_info(observation_space)
        self._observation_name = observation_info.name
        self.observation_space = observation_info.to_gymnasium()
        self._cache_dir = None if cache_dir is None else os.fspath(cache_dir)
        self._mirror = None if mirror is None else os.fspath(mirror)
        self._benchmark = benchmarks.DEFAULT_BENCHMARK if benchmark is None else benchmark
        self.observation = Observations(self)
        self._init_episode()

        options = _capi.EnvOptions(version=_capi.ENV_OPTIONS_VERSION)
        options.actions = self.action_space._handle
        options.verify_each_step = 1 if verify_each_step else 0
        handle = ctypes.c_void_p()
        _capi.check(lib.cgym_env_create(ctypes.byref(handle), ctypes.byref(options)))
        self._handle = handle
        self.reward_space = reward_space

    def _init_episode(self):
        self.actions = []
        self.episode_reward = 0.0
        self._in_episode = False

    def _live(self):
        if not self._handle:
            raise StateError("expected an open env, got one that was closed")
        return self._handle

    @property
    def reward_space(self):
        """Name of the reward space that step() returns. Setting it selects another; None
        selects none, so step() returns a reward of 0.0 and measures nothing, the cheapest way
        to step."""
        return self._reward_name

    @reward_space.setter
    def reward_space(self, name):
        if name is None:
            _capi.check(lib.cgym_env_select_rewards(self._live(), None, 0))
            self._reward_name = None
            return
        name = reward_space_info(name).name
        names = (ctypes.c_char_p * 1)(_capi.encode(name))
        _capi.check(lib.cgym_env_select_rewards(self._live(), names, 1))
        self._reward_name = name

    def reset(self, *, seed=None, options=None):
        """Start an episode on a benchmark's unoptimized module.

        Args:
            seed: seeds the env's and the action space's random generators. The module does not
                depend on it: the same benchmark always starts from the same module. When the
                benchmark is a whole suite (a suite name, folder or definition file), the env's
                generator picks one of its benchmarks at each reset, so a seed gives the same
                sequence of benchmarks.
            options: {"benchmark": B} starts on B (any form that the constructor accepts) and
                makes it the default of later resets.

        Returns:
            (observation, info), where info["benchmark"] is the benchmark's URI.

        Raises:
            InvalidArgumentError: for an unknown option key.
            NotFoundError: for a benchmark that does not exist.
            ParseError: for a file that LLVM cannot parse.
        """
        super().reset(seed=seed)
        if seed is not None:
            self.action_space.seed(seed)
        options = {} if options is None else options
        for key in options:
            if key not in _RESET_OPTIONS:
                raise InvalidArgumentError(f"expected reset options {list(_RESET_OPTIONS)}, "
                                           f"got {key!r}{_did_you_mean(key, _RESET_OPTIONS)}")
        if "benchmark" in options:
            self._benchmark = options["benchmark"]

        pick = int(self.np_random.integers(0, 2**63))
        uri, path = benchmarks.resolve(self._benchmark, self._cache_dir, self._mirror, pick)
        _capi.check(lib.cgym_env_reset(self._live(), _capi.encode(uri), _capi.encode(path)))
        self._init_episode()
        self._in_episode = True
        return self._observe(self._observation_name), {"benchmark": uri}

    def step(self, action):
        """Run one action's pipeline on the module.

        Args:
            action: an action index from 0 to action_space.n - 1.

        Returns:
            (observation, reward, terminated, truncated, info): terminated and truncated are
            always False here (TimeLimit sets truncated), and info["action"] is the action's name.

        Raises:
            InvalidArgumentError: for an action that is not an index of the action space.
            StateError: before reset.
            LlvmError: when the pipeline fails, or, with verify_each_step, leaves a module that
                fails the verifier.
        """
        index = self._action_index(action)
        reward = ctypes.c_double()
        _capi.check(lib.cgym_env_step(self._live(), index, ctypes.byref(reward)))
        self.actions.append(index)
        if self.episode_reward is not None:
            self.episode_reward += reward.value
        observation = self._observe(self._observation_name)
        return observation, reward.value, False, False, {"action": self.action_space.names[index]}

    def verify(self):
        """Run LLVM's module verifier on the current module.

        Steps skip the verifier unless the env was made with verify_each_step=True, as LLVM's own
        opt skips it between passes. When the module is invalid, the C core replays the episode
        with the verifier after every step to name the step that broke it.

        Raises:
            LlvmError: naming the step that left an invalid module; the env then needs a reset.
        """
        _capi.check(lib.cgym_env_verify(self._live(), None))

    @property
    def functions(self):
        """The functions with a body, the targets of :meth:`step_function`, as a list of dicts
        with keys index, name, instructions, blocks, loops and optnone."""
        return json.loads(self._observe("Functions"))

    @property
    def loops(self):
        """The natural loops, the targets of :meth:`step_loop`, as a list of dicts with keys
        index, function, parent, depth, blocks, instructions, latches, exits and
        trip_count_hint (-1 when unknown)."""
        return json.loads(self._observe("Loops"))

    def step_function(self, function, action):
        """Run one action of the function pass action space on one function only.

        Args:
            function: index into :attr:`functions`.
            action: an index or name of ``ActionSpace.function_passes()``, e.g. "gvn".

        Returns:
            The reward of the step.

        Raises:
            InvalidArgumentError: for a function or action index that does not exist.
            NotFoundError: for an unknown action name.

        Example:
            >>> with CgymEnv() as env:
            ...     _ = env.reset()
            ...     reward = env.step_function(0, "sroa")
            ...     env.state.steps[-1]
            ('function', 0, 'sroa')
        """
        return self._finer_step(lib.cgym_env_step_function, ActionSpace.function_passes(),
                                function, action)

    def step_loop(self, loop, action):
        """Unroll one loop by the factor of an action of ``ActionSpace.loop_unroll()``.

        Args:
            loop: index into :attr:`loops`.
            action: an index or name, e.g. "unroll-4".

        Returns:
            The reward of the step.

        Raises:
            InvalidArgumentError: for a loop or action index that does not exist.
            NotFoundError: for an unknown action name.
        """
        return self._finer_step(lib.cgym_env_step_loop, ActionSpace.loop_unroll(), loop, action)

    def _finer_step(self, call, space, target, action):
        index = space[action] if isinstance(action, str) else self._index_in(space, action)
        if isinstance(target, (bool, np.bool_)) or not isinstance(target, (int, np.integer)) \
                or target < 0:
            raise InvalidArgumentError(f"expected a function or loop index from 0, got {target!r}")
        reward = ctypes.c_double()
        _capi.check(call(self._live(), int(target), index, ctypes.byref(reward)))
        if self.episode_reward is not None:
            self.episode_reward += reward.value
        return reward.value

    @staticmethod
    def _index_in(space, action):
        if isinstance(action, np.ndarray) and action.shape == ():
            action = action.item()
        if isinstance(action, (bool, np.bool_)) or not isinstance(action, (int, np.integer)) \
                or action < 0:
            raise InvalidArgumentError(f"expected an action index of {space.id} from 0 to "
                                       f"{space.n - 1} or its name, got {action!r}")
        return int(action)

    def _action_index(self, action):
        if isinstance(action, np.ndarray) and action.shape == ():
            action = action.item()
        if isinstance(action, (bool, np.bool_)) or not isinstance(action, (int, np.integer)):
            raise InvalidArgumentError(f"expected an action index from 0 to "
                                       f"{self.action_space.n - 1}, got {action!r}")
        if action < 0:
            raise InvalidArgumentError(f"expected an action index from 0 to "
                                       f"{self.action_space.n - 1}, got {int(action)}")
        return int(action)

    def _observe(self, name):
        if not isinstance(name, str):
            raise InvalidArgumentError(f"expected an observation space name as a str, got "
                                       f"{type(name).__name__}")
        observation = _capi.Observation()
        _capi.check(lib.cgym_env_observe(ctypes.byref(observation), self._live(),
                                         _capi.encode(name)))
        return convert_observation(observation)

    def render(self):
        """Return the module's textual IR when render_mode is "ansi", else None."""
        if self.render_mode == "ansi":
            return self._observe("Ir")
        return None

    @property
    def benchmark(self):
        """URI of the episode's benchmark, or None before reset."""
        return _capi.decode(lib.cgym_env_benchmark_uri(self._live()))

    @property
    def instruction_count(self):
        """IR instruction count of the current module."""
        count = ctypes.c_int64()
        _capi.check(lib.cgym_env_instruction_count(self._live(), ctypes.byref(count)))
        return count.value

    @property
    def bitcode_sha256(self):
        """Lowercase hex SHA-256 of the current module's bitcode."""
        digest = ctypes.create_string_buffer(65)
        _capi.check(lib.cgym_env_bitcode_sha256(self._live(), digest))
        return digest.value.decode()

    @property
    def baselines(self):
        """(C0, C_Oz): the benchmark's instruction count as loaded and after default<Oz>."""
        c0 = ctypes.c_int64()
        c_oz = ctypes.c_int64()
        _capi.check(lib.cgym_env_baselines(self._live(), ctypes.byref(c0), ctypes.byref(c_oz)))
        return c0.value, c_oz.value

    def write_bitcode(self, path):
        """Write the current module's bitcode to path (atomically, through a rename)."""
        _capi.check(lib.cgym_env_write_bitcode(self._live(), _capi.encode(os.fspath(path))))

    @property
    def state(self):
        """The episode's :class:`cgym.State`: benchmark, its SHA-256, action space and steps."""
        pointer = ctypes.POINTER(_capi.State)()
        _capi.check(lib.cgym_env_state(ctypes.byref(pointer), self._live()))
        try:
            return State._from_c(pointer)
        finally:
            lib.cgym_state_free(pointer)

    def apply(self, state):
        """Replay a state's steps from the start of its benchmark's episode.

        The env resets to state.benchmark first unless an episode on that benchmark is running.
        The replay checks that the benchmark's bytes match the state's SHA-256 and that the
        action space is the state's. episode_reward is None after apply() until the next reset,
        because the replay does not report each step's reward.

        Args:
            state: a :class:`cgym.State`.

        Raises:
            ChecksumError: when the benchmark's bytes differ from those the state was made on.
            NotFoundError: for another action space or an unknown action name.

        Example:
            >>> with CgymEnv() as env, CgymEnv() as other:
            ...     _ = env.reset()
            ...     _ = env.step(env.action_space["mem2reg"])
            ...     other.apply(env.state)
            ...     other.bitcode_sha256 == env.bitcode_sha256
            True
        """
        if not isinstance(state, State):
            raise InvalidArgumentError(f"expected a cgym.State, got {type(state).__name__}")
        if not self._in_episode or self.benchmark != state.benchmark:
            self.reset(options={"benchmark": state.benchmark})
        parsed = state._c_state()
        try:
            _capi.check(lib.cgym_env_apply_state(self._live(), parsed))
        finally:
            lib.cgym_state_free(parsed)
        self.actions = [self.action_space[name] for name in state.actions]
        self.episode_reward = None

    def fork(self):
        """Create an independent env whose every continuation equals this one's.

        The copy parses the benchmark again and replays the steps, so it is exact.

        Returns:
            A new :class:`CgymEnv` that the caller closes.

        Raises:
            StateError: before reset.

        Example:
            >>> with CgymEnv() as env:
            ...     _ = env.reset()
            ...     _ = env.step(env.action_space["mem2reg"])
            ...     with env.fork() as copy:
            ...         copy.bitcode_sha256 == env.bitcode_sha256, copy.actions == env.actions
            (True, True)
        """
        handle = ctypes.c_void_p()
        _capi.check(lib.cgym_env_fork(ctypes.byref(handle), self._live()))
        copy = CgymEnv.__new__(CgymEnv)
        copy.__dict__.update(self.__dict__)
        copy._handle = handle
        copy.observation = Observations(copy)
        copy.actions = list(self.actions)
        copy._np_random = None
        copy.action_space = ActionSpace(self.action_space._handle)
        return copy

    def close(self):
        """Free the C env. Closing twice is allowed; every later call but close() raises."""
        if self._handle:
            lib.cgym_env_free(self._handle)
            self._handle = None

    def __del__(self):
        self.close()


def _did_you_mean(name, choices):
    close = difflib.get_close_matches(name, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
