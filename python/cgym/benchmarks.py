"""Resolution of the benchmark argument of reset() to a URI and a bitcode file.

Accepted forms: a :class:`cgym.suites.Benchmark`; "generator://SUITE/SEED";
"benchmark://SUITE/NAME"; "SUITE/NAME" (the scheme follows the suite's kind); "file:///PATH";
and the path of an existing bitcode or textual IR file.
"""

import os
from pathlib import Path

from cgym.errors import InvalidArgumentError, NotFoundError
from cgym.suites import Benchmark, Suite

# The benchmark of an env that was given none: csmith's program for seed 1, generated
# and built locally, so a new env needs no download.
DEFAULT_BENCHMARK = "generator://csmith-v0/1"

# Bitcode paths of benchmarks fetched in this process, keyed by (uri, cache_dir, mirror), so
# that every reset of an episode does not ask the suite cache again.
_fetched = {}


def resolve(benchmark, cache_dir=None, mirror=None):
    """Return (uri, path) for a benchmark argument, fetching it into the cache when needed.

    Raises:
        InvalidArgumentError: for an argument of another type.
        NotFoundError: for a string that is no URI and no existing file.
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

    if benchmark.startswith("file://"):
        return benchmark, benchmark[len("file://"):]
    if "://" not in benchmark and Path(benchmark).is_file():
        path = str(Path(benchmark).resolve())
        return "file://" + path, path
    if benchmark.startswith(("generator://", "benchmark://")):
        return benchmark, _fetch(benchmark, cache_dir, mirror)
    if "://" not in benchmark and benchmark.count("/") == 1:
        return _fetch_short(benchmark, cache_dir, mirror)
    raise NotFoundError(
        "expected a benchmark URI (generator://csmith-v0/SEED, benchmark://SUITE/NAME, "
        f"file:///PATH) or the path of an existing file, got {benchmark!r}"
    )


def _fetch_short(benchmark, cache_dir, mirror):
    suite_name, _, name = benchmark.partition("/")
    with Suite(suite_name) as suite:
        scheme = "generator" if suite.kind == "generator" else "benchmark"
    uri = f"{scheme}://{benchmark}"
    return uri, _fetch(uri, cache_dir, mirror)


def _fetch(uri, cache_dir, mirror):
    key = (uri, cache_dir, mirror)
    path = _fetched.get(key)
    if path is not None and Path(path).is_file():
        return path

    scheme, _, rest = uri.partition("://")
    suite_name, _, name = rest.partition("/")
    if not suite_name or not name:
        raise InvalidArgumentError(f"expected {scheme}://SUITE/NAME, got {uri!r}")
    with Suite(suite_name) as suite:
        if suite.kind == "generator":
            if not name.isdigit():
                raise InvalidArgumentError(f"expected a seed (a non-negative int) after "
                                           f"{scheme}://{suite_name}/, got {name!r}")
            result = suite.fetch(cache_dir=cache_dir, mirror=mirror, first_seed=int(name),
                                 seed_count=1)
        else:
            result = suite.fetch(cache_dir=cache_dir, mirror=mirror, only=[name])

    for prepared in result.benchmarks:
        if prepared.name == name:
            _fetched[key] = prepared.path
            return prepared.path
    for excluded in result.excluded:
        if excluded.name == name:
            raise NotFoundError(f"expected a benchmark that builds, got {uri!r}, which suite "
                                f"{suite_name} excludes: {excluded.reason}")
    raise NotFoundError(f"expected a benchmark of suite {suite_name}, got {uri!r}")
