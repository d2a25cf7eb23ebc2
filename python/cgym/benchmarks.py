"""Resolution of the benchmark argument of reset() to a URI and a bitcode file.

Accepted forms: a :class:`cgym.suites.Benchmark`; "generator://SUITE/SEED";
"benchmark://SUITE/NAME"; "SUITE/NAME" (the scheme follows the suite's kind); "file:///PATH";
the path of an existing bitcode or textual IR file; and a suite (a name, a folder or a definition
file) of which a seed picks one benchmark. The C core resolves strings, so the CLI, the C API and
Python accept the same forms.
"""

import ctypes
import os
from pathlib import Path

from cgym import _capi
from cgym._capi import lib
from cgym.errors import InvalidArgumentError
from cgym.suites import Benchmark

# The benchmark of an env that was given none: csmith's program for seed 1, generated
# and built locally, so a new env needs no download.
DEFAULT_BENCHMARK = "generator://csmith-v0/1"

# (uri, path) of benchmarks resolved in this process, keyed by (argument, cache_dir, mirror,
# seed), so that every reset of an episode does not ask the suite cache again.
_fetched = {}


def resolve(benchmark, cache_dir=None, mirror=None, seed=0):
    """Return (uri, path) for a benchmark argument, fetching it into the cache when needed.

    Strings go to the C core's resolver (cgym_benchmark_resolve), which accepts a file path,
    file://, benchmark://SUITE/NAME, generator://SUITE/SEED, SUITE/NAME, and a bare suite name,
    folder or definition file, of which seed picks one benchmark (the same one for the same
    seed).

    Raises:
        InvalidArgumentError: for an argument of another type or a malformed URI.
        NotFoundError: for a missing file, an unknown suite or benchmark, or an excluded one.
    """
    if isinstance(benchmark, Benchmark):
        return benchmark.uri, benchmark.path
    if isinstance(benchmark, os.PathLike):
        benchmark = os.fspath(benchmark)
    if not isinstance(benchmark, str):
        raise InvalidArgumentError(
            f"expected a benchmark URI, a path or a cgym.suites.Benchmark, got "
            f"{type(benchmark).__name__}"
        )
    key = (benchmark, cache_dir, mirror, seed)
    found = _fetched.get(key)
    if found is not None and Path(found[1]).is_file():
        return found

    options = _capi.PrepareOptions(version=_capi.PREPARE_OPTIONS_VERSION)
    if cache_dir is not None:
        options.cache_dir = _capi.encode(os.fspath(cache_dir))
    if mirror is not None:
        options.mirror = _capi.encode(os.fspath(mirror))
    uri = ctypes.c_void_p()
    path = ctypes.c_void_p()
    _capi.check(lib.cgym_benchmark_resolve(_capi.encode(benchmark), int(seed),
                                           ctypes.byref(options), ctypes.byref(uri),
                                           ctypes.byref(path)))
    found = (_capi.take_string(uri), _capi.take_string(path))
    _fetched[key] = found
    return found
