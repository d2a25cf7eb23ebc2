"""cgym: the LLVM 19 optimizer as gymnasium environments.

Importing the package registers the ids "cgym/llvm-v0", "cgym/llvm-ic-v0" and the others of
:data:`cgym.registration.ENVIRONMENTS` with gymnasium.

Example:
    >>> import cgym
    >>> env = cgym.make("llvm-autophase-ic-v0")
    >>> observation, info = env.reset(seed=0)
    >>> observation, reward, terminated, truncated, info = env.step(env.action_space.sample())
    >>> env.close()
"""

from cgym import suites
from cgym._capi import library_path
from cgym.env import CgymEnv
from cgym.errors import (ArchiveError, BuildError, CgymError, CgymIOError, ChecksumError,
                         CryptoError, DownloadError, FormatError, InvalidArgumentError,
                         LimitError, LlvmError, NotFoundError, OutOfMemoryError, ParseError,
                         SignatureError, StateError)
from cgym.registration import ENVIRONMENTS, MAX_EPISODE_STEPS, make, register
from cgym.spaces import (ActionSpace, Bytes, SpaceInfo, observation_space_info,
                         observation_space_names, reward_space_info, reward_space_names)
from cgym.state import CsvState, State, read_csv

__version__ = "0.1.0"

__all__ = [
    "ActionSpace", "ArchiveError", "BuildError", "Bytes", "CgymEnv", "CgymError", "CgymIOError",
    "ChecksumError", "CryptoError", "CsvState", "DownloadError", "ENVIRONMENTS", "FormatError",
    "InvalidArgumentError", "LimitError", "LlvmError", "MAX_EPISODE_STEPS", "NotFoundError",
    "OutOfMemoryError", "ParseError", "SignatureError", "SpaceInfo", "State", "StateError",
    "library_path", "make", "observation_space_info", "observation_space_names", "read_csv",
    "register", "reward_space_info", "reward_space_names", "suites",
]

register()
