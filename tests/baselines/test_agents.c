/*
 * The baseline agents on a real csmith module. -Oz lands on C_Oz. Random and greedy give the
 * same actions and counts for the same seed, and different seeds give different random
 * episodes. Each final count is what a replay of the action list from a fresh parse gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines/agent.h"
#include "cgym/error.h"
#include "support/check.h"
#include "test_modules.h"

static const char *module;

/* Runs agent `name` on a fresh env with seed; stores the log and the env's final count. */
/* Bitcode SHA-256 of the final state of the last run_agent call: a replay must reproduce it, which
 * also shows that greedy's probes leave no trace in the env's LLVM context. */
static char log_final_sha256[65];

static void run_agent(const char *name, uint64_t seed, const cgym_agent_params *params,
                      cgym_episode_log *log, int64_t *final_count) {
  const cgym_agent *agent = NULL;
  cgym_env *env = NULL;
  cgym_rng rng;

  CHECK_OK(cgym_agent_find(name, &agent));
  cgym_rng_seed_episode(&rng, seed, "test", "generator://csmith-v0/12", name, 0);
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "generator://csmith-v0/12", module));
  CHECK_OK(agent->run(env, params, &rng, log));
  CHECK_OK(cgym_env_instruction_count(env, final_count));
  CHECK_OK(cgym_env_bitcode_sha256(env, log_final_sha256));
  cgym_env_free(env);
}

/* Replays the log's pipelines from a fresh parse and checks every count against the log. */
static void check_replay(const cgym_episode_log *log, int64_t final_count,
                         const char *final_sha256) {
  cgym_env *env = NULL;
  int64_t count = 0, c0 = 0;
  char sha256[65];

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "replay", module));
  CHECK_OK(cgym_env_baselines(env, &c0, NULL));
  for (size_t i = 0; i < log->length; i++) {
    CHECK_OK(cgym_env_step_pipeline(env, log->pipelines[i], NULL));
    CHECK_OK(cgym_env_instruction_count(env, &count));
    CHECK(count == log->counts[i]);
  }
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count == final_count);
  CHECK_OK(cgym_env_bitcode_sha256(env, sha256));
  CHECK_STR_EQ(sha256, final_sha256);
  if (log->length > 0) CHECK(log->counts[log->length - 1] == final_count);
  else CHECK(final_count == c0);
  cgym_env_free(env);
}

static int same_log(const cgym_episode_log *a, const cgym_episode_log *b) {
  if (a->length != b->length || a->steps_taken != b->steps_taken) return 0;
  for (size_t i = 0; i < a->length; i++) {
    if (strcmp(a->actions[i], b->actions[i]) != 0 || a->counts[i] != b->counts[i]) return 0;
  }
  return 1;
}

static void test_oz(void) {
  cgym_agent_params params = CGYM_AGENT_PARAMS_DEFAULT;
  cgym_episode_log log = {0};
  cgym_env *env = NULL;
  int64_t final_count = 0, c_oz = 0;

  run_agent("oz", 1, &params, &log, &final_count);
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_baselines(env, NULL, &c_oz));
  CHECK(log.length == 1);
  CHECK_STR_EQ(log.actions[0], "default<Oz>");
  CHECK(final_count == c_oz);
  cgym_env_free(env);
  cgym_episode_log_free(&log);
}

static void test_random(void) {
  cgym_agent_params params = {30, 10, 0};
  cgym_episode_log first = {0}, second = {0}, other = {0};
  int64_t first_count, second_count, other_count;

  char first_sha256[65], other_sha256[65];
  run_agent("random", 1, &params, &first, &first_count);
  strcpy(first_sha256, log_final_sha256);
  run_agent("random", 1, &params, &second, &second_count);
  run_agent("random", 2, &params, &other, &other_count);
  strcpy(other_sha256, log_final_sha256);

  CHECK(same_log(&first, &second));
  CHECK(first_count == second_count);
  CHECK(!same_log(&first, &other));
  CHECK(first.steps_taken >= (int64_t)first.length);
  CHECK(first.steps_taken <= params.episode_length);
  check_replay(&first, first_count, first_sha256);
  check_replay(&other, other_count, other_sha256);

  cgym_episode_log_free(&first);
  cgym_episode_log_free(&second);
  cgym_episode_log_free(&other);
}

static void test_greedy(void) {
  cgym_agent_params params = {0, 0, 4};
  cgym_episode_log first = {0}, second = {0};
  int64_t first_count, second_count;

  char first_sha256[65];
  run_agent("greedy", 1, &params, &first, &first_count);
  strcpy(first_sha256, log_final_sha256);
  run_agent("greedy", 9, &params, &second, &second_count);
  CHECK(same_log(&first, &second)); /* greedy ignores the seed */
  CHECK(first_count == second_count);
  CHECK(first.length >= 1);
  CHECK(first.length <= 4);
  for (size_t i = 1; i < first.length; i++) CHECK(first.counts[i] < first.counts[i - 1]);
  check_replay(&first, first_count, first_sha256);
  cgym_episode_log_free(&first);
  cgym_episode_log_free(&second);
}

static void test_lookup_and_params(void) {
  const cgym_agent *agent = NULL;
  size_t count = 0;
  CHECK(cgym_agents(&count) != NULL);
  CHECK(count == 3);
  CHECK_ERROR(cgym_agent_find("randm", &agent), CGYM_ENOTFOUND, "oz, random, greedy");

  cgym_agent_params params = {10, 0, 0};
  cgym_episode_log log = {0};
  cgym_env *env = NULL;
  cgym_rng rng;
  cgym_rng_seed(&rng, 1);
  CHECK_OK(cgym_agent_find("random", &agent));
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_ERROR(agent->run(env, &params, &rng, &log), CGYM_EINVAL, "patience");
  cgym_env_free(env);
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-agents");
  char *path = cgym_test_csmith_module(dir, 12);
  module = path;

  test_oz();
  test_random();
  test_greedy();
  test_lookup_and_params();

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  cgym_test_run(command);
  free(path);
  free(dir);
  return cgym_check_summary();
}
