#ifndef CGYM_RESULTS_H
#define CGYM_RESULTS_H

/*
 * Episode records and their summaries: results.json (raw counts, actions, status and wall time
 * per episode) and results.md (C_Oz / C_final per benchmark and agent with geometric means).
 * Files are written to a temporary name and renamed into place.
 */

#include <stddef.h>
#include <stdint.h>

typedef enum cgym_episode_status {
  CGYM_EPISODE_OK = 0,
  CGYM_EPISODE_CRASHED,      /* the worker died from a signal */
  CGYM_EPISODE_FAILED,       /* the worker exited non-zero (LLVM fatal error, load failure) */
  CGYM_EPISODE_TIMED_OUT,    /* killed after the wall-clock limit */
  CGYM_EPISODE_OUT_OF_MEMORY,/* died after reaching the memory limit */
} cgym_episode_status;

/* Returns "ok", "crashed", "failed", "timed_out" or "out_of_memory". */
const char *cgym_episode_status_name(cgym_episode_status status);

typedef struct cgym_episode_record {
  char *benchmark_uri;
  char *benchmark_sha256;
  char *agent;
  uint64_t episode;         /* index within (benchmark, agent) */
  uint64_t seed;            /* the run seed; the agent's generator is derived from it */
  cgym_episode_status status;
  int exit_code;            /* worker exit code when status is FAILED, else 0 */
  int signal;               /* terminating signal when CRASHED/TIMED_OUT/OUT_OF_MEMORY, else 0 */
  char *failed_pipeline;    /* pipeline running when the worker died; NULL when none or OK */
  char *message;            /* last diagnostic line of a failed worker; NULL when OK */
  int64_t c0, c_oz, c_final;/* -1 when unknown (the worker died before measuring) */
  int64_t c_o3;             /* count after default<O3> from C0's module; -1 when unknown */
  char *final_sha256;       /* bitcode SHA-256 of the final state; NULL when unknown */
  char **actions;           /* action names of the final action list */
  char **pipelines;         /* their exact pipeline strings */
  size_t action_count;
  int64_t steps_taken;
  double wall_seconds;      /* host-dependent; excluded from determinism comparisons */
} cgym_episode_record;

void cgym_episode_record_clear(cgym_episode_record *record);

/* Run-level facts written at the top of results.json. Strings are borrowed. */
typedef struct cgym_run_info {
  const char *cgym_version;
  const char *llvm_version;
  const char *action_space_id;
  const char *action_space_hash;
  const char *suite_name;
  const char *suite_version;
  const char *suite_sha256;
  uint64_t seed;
  const char *agents_json;  /* JSON array of {name, parameters} written verbatim */
} cgym_run_info;

/* Writes results.json atomically (format in docs/results-format.md): keys in a fixed order, 2-space
 * indent, one trailing newline, so the same records give the same bytes. Unknown counts (-1) are
 * written as null. Errors: CGYM_EINVAL (a record without benchmark URI or agent, an invalid
 * status, a seed above INT64_MAX, agents_json not a JSON array), CGYM_EIO, CGYM_ENOMEM. */
int cgym_results_write_json(const char *path, const cgym_run_info *info,
                            const cgym_episode_record *records, size_t count);

/* Reads results.json back (used by verify and tests). Caller frees with cgym_results_free. Every
 * value is validated: CGYM_EFORMAT names the file and the JSON path ("$.episodes[2].counts.c_oz"),
 * the expected and the found type. Other errors: CGYM_ENOTFOUND, CGYM_ELIMIT (over 1 GiB),
 * CGYM_EIO, CGYM_ENOMEM. The run object is checked but not returned. */
int cgym_results_read_json(const char *path, cgym_episode_record **records, size_t *count);

/* Reads results.json like cgym_results_read_json and, when run is not NULL, also returns its
 * validated run object (versions, action space, suite, seed, agents) as a new JSON reference. */
struct json_t;
int cgym_results_read_run(const char *path, struct json_t **run, cgym_episode_record **records,
                          size_t *count);
void cgym_results_free(cgym_episode_record *records, size_t count);

/* Builds the "episodes" array of results.json as a new JSON reference. Without wall times
 * (with_wall_seconds zero) it is the per-episode part of a manifest predicate. Errors as for
 * cgym_results_write_json. */
int cgym_results_episodes_json(const cgym_episode_record *records, size_t count,
                               int with_wall_seconds, struct json_t **out);

/* Reads an episodes array as written by cgym_results_episodes_json; label names the source in
 * messages. with_wall_seconds must match the writer's: a predicate's episodes must not carry
 * wall_seconds and read with wall_seconds 0. Errors as for cgym_results_read_json. */
int cgym_results_read_episodes(const char *label, struct json_t *episodes, int with_wall_seconds,
                               cgym_episode_record **records, size_t *count);

/* Writes results.md: one row per benchmark, columns C0 and C_Oz, then one column per agent with
 * C_Oz / C_final (higher is better; 1.000 matches -Oz), several episodes combined by their
 * geometric mean. The last row is each agent's geometric mean over the benchmarks where it has a
 * ratio, followed by a list of the episodes that did not finish with their status. Cells without a
 * ratio (unknown or zero counts) show "n/a". cgym_results_format_markdown returns the same text in
 * a malloc'ed string for the terminal. */
int cgym_results_write_markdown(const char *path, const cgym_episode_record *records, size_t count);
int cgym_results_format_markdown(const cgym_episode_record *records, size_t count, char **out);

#endif
