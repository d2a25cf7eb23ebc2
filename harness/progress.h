#ifndef CGYM_HARNESS_PROGRESS_H
#define CGYM_HARNESS_PROGRESS_H

/*
 * Progress of a run, written to stderr only, so results never depend on it. On a terminal one
 * line is rewritten in place after each episode. Without a terminal (a CI log) plain lines are
 * written instead, one per finished episode but at most one a second, and the last episode always
 * gets one. While episodes run, a heartbeat line names the longest-running one whenever nothing
 * was written for heartbeat_seconds. Episodes that do not end ok are always reported, even when
 * quiet.
 */

#include <stdio.h>

#include "harness/worker.h"

/* Seconds without a line before a heartbeat line, unless CGYM_PROGRESS_INTERVAL sets others:
 * often enough that a CI job's log shows the run is alive, rarely enough to keep it short. */
#define CGYM_PROGRESS_HEARTBEAT_DEFAULT 30
#define CGYM_PROGRESS_HEARTBEAT_MAX 86400

typedef struct cgym_progress {
  FILE *out;
  int quiet;                /* only episodes that do not end ok are reported */
  int terminal;             /* out is a terminal: rewrite one line in place */
  double heartbeat_seconds; /* plain output: seconds without a line before a heartbeat */
  double last_line_at;      /* plain output: clock() when the last line was written */
  double last_episode_line_at; /* plain output: clock() at the last line about an ok episode */
  double (*clock)(void);    /* monotonic seconds; tests put a fake clock here */
} cgym_progress;

/* Sets up progress on out. The heartbeat interval comes from CGYM_PROGRESS_INTERVAL (whole
 * seconds, 1 to CGYM_PROGRESS_HEARTBEAT_MAX); an invalid value is reported on out and the
 * default is used. */
void cgym_progress_init(cgym_progress *progress, FILE *out, int quiet);

/* A cgym_worker_progress callback; context is a cgym_progress. */
void cgym_progress_episode(void *context, const cgym_episode_task *task,
                           const cgym_episode_record *record, size_t finished, size_t total);

/* A cgym_worker_heartbeat callback; context is a cgym_progress. */
void cgym_progress_running(void *context, const cgym_episode_task *longest,
                           double longest_seconds, size_t running, size_t finished, size_t total);

#endif
