/*
 * Replay of the imported rows of one suite. The suite must be one of cgym's built-in suites,
 * because a CompilerGym URI carries only a suite name. Each row's benchmark is checked against
 * the suite, and only the named benchmarks (or the seed range that covers the named seeds) are
 * prepared. Every row whose benchmark was prepared is replayed in an isolated worker, which
 * steps its mapped actions from a fresh reset as `cgym verify --replay` steps a recorded
 * episode. Rows that cannot be replayed keep the reason, and the import goes on.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/actions.h"
#include "env/error_internal.h"
#include "harness/cli.h"
#include "harness/import.h"
#include "harness/import_internal.h"

/* Every seed from the smallest to the largest named seed of a generator suite is generated and
 * compiled, at import and again at replay, because a manifest records one seed range. This cap
 * keeps two distant seeds from asking for millions of programs. */
#define IMPORT_MAX_SEED_SPAN 256

static void set_reason(cgym_import_row *row, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void set_reason(cgym_import_row *row, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = vsnprintf(NULL, 0, format, args);
  va_end(args);
  char *reason = length >= 0 ? malloc((size_t)length + 1) : NULL;
  if (reason) {
    va_start(args, format);
    vsnprintf(reason, (size_t)length + 1, format, args);
    va_end(args);
  }
  free(row->reason);
  row->reason = reason;
  row->status = CGYM_IMPORT_NOT_AVAILABLE;
}

static int is_builtin(const char *name) {
  for (const char *const *builtin = cgym_builtin_suites(); *builtin; builtin++)
    if (strcmp(*builtin, name) == 0) return 1;
  return 0;
}

/* Lists the built-in suite names as "a, b" into out. */
static void builtin_list(char *out, size_t size) {
  size_t used = 0;
  out[0] = '\0';
  for (const char *const *builtin = cgym_builtin_suites(); *builtin && used < size; builtin++)
    used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "", *builtin);
}

/* Rows of this suite that still wait for a replay: no reason recorded yet. */
static int is_candidate(const cgym_import_row *row, const char *suite_name) {
  return row->suite && strcmp(row->suite, suite_name) == 0 && !row->reason;
}

/* Checks that a row of a program suite names one of its benchmarks. Suites that learn their
 * benchmark names only when prepared list none here, and prepare checks the names instead. */
static void check_program_row(cgym_import_row *row, const cgym_suite *suite) {
  if (strcmp(row->scheme, "benchmark") != 0) {
    set_reason(row, "suite %s holds programs, named benchmark://%s/NAME, not %s://", row->suite,
               row->suite, row->scheme);
    return;
  }
  if (!cgym_suite_benchmark_name(suite, 0)) return;
  for (size_t i = 0; cgym_suite_benchmark_name(suite, i); i++)
    if (strcmp(cgym_suite_benchmark_name(suite, i), row->name) == 0) return;
  set_reason(row, "benchmark '%s' not found in suite %s; `cgym suites info %s` lists its "
             "benchmarks", row->name, row->suite, row->suite);
}

/* Checks that a row of a generator suite names a seed, and stores it in *seed. */
static int check_generator_row(cgym_import_row *row, uint64_t *seed) {
  if (strcmp(row->scheme, "generator") != 0) {
    set_reason(row, "suite %s is a generator: its URIs are generator://%s/SEED, not %s://",
               row->suite, row->suite, row->scheme);
    return 0;
  }
  if (cgym_cli_parse_u64(row->name, UINT32_MAX, seed) != 0) {
    set_reason(row, "invalid seed '%s' in %s: expected an integer from 0 to %" PRIu32,
               row->name, row->csv->state->benchmark, UINT32_MAX);
    return 0;
  }
  return 1;
}

/* Sets the selection to the seed range from the smallest named seed; rows beyond the cap are
 * not available. */
static void select_seeds(cgym_import *import, const char *suite_name,
                         cgym_prepare_options *prepare) {
  uint64_t first = UINT64_MAX, last = 0, seed = 0;
  for (size_t i = 0; i < import->row_count; i++) {
    cgym_import_row *row = &import->rows[i];
    if (is_candidate(row, suite_name) && check_generator_row(row, &seed) && seed < first)
      first = seed;
  }
  for (size_t i = 0; i < import->row_count; i++) {
    cgym_import_row *row = &import->rows[i];
    if (!is_candidate(row, suite_name)) continue;
    cgym_cli_parse_u64(row->name, UINT32_MAX, &seed);
    if (seed - first >= IMPORT_MAX_SEED_SPAN)
      set_reason(row, "seed %" PRIu64 " is %" PRIu64 " or more above seed %" PRIu64 ", the "
                 "smallest of this import; import rows whose seeds lie within %d of each other "
                 "together", seed, (uint64_t)IMPORT_MAX_SEED_SPAN, first, IMPORT_MAX_SEED_SPAN);
    else if (seed > last)
      last = seed;
  }
  prepare->only = NULL;
  prepare->generator_first = first == UINT64_MAX ? 0 : first;
  prepare->generator_count = first == UINT64_MAX ? 0 : last - first + 1;
}

/* Sets the selection to the distinct benchmark names of the suite's rows, as a NULL-terminated
 * list that the caller frees (the names are borrowed from the rows). */
static const char **select_names(cgym_import *import, const char *suite_name,
                                 cgym_prepare_options *prepare) {
  const char **names = calloc(import->row_count + 1, sizeof *names);
  size_t count = 0;
  if (!names) return NULL;
  for (size_t i = 0; i < import->row_count; i++) {
    const cgym_import_row *row = &import->rows[i];
    size_t j = 0;
    if (!is_candidate(row, suite_name)) continue;
    while (j < count && strcmp(names[j], row->name) != 0) j++;
    if (j == count) names[count++] = row->name;
  }
  prepare->only = names;
  return names;
}

/* Returns the prepared benchmark of a row, or NULL after recording why there is none. */
static const cgym_benchmark *find_prepared(cgym_import_row *row,
                                           const cgym_prepared_suite *prepared, int generator) {
  char name[32];
  uint64_t seed = 0;
  const char *expected_name = row->name;
  if (generator && cgym_cli_parse_u64(row->name, UINT32_MAX, &seed) == 0) {
    snprintf(name, sizeof name, "%" PRIu64, seed);
    expected_name = name;
  }
  for (size_t i = 0; i < prepared->benchmark_count; i++)
    if (strcmp(prepared->benchmarks[i].name, expected_name) == 0) return &prepared->benchmarks[i];
  for (size_t i = 0; i < prepared->excluded_count; i++)
    if (strcmp(prepared->excluded[i].name, expected_name) == 0) {
      set_reason(row, "benchmark %s is excluded from suite %s: %s", prepared->excluded[i].uri,
                 row->suite, prepared->excluded[i].reason ? prepared->excluded[i].reason : "");
      return NULL;
    }
  set_reason(row, "suite %s did not prepare benchmark '%s'", row->suite, row->name);
  return NULL;
}

/* Opens the suite, checks its rows and prepares what they name. Returns CGYM_OK and leaves
 * run->prepared NULL when no row of the suite can be replayed. */
static int prepare_rows(cgym_import *import, const char *suite_name,
                        const cgym_import_options *options, import_suite_run *run) {
  char builtins[256];
  builtin_list(builtins, sizeof builtins);
  int known = is_builtin(suite_name);
  int rc = known ? cgym_suite_open(&run->suite, suite_name) : CGYM_OK;

  for (size_t i = 0; i < import->row_count; i++) {
    cgym_import_row *row = &import->rows[i];
    if (!is_candidate(row, suite_name)) continue;
    if (!known) set_reason(row, "cgym cannot build suite %s here: its built-in suites are %s",
                           suite_name, builtins);
    else if (rc != CGYM_OK) set_reason(row, "opening suite %s failed: %s", suite_name,
                                       cgym_error_message());
    else if (strcmp(cgym_suite_kind(run->suite), "generator") != 0)
      check_program_row(row, run->suite);
  }
  if (!known || rc != CGYM_OK) return CGYM_OK;

  run->generator = strcmp(cgym_suite_kind(run->suite), "generator") == 0;
  run->prepare = options->prepare;
  if (run->generator) select_seeds(import, suite_name, &run->prepare);
  else if (!(run->only = select_names(import, suite_name, &run->prepare)))
    return cgym_error_set(CGYM_ENOMEM, "out of memory selecting benchmarks");
  if (run->generator ? run->prepare.generator_count == 0 : run->only[0] == NULL) return CGYM_OK;

  run->prepare.progress = options->progress;
  run->prepare.progress_context = options->progress_context;
  if (cgym_suite_prepare(run->suite, &run->prepare, &run->prepared) != CGYM_OK) {
    for (size_t i = 0; i < import->row_count; i++)
      if (is_candidate(&import->rows[i], suite_name))
        set_reason(&import->rows[i], "preparing suite %s failed: %s", suite_name,
                   cgym_error_message());
  }
  return CGYM_OK;
}

/* Fills the task's action names and pipeline strings from the row's mapped steps. */
static int fill_actions(const cgym_import_row *row, const char ***actions,
                        const char ***pipelines) {
  const cgym_action_space *space = cgym_action_space_passes();
  const cgym_state *state = row->csv->state;
  *actions = calloc(state->step_count + 1, sizeof **actions);
  *pipelines = calloc(state->step_count + 1, sizeof **pipelines);
  if (!*actions || !*pipelines) return cgym_error_set(CGYM_ENOMEM, "out of memory");

  for (size_t i = 0; i < state->step_count; i++) {
    size_t index = 0;
    int rc = cgym_action_space_find(space, state->steps[i].action, &index);
    if (rc != CGYM_OK) return rc;
    (*actions)[i] = cgym_action_space_get(space, index)->name;
    (*pipelines)[i] = cgym_action_space_get(space, index)->pipeline;
  }
  return CGYM_OK;
}

/* Turns every row with a prepared benchmark into a worker task. */
static int plan_tasks(cgym_import *import, const char *suite_name, import_suite_run *run) {
  size_t total = import->row_count;
  run->tasks = calloc(total, sizeof *run->tasks);
  run->rows = calloc(total, sizeof *run->rows);
  run->actions = calloc(total, sizeof *run->actions);
  run->pipelines = calloc(total, sizeof *run->pipelines);
  if (!run->tasks || !run->rows || !run->actions || !run->pipelines)
    return cgym_error_set(CGYM_ENOMEM, "out of memory planning %zu replays", total);

  run->agent = (cgym_agent){.name = CGYM_IMPORT_AGENT, .description = "CompilerGym state"};
  for (size_t i = 0; i < import->row_count; i++) {
    cgym_import_row *row = &import->rows[i];
    if (!is_candidate(row, suite_name)) continue;
    const cgym_benchmark *benchmark = find_prepared(row, run->prepared, run->generator);
    if (!benchmark) continue;

    size_t n = run->count;
    int rc = fill_actions(row, &run->actions[n], &run->pipelines[n]);
    if (rc != CGYM_OK) return rc;
    uint64_t episode = 0;
    for (size_t j = 0; j < n; j++)
      episode += strcmp(run->tasks[j].benchmark_uri, benchmark->uri) == 0;
    if (episode + 1 > run->episodes_per_benchmark) run->episodes_per_benchmark = episode + 1;
    run->tasks[n] = (cgym_episode_task){
        .suite_name = suite_name,
        .benchmark_uri = benchmark->uri,
        .benchmark_path = benchmark->bitcode_path,
        .benchmark_sha256 = benchmark->bitcode_sha256,
        .agent = &run->agent,
        .episode = episode,
        .replay = 1,
        .replay_actions = run->actions[n],
        .replay_pipelines = run->pipelines[n],
        .replay_count = row->csv->state->step_count,
    };
    run->rows[run->count++] = row;
  }
  return CGYM_OK;
}

/* Copies each replay's outcome into its row. */
static int record_outcomes(import_suite_run *run, const char *suite_name) {
  for (size_t i = 0; i < run->count; i++) {
    cgym_import_row *row = run->rows[i];
    const cgym_episode_record *record = &run->records[i];
    row->folder = strdup(suite_name);
    if (!row->folder) return cgym_error_set(CGYM_ENOMEM, "out of memory");
    row->episode_index = i;
    row->c0 = record->c0;
    row->c_oz = record->c_oz;
    row->c_final = record->c_final;
    if (record->status == CGYM_EPISODE_OK) {
      row->status = row->csv->unmapped_count ? CGYM_IMPORT_PARTIAL : CGYM_IMPORT_REPLAYED;
      continue;
    }
    set_reason(row, "replay %s: %s%s%s", cgym_episode_status_name(record->status),
               record->message ? record->message : "no message",
               record->failed_pipeline ? " while running " : "",
               record->failed_pipeline ? record->failed_pipeline : "");
    row->status = CGYM_IMPORT_REPLAY_FAILED;
  }
  return CGYM_OK;
}

static void report_failure(void *context, const cgym_episode_task *task,
                           const cgym_episode_record *record, size_t finished, size_t total) {
  const cgym_import_options *options = context;
  char line[1024];
  if (record->status == CGYM_EPISODE_OK || !options->progress) return;
  snprintf(line, sizeof line, "[%zu/%zu] %s: replay %s (%s)", finished, total,
           task->benchmark_uri, cgym_episode_status_name(record->status),
           record->message ? record->message : "no message");
  options->progress(options->progress_context, line);
}

static void clear_run(import_suite_run *run) {
  if (run->records) {
    for (size_t i = 0; i < run->count; i++) cgym_episode_record_clear(&run->records[i]);
  }
  for (size_t i = 0; run->actions && i < run->count; i++) {
    free((void *)run->actions[i]);
    free((void *)run->pipelines[i]);
  }
  free(run->records);
  free((void *)run->actions);
  free((void *)run->pipelines);
  free(run->tasks);
  free(run->rows);
  free((void *)run->only);
  cgym_prepared_suite_free(run->prepared);
  cgym_suite_free(run->suite);
}

int cgym_import_suite(cgym_import *import, const char *suite_name,
                      const cgym_import_options *options) {
  import_suite_run run = {0};

  int rc = prepare_rows(import, suite_name, options, &run);
  if (rc == CGYM_OK && run.prepared) rc = plan_tasks(import, suite_name, &run);
  if (rc != CGYM_OK || run.count == 0) goto done;

  run.records = calloc(run.count, sizeof *run.records);
  if (!run.records) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory for %zu replays", run.count);
    goto done;
  }
  cgym_import_timestamp(run.started_at);
  rc = cgym_worker_run_all(run.tasks, run.count, &options->limits, run.records, report_failure,
                           NULL, (void *)options);
  if (rc == CGYM_OK) rc = record_outcomes(&run, suite_name);
  if (rc == CGYM_OK) rc = cgym_import_write_suite(import, suite_name, options, &run);

done:
  clear_run(&run);
  return rc;
}
