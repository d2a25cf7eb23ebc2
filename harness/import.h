#ifndef CGYM_HARNESS_IMPORT_H
#define CGYM_HARNESS_IMPORT_H

/*
 * Import of CompilerGym results from its state CSVs, the form its leaderboard publishes. Each
 * row's benchmark URI names a suite, which must be a cgym suite. The row's legacy flags are
 * mapped to the pass action space, and the state is replayed on LLVM 19 in an isolated worker.
 * Every row's published IrInstructionCountOz reward is then set beside the reward that the same
 * flags give on LLVM 19. docs/import.md describes the command and its files.
 */

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "cgym/state.h"
#include "datasets/datasets.h"
#include "harness/worker.h"

/* Name of the agent that the import's episodes are recorded under. */
#define CGYM_IMPORT_AGENT "compilergym-import"
/* File names of the comparison over every row, written into the output folder. */
#define CGYM_IMPORT_COMPARISON_JSON "comparison.json"
#define CGYM_IMPORT_COMPARISON_MARKDOWN "comparison.md"

typedef enum cgym_import_status {
  CGYM_IMPORT_NOT_AVAILABLE = 0, /* cgym cannot build the row's benchmark here */
  CGYM_IMPORT_REPLAYED,          /* every flag mapped and the replay finished */
  CGYM_IMPORT_PARTIAL,           /* replayed without the flags that have no LLVM 19 action */
  CGYM_IMPORT_REPLAY_FAILED,     /* the worker crashed, failed or timed out */
} cgym_import_status;

/* Returns "not_available", "replayed", "partial" or "replay_failed". */
const char *cgym_import_status_name(cgym_import_status status);

/* One CSV read by the import. */
typedef struct cgym_import_source {
  const char *path;         /* as given on the command line; "-" is stdin */
  char sha256[65];          /* lowercase hex SHA-256 of the bytes read */
  cgym_csv_row *rows;       /* owned; freed with cgym_csv_rows_free */
  size_t row_count;
} cgym_import_source;

/* One imported row and what its replay gave. */
typedef struct cgym_import_row {
  const cgym_import_source *source;
  const cgym_csv_row *csv;  /* borrowed from source->rows */
  size_t number;            /* 1-based index among the source's data rows */
  char *scheme;             /* "benchmark" or "generator"; NULL for a malformed URI */
  char *suite;              /* suite name from the URI; NULL for a malformed URI */
  char *name;               /* benchmark name, or the seed of a generator URI */
  cgym_import_status status;
  char *reason;             /* why the row is not available or the replay failed; else NULL */
  char *folder;             /* output subfolder of the row's suite once replayed; else NULL */
  size_t episode_index;     /* index of the row's episode in that folder's results */
  int64_t c0, c_oz, c_final;/* LLVM 19 counts; -1 when unknown */
} cgym_import_row;

/* Everything the import reads and produces. */
typedef struct cgym_import {
  cgym_import_source *sources;
  size_t source_count;
  cgym_import_row *rows;
  size_t row_count;
} cgym_import;

typedef struct cgym_import_options {
  const char *out_dir;
  const char *signing_key;      /* optional private key: sign one manifest per suite */
  cgym_prepare_options prepare; /* cache, mirror, offline; the selection is the import's */
  cgym_worker_limits limits;
  void (*progress)(void *context, const char *message); /* optional, one line per event */
  void *progress_context;
} cgym_import_options;

/* Adds the rows of every source to import->rows and splits each benchmark URI into its suite
 * and name. Errors: CGYM_ENOMEM. */
int cgym_import_collect_rows(cgym_import *import);

/*
 * Replays the rows of one suite (those whose suite field equals suite_name) and writes the
 * suite's results.json, results.md and, with a signing key, manifest.dsse.json into
 * OUT/SUITE. Rows that cannot be replayed get CGYM_IMPORT_NOT_AVAILABLE with the reason, which
 * is not an error. Errors: CGYM_EIO or CGYM_ENOMEM writing the outputs, the errors of loading
 * the key and signing, and a failure of the worker supervisor.
 */
int cgym_import_suite(cgym_import *import, const char *suite_name,
                      const cgym_import_options *options);

/* Returns the LLVM 19 reward (C0 - C_final) / max(C0 - C_Oz, 1) of a replayed row. */
double cgym_import_llvm_reward(const cgym_import_row *row);

/* Builds the JSON of the rows whose folder equals folder, or of every row when folder is NULL,
 * with their published and LLVM 19 rewards and the geometric means (a new reference). */
json_t *cgym_import_rows_json(const cgym_import *import, const char *folder);

/* Builds the "sources" array: path, sha256 and row count of every CSV (a new reference). */
json_t *cgym_import_sources_json(const cgym_import *import);

/* Writes comparison.json and comparison.md over every row into out_dir, each through a
 * temporary file and a rename. Errors: CGYM_EIO naming the file, CGYM_ENOMEM. */
int cgym_import_write_comparison(const cgym_import *import, const char *out_dir);

/* Renders the comparison as Markdown into a malloc'ed string. Errors: CGYM_ENOMEM. */
int cgym_import_format_markdown(const cgym_import *import, char **out);

void cgym_import_free(cgym_import *import);

#endif
