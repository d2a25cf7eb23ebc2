#ifndef CGYM_ENV_SPACES_INTERNAL_H
#define CGYM_ENV_SPACES_INTERNAL_H

/* Indices of the observation and reward spaces in spaces.c's tables. */

#include <stddef.h>

#include "env/llvm_module.h"

#define CGYM_OBSERVATION_INSTCOUNT_SIZE CGYM_INSTCOUNT_SIZE
#define CGYM_OBSERVATION_AUTOPHASE_SIZE CGYM_AUTOPHASE_SIZE

typedef enum cgym_observation_id {
  CGYM_OBS_IR, CGYM_OBS_BITCODE, CGYM_OBS_BITCODE_SHA256, CGYM_OBS_IR_COUNT, CGYM_OBS_IR_COUNT_O0,
  CGYM_OBS_IR_COUNT_O3, CGYM_OBS_IR_COUNT_OZ, CGYM_OBS_INSTCOUNT, CGYM_OBS_INSTCOUNT_NORM,
  CGYM_OBS_AUTOPHASE, CGYM_OBS_TEXT_SIZE, CGYM_OBS_TEXT_SIZE_O0, CGYM_OBS_TEXT_SIZE_O3,
  CGYM_OBS_TEXT_SIZE_OZ, CGYM_OBS_CPU_INFO, CGYM_OBS_FUNCTIONS, CGYM_OBS_LOOPS,
  CGYM_OBSERVATION_COUNT
} cgym_observation_id;

/* Reward ids: cost kind * 4 + normalisation, so id / 4 is the cost and id % 4 the scale. */
typedef enum cgym_reward_id {
  CGYM_REWARD_IR, CGYM_REWARD_IR_NORM, CGYM_REWARD_IR_O3, CGYM_REWARD_IR_OZ, CGYM_REWARD_TEXT,
  CGYM_REWARD_TEXT_NORM, CGYM_REWARD_TEXT_O3, CGYM_REWARD_TEXT_OZ, CGYM_REWARD_COUNT
} cgym_reward_id;

/* Look a space up by name and store its index. Errors as cgym_observation_space_find. */
int cgym_observation_space_index(size_t *index, const char *name);
int cgym_reward_space_index(size_t *index, const char *name);

#endif
