"""Benchmark suites: the built-in names, their benchmarks, and fetching them into the cache.

Fetching a suite downloads (or finds in the cache or a mirror), verifies and builds its
benchmarks, giving one bitcode file per benchmark in the cache. The built-in suite "csmith-v0"
generates its programs locally with csmith and needs no download.
"""

import ctypes
import os
from dataclasses import dataclass

from cgym import _capi
from cgym._capi import lib
from cgym.errors import InvalidArgumentError


@dataclass(frozen=True)
class Benchmark:
    """One prepared benchmark: a bitcode file in the cache.

    Attributes:
        name: the benchmark's name in its suite ("bzip2"), or the seed of a generated program.
        uri: "benchmark://SUITE/NAME" or "generator://SUITE/SEED".
        path: absolute path of the bitcode file.
        sha256: lowercase hex SHA-256 of the bitcode.
        instructions_o0: IR instruction count as built.
        instructions_oz: IR instruction count after LLVM 19's default<Oz>.
    """

    name: str
    uri: str
    path: str
    sha256: str
    instructions_o0: int
    instructions_oz: int


@dataclass(frozen=True)
class ExcludedBenchmark:
    """A benchmark that failed to build or that LLVM 19 rejected, with the first error."""

    name: str
    uri: str
    reason: str


def builtin_suites(include_deprecated=False):
    """Return the names of the built-in suites.

    Args:
        include_deprecated: also list the deprecated suites (old CompilerGym names such as
            cBench-v1), which still open and build but are hidden by default, as
            `cgym suites list` hides them without --all.

    Example:
        >>> "csmith-v0" in builtin_suites(), "cBench-v0" in builtin_suites()
        (True, False)
        >>> "cBench-v0" in builtin_suites(include_deprecated=True)
        True
    """
    names = lib.cgym_builtin_suites()
    result = []
    i = 0
    while names[i] is not None:
        name = names[i].decode()
        i += 1
        with Suite(name) as suite:
            current = suite.deprecated is None
        if include_deprecated or current:
            result.append(name)
    return result


class Suite:
    """A benchmark suite opened by built-in name or by the path of a definition file.

    Args:
        name_or_path: "default", "csmith-v0", or a path to a JSON definition (a name that
            contains "/" or ends in ".json").

    Raises:
        NotFoundError: for an unknown name; the message lists the built-in suites.
        FormatError: for a malformed definition file.

    Example:
        >>> with Suite("csmith-v0") as suite:
        ...     suite.name, suite.kind
        ('csmith-v0', 'generator')
    """

    def __init__(self, name_or_path):
        self._handle = None
        if not isinstance(name_or_path, (str, os.PathLike)):
            raise InvalidArgumentError(
                f"expected a suite name or path, got {type(name_or_path).__name__}"
            )
        handle = ctypes.c_void_p()
        _capi.check(lib.cgym_suite_open(ctypes.byref(handle),
                                        _capi.encode(os.fspath(name_or_path))))
        self._handle = handle

    def close(self):
        """Free the suite. Closing twice is allowed."""
        if self._handle:
            lib.cgym_suite_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        self.close()

    def _text(self, function):
        return _capi.decode(function(self._live()))

    def _live(self):
        if not self._handle:
            raise InvalidArgumentError("expected an open suite, got one that was closed")
        return self._handle

    @property
    def name(self):
        """The suite's name."""
        return self._text(lib.cgym_suite_name)

    @property
    def version(self):
        """The suite's version string."""
        return self._text(lib.cgym_suite_version)

    @property
    def deprecated(self):
        """What to use instead, for a deprecated suite; None for a current one."""
        return _capi.decode(lib.cgym_suite_deprecated(self._live()))

    @property
    def kind(self):
        """"source" for suites built from archives, "generator" for generated programs."""
        return self._text(lib.cgym_suite_kind)

    @property
    def description(self):
        """The definition's description, or ""."""
        return self._text(lib.cgym_suite_description)

    @property
    def license(self):
        """The definition's license field, or ""."""
        return self._text(lib.cgym_suite_license)

    @property
    def benchmark_names(self):
        """Names of a source suite's benchmarks in definition order; [] for a generator."""
        handle = self._live()
        names = []
        for i in range(lib.cgym_suite_benchmark_count(handle)):
            name = lib.cgym_suite_benchmark_name(handle, i)
            if name is not None:
                names.append(name.decode())
        return names

    def fetch(self, cache_dir=None, mirror=None, offline=False, first_seed=0, seed_count=0,
              only=None):
        """Download, verify and build the suite's benchmarks into the cache.

        Benchmarks in the cache are reused, so a second call reads the outcome of the first.

        Args:
            cache_dir: cache folder; None selects $CGYM_CACHE, else $XDG_CACHE_HOME/cgym,
                else ~/.cache/cgym.
            mirror: a folder holding archives by file name, or an http(s) base URL, tried
                before the definition's URLs.
            offline: True to use only the cache and the mirror.
            first_seed: first seed of a generator suite.
            seed_count: number of seeds of a generator suite; 0 selects the suite's default.
            only: names of the benchmarks to prepare, or None for all.

        Returns:
            A :class:`FetchResult` with the benchmarks and those that were excluded.

        Example:
            >>> import tempfile
            >>> with Suite("csmith-v0") as suite, tempfile.TemporaryDirectory() as cache:
            ...     result = suite.fetch(cache_dir=cache, first_seed=3, seed_count=1)
            ...     [benchmark.uri for benchmark in result.benchmarks]
            ['generator://csmith-v0/3']
        """
        handle = self._live()
        keep = []  # Python objects that C reads through pointers during the call.

        options = _capi.PrepareOptions(version=_capi.PREPARE_OPTIONS_VERSION)
        if cache_dir is not None:
            options.cache_dir = _capi.encode(os.fspath(cache_dir))
        if mirror is not None:
            options.mirror = _capi.encode(os.fspath(mirror))
        options.offline = 1 if offline else 0
        options.generator_first = _non_negative(first_seed, "first_seed")
        options.generator_count = _non_negative(seed_count, "seed_count")
        if only is not None:
            names = (ctypes.c_char_p * (len(only) + 1))(*[_capi.encode(n) for n in only], None)
            keep.append(names)
            options.only = ctypes.cast(names, ctypes.POINTER(ctypes.c_char_p))

        prepared = ctypes.POINTER(_capi.PreparedSuite)()
        _capi.check(lib.cgym_suite_prepare(handle, ctypes.byref(options), ctypes.byref(prepared)))
        try:
            return _copy_prepared(prepared.contents)
        finally:
            lib.cgym_prepared_suite_free(prepared)


@dataclass(frozen=True)
class FetchResult:
    """The outcome of :meth:`Suite.fetch`.

    Attributes:
        benchmarks: prepared benchmarks in definition order (seed order for generators).
        excluded: benchmarks left out, with the reason recorded at build time.
        build_recipe: compiler flags and tool versions that produced the bitcode.
    """

    benchmarks: tuple
    excluded: tuple
    build_recipe: str


def _non_negative(value, name):
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidArgumentError(f"expected {name} to be an int >= 0, got {value!r}")
    return value


def _copy_prepared(prepared):
    benchmarks = tuple(
        Benchmark(
            name=b.name.decode(),
            uri=b.uri.decode(),
            path=b.bitcode_path.decode(),
            sha256=b.bitcode_sha256.decode(),
            instructions_o0=b.instructions_o0,
            instructions_oz=b.instructions_oz,
        )
        for b in prepared.benchmarks[: prepared.benchmark_count]
    )
    excluded = tuple(
        ExcludedBenchmark(name=e.name.decode(), uri=e.uri.decode(), reason=e.reason.decode())
        for e in prepared.excluded[: prepared.excluded_count]
    )
    return FetchResult(benchmarks, excluded, _capi.decode(prepared.build_recipe) or "")


def fetch(name_or_path, **options):
    """Open a suite, fetch it with :meth:`Suite.fetch` and close it.

    Args:
        name_or_path: a built-in suite name or a definition file's path.
        **options: keyword arguments of :meth:`Suite.fetch`.

    Returns:
        A :class:`FetchResult`.
    """
    with Suite(name_or_path) as suite:
        return suite.fetch(**options)
