#ifndef CGYM_DATASETS_SUITE_INTERNAL_H
#define CGYM_DATASETS_SUITE_INTERNAL_H

/*
 * The in-memory form of a suite definition, shared by the parser, the fetcher and the builder.
 * The parser copies every value out of the JSON document, so a cgym_suite owns plain C strings.
 */

#include <stddef.h>
#include <stdint.h>

#include "datasets/datasets.h"

/* Named maximums for every size read from a definition file. They are far above what the
 * built-in suites need (the default suite has 8 benchmarks of at most 12 sources). */
#define CGYM_SUITE_MAX_DEFINITION_BYTES (1024 * 1024)
#define CGYM_SUITE_MAX_BENCHMARKS 4096
#define CGYM_SUITE_MAX_ARCHIVES 1024
#define CGYM_SUITE_MAX_LIST 4096     /* items in one sources, defines, include_dirs or cflags */
#define CGYM_SUITE_MAX_URLS 16
#define CGYM_SUITE_MAX_STRING 1024   /* any one string: names, paths, URLs, flags */
#define CGYM_SUITE_MAX_NAME 128      /* suite, benchmark and archive names */
#define CGYM_SUITE_MAX_ACTIONS 1024
#define CGYM_GENERATOR_MAX_COUNT 1000000
#define CGYM_GENERATOR_MAX_SEED UINT32_MAX
/* llvm-stress seeds run from 0 to 2^32 - 2, the range CompilerGym's llvm-stress-v0 uses. */
#define CGYM_LLVM_STRESS_MAX_SEED (UINT32_MAX - 1u)
/* Manifest suites: benchmarks listed by one manifest, and the manifest's size once decompressed.
 * anghabench-v1, the largest registered one, lists 1,041,333 benchmarks; at an estimated 80
 * bytes per line that is about 80 MiB. */
#define CGYM_MANIFEST_MAX_BENCHMARKS 2000000
#define CGYM_MANIFEST_MAX_BYTES (256 * 1024 * 1024)

/* Run specs (a benchmark's "run" object). Inline inputs are meant for a short script or a few
 * lines of text; anything larger belongs in the archive. */
#define CGYM_RUN_MAX_INPUTS 64
#define CGYM_RUN_MAX_OUTPUTS 64
#define CGYM_RUN_MAX_ARGS 256
#define CGYM_RUN_MAX_LIBS 16
#define CGYM_RUN_MAX_ENV 32
#define CGYM_RUN_MAX_TEXT_BYTES 4096
#define CGYM_RUN_MAX_TIMEOUT_SECONDS 3600
#define CGYM_RUN_DEFAULT_TIMEOUT_SECONDS 30
/* The captured stdout and any expected output file; a program that writes more has the wrong
 * output. */
#define CGYM_RUN_MAX_OUTPUT_BYTES (64 * 1024 * 1024)

#define CGYM_SUITE_SCHEMA "cgym-suite/v1"

/* How a manifest suite turns the file of one line into bitcode ("manifest.build"). */
typedef enum cgym_manifest_build {
  CGYM_MANIFEST_COPY,    /* prebuilt bitcode, copied */
  CGYM_MANIFEST_COMPILE, /* a source file, compiled with the suite's recipe */
  CGYM_MANIFEST_POJ104,  /* a POJ-104 C++ program, rewritten (poj104.h), then compiled */
  CGYM_MANIFEST_OPENCL,  /* an OpenCL kernel, compiled against libclc and an -include header */
} cgym_manifest_build;

/* A list of strings, each owned by the list. */
typedef struct cgym_string_list {
  char **items;
  size_t count;
} cgym_string_list;

typedef struct cgym_suite_archive {
  char *id;
  char *file;          /* a plain file name, no '/' */
  cgym_string_list urls;
  char sha256[65];
  uint64_t size;       /* 0 when the definition gives no size */
  char *debian_source; /* NULL when the archive names no Debian source package */
  char *debian_orig;
  uint64_t max_entries; /* extraction limits ("limits"), 0 for the defaults of extract.h */
  uint64_t max_bytes;
  uint64_t max_download; /* download limit ("limits.download"), 0 for the default of fetch.h */
} cgym_suite_archive;

/* One file placed in the run folder before the program starts: a copy of a file of an
 * extracted archive (from), or inline text. */
typedef struct cgym_run_input {
  char *path;     /* relative path inside the run folder */
  size_t archive; /* index into cgym_suite.archives; used with from */
  char *from;     /* relative path from the top of that archive's tree, or NULL */
  char *text;     /* inline content, or NULL */
} cgym_run_input;

/* An expected file or stream: SHA-256 and size in bytes. */
typedef struct cgym_run_digest {
  char *path; /* output files: relative path inside the run folder; NULL for stdout */
  char sha256[65];
  uint64_t size;
} cgym_run_digest;

/* How to run a benchmark's program and what it must produce (docs/suite-format.md). */
typedef struct cgym_run_spec {
  cgym_string_list args; /* after argv[0]; "{input:PATH}" names an input */
  cgym_run_input *inputs;
  size_t input_count;
  char *stdin_path; /* an input's path, or NULL for /dev/null */
  uint64_t exit_status;
  cgym_run_digest stdout_digest;
  cgym_run_digest *outputs;
  size_t output_count;
  uint64_t timeout_seconds;
  cgym_string_list libs; /* linked as -lNAME */
  cgym_string_list env;  /* NAME=VALUE, added to the fixed environment */
} cgym_run_spec;

typedef struct cgym_suite_benchmark {
  char *name;
  size_t archive;      /* index into cgym_suite.archives */
  char *root;          /* folder inside the archive, "" for the archive's top */
  cgym_string_list sources;
  cgym_string_list defines;
  cgym_string_list include_dirs;
  cgym_string_list cflags;
  char *license;
  char sha256[65];     /* folder suites: SHA-256 of the file when the suite was opened */
  cgym_run_spec *run;  /* NULL when the definition gives no run spec */
} cgym_suite_benchmark;

struct cgym_suite {
  char *origin;        /* the file path, or "built-in suite NAME" */
  char *name;
  char *version;
  char *description;
  char *license;
  char definition_sha256[65];
  int is_builtin;   /* opened by name from the table compiled into the library */
  char *deprecated; /* what to use instead; NULL for a current suite */
  int has_cflags;
  cgym_string_list cflags;
  cgym_string_list actions;
  cgym_suite_archive *archives;
  size_t archive_count;
  cgym_suite_benchmark *benchmarks;
  size_t benchmark_count;

  int is_generator;
  char *generator_tool; /* "csmith" or "llvm-stress" */
  uint64_t first_seed;
  uint64_t seed_count;

  /* Manifest suites ("manifest" in the definition): an archive of prebuilt bitcode or sources
   * and a bz2 manifest that lists one benchmark per line, both entries of archives. */
  int is_manifest;
  size_t manifest_archive; /* index of the archive that contains the benchmarks */
  size_t manifest_list;    /* index of the archive that is the bz2 manifest */
  char *manifest_root;     /* folder inside the archive, "" for its top */
  char *manifest_suffix;   /* appended to each manifest line: ".bc", ".c", ".txt", ".cl", ... */
  uint64_t manifest_count; /* lines the manifest must have; 0 when the definition states none */
  cgym_manifest_build manifest_build;
  int manifest_lazy;      /* build only the benchmarks a prepare names (opts->only) */
  size_t manifest_libclc; /* build "opencl": archive of the libclc headers, extracted */
  size_t manifest_header; /* build "opencl": archive that is the header passed to -include */

  /* Folder suites: every .c, .ll and .bc file directly inside folder is one benchmark. */
  int is_folder;
  char *folder;            /* absolute path, without a trailing '/' */
};

/* One embedded definition; the table ends with a NULL name. */
typedef struct cgym_builtin_suite {
  const char *name;
  const unsigned char *bytes;
  size_t size;
} cgym_builtin_suite;

extern const cgym_builtin_suite cgym_builtin_suite_table[];
/* The names of that table in the same order, NULL-terminated. */
extern const char *const cgym_builtin_suite_names[];

/* Parses and validates a definition held in memory. origin names it in error messages. */
int cgym_suite_parse(cgym_suite **out, const char *origin, const char *bytes, size_t size);

/* Opens the folder at path as a user suite (folder_suite.c). */
int cgym_folder_suite_open(cgym_suite **out, const char *path);

/* Returns 'c', 'l' or 'b' for a file name ending in .c, .ll or .bc, else 0. */
int cgym_folder_file_kind(const char *name);

/* Returns NULL when value is a relative path without '..', '.', empty components or control
 * characters, else what was expected. */
const char *cgym_suite_check_relative_path(const char *value);

/* Returns the SUITE argument that names suite on the command line: its built-in name, or the
 * definition file or folder it was opened from. */
const char *cgym_suite_command_argument(const cgym_suite *suite);

/* The validators of names and digests, exported for the run spec parser: NULL when value is
 * acceptable, else what was expected. */
const char *cgym_suite_check_name(const char *value);
const char *cgym_suite_check_sha256(const char *value);

/* Stores in *index the position of the archive whose id is id; returns 0 when there is none. */
int cgym_suite_find_archive(const cgym_suite *suite, const char *id, size_t *index);

/* Releases a run spec and everything it owns; accepts NULL. */
void cgym_run_spec_free(cgym_run_spec *spec);

/* Releases every field of a list and leaves it empty. */
void cgym_string_list_clear(cgym_string_list *list);

#endif
