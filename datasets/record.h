#ifndef CGYM_DATASETS_RECORD_H
#define CGYM_DATASETS_RECORD_H

/*
 * The build-time check of one benchmark, stored next to its bitcode as NAME-KEY.json:
 *
 *   {"schema": "cgym-benchmark/v1", "uri": URI, "sha256": DIGEST,
 *    "instructions_o0": N, "instructions_oz": N}
 *   {"schema": "cgym-benchmark/v1", "uri": URI, "excluded": REASON}
 *
 * A record exists only for a benchmark that LLVM 19 parsed and verified (with its instruction
 * counts as built and after -Oz; "instructions_o0" keeps its name although the recipe is not
 * -O0) or that failed to build or verify (with the reason), so a run never meets
 * a broken benchmark halfway. The record is the cache entry: bitcode without one is checked again.
 */

#include <stdint.h>

#define CGYM_RECORD_SCHEMA "cgym-benchmark/v1"
#define CGYM_RECORD_MAX_BYTES (64 * 1024)
#define CGYM_RECORD_MAX_REASON 2048

typedef struct cgym_record {
  char sha256[65];         /* of the bitcode; empty for an excluded benchmark */
  int64_t instructions_o0; /* as built */
  int64_t instructions_oz; /* after LLVM 19's default<Oz> */
  char *excluded;          /* malloc'ed reason, NULL for a usable benchmark */
} cgym_record;

/* Returns the malloc'ed record path for a bitcode path ending in ".bc", or NULL. */
char *cgym_record_path(const char *bitcode_path);

/* Parses and verifies the bitcode with LLVM 19 and fills record. A module that LLVM rejects
 * gives CGYM_OK with record->excluded set; other failures (memory, I/O) are errors. */
int cgym_record_check(const char *uri, const char *bitcode_path, cgym_record *record);

/* Writes the record through a temporary file and a rename. */
int cgym_record_write(const char *path, const char *uri, const cgym_record *record);

/* Reads a record. Errors: CGYM_ENOTFOUND when the file is missing, CGYM_EFORMAT when it does
 * not follow the format above or names another URI. */
int cgym_record_read(const char *path, const char *uri, cgym_record *record);

void cgym_record_clear(cgym_record *record);

#endif
