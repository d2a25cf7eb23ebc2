#ifndef CGYM_REWARD_H
#define CGYM_REWARD_H

/*
 * Reward spaces. A reward is the decrease of a cost from the previous step to this one, so a
 * positive reward means smaller code. With C0 the cost of the benchmark as loaded and C_O3 and
 * C_Oz the costs after default<O3> and default<Oz> on a fresh parse:
 *
 *   IrInstructionCount      previous - current                      (cost: IR instruction count)
 *   IrInstructionCountNorm  (previous - current) / max(C0, 1)
 *   IrInstructionCountO3    (previous - current) / max(C0 - C_O3, 1)
 *   IrInstructionCountOz    (previous - current) / max(C0 - C_Oz, 1)
 *   ObjectTextSizeBytes, ObjectTextSizeNorm, ObjectTextSizeO3, ObjectTextSizeOz: the same with
 *   the .text size of the object file as the cost (see cgym/observation.h).
 *
 * The sum of an episode's O3 or Oz rewards is (C0 - C_final) / max(C0 - C_baseline, 1): 1.0
 * matches the baseline. A new env selects IrInstructionCountOz alone, the meaning that
 * cgym_env_step's reward has always had. ObjectTextSize rewards lower the module to an object
 * file after every step, so select them only when they are wanted.
 */

#include <stddef.h>

#include "cgym/env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest number of reward spaces selected at once: one per reward space. */
#define CGYM_REWARD_SELECTION_MAX 8

/*
 * Selects the reward spaces that steps compute, in order; names[0] is the one that cgym_env_step
 * stores in *reward. The selection survives reset, restart and fork. A space selected in the
 * middle of an episode starts from the current cost. A count of 0 (names may then be NULL)
 * selects none: steps store 0 as their reward and measure nothing. That is the cheapest way to
 * step, because the IR instruction count walks every instruction, and it is measured only when a
 * reward or an observation needs it. Errors: CGYM_EINVAL for NULL arguments, a count above
 * CGYM_REWARD_SELECTION_MAX, or a name given twice; CGYM_ENOTFOUND for an
 * unknown name (with a "did you mean" suggestion); CGYM_ELLVM when measuring a newly selected
 * cost fails. On failure the selection is unchanged.
 */
int cgym_env_select_rewards(cgym_env *env, const char *const *names, size_t count);

/* Stores the number of selected reward spaces in *count. Errors: CGYM_EINVAL. */
int cgym_env_reward_count(size_t *count, const cgym_env *env);

/*
 * Copies the rewards of the last successful step, one per selected space in selection order, to
 * out[0] to out[count-1]; count must equal the number selected. All are 0 after reset, restart or
 * a new selection, until the next step. Errors: CGYM_EINVAL for NULL or a wrong count.
 */
int cgym_env_last_rewards(double *out, size_t count, const cgym_env *env);

#ifdef __cplusplus
}
#endif

#endif
