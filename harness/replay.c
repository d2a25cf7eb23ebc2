/*
 * Replay of a manifest's episodes. The suite named in the predicate is opened and prepared again
 * (offline when asked), its definition digest and each benchmark's bitcode SHA-256 must equal the
 * recorded ones, and then every episode recorded as "ok" is reset from that bitcode in a forked
 * worker and its recorded pipelines are stepped in order. C0, C_Oz, C_O3 (when recorded), the
 * final count and the final bitcode SHA-256 must equal the record exactly; each difference
 * becomes one report line that names the episode and the value.
 */
#include "harness/replay.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

static void add_line(cgym_replay_report *report, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void add_line(cgym_replay_report *report, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = vsnprintf(NULL, 0, format, args);
  va_end(args);
  char *line = length >= 0 ? malloc((size_t)length + 1) : NULL;
  if (!line) return;
  va_start(args, format);
  vsnprintf(line, (size_t)length + 1, format, args);
  va_end(args);

  char **grown = realloc(report->lines, (report->line_count + 1) * sizeof *grown);
  if (!grown) {
    free(line);
    return;
  }
  report->lines = grown;
  report->lines[report->line_count++] = line;
}

/* Opens the suite and rejects it when its definition is not the recorded one. */
static int open_suite(const cgym_run_manifest *manifest, const cgym_replay_options *options,
                      cgym_suite **suite) {
  json_t *predicate = manifest->predicate;
  const char *source = options->suite ? options->suite
                                      : cgym_predicate_string(predicate, "suite.source");
  if (!source) source = cgym_predicate_string(predicate, "suite.name");
  if (!source)
    return cgym_error_set(CGYM_EFORMAT, "the predicate names no suite (suite.source or "
                          "suite.name)");

  int rc = cgym_suite_open(suite, source);
  if (rc != CGYM_OK) return rc;

  const char *recorded = cgym_predicate_string(predicate, "suite.definition_digest.sha256");
  const char *actual = cgym_suite_definition_sha256(*suite);
  if (recorded && strcmp(recorded, actual) != 0)
    return cgym_error_set(CGYM_ECHECKSUM, "suite '%s' has definition sha256 %s, but the manifest "
                          "records %s: replay needs the suite definition the run used; pass "
                          "its file with --suite", source, actual, recorded);
  return CGYM_OK;
}

/* Applies the predicate's benchmark selection (schema version 2) to the prepare options. */
static const char **apply_selection(json_t *predicate, cgym_prepare_options *prepare) {
  json_t *selection = json_object_get(json_object_get(predicate, "suite"), "selection");
  if (!selection) return NULL;

  prepare->generator_first = (uint64_t)json_integer_value(json_object_get(selection,
                                                                         "generator_first"));
  prepare->generator_count = (uint64_t)json_integer_value(json_object_get(selection,
                                                                         "generator_count"));
  json_t *only = json_object_get(selection, "only");
  if (!json_is_array(only)) return NULL;

  const char **names = calloc(json_array_size(only) + 1, sizeof *names);
  for (size_t i = 0; names && i < json_array_size(only); i++)
    names[i] = json_string_value(json_array_get(only, i));
  prepare->only = names;
  return names;
}

static const cgym_benchmark *find_benchmark(const cgym_prepared_suite *prepared,
                                            const char *uri) {
  for (size_t i = 0; i < prepared->benchmark_count; i++)
    if (strcmp(prepared->benchmarks[i].uri, uri) == 0) return &prepared->benchmarks[i];
  return NULL;
}

/* Turns the replayable episodes into worker tasks; the others are counted or reported. */
static size_t plan_replays(const cgym_run_manifest *manifest, const cgym_prepared_suite *prepared,
                           cgym_agent *agents, cgym_episode_task *tasks, size_t *episode_of,
                           cgym_replay_report *report) {
  size_t count = 0;
  for (size_t i = 0; i < manifest->episode_count; i++) {
    const cgym_episode_record *record = &manifest->episodes[i];
    if (record->status != CGYM_EPISODE_OK) {
      report->skipped++;
      continue;
    }
    const cgym_benchmark *benchmark = find_benchmark(prepared, record->benchmark_uri);
    if (!benchmark) {
      report->differing++;
      add_line(report, "episode %zu (%s, %s, episode %" PRIu64 "): benchmark not found in the "
               "prepared suite", i, record->benchmark_uri, record->agent, record->episode);
      continue;
    }
    if (record->benchmark_sha256 && strcmp(record->benchmark_sha256, benchmark->bitcode_sha256)) {
      report->differing++;
      add_line(report, "episode %zu (%s, %s, episode %" PRIu64 "): benchmark bitcode sha256 "
               "recorded %s, prepared %s", i, record->benchmark_uri, record->agent,
               record->episode, record->benchmark_sha256, benchmark->bitcode_sha256);
      continue;
    }
    agents[count] = (cgym_agent){.name = record->agent, .description = "replay"};
    tasks[count] = (cgym_episode_task){
        .suite_name = "replay",
        .benchmark_uri = benchmark->uri,
        .benchmark_path = benchmark->bitcode_path,
        .benchmark_sha256 = benchmark->bitcode_sha256,
        .agent = &agents[count],
        .episode = record->episode,
        .seed = record->seed,
        .replay = 1,
        .replay_actions = (const char *const *)record->actions,
        .replay_pipelines = (const char *const *)record->pipelines,
        .replay_count = record->action_count,
    };
    episode_of[count++] = i;
  }
  return count;
}

static void compare_count(const char *name, int64_t recorded, int64_t replayed, char *text,
                          size_t size, size_t *used) {
  if (recorded == replayed || recorded == -1 || *used >= size) return;
  *used += (size_t)snprintf(text + *used, size - *used, "%s%s recorded %lld, replayed %lld",
                            *used ? "; " : "", name, (long long)recorded, (long long)replayed);
}

/* Compares one replayed episode with its record and reports each value that differs. */
static void compare_episode(size_t index, const cgym_episode_record *recorded,
                            const cgym_episode_record *replayed, cgym_replay_report *report) {
  char text[1024] = "";
  size_t used = 0;

  if (replayed->status != CGYM_EPISODE_OK) {
    used += (size_t)snprintf(text, sizeof text, "replay %s (%s)",
                             cgym_episode_status_name(replayed->status),
                             replayed->message ? replayed->message : "no message");
  } else {
    compare_count("C0", recorded->c0, replayed->c0, text, sizeof text, &used);
    compare_count("C_Oz", recorded->c_oz, replayed->c_oz, text, sizeof text, &used);
    compare_count("C_O3", recorded->c_o3, replayed->c_o3, text, sizeof text, &used);
    compare_count("C_final", recorded->c_final, replayed->c_final, text, sizeof text, &used);
    if (recorded->final_sha256 && replayed->final_sha256 && used < sizeof text &&
        strcmp(recorded->final_sha256, replayed->final_sha256) != 0)
      used += (size_t)snprintf(text + used, sizeof text - used, "%sfinal bitcode sha256 "
                               "recorded %s, replayed %s", used ? "; " : "",
                               recorded->final_sha256, replayed->final_sha256);
  }
  if (used == 0) return;
  report->differing++;
  add_line(report, "episode %zu (%s, %s, episode %" PRIu64 ", %zu actions): %s", index,
           recorded->benchmark_uri, recorded->agent, recorded->episode, recorded->action_count,
           text);
}

/* Runs the planned replays in workers and compares each with its record. */
static int run_replays(const cgym_run_manifest *manifest, const cgym_prepared_suite *prepared,
                       const cgym_worker_limits *limits, cgym_replay_report *report) {
  size_t total = manifest->episode_count ? manifest->episode_count : 1;
  cgym_agent *agents = calloc(total, sizeof *agents);
  cgym_episode_task *tasks = calloc(total, sizeof *tasks);
  cgym_episode_record *replayed = calloc(total, sizeof *replayed);
  size_t *episode_of = calloc(total, sizeof *episode_of);
  size_t count = 0;
  int rc = CGYM_ENOMEM;
  if (!agents || !tasks || !replayed || !episode_of) {
    cgym_error_set(rc, "out of memory replaying %zu episodes", total);
    goto done;
  }

  count = plan_replays(manifest, prepared, agents, tasks, episode_of, report);
  rc = cgym_worker_run_all(tasks, count, limits, replayed, NULL, NULL, NULL);
  if (rc != CGYM_OK) goto done;
  for (size_t i = 0; i < count; i++)
    compare_episode(episode_of[i], &manifest->episodes[episode_of[i]], &replayed[i], report);
  report->replayed = count;

done:
  if (replayed) {
    for (size_t i = 0; i < count; i++) cgym_episode_record_clear(&replayed[i]);
  }
  free(replayed);
  free(episode_of);
  free(tasks);
  free(agents);
  return rc;
}

int cgym_replay_manifest(const cgym_run_manifest *manifest, const cgym_replay_options *options,
                         cgym_replay_report *report) {
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  cgym_prepare_options prepare = options->prepare;
  const char **only = NULL;

  memset(report, 0, sizeof *report);
  int rc = open_suite(manifest, options, &suite);
  if (rc != CGYM_OK) goto done;

  only = apply_selection(manifest->predicate, &prepare);
  rc = cgym_suite_prepare(suite, &prepare, &prepared);
  if (rc == CGYM_OK) rc = run_replays(manifest, prepared, &options->limits, report);

done:
  free(only);
  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  return rc;
}

void cgym_replay_report_clear(cgym_replay_report *report) {
  if (!report) return;
  for (size_t i = 0; i < report->line_count; i++) free(report->lines[i]);
  free(report->lines);
  memset(report, 0, sizeof *report);
}
