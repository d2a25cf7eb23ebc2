/*
 * Progress lines of a run. A terminal gets one line rewritten in place. A log gets plain lines at
 * a bounded rate, so that a long run in CI shows it is alive without flooding the log.
 */
#include "harness/progress.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* Plain output: least time between two lines about episodes that ended ok. */
#define PLAIN_LINE_GAP_SECONDS 1.0

/* Returns the heartbeat interval that CGYM_PROGRESS_INTERVAL sets, or the default. */
static unsigned long heartbeat_interval(FILE *out) {
  const char *text = getenv("CGYM_PROGRESS_INTERVAL");
  char *end = NULL;

  if (!text) return CGYM_PROGRESS_HEARTBEAT_DEFAULT;
  errno = 0;
  unsigned long seconds = *text >= '0' && *text <= '9' ? strtoul(text, &end, 10) : 0;
  if (errno == 0 && end && *end == '\0' && seconds >= 1 && seconds <= CGYM_PROGRESS_HEARTBEAT_MAX)
    return seconds;
  fprintf(out, "cgym: ignoring CGYM_PROGRESS_INTERVAL='%s': expected whole seconds from 1 to %d; "
               "using %d\n", text, CGYM_PROGRESS_HEARTBEAT_MAX, CGYM_PROGRESS_HEARTBEAT_DEFAULT);
  return CGYM_PROGRESS_HEARTBEAT_DEFAULT;
}

void cgym_progress_init(cgym_progress *progress, FILE *out, int quiet) {
  unsigned long seconds = heartbeat_interval(out);

  *progress = (cgym_progress){
      .out = out,
      .quiet = quiet,
      .terminal = isatty(fileno(out)),
      .heartbeat_seconds = (double)seconds,
      .clock = cgym_monotonic_seconds,
  };
  /* The first episode to end gets a line at once; the first heartbeat comes an interval in. */
  progress->last_line_at = progress->clock();
  progress->last_episode_line_at = progress->last_line_at - PLAIN_LINE_GAP_SECONDS;
}

/* Writes the line for an episode that did not end ok, on its own line in every mode. */
static void print_failure(cgym_progress *progress, const cgym_episode_task *task,
                          const cgym_episode_record *record, size_t finished, size_t total) {
  int rewrite = progress->terminal && !progress->quiet;
  fprintf(progress->out, "%s[%zu/%zu] %s %s: %s (%s)%s%s\n", rewrite ? "\r\033[K" : "", finished,
          total, task->benchmark_uri, task->agent->name,
          cgym_episode_status_name(record->status),
          record->message ? record->message : "no message",
          record->failed_pipeline ? " while running " : "",
          record->failed_pipeline ? record->failed_pipeline : "");
}

void cgym_progress_episode(void *context, const cgym_episode_task *task,
                           const cgym_episode_record *record, size_t finished, size_t total) {
  cgym_progress *progress = context;
  double now = progress->clock();

  if (record->status != CGYM_EPISODE_OK) {
    print_failure(progress, task, record, finished, total);
    progress->last_line_at = now;
  } else if (progress->quiet) {
    return;
  } else if (progress->terminal) {
    fprintf(progress->out, "\r\033[K[%zu/%zu] %s %s: %lld -> %lld instructions (-Oz: %lld)",
            finished, total, task->benchmark_uri, task->agent->name, (long long)record->c0,
            (long long)record->c_final, (long long)record->c_oz);
  } else if (finished == total || now - progress->last_episode_line_at >= PLAIN_LINE_GAP_SECONDS) {
    fprintf(progress->out, "[%zu/%zu] %s %s: %lld -> %lld instructions (-Oz: %lld), %.1f s\n",
            finished, total, task->benchmark_uri, task->agent->name, (long long)record->c0,
            (long long)record->c_final, (long long)record->c_oz, record->wall_seconds);
    progress->last_line_at = now;
    progress->last_episode_line_at = now;
  }
  if (progress->terminal && !progress->quiet && finished == total) fputc('\n', progress->out);
  fflush(progress->out);
}

void cgym_progress_running(void *context, const cgym_episode_task *longest,
                           double longest_seconds, size_t running, size_t finished, size_t total) {
  cgym_progress *progress = context;
  double now = progress->clock();

  if (progress->quiet || progress->terminal) return;
  if (now - progress->last_line_at < progress->heartbeat_seconds) return;
  fprintf(progress->out, "[%zu/%zu] %zu running; %s %s has run for %.0f s\n", finished, total,
          running, longest->benchmark_uri, longest->agent->name, longest_seconds);
  fflush(progress->out);
  progress->last_line_at = now;
}
