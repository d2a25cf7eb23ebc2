/*
 * Progress output without a terminal: a line per finished episode but at most one a second, the
 * last episode and every failure always, and a heartbeat naming the longest-running episode when
 * nothing was written for the interval. A fake clock drives the times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgym/error.h"
#include "harness/progress.h"
#include "support/check.h"

static double fake_now;

static double fake_clock(void) { return fake_now; }

/* Reads back everything written to file and empties it. */
static char *take_output(FILE *file) {
  static char text[4096];
  fflush(file);
  long size = ftell(file);
  rewind(file);
  size_t got = fread(text, 1, sizeof text - 1, file);
  text[got] = '\0';
  rewind(file);
  if (size > 0 && ftruncate(fileno(file), 0) != 0) abort();
  return text;
}

/* A plain (not terminal) progress on file whose clock starts at fake time 100 s. */
static void start_plain(cgym_progress *progress, FILE *file, int quiet) {
  fake_now = 100.0;
  unsetenv("CGYM_PROGRESS_INTERVAL");
  cgym_progress_init(progress, file, quiet);
  progress->terminal = 0;
  progress->clock = fake_clock;
  progress->last_line_at = fake_now;
  progress->last_episode_line_at = fake_now - 1.0;
}

static void finish_at(cgym_progress *progress, double now, cgym_episode_task *task,
                      cgym_episode_status status, size_t finished) {
  cgym_episode_record record = {.status = status, .c0 = 100, .c_oz = 50, .c_final = 40,
                                .wall_seconds = 2.5, .message = "LLVM ERROR: broken"};
  fake_now = now;
  cgym_progress_episode(progress, task, &record, finished, 5);
}

static void test_plain_lines_rate_limited(cgym_episode_task *task) {
  FILE *file = tmpfile();
  cgym_progress progress;
  start_plain(&progress, file, 0);

  finish_at(&progress, 100.0, task, CGYM_EPISODE_OK, 1);
  CHECK_STR_EQ(take_output(file), "[1/5] generator://csmith-v0/1 greedy: 100 -> 40 instructions "
                                  "(-Oz: 50), 2.5 s\n");
  finish_at(&progress, 100.5, task, CGYM_EPISODE_OK, 2);
  CHECK_STR_EQ(take_output(file), "");

  fake_now = 110.0;
  cgym_progress_running(&progress, task, 9.5, 2, 2, 5);
  CHECK_STR_EQ(take_output(file), "");
  fake_now = 131.0;
  cgym_progress_running(&progress, task, 30.5, 2, 2, 5);
  CHECK_STR_EQ(take_output(file), "[2/5] 2 running; generator://csmith-v0/1 greedy has run for "
                                  "30 s\n");
  /* A heartbeat does not hold back the next line about an episode. */
  finish_at(&progress, 131.2, task, CGYM_EPISODE_OK, 3);
  CHECK(strncmp(take_output(file), "[3/5] ", 6) == 0);
  fake_now = 140.0;
  cgym_progress_running(&progress, task, 39.5, 1, 3, 5);
  CHECK_STR_EQ(take_output(file), "");

  finish_at(&progress, 140.1, task, CGYM_EPISODE_FAILED, 4);
  CHECK_STR_EQ(take_output(file), "[4/5] generator://csmith-v0/1 greedy: failed (LLVM ERROR: "
                                  "broken)\n");
  finish_at(&progress, 140.2, task, CGYM_EPISODE_OK, 5);
  CHECK(strncmp(take_output(file), "[5/5] ", 6) == 0);
  fclose(file);
}

static void test_quiet_reports_failures_only(cgym_episode_task *task) {
  FILE *file = tmpfile();
  cgym_progress progress;
  start_plain(&progress, file, 1);

  finish_at(&progress, 100.0, task, CGYM_EPISODE_OK, 5);
  fake_now = 200.0;
  cgym_progress_running(&progress, task, 100.0, 1, 4, 5);
  CHECK_STR_EQ(take_output(file), "");
  finish_at(&progress, 200.0, task, CGYM_EPISODE_TIMED_OUT, 1);
  CHECK(strstr(take_output(file), "timed_out") != NULL);
  fclose(file);
}

static void test_terminal_has_no_heartbeat(cgym_episode_task *task) {
  FILE *file = tmpfile();
  cgym_progress progress;
  start_plain(&progress, file, 0);
  progress.terminal = 1;

  fake_now = 1000.0;
  cgym_progress_running(&progress, task, 900.0, 1, 0, 5);
  CHECK_STR_EQ(take_output(file), "");
  finish_at(&progress, 1000.0, task, CGYM_EPISODE_OK, 1);
  CHECK(strncmp(take_output(file), "\r\033[K[1/5] ", 10) == 0);
  fclose(file);
}

static void test_interval_from_environment(void) {
  FILE *file = tmpfile();
  cgym_progress progress;

  setenv("CGYM_PROGRESS_INTERVAL", "5", 1);
  cgym_progress_init(&progress, file, 0);
  CHECK(progress.heartbeat_seconds == 5.0);
  CHECK_STR_EQ(take_output(file), "");

  const char *invalid[] = {"0", "abc", "-3", "5s", "86401", ""};
  for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    setenv("CGYM_PROGRESS_INTERVAL", invalid[i], 1);
    cgym_progress_init(&progress, file, 0);
    CHECK(progress.heartbeat_seconds == CGYM_PROGRESS_HEARTBEAT_DEFAULT);
    CHECK(strstr(take_output(file), "ignoring CGYM_PROGRESS_INTERVAL") != NULL);
  }
  unsetenv("CGYM_PROGRESS_INTERVAL");
  fclose(file);
}

int main(void) {
  const cgym_agent *greedy = NULL;
  CHECK_OK(cgym_agent_find("greedy", &greedy));
  cgym_episode_task task = {.benchmark_uri = "generator://csmith-v0/1", .agent = greedy};

  test_plain_lines_rate_limited(&task);
  test_quiet_reports_failures_only(&task);
  test_terminal_has_no_heartbeat(&task);
  test_interval_from_environment();
  return cgym_check_summary();
}
