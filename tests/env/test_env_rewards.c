/*
 * Reward spaces: each formula against the observations it is defined by, the default
 * IrInstructionCountOz, an Oz episode summing to 1, and selection errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/reward.h"
#include "cgym/state.h"
#include "support/check.h"
#include "test_modules.h"

static int64_t observe_int(cgym_env *env, const char *name) {
  cgym_observation value;
  CHECK_OK(cgym_env_observe(&value, env, name));
  return value.int64_value;
}

static int close_to(double a, double b) { return fabs(a - b) <= 1e-12 * (fabs(a) + fabs(b) + 1); }

static double scale(int64_t value) { return value < 1 ? 1.0 : (double)value; }

static void test_formulas(const char *module) {
  static const char *const names[] = {"IrInstructionCount", "IrInstructionCountNorm",
                                      "IrInstructionCountO3", "IrInstructionCountOz",
                                      "ObjectTextSizeBytes", "ObjectTextSizeNorm",
                                      "ObjectTextSizeO3", "ObjectTextSizeOz"};
  cgym_env *env = NULL;
  double rewards[8], reward = 0;
  size_t reg2mem = 0;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_select_rewards(env, names, 8));
  CHECK_OK(cgym_action_space_find(cgym_env_action_space(env), "-reg2mem", &reg2mem));
  int64_t ir0 = observe_int(env, "IrInstructionCountO0");
  int64_t ir_o3 = observe_int(env, "IrInstructionCountO3");
  int64_t ir_oz = observe_int(env, "IrInstructionCountOz");
  int64_t text0 = observe_int(env, "ObjectTextSizeO0");
  int64_t text_o3 = observe_int(env, "ObjectTextSizeO3");
  int64_t text_oz = observe_int(env, "ObjectTextSizeOz");

  /* The first step's previous cost is the O0 baseline; reg2mem adds instructions. */
  CHECK_OK(cgym_env_step(env, reg2mem, &reward));
  CHECK_OK(cgym_env_last_rewards(rewards, 8, env));
  double ir_delta = (double)(ir0 - observe_int(env, "IrInstructionCount"));
  double text_delta = (double)(text0 - observe_int(env, "ObjectTextSizeBytes"));
  CHECK(ir_delta < 0);
  CHECK(reward == rewards[0]);
  CHECK(rewards[0] == ir_delta);
  CHECK(close_to(rewards[1], ir_delta / scale(ir0)));
  CHECK(close_to(rewards[2], ir_delta / scale(ir0 - ir_o3)));
  CHECK(close_to(rewards[3], ir_delta / scale(ir0 - ir_oz)));
  CHECK(rewards[4] == text_delta);
  CHECK(close_to(rewards[5], text_delta / scale(text0)));
  CHECK(close_to(rewards[6], text_delta / scale(text0 - text_o3)));
  CHECK(close_to(rewards[7], text_delta / scale(text0 - text_oz)));

  /* The second step's previous cost is the first step's. */
  int64_t ir1 = observe_int(env, "IrInstructionCount");
  CHECK_OK(cgym_env_step_pipeline(env, "mem2reg", &reward));
  CHECK(reward == (double)(ir1 - observe_int(env, "IrInstructionCount")));
  CHECK_ERROR(cgym_env_last_rewards(rewards, 3, env), CGYM_EINVAL, "expected count 8");
  cgym_env_free(env);
}

static void test_default_and_oz_episode(const char *module) {
  static const char *const oz[] = {"IrInstructionCountOz", "ObjectTextSizeOz"};
  cgym_env *env = NULL;
  double reward = 0, rewards[2];
  size_t count = 0;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reward_count(&count, env));
  CHECK(count == 1);
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_step_pipeline(env, "default<Oz>", &reward));
  CHECK(reward == 1.0);

  CHECK_OK(cgym_env_select_rewards(env, oz, 2));
  CHECK_OK(cgym_env_restart(env));
  CHECK_OK(cgym_env_step_pipeline(env, "default<Oz>", NULL));
  CHECK_OK(cgym_env_last_rewards(rewards, 2, env));
  CHECK(rewards[0] == 1.0);
  CHECK(rewards[1] == 1.0);
  cgym_env_free(env);
}

static void test_selection_errors(const char *module) {
  const char *unknown[] = {"IrInstructionCountOzz"};
  const char *twice[] = {"IrInstructionCount", "IrInstructionCount"};
  const char *mid[] = {"ObjectTextSizeBytes"};
  cgym_env *env = NULL;
  double reward = 0;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_ERROR(cgym_env_select_rewards(env, unknown, 1), CGYM_ENOTFOUND,
              "did you mean 'IrInstructionCountOz'?");
  CHECK_ERROR(cgym_env_select_rewards(env, twice, 2), CGYM_EINVAL, "selected twice");
  const char *nine[9] = {"IrInstructionCount"};
  CHECK_ERROR(cgym_env_select_rewards(env, nine, 9), CGYM_EINVAL, "expected 0 to 8");

  /* No reward: steps report 0 and the count is still measured when asked for. */
  int64_t count = 0, as_loaded = 0;
  size_t reward_count = 1;
  CHECK_OK(cgym_env_select_rewards(env, NULL, 0));
  CHECK_OK(cgym_env_reward_count(&reward_count, env));
  CHECK(reward_count == 0);
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_instruction_count(env, &as_loaded));
  reward = 1;
  CHECK_OK(cgym_env_step_pipeline(env, "sroa", &reward));
  CHECK(reward == 0.0);
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count < as_loaded);
  CHECK(count == observe_int(env, "IrInstructionCount"));

  /* Selected mid-episode, a reward starts from the current cost. */
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_step_pipeline(env, "sroa", NULL));
  int64_t before = observe_int(env, "ObjectTextSizeBytes");
  CHECK_OK(cgym_env_select_rewards(env, mid, 1));
  CHECK_OK(cgym_env_step_pipeline(env, "gvn", &reward));
  CHECK(reward == (double)(before - observe_int(env, "ObjectTextSizeBytes")));
  cgym_env_free(env);
}

/* Valid inline assembly lowers. An invalid instruction in module assembly passes the verifier
 * but not codegen, so the observation fails, and a step whose ObjectTextSize reward cannot be
 * computed is undone, which leaves the env usable. */
static void test_text_size_failure(const char *dir) {
  static const char body[] = "define i32 @f(i32 %x) {\n  %y = add i32 %x, 0\n  ret i32 %y\n}\n";
  char good_text[256], bad_text[256];
  snprintf(good_text, sizeof good_text, "module asm \"nop\"\n%s", body);
  snprintf(bad_text, sizeof bad_text, "module asm \"bogus_mnemonic %%eax\"\n%s", body);
  char *good = cgym_test_write_module(dir, "good-asm.ll", good_text);
  char *bad = cgym_test_write_module(dir, "bad-asm.ll", bad_text);
  cgym_env *env = NULL;
  cgym_observation value;
  CHECK_OK(cgym_env_create(&env, NULL));

  CHECK_OK(cgym_env_reset(env, "good", good));
  CHECK_OK(cgym_env_observe(&value, env, "ObjectTextSizeBytes"));
  CHECK(value.int64_value > 0);
  cgym_observation_clear(&value);

  CHECK_OK(cgym_env_reset(env, "bad", bad));
  CHECK_ERROR(cgym_env_observe(&value, env, "ObjectTextSizeBytes"), CGYM_ELLVM,
              "invalid instruction mnemonic 'bogus_mnemonic'");
  const char *names[] = {"ObjectTextSizeBytes"};
  CHECK_OK(cgym_env_select_rewards(env, names, 1));
  size_t action = 0;
  int64_t count = 0;
  char before[65], after[65];
  CHECK_OK(cgym_env_bitcode_sha256(env, before));
  CHECK_OK(cgym_action_space_find(cgym_env_action_space(env), "instcombine", &action));
  CHECK_ERROR(cgym_env_step(env, action, NULL), CGYM_ELLVM, "the step was undone");
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count == 2);
  CHECK_OK(cgym_env_bitcode_sha256(env, after));
  CHECK_STR_EQ(after, before);
  cgym_state *state = NULL;
  CHECK_OK(cgym_env_state(&state, env));
  CHECK(state != NULL);
  if (state) CHECK(state->step_count == 0);
  cgym_state_free(state);

  names[0] = "IrInstructionCount";
  CHECK_OK(cgym_env_select_rewards(env, names, 1));
  double reward = 0;
  CHECK_OK(cgym_env_step(env, action, &reward));
  CHECK(reward == 1.0);
  cgym_env_free(env);
  free(good);
  free(bad);
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-rewards");
  char *csmith = cgym_test_csmith_module(dir, 6);

  test_formulas(csmith);
  test_default_and_oz_episode(csmith);
  test_selection_errors(csmith);
  test_text_size_failure(dir);

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  cgym_test_run(command);
  free(csmith);
  free(dir);
  return cgym_check_summary();
}
