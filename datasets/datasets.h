#ifndef CGYM_DATASETS_H
#define CGYM_DATASETS_H

/*
 * Benchmark suites: definitions, downloads, checksums, extraction, builds and the cache.
 *
 * A suite is either a definition file (JSON, format in docs/suite-format.md) or a built-in name:
 * "default" (real open-source C programs built from pinned release archives) or "csmith-v0"
 * (generated programs, one per seed). Preparing a suite yields one bitcode file per benchmark in
 * the cache, named by its URI (benchmark://SUITE/NAME or generator://csmith-v0/SEED) and
 * identified by the SHA-256 of its bitcode.
 */

#include <stddef.h>
#include <stdint.h>

typedef struct cgym_suite cgym_suite;

/* Opens a built-in suite by name, or a definition file when name_or_path contains a '/' or ends
 * in ".json". Unknown names give CGYM_ENOTFOUND with the list of built-in suites; a malformed
 * file gives CGYM_EFORMAT naming the file, the JSON path and the expected value. */
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
  char *name;           /* "bzip2", or the seed for generators */
  char *uri;            /* "benchmark://default/bzip2" */
  char *bitcode_path;   /* absolute path into the cache */
  char *bitcode_sha256; /* lowercase hex */
} cgym_benchmark;

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
} cgym_prepared_suite;

/*
 * Downloads (or finds in the cache or mirror), verifies, extracts and builds every benchmark.
 * Errors: CGYM_EDOWNLOAD (every source failed; the message lists each URL and its failure),
 * CGYM_ECHECKSUM (the message names the file, the expected and the actual SHA-256), CGYM_EARCHIVE
 * (names the entry and why it is rejected), CGYM_EBUILD (names the benchmark, the command and
 * the compiler's first error line), CGYM_ELIMIT. Nothing partial is ever left under a final
 * cache name.
 */
int cgym_suite_prepare(cgym_suite *suite, const cgym_prepare_options *opts,
                       cgym_prepared_suite **out);

void cgym_prepared_suite_free(cgym_prepared_suite *prepared);

/* Archives of a suite as "DEBIAN_SOURCE ORIG_FILE ARCHIVE_FILE SHA256" lines, one per archive
 * that names a Debian source package, for scripts/debian-mirror.sh. Caller frees *out. */
int cgym_suite_debian_sources(const cgym_suite *suite, char **out);

/* Names of the built-in suites, NULL-terminated. */
const char *const *cgym_builtin_suites(void);

/* Utilities shared with the manifest module. */
/* SHA-256 of a file, lowercase hex into out (65 bytes). */
int cgym_sha256_file(const char *path, char out[65]);
/* The SHA-256 of a buffer is cgym_sha256_hex in env/sha256_internal.h. */

#endif
