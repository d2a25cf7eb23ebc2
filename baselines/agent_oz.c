/*
 * The -Oz baseline: one step of LLVM's default<Oz> pipeline from the benchmark as loaded. The
 * env measured C_Oz with the same pipeline on its own fresh parse, so this lands exactly on it.
 */
#include "baselines/agent_internal.h"

static const char oz_pipeline[] = "default<Oz>";

int cgym_agent_run_oz(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                      cgym_episode_log *log) {
  (void)params;
  (void)rng;
  int64_t count = 0;

  int rc = cgym_agent_begin(env, log, "oz");
  if (rc == CGYM_OK) rc = cgym_env_step_pipeline(env, oz_pipeline, NULL);
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &count);
  if (rc == CGYM_OK) rc = cgym_episode_log_append(log, oz_pipeline, oz_pipeline, count);
  if (rc == CGYM_OK) log->steps_taken++;
  return rc;
}
