/*
 * results.md: table values on hand-made records, with the geometric means computed by hand,
 * "n/a" for unknown or zero counts, the list of episodes that did not finish, and the file write.
 */
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "results/results.h"
#include "support/check.h"

/* A record whose strings are literals: the test never frees them. */
static cgym_episode_record record(const char *uri, const char *agent, uint64_t episode,
                                  cgym_episode_status status, int64_t c0, int64_t c_oz,
                                  int64_t c_final) {
  cgym_episode_record r;
  memset(&r, 0, sizeof r);
  r.benchmark_uri = (char *)uri;
  r.agent = (char *)agent;
  r.episode = episode;
  r.status = status;
  r.c0 = c0;
  r.c_oz = c_oz;
  r.c_final = c_final;
  return r;
}

/*
 * Benchmarks a to d and agents greedy and random. By hand:
 *   a: greedy 800/400 = 2.0 and 800/1600 = 0.5, geometric mean 1.000; random 800/1000 = 0.800
 *   b: greedy 300/200 = 1.500; random crashed
 *   c: greedy C_final 0 gives n/a; random 90/90 = 1.000
 *   d: counts unknown, greedy n/a; random has no episode ("-")
 *   geomean greedy over a and b: sqrt(1.0 * 1.5) = 1.2247 -> 1.225 (2 of 4)
 *   geomean random over a and c: sqrt(0.8 * 1.0) = 0.8944 -> 0.894 (2 of 4)
 */
static void test_table_values(void) {
  cgym_episode_record records[8];
  records[0] = record("benchmark://t/a", "greedy", 0, CGYM_EPISODE_OK, 1000, 800, 400);
  records[1] = record("benchmark://t/a", "random", 0, CGYM_EPISODE_OK, 1000, 800, 1000);
  records[2] = record("benchmark://t/a", "greedy", 1, CGYM_EPISODE_OK, 1000, 800, 1600);
  records[3] = record("benchmark://t/b", "greedy", 0, CGYM_EPISODE_OK, 500, 300, 200);
  records[4] = record("benchmark://t/b", "random", 0, CGYM_EPISODE_CRASHED, 500, -1, -1);
  records[4].signal = 11;
  records[4].failed_pipeline = "function(gvn)";
  records[4].message = "LLVM ERROR: broken module";
  records[5] = record("benchmark://t/c", "greedy", 0, CGYM_EPISODE_OK, 100, 90, 0);
  records[6] = record("benchmark://t/c", "random", 0, CGYM_EPISODE_OK, 100, 90, 90);
  records[7] = record("benchmark://t/d", "greedy", 0, CGYM_EPISODE_OK, -1, -1, -1);

  char *markdown = NULL;
  CHECK_OK(cgym_results_format_markdown(records, 8, &markdown));
  CHECK(markdown != NULL);
  if (!markdown) return;

  CHECK(strstr(markdown, "Higher is better; 1.000 is as good as -Oz.") != NULL);
  CHECK(strstr(markdown, "| benchmark | C0 | C_Oz | greedy | random |\n") != NULL);
  CHECK(strstr(markdown, "| --- | ---: | ---: | ---: | ---: |\n") != NULL);
  CHECK(strstr(markdown, "| benchmark://t/a | 1000 | 800 | 1.000 | 0.800 |\n") != NULL);
  CHECK(strstr(markdown, "| benchmark://t/b | 500 | 300 | 1.500 | crashed |\n") != NULL);
  CHECK(strstr(markdown, "| benchmark://t/c | 100 | 90 | n/a | 1.000 |\n") != NULL);
  CHECK(strstr(markdown, "| benchmark://t/d | n/a | n/a | n/a | - |\n") != NULL);
  CHECK(strstr(markdown, "| geomean | | | 1.225 (2 of 4) | 0.894 (2 of 4) |\n") != NULL);
  CHECK(strstr(markdown, "## Episodes that did not finish\n\n- `benchmark://t/b`, agent "
                         "`random`, episode 0: crashed (signal 11) while running "
                         "`function(gvn)`: `LLVM ERROR: broken module`\n") != NULL);

  /* Rows follow the first-seen order of the benchmarks. */
  char *a = strstr(markdown, "| benchmark://t/a"), *d = strstr(markdown, "| benchmark://t/d");
  CHECK(a != NULL);
  CHECK(d != NULL);
  CHECK(a < d);
  free(markdown);
}

/* Part of the episodes finishing shows "(k of n)"; an agent with no ratio gets n/a in geomean. */
static void test_partial_and_unknown(void) {
  cgym_episode_record records[4];
  records[0] = record("benchmark://t/a", "greedy", 0, CGYM_EPISODE_OK, 10, 9, 10);
  records[1] = record("benchmark://t/a", "greedy", 1, CGYM_EPISODE_TIMED_OUT, 10, 9, -1);
  records[1].signal = 9;
  records[2] = record("benchmark://t/a", "slow", 0, CGYM_EPISODE_FAILED, 10, 9, -1);
  records[2].exit_code = 70;
  records[3] = record("benchmark://t/a", "slow", 1, CGYM_EPISODE_OUT_OF_MEMORY, 10, 9, -1);

  char *markdown = NULL;
  CHECK_OK(cgym_results_format_markdown(records, 4, &markdown));
  if (!markdown) return;

  CHECK(strstr(markdown, "| benchmark://t/a | 10 | 9 | 0.900 (1 of 2) | failed (0 of 2) |\n"));
  CHECK(strstr(markdown, "| geomean | | | 0.900 | n/a |\n"));
  CHECK(strstr(markdown, "episode 1: timed_out (signal 9)\n"));
  CHECK(strstr(markdown, "episode 0: failed (exit code 70)\n"));
  CHECK(strstr(markdown, "episode 1: out_of_memory\n"));
  free(markdown);
}

/* Names with '|' are escaped in the table, and backticks in a message get a longer fence. */
static void test_escaping(void) {
  cgym_episode_record records[2];
  records[0] = record("benchmark://t/a|b", "agent|x", 0, CGYM_EPISODE_OK, 4, 2, 2);
  records[1] = record("benchmark://t/a|b", "agent|x", 1, CGYM_EPISODE_FAILED, 4, 2, -1);
  records[1].exit_code = 1;
  records[1].message = "pass `gvn` failed\nsecond line";

  char *markdown = NULL;
  CHECK_OK(cgym_results_format_markdown(records, 2, &markdown));
  if (!markdown) return;

  CHECK(strstr(markdown, "| benchmark://t/a\\|b | 4 | 2 | 1.000 (1 of 2) |\n"));
  CHECK(strstr(markdown, "| benchmark | C0 | C_Oz | agent\\|x |\n"));
  CHECK(strstr(markdown, ": ``pass `gvn` failed second line``\n"));
  free(markdown);
}

static void test_all_finished_and_empty(void) {
  cgym_episode_record single = record("benchmark://t/a", "greedy", 0, CGYM_EPISODE_OK, 10, 8, 4);
  char *markdown = NULL;

  CHECK_OK(cgym_results_format_markdown(&single, 1, &markdown));
  CHECK(markdown != NULL);
  if (markdown) {
    CHECK(strstr(markdown, "| benchmark://t/a | 10 | 8 | 2.000 |\n"));
    CHECK(strstr(markdown, "Every episode finished.\n"));
  }
  free(markdown);

  markdown = NULL;
  CHECK_OK(cgym_results_format_markdown(NULL, 0, &markdown));
  CHECK(markdown != NULL);
  if (markdown) CHECK(strstr(markdown, "No episodes were recorded.\n"));
  free(markdown);
}

static void test_write_file(void) {
  char *dir = cgym_test_temp_dir("markdown");
  char *path = cgym_test_path(dir, "results.md");
  cgym_episode_record single = record("benchmark://t/a", "greedy", 0, CGYM_EPISODE_OK, 10, 8, 4);
  char *expected = NULL;

  CHECK_OK(cgym_results_format_markdown(&single, 1, &expected));
  CHECK_OK(cgym_results_write_markdown(path, &single, 1));
  CHECK_OK(cgym_results_write_markdown(path, &single, 1));
  CHECK(cgym_test_count_entries(dir) == 1);

  FILE *file = fopen(path, "rb");
  char buffer[4096] = {0};
  size_t size = file ? fread(buffer, 1, sizeof buffer - 1, file) : 0;
  if (file) fclose(file);
  CHECK(size > 0);
  CHECK_STR_EQ(buffer, expected);

  remove(path);
  remove(dir);
  free(expected);
  free(path);
  free(dir);
}

int main(void) {
  test_table_values();
  test_partial_and_unknown();
  test_escaping();
  test_all_finished_and_empty();
  test_write_file();
  return cgym_check_summary();
}
