/*
 * CompilerGym's published vectors for cBench crc32, checked on CompilerGym's own bitcode of that
 * program (written by LLVM 10, shipped in the compiler-gym 0.2.5 wheel; the CTest entry gets its
 * path from scripts/compilergym-reference.sh through $CGYM_COMPILERGYM_CRC32). LLVM 19 reads the
 * LLVM 10 bitcode; InstCount and Autophase equal CompilerGym's vectors element for element; one
 * -reg2mem step gives 249 instructions as in CompilerGym's reward test. The -O3 and -Oz
 * baselines are LLVM 19.1.7's new-pass-manager pipelines, so they differ from LLVM 10's 164 and
 * 114, and with them the O3- and Oz-scaled rewards.
 *
 * Exit status 77 (skipped) when the file is missing, unless $CGYM_REQUIRE_REFERENCE_DATA is 1,
 * which scripts/test.sh sets so that CI cannot skip it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/reward.h"
#include "support/check.h"

/* tests/llvm/observation_spaces_test.py of CompilerGym: InstCount and Autophase of crc32. */
static const int64_t instcount_crc32[70] = {
    242, 29, 15, 5, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0,
    0,   0,  0,  0, 3,  0, 3, 1, 8, 26, 51, 42, 5, 0, 0, 0, 1, 5, 0, 0, 0, 0, 0, 0,
    0,   0,  0, 20, 0,  0, 0, 10, 0, 0, 33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const int64_t autophase_crc32[56] = {
    0,  0,  16, 12, 2, 16, 8, 2,  4,  8,  0,  0,  0,  29, 0,  24, 9,  2,  32,
    44, 41, 14, 36, 16, 13, 0, 5,  26, 3,  5,  24, 20, 24, 33, 5,  10, 3,  51,
    0,  1,  0,  5,  0, 0,  0,  42, 0,  1,  8,  5,  29, 242, 157, 15, 0,  103};

static int64_t observe_int(cgym_env *env, const char *name) {
  cgym_observation value;
  int rc = cgym_env_observe(&value, env, name);
  CHECK_OK(rc);
  int64_t result = rc == CGYM_OK ? value.int64_value : -1;
  cgym_observation_clear(&value);
  return result;
}

static void check_vector(cgym_env *env, const char *name, const int64_t *expected, size_t size) {
  cgym_observation value;
  CHECK_OK(cgym_env_observe(&value, env, name));
  CHECK(value.size == size);
  for (size_t i = 0; i < size && i < value.size; i++) {
    if (value.int64s[i] != expected[i])
      fprintf(stderr, "%s[%zu] (%s): %lld, CompilerGym has %lld\n", name, i,
              value.space->element_names[i], (long long)value.int64s[i], (long long)expected[i]);
    CHECK(value.int64s[i] == expected[i]);
  }
  cgym_observation_clear(&value);
}

int main(void) {
  const char *path = getenv("CGYM_COMPILERGYM_CRC32");
  FILE *file = path ? fopen(path, "rb") : NULL;
  if (!file) {
    const char *required = getenv("CGYM_REQUIRE_REFERENCE_DATA");
    fprintf(stderr, "CompilerGym's crc32 bitcode is missing (CGYM_COMPILERGYM_CRC32=%s); run "
            "scripts/compilergym-reference.sh BUILD_DIR/test-data\n", path ? path : "");
    if (required && strcmp(required, "1") == 0) return 1;
    return 77;
  }
  fclose(file);

  cgym_env *env = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "benchmark://cbench-v1/crc32", path));
  CHECK(observe_int(env, "IrInstructionCount") == 242);
  check_vector(env, "InstCount", instcount_crc32, 70);
  check_vector(env, "Autophase", autophase_crc32, 56);

  /* LLVM 19.1.7's default<O3> and default<Oz>; CompilerGym's LLVM 10 gives 164 and 114. */
  int64_t o3 = observe_int(env, "IrInstructionCountO3"), oz = observe_int(env, "IrInstructionCountOz");
  CHECK(o3 == 222);
  CHECK(oz == 111);
  /* .text only, codegen level None; CompilerGym reads llvm-size's text column (which includes
   * read-only data) of the host clang's object: 1183, 3961 and 3286 bytes. */
  CHECK(observe_int(env, "ObjectTextSizeO0") == 864);
  CHECK(observe_int(env, "ObjectTextSizeO3") == 2324);
  CHECK(observe_int(env, "ObjectTextSizeOz") == 860);

  /* CompilerGym's reward test: one -reg2mem step, 242 -> 249 instructions. */
  const char *rewards[] = {"IrInstructionCount", "IrInstructionCountNorm", "IrInstructionCountO3",
                           "IrInstructionCountOz"};
  double values[4] = {0};
  size_t reg2mem = 0;
  CHECK_OK(cgym_env_select_rewards(env, rewards, 4));
  CHECK_OK(cgym_action_space_find(cgym_env_action_space(env), "-reg2mem", &reg2mem));
  CHECK_OK(cgym_env_step(env, reg2mem, NULL));
  CHECK(observe_int(env, "IrInstructionCount") == 249);
  CHECK_OK(cgym_env_last_rewards(values, 4, env));
  CHECK(values[0] == -7.0);
  CHECK(fabs(values[1] - -7.0 / 242) < 1e-12);
  CHECK(fabs(values[2] - -7.0 / (242 - 222)) < 1e-12);
  CHECK(fabs(values[3] - -7.0 / (242 - 111)) < 1e-12);
  cgym_env_free(env);
  return cgym_check_summary();
}
