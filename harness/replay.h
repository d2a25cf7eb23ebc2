#ifndef CGYM_HARNESS_REPLAY_H
#define CGYM_HARNESS_REPLAY_H

/*
 * Replay of a manifest: every episode that ended "ok" is re-run through the env core in an
 * isolated worker, stepping its recorded pipelines from a fresh reset, and its counts and final
 * bitcode digest are compared exactly with the record.
 */

#include <stddef.h>

#include "datasets/datasets.h"
#include "harness/predicate.h"
#include "harness/worker.h"

typedef struct cgym_replay_options {
  const char *suite;              /* suite name or definition file; NULL: the predicate's source */
  cgym_prepare_options prepare;   /* cache, mirror, offline; the selection comes from the
                                     predicate */
  cgym_worker_limits limits;
} cgym_replay_options;

typedef struct cgym_replay_report {
  size_t replayed;       /* episodes re-run */
  size_t skipped;        /* episodes not "ok" in the record, which have no final state to match */
  size_t differing;      /* episodes whose replay differs from the record */
  char **lines;          /* one line per difference or note, malloc'ed */
  size_t line_count;
} cgym_replay_report;

/*
 * Prepares the predicate's suite, checks its definition digest and every benchmark's SHA-256
 * against the predicate, replays every "ok" episode and fills report. Returns CGYM_OK when the
 * replay ran, whatever it found: report->differing says whether it matched. Errors: CGYM_ECHECKSUM
 * when the suite definition differs from the recorded one, the errors of cgym_suite_open and
 * cgym_suite_prepare, CGYM_ENOMEM.
 */
int cgym_replay_manifest(const cgym_run_manifest *manifest, const cgym_replay_options *options,
                         cgym_replay_report *report);

void cgym_replay_report_clear(cgym_replay_report *report);

#endif
