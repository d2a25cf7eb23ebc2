"""Gymnasium spaces built from the space descriptions that libcgym publishes.

The C core describes every observation and reward space (type, shape, bounds, element names).
This module turns those descriptions into gymnasium spaces and C observation values into numpy
arrays, strings and bytes.
"""

import ctypes
import string
from dataclasses import dataclass

import gymnasium
import numpy as np

from cgym import _capi
from cgym._capi import lib
from cgym.errors import InvalidArgumentError, NotFoundError

# LLVM prints IR as ASCII: it writes other bytes of names and string constants as \XX escapes.
IR_CHARACTERS = frozenset(string.printable)

# Upper bound of a Text space's length. gymnasium's Text needs one; IR has no natural limit, so
# this is the largest length that a 32-bit signed size allows.
TEXT_MAX_LENGTH = 2**31 - 1


class Bytes(gymnasium.Space):
    """A space of byte strings of any length, such as a module's bitcode.

    Example:
        >>> Bytes().contains(b"BC\\xc0\\xde")
        True
    """

    def __init__(self, seed=None):
        super().__init__(shape=None, dtype=None, seed=seed)

    @property
    def is_np_flattenable(self):
        return False

    def sample(self, mask=None, probability=None):
        """Return random bytes of a length from 0 to 64."""
        length = int(self.np_random.integers(0, 65))
        return self.np_random.integers(0, 256, size=length, dtype=np.uint8).tobytes()

    def contains(self, x):
        return isinstance(x, bytes)

    def __repr__(self):
        return "Bytes()"

    def __eq__(self, other):
        return isinstance(other, Bytes)


@dataclass(frozen=True)
class SpaceInfo:
    """Description of one observation or reward space, copied from libcgym.

    Attributes:
        name: unique name among spaces of its kind, e.g. "Autophase".
        description: one sentence.
        kind: one of "int64", "double", "int64_vector", "double_vector", "string", "bytes".
        shape: element count of a vector, 1 for a scalar, 0 for strings and bytes.
        low: lower bound of every element (-inf when unbounded).
        high: upper bound of every element (inf when unbounded).
        deterministic: True when the same state always gives the same value.
        platform_dependent: True when the value can differ between hosts for the same state.
        element_names: names of a vector's elements, or an empty tuple.
    """

    name: str
    description: str
    kind: str
    shape: int
    low: float
    high: float
    deterministic: bool
    platform_dependent: bool
    element_names: tuple

    def to_gymnasium(self):
        """Build the gymnasium space that contains this space's values.

        Numeric spaces become a :class:`gymnasium.spaces.Box` of shape ``(shape,)`` (scalars
        too, so every numeric value is an array), text a :class:`gymnasium.spaces.Text` over
        printable ASCII, and bytes a :class:`Bytes` space.

        Returns:
            A gymnasium space.

        Example:
            >>> observation_space_info("Autophase").to_gymnasium()
            Box(0, 9223372036854775807, (56,), int64)
        """
        if self.kind in ("int64", "int64_vector"):
            return _box(self.low, self.high, self.shape, np.int64)
        if self.kind in ("double", "double_vector"):
            return _box(self.low, self.high, self.shape, np.float64)
        if self.kind == "string":
            return gymnasium.spaces.Text(
                max_length=TEXT_MAX_LENGTH, min_length=0, charset=IR_CHARACTERS
            )
        return Bytes()


_KINDS = {
    _capi.SPACE_INT64: "int64",
    _capi.SPACE_DOUBLE: "double",
    _capi.SPACE_INT64_VECTOR: "int64_vector",
    _capi.SPACE_DOUBLE_VECTOR: "double_vector",
    _capi.SPACE_STRING: "string",
    _capi.SPACE_BYTES: "bytes",
}


def _box(low, high, shape, dtype):
    if dtype == np.int64:
        limits = np.iinfo(np.int64)
        low = limits.min if low == -np.inf else low
        high = limits.max if high == np.inf else high
    return gymnasium.spaces.Box(low=low, high=high, shape=(shape,), dtype=dtype)


def _info(space):
    c = space.contents
    names = ()
    if c.element_names:
        names = tuple(c.element_names[i].decode() for i in range(c.shape))
    return SpaceInfo(
        name=c.name.decode(),
        description=c.description.decode(),
        kind=_KINDS[c.type],
        shape=c.shape,
        low=c.low,
        high=c.high,
        deterministic=bool(c.deterministic),
        platform_dependent=bool(c.platform_dependent),
        element_names=names,
    )


def _find(find, name, kind):
    if not isinstance(name, str):
        raise InvalidArgumentError(
            f"expected the name of a{kind} space as a str, got {type(name).__name__}"
        )
    space = ctypes.POINTER(_capi.Space)()
    _capi.check(find(ctypes.byref(space), _capi.encode(name)))
    return _info(space)


def observation_space_names():
    """Return the names of every observation space, in the C core's stable order.

    Example:
        >>> "Autophase" in observation_space_names()
        True
    """
    count = lib.cgym_observation_space_count()
    return [_info(lib.cgym_observation_space_get(i)).name for i in range(count)]


def reward_space_names():
    """Return the names of every reward space, in the C core's stable order.

    Example:
        >>> reward_space_names()[:2]
        ['IrInstructionCount', 'IrInstructionCountNorm']
    """
    count = lib.cgym_reward_space_count()
    return [_info(lib.cgym_reward_space_get(i)).name for i in range(count)]


def observation_space_info(name):
    """Look up the description of an observation space by name.

    Args:
        name: an observation space name, e.g. "InstCount".

    Returns:
        A :class:`SpaceInfo`.

    Raises:
        NotFoundError: for an unknown name; the message suggests the closest name.

    Example:
        >>> observation_space_info("InstCount").element_names[:3]
        ('TotalInsts', 'TotalBlocks', 'TotalFuncs')
    """
    return _find(lib.cgym_observation_space_find, name, "n observation")


def reward_space_info(name):
    """Look up the description of a reward space by name.

    Args:
        name: a reward space name, e.g. "IrInstructionCountOz".

    Returns:
        A :class:`SpaceInfo`.

    Raises:
        NotFoundError: for an unknown name; the message suggests the closest name.

    Example:
        >>> reward_space_info("IrInstructionCountOz").kind
        'double'
    """
    return _find(lib.cgym_reward_space_find, name, " reward")


class _ObservationBuffer:
    """Owner of one C observation whose vector numpy shares without a copy.

    numpy keeps this object as the array's base, so the C buffer is freed by
    cgym_observation_clear only when the last array that views it is gone.
    """

    def __init__(self, observation, address, count, typestr):
        self._observation = observation
        self.__array_interface__ = {
            "version": 3,
            "shape": (count,),
            "typestr": typestr,
            "data": (address, False),
        }

    def __del__(self):
        lib.cgym_observation_clear(ctypes.byref(self._observation))


def convert_observation(observation):
    """Convert a filled C observation to its Python value and release or adopt its buffers.

    Vectors become numpy arrays that share the C buffer; scalars become 1-element arrays;
    strings become str and bytes become bytes (both copies, as Python requires).
    """
    kind = observation.type
    if kind == _capi.SPACE_INT64_VECTOR and observation.size > 0:
        address = ctypes.cast(observation.int64s, ctypes.c_void_p).value
        return np.asarray(_ObservationBuffer(observation, address, observation.size, "<i8"))
    if kind == _capi.SPACE_DOUBLE_VECTOR and observation.size > 0:
        address = ctypes.cast(observation.doubles, ctypes.c_void_p).value
        return np.asarray(_ObservationBuffer(observation, address, observation.size, "<f8"))

    try:
        if kind == _capi.SPACE_INT64:
            return np.array([observation.int64_value], dtype=np.int64)
        if kind == _capi.SPACE_DOUBLE:
            return np.array([observation.double_value], dtype=np.float64)
        if kind == _capi.SPACE_INT64_VECTOR:
            return np.zeros(0, dtype=np.int64)
        if kind == _capi.SPACE_DOUBLE_VECTOR:
            return np.zeros(0, dtype=np.float64)
        if kind == _capi.SPACE_STRING:
            return ctypes.string_at(observation.string, observation.size).decode("ascii")
        return ctypes.string_at(observation.bytes, observation.size)
    finally:
        lib.cgym_observation_clear(ctypes.byref(observation))


class ActionSpace(gymnasium.spaces.Discrete):
    """The env's action space: ``Discrete(n)`` with the name of every action.

    Attributes:
        id: the C core's identifier, e.g. "llvm19-passes-v1".
        hash: SHA-256 over the ordered pipelines, which identifies the space exactly.
        names: LLVM 19 pass name of each action, by index.
        flags: CompilerGym flag of each action ("-instcombine"), or None for cgym-only ones.
        pipelines: the pipeline string that each action runs.

    Example:
        >>> space = ActionSpace.passes()
        >>> space.names[space["instcombine"]]
        'instcombine'
    """

    def __init__(self, handle, seed=None):
        self._handle = handle
        actions = [
            lib.cgym_action_space_get(handle, i).contents
            for i in range(lib.cgym_action_space_size(handle))
        ]
        self.id = _capi.decode(lib.cgym_action_space_id(handle))
        self.hash = _capi.decode(lib.cgym_action_space_hash(handle))
        self.names = [_capi.decode(a.name) for a in actions]
        self.flags = [_capi.decode(a.legacy_flag) for a in actions]
        self.pipelines = [_capi.decode(a.pipeline) for a in actions]
        super().__init__(len(actions), seed=seed)

    @classmethod
    def passes(cls):
        """Return the pass action space: one LLVM 19 pass per action, in CompilerGym's order."""
        return cls(lib.cgym_action_space_passes())

    @classmethod
    def pipelines_space(cls):
        """Return the pipeline action space: actions O0, O1, O2, O3, Os and Oz."""
        return cls(lib.cgym_action_space_pipelines())

    @classmethod
    def function_passes(cls):
        """Return the function pass action space, whose actions run on one chosen function."""
        return cls(lib.cgym_action_space_function_passes())

    @classmethod
    def loop_unroll(cls):
        """Return the loop unroll action space: unroll-2 to unroll-32, one chosen loop each."""
        return cls(lib.cgym_action_space_loop_unroll())

    def __getitem__(self, name):
        """Return the index of an action by LLVM 19 name or CompilerGym flag.

        Raises:
            NotFoundError: for an unknown name; the message suggests the closest action.
        """
        if not isinstance(name, str):
            raise InvalidArgumentError(f"expected an action name as a str, got {name!r}")
        index = ctypes.c_size_t()
        _capi.check(lib.cgym_action_space_find(self._handle, _capi.encode(name),
                                               ctypes.byref(index)))
        return index.value

    def __reduce__(self):
        # Pickling (AsyncVectorEnv sends spaces between processes) keeps only the space's id,
        # because the C handle is valid in this process alone.
        return (_action_space_by_id, (self.id,))

    def __repr__(self):
        return f"ActionSpace({self.id!r}, n={self.n})"


def _action_space_by_id(space_id):
    spaces = (ActionSpace.passes(), ActionSpace.pipelines_space(), ActionSpace.function_passes(),
              ActionSpace.loop_unroll())
    for space in spaces:
        if space.id == space_id:
            return space
    raise NotFoundError(f"expected one of the action spaces {[s.id for s in spaces]}, "
                        f"got {space_id!r}")
