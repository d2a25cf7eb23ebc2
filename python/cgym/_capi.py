"""ctypes declarations of libcgym's C API and the loader of the shared library.

Every structure here mirrors one in include/cgym/*.h or datasets/datasets.h field by field, so
a change to a C structure needs the same change here. Nothing above this module calls C directly
without going through :func:`check`.
"""

import ctypes
import ctypes.util
import os
from pathlib import Path

from cgym.errors import error_from_code

c_char_p = ctypes.c_char_p
c_int = ctypes.c_int
c_int64 = ctypes.c_int64
c_size_t = ctypes.c_size_t
c_double = ctypes.c_double
c_void_p = ctypes.c_void_p
POINTER = ctypes.POINTER

# Values of enum cgym_space_type in cgym/spaces.h.
SPACE_INT64 = 0
SPACE_DOUBLE = 1
SPACE_INT64_VECTOR = 2
SPACE_DOUBLE_VECTOR = 3
SPACE_STRING = 4
SPACE_BYTES = 5

ENV_OPTIONS_VERSION = 3
PREPARE_OPTIONS_VERSION = 1


class Action(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("legacy_flag", c_char_p), ("pipeline", c_char_p)]


class Space(ctypes.Structure):
    _fields_ = [
        ("name", c_char_p),
        ("description", c_char_p),
        ("type", c_int),
        ("shape", c_size_t),
        ("low", c_double),
        ("high", c_double),
        ("deterministic", c_int),
        ("platform_dependent", c_int),
        ("element_names", POINTER(c_char_p)),
    ]


class Observation(ctypes.Structure):
    _fields_ = [
        ("space", POINTER(Space)),
        ("type", c_int),
        ("size", c_size_t),
        ("int64_value", c_int64),
        ("double_value", c_double),
        ("int64s", POINTER(c_int64)),
        ("doubles", POINTER(c_double)),
        ("string", c_void_p),
        ("bytes", c_void_p),
    ]


PipelineHook = ctypes.CFUNCTYPE(None, c_void_p, c_char_p)


class EnvOptions(ctypes.Structure):
    _fields_ = [
        ("version", c_int),
        ("actions", c_void_p),
        ("pipeline_hook", PipelineHook),
        ("pipeline_hook_context", c_void_p),
        ("skip_step_verification", c_int),
        ("verify_each_step", c_int),
    ]


class StateStep(ctypes.Structure):
    _fields_ = [("action", c_char_p), ("pipeline", c_char_p), ("kind", c_int),
                ("target", c_size_t)]


class State(ctypes.Structure):
    _fields_ = [
        ("benchmark", c_char_p),
        ("sha256", ctypes.c_char * 65),
        ("action_space", c_char_p),
        ("steps", POINTER(StateStep)),
        ("step_count", c_size_t),
    ]


class CsvRow(ctypes.Structure):
    _fields_ = [
        ("state", POINTER(State)),
        ("has_reward", c_int),
        ("reward", c_double),
        ("walltime", c_double),
        ("unmapped", POINTER(c_char_p)),
        ("unmapped_count", c_size_t),
    ]


ProgressCallback = ctypes.CFUNCTYPE(None, c_void_p, c_char_p)


class PrepareOptions(ctypes.Structure):
    _fields_ = [
        ("version", c_int),
        ("cache_dir", c_char_p),
        ("mirror", c_char_p),
        ("offline", c_int),
        ("generator_first", ctypes.c_uint64),
        ("generator_count", ctypes.c_uint64),
        ("only", POINTER(c_char_p)),
        ("progress", ProgressCallback),
        ("progress_context", c_void_p),
        ("download_stall_seconds", ctypes.c_long),
    ]


class Benchmark(ctypes.Structure):
    _fields_ = [
        ("name", c_char_p),
        ("uri", c_char_p),
        ("bitcode_path", c_char_p),
        ("bitcode_sha256", c_char_p),
        ("instructions_o0", c_int64),
        ("instructions_oz", c_int64),
    ]


class ExcludedBenchmark(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("uri", c_char_p), ("reason", c_char_p)]


class ArchiveRecord(ctypes.Structure):
    _fields_ = [("file", c_char_p), ("sha256", c_char_p)]


class PreparedSuite(ctypes.Structure):
    _fields_ = [
        ("benchmarks", POINTER(Benchmark)),
        ("benchmark_count", c_size_t),
        ("archives", POINTER(ArchiveRecord)),
        ("archive_count", c_size_t),
        ("build_recipe", c_char_p),
        ("excluded", POINTER(ExcludedBenchmark)),
        ("excluded_count", c_size_t),
        ("unbuilt_count", c_size_t),
    ]


# (name, return type, argument types) of every C function the binding calls. Functions that
# return an error code are marked with restype c_int and go through check().
_FUNCTIONS = [
    ("cgym_error_message", c_char_p, []),
    ("cgym_strerror", c_char_p, [c_int]),
    ("cgym_error_clear", None, []),
    # cgym/actions.h
    ("cgym_action_space_passes", c_void_p, []),
    ("cgym_action_space_pipelines", c_void_p, []),
    ("cgym_action_space_id", c_char_p, [c_void_p]),
    ("cgym_action_space_hash", c_char_p, [c_void_p]),
    ("cgym_action_space_size", c_size_t, [c_void_p]),
    ("cgym_action_space_get", POINTER(Action), [c_void_p, c_size_t]),
    ("cgym_action_space_find", c_int, [c_void_p, c_char_p, POINTER(c_size_t)]),
    # cgym/targets.h
    ("cgym_action_space_function_passes", c_void_p, []),
    ("cgym_action_space_loop_unroll", c_void_p, []),
    ("cgym_env_step_function", c_int, [c_void_p, c_size_t, c_size_t, POINTER(c_double)]),
    ("cgym_env_step_loop", c_int, [c_void_p, c_size_t, c_size_t, POINTER(c_double)]),
    # cgym/env.h
    ("cgym_env_create", c_int, [POINTER(c_void_p), POINTER(EnvOptions)]),
    ("cgym_env_free", None, [c_void_p]),
    ("cgym_env_reset", c_int, [c_void_p, c_char_p, c_char_p]),
    ("cgym_env_step", c_int, [c_void_p, c_size_t, POINTER(c_double)]),
    ("cgym_env_step_pipeline", c_int, [c_void_p, c_char_p, POINTER(c_double)]),
    ("cgym_env_fork", c_int, [POINTER(c_void_p), c_void_p]),
    ("cgym_env_verify", c_int, [c_void_p, POINTER(c_size_t)]),
    ("cgym_env_write_bitcode", c_int, [c_void_p, c_char_p]),
    ("cgym_env_benchmark_uri", c_char_p, [c_void_p]),
    ("cgym_env_benchmark_sha256", c_char_p, [c_void_p]),
    ("cgym_env_instruction_count", c_int, [c_void_p, POINTER(c_int64)]),
    ("cgym_env_bitcode_sha256", c_int, [c_void_p, c_char_p]),
    ("cgym_env_baselines", c_int, [c_void_p, POINTER(c_int64), POINTER(c_int64)]),
    ("cgym_env_action_space", c_void_p, [c_void_p]),
    # cgym/spaces.h
    ("cgym_observation_space_count", c_size_t, []),
    ("cgym_observation_space_get", POINTER(Space), [c_size_t]),
    ("cgym_observation_space_find", c_int, [POINTER(POINTER(Space)), c_char_p]),
    ("cgym_reward_space_count", c_size_t, []),
    ("cgym_reward_space_get", POINTER(Space), [c_size_t]),
    ("cgym_reward_space_find", c_int, [POINTER(POINTER(Space)), c_char_p]),
    # cgym/observation.h
    ("cgym_env_observe", c_int, [POINTER(Observation), c_void_p, c_char_p]),
    ("cgym_observation_clear", None, [POINTER(Observation)]),
    # cgym/reward.h
    ("cgym_env_select_rewards", c_int, [c_void_p, POINTER(c_char_p), c_size_t]),
    ("cgym_env_reward_count", c_int, [POINTER(c_size_t), c_void_p]),
    ("cgym_env_last_rewards", c_int, [POINTER(c_double), c_size_t, c_void_p]),
    # cgym/state.h
    ("cgym_env_state", c_int, [POINTER(POINTER(State)), c_void_p]),
    ("cgym_env_apply_state", c_int, [c_void_p, POINTER(State)]),
    ("cgym_state_format", c_int, [POINTER(c_void_p), POINTER(State)]),
    ("cgym_state_parse", c_int, [POINTER(POINTER(State)), c_char_p]),
    ("cgym_state_free", None, [POINTER(State)]),
    ("cgym_state_csv_read", c_int, [POINTER(POINTER(CsvRow)), POINTER(c_size_t), c_char_p]),
    ("cgym_csv_rows_free", None, [POINTER(CsvRow), c_size_t]),
    ("cgym_state_csv_write", c_int,
     [POINTER(c_void_p), POINTER(State), c_int, c_double, c_double]),
    # datasets/datasets.h: exported by libcgym but not yet declared in include/cgym/.
    ("cgym_builtin_suites", POINTER(c_char_p), []),
    ("cgym_suite_open", c_int, [POINTER(c_void_p), c_char_p]),
    ("cgym_suite_free", None, [c_void_p]),
    ("cgym_suite_name", c_char_p, [c_void_p]),
    ("cgym_suite_version", c_char_p, [c_void_p]),
    ("cgym_suite_deprecated", c_char_p, [c_void_p]),
    ("cgym_suite_kind", c_char_p, [c_void_p]),
    ("cgym_suite_description", c_char_p, [c_void_p]),
    ("cgym_suite_license", c_char_p, [c_void_p]),
    ("cgym_suite_benchmark_count", c_size_t, [c_void_p]),
    ("cgym_suite_benchmark_name", c_char_p, [c_void_p, c_size_t]),
    ("cgym_suite_prepare", c_int,
     [c_void_p, POINTER(PrepareOptions), POINTER(POINTER(PreparedSuite))]),
    ("cgym_prepared_suite_free", None, [POINTER(PreparedSuite)]),
    ("cgym_benchmark_resolve", c_int,
     [c_char_p, ctypes.c_uint64, POINTER(PrepareOptions), POINTER(c_void_p), POINTER(c_void_p)]),
]


def library_path():
    """Return the path of the libcgym shared library that the package loads.

    $CGYM_LIBRARY, when set, names the file, so tests can load a build tree's library.
    Otherwise the package loads the copy that its wheel ships next to this module.

    Returns:
        The path as a :class:`pathlib.Path`.

    Example:
        >>> library_path().name.startswith("libcgym.so")
        True
    """
    override = os.environ.get("CGYM_LIBRARY")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "libcgym.so"


def _load():
    path = library_path()
    if not path.is_file():
        raise ImportError(
            f"expected the cgym shared library at {path}, got no such file; reinstall the "
            "package with `pip install ./python` or set CGYM_LIBRARY to a built libcgym.so"
        )
    library = ctypes.CDLL(str(path))
    for name, restype, argtypes in _FUNCTIONS:
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    return library


lib = _load()
_libc = ctypes.CDLL(ctypes.util.find_library("c"))
_libc.free.argtypes = [c_void_p]
_libc.free.restype = None


def check(code):
    """Raise the exception that matches a C error code; return None for CGYM_OK (0)."""
    if code == 0:
        return
    message = lib.cgym_error_message().decode("utf-8", "replace")
    if not message:
        message = lib.cgym_strerror(code).decode("utf-8", "replace")
    raise error_from_code(code, message)


def encode(text):
    """Encode a Python string for a `const char *` argument."""
    return text.encode("utf-8")


def decode(value):
    """Decode a `const char *` result, mapping NULL to None."""
    return None if value is None else value.decode("utf-8", "replace")


def take_string(pointer):
    """Copy a malloc'ed C string into a Python string and free the C copy."""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", "replace")
    finally:
        _libc.free(pointer)
