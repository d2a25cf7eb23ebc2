/*
 * Episode states. A state exported, written, parsed and replayed into a new env gives identical
 * bitcode and observations. Replay rejects other benchmark bytes and another action space.
 * CompilerGym's state CSV reads and writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/state.h"
#include "support/check.h"
#include "test_modules.h"

static void observe_same(cgym_env *a, cgym_env *b, const char *name) {
  cgym_observation x, y;
  CHECK_OK(cgym_env_observe(&x, a, name));
  CHECK_OK(cgym_env_observe(&y, b, name));
  CHECK(x.size == y.size);
  if (x.int64s && y.int64s) CHECK(memcmp(x.int64s, y.int64s, x.size * sizeof x.int64s[0]) == 0);
  if (x.string && y.string) CHECK_STR_EQ(x.string, y.string);
  cgym_observation_clear(&x);
  cgym_observation_clear(&y);
}

static void test_round_trip(const char *module, const char *other) {
  static const char *const names[] = {"sroa", "-instcombine", "gvn", "loop-rotate", "licm"};
  cgym_env *env = NULL, *replay = NULL;
  cgym_state *state = NULL, *parsed = NULL;
  char *text = NULL, sha[65], replay_sha[65];

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "benchmark://test/m", module));
  for (size_t i = 0; i < 5; i++) {
    size_t index;
    CHECK_OK(cgym_action_space_find(cgym_env_action_space(env), names[i], &index));
    CHECK_OK(cgym_env_step(env, index, NULL));
  }
  CHECK_OK(cgym_env_step_pipeline(env, "default<O2>", NULL));
  CHECK_OK(cgym_env_state(&state, env));
  CHECK(state->step_count == 6);
  CHECK_STR_EQ(state->steps[1].action, "instcombine");
  CHECK_STR_EQ(state->steps[5].pipeline, "default<O2>");
  CHECK_STR_EQ(state->sha256, cgym_env_benchmark_sha256(env));

  CHECK_OK(cgym_state_format(&text, state));
  CHECK(strncmp(text, "cgym-state 1\nbenchmark benchmark://test/m\nsha256 ", 49) == 0);
  CHECK_OK(cgym_state_parse(&parsed, text));
  CHECK(parsed->step_count == 6);

  CHECK_OK(cgym_env_create(&replay, NULL));
  CHECK_OK(cgym_env_reset(replay, "benchmark://test/m", module));
  CHECK_OK(cgym_env_apply_state(replay, parsed));
  CHECK_OK(cgym_env_bitcode_sha256(env, sha));
  CHECK_OK(cgym_env_bitcode_sha256(replay, replay_sha));
  CHECK_STR_EQ(replay_sha, sha);
  observe_same(env, replay, "Ir");
  observe_same(env, replay, "InstCount");
  observe_same(env, replay, "Autophase");
  observe_same(env, replay, "ObjectTextSizeBytes");

  /* Other bytes, or another action space, are rejected and the env stays usable. */
  CHECK_OK(cgym_env_reset(replay, "benchmark://test/other", other));
  CHECK_ERROR(cgym_env_apply_state(replay, parsed), CGYM_ECHECKSUM, "expects benchmark bytes");
  free(parsed->action_space);
  parsed->action_space = strdup("llvm19-pipelines-v1");
  parsed->sha256[0] = '\0';
  CHECK_ERROR(cgym_env_apply_state(replay, parsed), CGYM_ENOTFOUND, "action space");
  CHECK_OK(cgym_env_step(replay, 0, NULL));

  free(text);
  cgym_state_free(state);
  cgym_state_free(parsed);
  cgym_env_free(env);
  cgym_env_free(replay);
}

static void test_parse_errors(void) {
  cgym_state *state = NULL;
  CHECK_ERROR(cgym_state_parse(&state, "not a state\n"), CGYM_EFORMAT, "line 1");
  CHECK_ERROR(cgym_state_parse(&state, "cgym-state 1\nbenchmark b\nfoo bar\n"), CGYM_EFORMAT,
              "line 3");
  CHECK_ERROR(cgym_state_parse(&state, "cgym-state 1\nbenchmark b\n"), CGYM_EFORMAT,
              "no action-space line");
  CHECK(state == NULL);
}

static void test_csv(const char *module) {
  const char *csv =
      "benchmark,reward,walltime,commandline\n"
      "benchmark://cbench-v1/crc32,0.25,1.5,opt -sroa -constprop -flattencfg input.bc -o output.bc\n"
      "benchmark://cbench-v1/qsort,,,opt  input.bc -o output.bc\n";
  cgym_csv_row *rows = NULL;
  size_t count = 0;
  char *written = NULL;

  CHECK_OK(cgym_state_csv_read(&rows, &count, csv));
  CHECK(count == 2);
  CHECK_STR_EQ(rows[0].state->benchmark, "benchmark://cbench-v1/crc32");
  CHECK(rows[0].has_reward);
  CHECK(rows[0].reward == 0.25);
  CHECK(rows[0].walltime == 1.5);
  CHECK(rows[0].state->step_count == 2);
  CHECK_STR_EQ(rows[0].state->steps[1].action, "flatten-cfg");
  CHECK(rows[0].unmapped_count == 1);
  CHECK_STR_EQ(rows[0].unmapped[0], "-constprop");
  CHECK(!rows[1].has_reward);
  CHECK(rows[1].state->step_count == 0);

  CHECK_OK(cgym_state_csv_write(&written, rows[0].state, 1, 0.25, 1.5));
  CHECK_STR_EQ(written, "benchmark,reward,walltime,commandline\nbenchmark://cbench-v1/crc32,"
                        "0.25,1.5,opt -sroa -flattencfg input.bc -o output.bc\n");
  free(written);
  CHECK_OK(cgym_state_csv_write(&written, rows[1].state, 0, 0, 0));
  CHECK(strstr(written, ",,0,opt  input.bc -o output.bc\n") != NULL);
  free(written);
  cgym_csv_rows_free(rows, count);

  /* A state with a pipeline step has no CompilerGym commandline. */
  cgym_env *env = NULL;
  cgym_state *state = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_step_pipeline(env, "default<O1>", NULL));
  CHECK_OK(cgym_env_state(&state, env));
  CHECK_ERROR(cgym_state_csv_write(&written, state, 0, 0, 0), CGYM_EINVAL, "default<O1>");
  cgym_state_free(state);
  cgym_env_free(env);

  CHECK_ERROR(cgym_state_csv_read(&rows, &count, "b,1,2,clang -O2\n"), CGYM_EFORMAT, "line 1");
  CHECK_ERROR(cgym_state_csv_read(&rows, &count, "\"b,1,2,opt\n"), CGYM_EFORMAT, "quoted");
  CHECK(rows == NULL);
  CHECK(count == 0);
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-state");
  char *csmith = cgym_test_csmith_module(dir, 8);
  char *other = cgym_test_csmith_module(dir, 9);

  test_round_trip(csmith, other);
  test_parse_errors();
  test_csv(csmith);

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  cgym_test_run(command);
  free(csmith);
  free(other);
  free(dir);
  return cgym_check_summary();
}
