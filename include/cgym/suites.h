#ifndef CGYM_SUITES_H
#define CGYM_SUITES_H

/*
 * Benchmark suites: definitions, downloads, checksums, extraction, builds and the cache.
 *
 * A suite is a definition file (JSON, format in docs/suite-format.md), a folder of user files or
 * a built-in name. The built-in suites are "default" (real open-source C programs built from
 * pinned release archives), "csmith-v0" and "llvm-stress-v0" (generated programs, one per seed)
 * and CompilerGym's published suites such as "cbench-v1" (prebuilt bitcode listed by a
 * manifest). Preparing a suite yields one bitcode file per benchmark in the cache, named by its
 * URI (benchmark://SUITE/NAME, generator://SUITE/SEED or file:///FOLDER/FILE) and identified by
 * the SHA-256 of its bitcode.
 */

#include <stddef.h>
#include <stdint.h>

#include "cgym/env.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cgym_suite cgym_suite;

/* Opens a built-in suite by name, or a path when name_or_path contains a '/' or ends in ".json":
 * a folder is a user suite whose .c, .ll and .bc files are its benchmarks, anything else a
 * definition file. Unknown names give CGYM_ENOTFOUND with the list of built-in suites, and so
 * does a folder without such files. A malformed file gives CGYM_EFORMAT naming the file, the
 * JSON path and the expected value. */
int cgym_suite_open(cgym_suite **out, const char *name_or_path);

void cgym_suite_free(cgym_suite *suite);

const char *cgym_suite_name(const cgym_suite *suite);
const char *cgym_suite_version(const cgym_suite *suite);
/* Lowercase hex SHA-256 of the definition's bytes (the embedded JSON for built-in suites). */
const char *cgym_suite_definition_sha256(const cgym_suite *suite);

/* Optional action subset declared by the suite ("actions": [...]); NULL/0 when absent. The names
 * are checked against the action space when the suite is opened (CGYM_ENOTFOUND naming the
 * unknown pass, with a suggestion). */
const char *const *cgym_suite_action_subset(const cgym_suite *suite, size_t *count);

#define CGYM_PREPARE_OPTIONS_VERSION 1

typedef struct cgym_prepare_options {
  int version;             /* CGYM_PREPARE_OPTIONS_VERSION */
  const char *cache_dir;   /* NULL: $CGYM_CACHE, else $XDG_CACHE_HOME/cgym, else ~/.cache/cgym */
  const char *mirror;      /* optional: a folder holding archives by file name, or an http(s)
                              base URL; tried before the definition's URLs */
  int offline;             /* nonzero: use only the cache and the mirror */
  uint64_t generator_first;/* generator suites: first seed */
  uint64_t generator_count;/* generator suites: number of seeds; 0 selects the suite's default */
  const char *const *only; /* optional NULL-terminated list of benchmark names to prepare */
  void (*progress)(void *context, const char *message); /* optional, one line per stage */
  void *progress_context;
  long download_stall_seconds; /* a transfer slower than 1 KiB/s for this long fails; 0: 30 */
} cgym_prepare_options;

#define CGYM_PREPARE_OPTIONS_INIT {CGYM_PREPARE_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, 0}

/* One prepared benchmark. */
typedef struct cgym_benchmark {
  char *name;           /* "bzip2", the seed for generators, the file name for folders */
  char *uri;            /* "benchmark://default/bzip2" */
  char *bitcode_path;   /* absolute path into the cache */
  char *bitcode_sha256; /* lowercase hex */
  int64_t instructions_o0; /* instruction count as built (the suite's recipe, for sources -O1
                              with LLVM's passes disabled, not -O0), measured by LLVM 19; the
                              name is kept for compatibility */
  int64_t instructions_oz; /* instruction count after LLVM 19's default<Oz> */
} cgym_benchmark;

/* A benchmark left out of a prepared suite because it failed to build or LLVM 19 rejected it.
 * The reason is stored with the suite in the cache, so every run reports the same exclusions. */
typedef struct cgym_excluded_benchmark {
  char *name;
  char *uri;
  char *reason; /* the compiler's or LLVM's first error, as recorded at build time */
} cgym_excluded_benchmark;

/* One input archive with the digest it was verified against. */
typedef struct cgym_archive_record {
  char *file;   /* archive file name */
  char *sha256; /* lowercase hex, equal to the pinned value */
} cgym_archive_record;

typedef struct cgym_prepared_suite {
  cgym_benchmark *benchmarks; /* in definition order (seed order for generators) */
  size_t benchmark_count;
  cgym_archive_record *archives;
  size_t archive_count;
  char *build_recipe;   /* compiler flags and tool versions that produced the bitcode */
  cgym_excluded_benchmark *excluded; /* benchmarks left out, in definition order */
  size_t excluded_count;
  /* Lazy manifest suites ("lazy" in the definition) build only the benchmarks that
   * cgym_prepare_options.only names: the number of listed benchmarks this call did not build or
   * exclude. 0 for every other suite. */
  size_t unbuilt_count;
} cgym_prepared_suite;

/*
 * Downloads (or finds in the cache or mirror), verifies, extracts and builds every benchmark
 * (for a lazy manifest suite, only those that opts->only names; see unbuilt_count).
 * Every built module is parsed and verified by LLVM 19 once, and its as-built and -Oz instruction
 * counts are stored with it. A benchmark that fails to build or verify is not an error: it goes
 * to prepared->excluded with the reason, and later calls read the same outcome from the cache.
 * Errors: CGYM_EDOWNLOAD (every source failed; the message lists each URL and its failure),
 * CGYM_ECHECKSUM (the message names the file, the expected and the actual SHA-256; also cached
 * bitcode that changed since it was checked), CGYM_EARCHIVE (names the entry and why it is
 * rejected), CGYM_ELIMIT, CGYM_EFORMAT (a damaged benchmark record in the cache). Nothing
 * partial is ever left under a final cache name.
 */
int cgym_suite_prepare(cgym_suite *suite, const cgym_prepare_options *opts,
                       cgym_prepared_suite **out);

void cgym_prepared_suite_free(cgym_prepared_suite *prepared);

/* Archives of a suite as "DEBIAN_SOURCE ORIG_FILE ARCHIVE_FILE SHA256" lines, one per archive
 * that names a Debian source package, for scripts/debian-mirror.sh. Caller frees *out. */
int cgym_suite_debian_sources(const cgym_suite *suite, char **out);

/* One problem found by cgym_cache_verify. */
typedef struct cgym_verify_finding {
  char *kind;     /* "archive", "tree", "file" (of an extracted tree) or "bitcode" */
  char *path;     /* the cache entry */
  char *expected; /* the recorded SHA-256 (or symlink target); NULL when none was recorded */
  char *actual;   /* the SHA-256 now; NULL when the entry is missing or unreadable */
  char *problem;  /* "content changed", "missing", "not in the file list", ... */
} cgym_verify_finding;

typedef struct cgym_verify_report {
  cgym_verify_finding *findings;
  size_t finding_count;
  size_t finding_capacity;
  size_t archives_checked;
  size_t files_checked;   /* files of extracted trees */
  size_t bitcode_checked;
} cgym_verify_report;

/*
 * Re-hashes the cache: every archive against the digest in its name, every file of every
 * extracted tree against the file list written at extraction, and every bitcode file against
 * its build-time record. suite, when not NULL, limits the check to its archives and bitcode.
 * Findings are not errors: *out lists them and the caller decides. The cache lock is held while
 * checking. Errors: CGYM_EIO, CGYM_ENOMEM, CGYM_EINVAL. Free *out with cgym_verify_report_free.
 */
int cgym_cache_verify(const char *cache_dir, const cgym_suite *suite, cgym_verify_report **out);

void cgym_verify_report_free(cgym_verify_report *report);

/* Removes the suite's bitcode folder and its archives and extracted trees from the cache, under
 * the cache lock, and stores the number of removed entries in *removed. Another suite that uses
 * the same archive fetches it again. */
int cgym_cache_remove_suite(const char *cache_dir, const cgym_suite *suite, size_t *removed);

/* Definition details for `cgym suites info`. */
const char *cgym_suite_description(const cgym_suite *suite); /* "" when absent */
const char *cgym_suite_license(const cgym_suite *suite);     /* "" when absent */
const char *cgym_suite_origin(const cgym_suite *suite);      /* file path or "built-in suite N" */
/* The definition's "deprecated" note (what to use instead), or NULL for a current suite.
 * `cgym suites list` hides deprecated suites unless given --all; they still open and build. */
const char *cgym_suite_deprecated(const cgym_suite *suite);
/* "source", "generator", "manifest" or "folder". */
const char *cgym_suite_kind(const cgym_suite *suite);
/* Benchmarks of a source or folder suite, seeds of a generator suite (its default count), or the
 * benchmarks that a manifest suite's definition states its manifest lists. */
size_t cgym_suite_benchmark_count(const cgym_suite *suite);
/* Name of benchmark index of a source or folder suite; NULL out of range and for generator and
 * manifest suites, whose names come from the seed range or the downloaded manifest. */
const char *cgym_suite_benchmark_name(const cgym_suite *suite, size_t index);
size_t cgym_suite_archive_count(const cgym_suite *suite);
/* File name, pinned SHA-256 and URLs of archive index; NULL out of range. */
const char *cgym_suite_archive_file(const cgym_suite *suite, size_t index);
const char *cgym_suite_archive_sha256(const cgym_suite *suite, size_t index);
const char *const *cgym_suite_archive_urls(const cgym_suite *suite, size_t index, size_t *count);

/* Names of the built-in suites, NULL-terminated: the current ones, then the deprecated ones
 * (cgym_suite_deprecated), each group in byte order. */
const char *const *cgym_builtin_suites(void);

/* ---- running a benchmark's program ------------------------------------------------------ */

/* Nonzero when benchmark index of a source suite has a run spec ("run" in the definition): a
 * command, inputs and the expected exit status, stdout and output files. */
int cgym_suite_benchmark_has_run(const cgym_suite *suite, size_t index);

/* The outcome of one program run, checked in this order: the build, the timeout, a signal, the
 * exit status, stdout, then each output file in definition order. The first difference wins. */
typedef enum cgym_program_status {
  CGYM_PROGRAM_OK = 0,                /* exit status, stdout and every output file match */
  CGYM_PROGRAM_WRONG_OUTPUT = 1,      /* stdout or an output file differs or is missing */
  CGYM_PROGRAM_WRONG_EXIT_STATUS = 2, /* the program exited with another status */
  CGYM_PROGRAM_TIMED_OUT = 3,         /* killed with its process group at the spec's timeout */
  CGYM_PROGRAM_CRASHED = 4,           /* ended by a signal */
  CGYM_PROGRAM_BUILD_FAILED = 5,      /* no executable: clang failed, or the suite excluded the
                                         benchmark */
} cgym_program_status;

/* "ok", "wrong_output", "wrong_exit_status", "timed_out", "crashed" or "build_failed". */
const char *cgym_program_status_name(cgym_program_status status);

/* What one run of a benchmark's program did. Strings are malloc'ed and owned by the result;
 * free them with cgym_program_result_clear. */
typedef struct cgym_program_result {
  cgym_program_status status;
  char *benchmark;        /* the benchmark's name */
  char *bitcode_path;     /* the bitcode that was compiled */
  char *bitcode_sha256;   /* its SHA-256, lowercase hex; NULL when it could not be read */
  char *stream;           /* WRONG_OUTPUT: "stdout" or the output file's path; else NULL */
  char *expected_sha256;  /* WRONG_OUTPUT: the digest in the run spec */
  char *actual_sha256;    /* WRONG_OUTPUT: the digest found; NULL when the file is missing or
                             larger than the output maximum */
  uint64_t expected_size; /* WRONG_OUTPUT: bytes, from the run spec */
  uint64_t actual_size;   /* WRONG_OUTPUT: bytes written */
  int expected_exit_status;
  int exit_status;     /* -1 when the program did not exit by itself */
  int signal;          /* CRASHED: the signal number */
  int timeout_seconds; /* the spec's timeout */
  double seconds;      /* wall time of the program's run, 0 when it did not start */
  char *detail;        /* BUILD_FAILED: clang's first error line or the exclusion reason;
                          otherwise the first line of stderr, or NULL when it was empty */
} cgym_program_result;

void cgym_program_result_clear(cgym_program_result *result);

#define CGYM_PROGRAM_OPTIONS_VERSION 1

typedef struct cgym_program_options {
  int version;          /* CGYM_PROGRAM_OPTIONS_VERSION */
  const char *bitcode;  /* NULL: the module that cgym_suite_prepare builds for the benchmark;
                           else any bitcode file, for example an optimized module */
  const char *work_dir; /* folder for the temporary build and run folder; NULL: $TMPDIR, else
                           /tmp. The temporary folder is removed before the call returns. */
  const cgym_prepare_options *prepare; /* cache, mirror and offline for the module and the
                                          archives that inputs come from; NULL: defaults */
} cgym_program_options;

#define CGYM_PROGRAM_OPTIONS_INIT {CGYM_PROGRAM_OPTIONS_VERSION, NULL, NULL, NULL}

/*
 * Compiles the benchmark's bitcode to an executable with LLVM 19's clang (-O0, linked with the
 * run spec's libraries), copies the spec's inputs into a fresh temporary folder and runs the
 * program there with a fixed environment (PATH=/usr/bin:/bin, LC_ALL=C, TZ=UTC and the spec's
 * additions), then compares its exit status, stdout and output files with the spec.
 * out->status reports a program that misbehaves; the return value reports what kept the run
 * from happening. Errors: CGYM_ENOTFOUND (no such benchmark, no run spec, an input file missing
 * from its archive, a bitcode file that does not exist), CGYM_EINVAL, the errors of
 * cgym_suite_prepare (fetching the module or an input archive), CGYM_EIO.
 */
int cgym_suite_run_program(cgym_suite *suite, const char *benchmark,
                           const cgym_program_options *opts, cgym_program_result *out);

/*
 * Resolves a benchmark argument to the URI that records name and the bitcode file to load,
 * fetching the benchmark into the cache (cgym_suite_prepare with opts, which may be NULL) when
 * needed. Accepted forms:
 *   file:///PATH                 the file; the URI is kept as given
 *   PATH                         an existing file; the URI is file:// and the absolute path
 *   file:///PATH.c, PATH.c       a C file, built by the folder suite of its folder (as the
 *                                benchmarks of a folder suite are), so states recorded on it
 *                                replay
 *   benchmark://SUITE/NAME       one benchmark of a source, manifest or folder suite
 *   generator://SUITE/SEED       the program a generator suite makes for SEED
 *   SUITE/NAME                   either of the two above, by the suite's kind
 *   SUITE, benchmark://SUITE     the benchmark that seed picks: uniformly among the suite's built
 *                                benchmarks, by a generator seeded from SHA-256 of the seed and
 *                                the suite name, so a seed always picks the same benchmark
 *   generator://SUITE            the program for seed `seed`
 *   FOLDER, FILE.json            a user suite (a folder of modules or C files, or a definition
 *                                file): the benchmark that seed picks, as for SUITE
 * seed matters only for the last two forms. *uri and *path are malloc'ed; the caller frees them.
 * Errors: CGYM_EINVAL for a malformed argument or a scheme that does not fit the suite's kind,
 * CGYM_ENOTFOUND for a missing file, an unknown suite (with a suggestion) or benchmark, or a
 * benchmark the suite excludes (with the reason), and any error of cgym_suite_prepare.
 */
int cgym_benchmark_resolve(const char *benchmark, uint64_t seed,
                           const cgym_prepare_options *opts, char **uri, char **path);

/* Resolves benchmark as cgym_benchmark_resolve does and resets env to it (cgym_env_reset).
 * Errors: those two functions'. On failure the env keeps its episode. */
int cgym_env_reset_benchmark(cgym_env *env, const char *benchmark, uint64_t seed,
                             const cgym_prepare_options *opts);

#ifdef __cplusplus
}
#endif

#endif
