/*
 * Observations and their space descriptions on real modules: every space computes, InstCount and
 * Autophase agree with each other and with a hand-counted module, observing changes nothing, and
 * unknown names get a suggestion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/spaces.h"
#include "support/check.h"
#include "test_modules.h"

static char *temp_dir;

static int64_t observe_int(cgym_env *env, const char *name) {
  cgym_observation value;
  CHECK_OK(cgym_env_observe(&value, env, name));
  int64_t result = value.int64_value;
  cgym_observation_clear(&value);
  return result;
}

/* Two functions, one declaration; 4 blocks; a loop with a phi and a critical edge. */
static const char counted_ir[] =
    "declare i32 @g(i32)\n"
    "define i32 @f(i32 %n) {\n"
    "entry:\n"
    "  %c = icmp sgt i32 %n, 0\n"
    "  br i1 %c, label %loop, label %exit\n"
    "loop:\n"
    "  %i = phi i32 [ 0, %entry ], [ %next, %loop ]\n"
    "  %next = add i32 %i, 1\n"
    "  %done = icmp eq i32 %next, %n\n"
    "  br i1 %done, label %exit, label %loop\n"
    "exit:\n"
    "  %r = phi i32 [ 0, %entry ], [ %next, %loop ]\n"
    "  %v = call i32 @g(i32 %r)\n"
    "  ret i32 %v\n"
    "}\n"
    "define void @h() {\n"
    "  ret void\n"
    "}\n";

static void test_counted_module(void) {
  char *path = cgym_test_path(temp_dir, "counted.ll");
  FILE *file = fopen(path, "w");
  if (!file) abort();
  fputs(counted_ir, file);
  fclose(file);

  cgym_env *env = NULL;
  cgym_observation instcount, autophase;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "counted", path));
  CHECK_OK(cgym_env_observe(&instcount, env, "InstCount"));
  CHECK_OK(cgym_env_observe(&autophase, env, "Autophase"));

  /* TotalInsts, TotalBlocks, TotalFuncs (declarations count), Ret, Br, Add, ICmp, PHI, Call. */
  CHECK(instcount.size == 70);
  CHECK(instcount.int64s[0] == 10);
  CHECK(instcount.int64s[1] == 4);
  CHECK(instcount.int64s[2] == 3);
  CHECK(instcount.int64s[3] == 2);
  CHECK(instcount.int64s[4] == 2);
  CHECK(instcount.int64s[15] == 1);
  CHECK(instcount.int64s[55] == 2);
  CHECK(instcount.int64s[57] == 2);
  CHECK(instcount.int64s[58] == 1);

  const int64_t *a = autophase.int64s;
  CHECK(autophase.size == 56);
  CHECK(a[1] == 2);                 /* BBNumArgsLo: loop and exit have 2 incoming values each */
  CHECK(a[2] == 0);                 /* onePred: none */
  CHECK(a[6] == 2);                 /* twoPred: loop, exit */
  CHECK(a[8] == 1);                 /* twoEach: loop */
  CHECK(a[9] == 2);                 /* twoSuccessor: entry, loop */
  CHECK(a[11] == 2);                /* BB03Phi */
  CHECK(a[13] == 2);                /* BBNoPhi: entry and h's block */
  CHECK(a[14] == 2);                /* BeginPhi */
  CHECK(a[15] == 2); /* BranchCount */
  CHECK(a[23] == 0); /* UncondBranches */
  CHECK(a[16] == 1);                /* returnInt: the call to g */
  CHECK(a[17] == 4);                /* CriticalCount: every edge into loop and exit */
  CHECK(a[18] == 4);                /* NumEdges */
  CHECK(a[19] == 4);                /* const32Bit: 0 in each phi, 0 in icmp, 1 in add */
  CHECK(a[21] == 3); /* numConstZeroes */
  CHECK(a[22] == 1); /* numConstOnes */
  CHECK(a[24] == 1);                /* binaryConstArg */
  CHECK(a[50] == 4);  /* TotalBlocks */
  CHECK(a[51] == 10); /* TotalInsts */
  CHECK(a[52] == 1);                /* TotalMemInst: the call */
  CHECK(a[53] == 3);                /* TotalFuncs */
  CHECK(a[54] == 4);                /* ArgsPhi */
  cgym_observation_clear(&instcount);
  cgym_observation_clear(&autophase);
  cgym_env_free(env);
  free(path);
}

/* Cross-checks between spaces on a csmith module after a few steps. */
static void test_consistency(const char *module) {
  cgym_env *env = NULL;
  cgym_observation instcount, norm, autophase, ir, bitcode, sha;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_step_pipeline(env, "sroa", NULL));

  CHECK_OK(cgym_env_observe(&instcount, env, "InstCount"));
  CHECK_OK(cgym_env_observe(&norm, env, "InstCountNorm"));
  CHECK_OK(cgym_env_observe(&autophase, env, "Autophase"));
  CHECK_OK(cgym_env_observe(&ir, env, "Ir"));
  CHECK_OK(cgym_env_observe(&bitcode, env, "Bitcode"));
  CHECK_OK(cgym_env_observe(&sha, env, "BitcodeSha256"));

  int64_t sum = 0;
  for (size_t i = 3; i < 70; i++) sum += instcount.int64s[i];
  CHECK(sum == instcount.int64s[0]);
  CHECK(instcount.int64s[0] == observe_int(env, "IrInstructionCount"));
  CHECK(norm.size == 69);
  CHECK(norm.doubles[2] * (double)instcount.int64s[0] == (double)instcount.int64s[3]);
  CHECK(autophase.int64s[51] == instcount.int64s[0]);
  CHECK(autophase.int64s[50] == instcount.int64s[1]);
  CHECK(autophase.int64s[53] == instcount.int64s[2]);
  CHECK(autophase.int64s[32] == instcount.int64s[4]);
  CHECK(autophase.int64s[52] == instcount.int64s[36] + instcount.int64s[34] +
                                    instcount.int64s[35] + instcount.int64s[58] +
                                    instcount.int64s[7] + instcount.int64s[33]);
  CHECK(autophase.int64s[2] + autophase.int64s[6] + autophase.int64s[10] <= autophase.int64s[50]);
  CHECK(ir.string != NULL);
  if (ir.string) {
    CHECK(strstr(ir.string, "define") != NULL);
    CHECK(ir.size == strlen(ir.string));
  }
  CHECK(bitcode.size > 4);
  CHECK(bitcode.bytes != NULL);
  if (bitcode.bytes) {
    CHECK(bitcode.bytes[0] == 'B');
    CHECK(bitcode.bytes[1] == 'C');
  }
  char expected[65];
  CHECK_OK(cgym_env_bitcode_sha256(env, expected));
  CHECK_STR_EQ(sha.string, expected);

  cgym_observation_clear(&instcount);
  cgym_observation_clear(&norm);
  cgym_observation_clear(&autophase);
  cgym_observation_clear(&ir);
  cgym_observation_clear(&bitcode);
  cgym_observation_clear(&sha);
  cgym_env_free(env);
}

static void test_baselines_and_text_size(const char *module) {
  cgym_env *env = NULL, *second = NULL;
  int64_t c0 = 0, c_oz = 0;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_baselines(env, &c0, &c_oz));

  CHECK(observe_int(env, "IrInstructionCountO0") == c0);
  CHECK(observe_int(env, "IrInstructionCountOz") == c_oz);
  int64_t o3 = observe_int(env, "IrInstructionCountO3");
  CHECK(o3 > 0);
  CHECK(o3 < c0);
  int64_t text0 = observe_int(env, "ObjectTextSizeO0");
  CHECK(text0 > 0);
  CHECK(observe_int(env, "ObjectTextSizeBytes") == text0);
  CHECK(observe_int(env, "ObjectTextSizeOz") < text0);
  CHECK(observe_int(env, "ObjectTextSizeO3") > 0);

  /* The -Oz pipeline on the episode's fresh parse lands exactly on both Oz baselines. */
  CHECK_OK(cgym_env_step_pipeline(env, "default<Oz>", NULL));
  CHECK(observe_int(env, "IrInstructionCount") == c_oz);
  CHECK(observe_int(env, "ObjectTextSizeBytes") == observe_int(env, "ObjectTextSizeOz"));

  /* A second env on the same bytes gets the same baselines from the process-wide cache. */
  CHECK_OK(cgym_env_create(&second, NULL));
  CHECK_OK(cgym_env_reset(second, "m", module));
  CHECK(observe_int(second, "IrInstructionCountO3") == o3);
  CHECK(observe_int(second, "ObjectTextSizeO0") == text0);

  cgym_observation cpu;
  CHECK_OK(cgym_env_observe(&cpu, env, "CpuInfo"));
  CHECK(cpu.string != NULL);
  if (cpu.string) CHECK(strstr(cpu.string, "\"cores_count\":") != NULL);
  cgym_observation_clear(&cpu);
  cgym_env_free(second);
  cgym_env_free(env);
}

/* Observing every space between steps leaves the final bitcode as it is without observations. */
static void test_observing_changes_nothing(const char *module) {
  static const char *const pipelines[] = {"sroa", "early-cse", "gvn", "simplifycfg", "licm"};
  char plain[65], observed[65];
  cgym_env *env = NULL;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  for (size_t i = 0; i < 5; i++) CHECK_OK(cgym_env_step_pipeline(env, pipelines[i], NULL));
  CHECK_OK(cgym_env_bitcode_sha256(env, plain));

  CHECK_OK(cgym_env_restart(env));
  for (size_t i = 0; i < 5; i++) {
    for (size_t s = 0; s < cgym_observation_space_count(); s++) {
      cgym_observation value;
      CHECK_OK(cgym_env_observe(&value, env, cgym_observation_space_get(s)->name));
      cgym_observation_clear(&value);
    }
    CHECK_OK(cgym_env_step_pipeline(env, pipelines[i], NULL));
  }
  CHECK_OK(cgym_env_bitcode_sha256(env, observed));
  CHECK_STR_EQ(observed, plain);
  cgym_env_free(env);
}

static void test_spaces_and_errors(const char *module) {
  const cgym_space *space = NULL;
  cgym_env *env = NULL;
  cgym_observation value;

  CHECK(cgym_observation_space_count() == 17);
  CHECK_OK(cgym_observation_space_find(&space, "Autophase"));
  CHECK(space->type == CGYM_SPACE_INT64_VECTOR);
  CHECK(space->shape == 56);
  CHECK_STR_EQ(space->element_names[51], "TotalInsts");
  CHECK_OK(cgym_observation_space_find(&space, "InstCount"));
  CHECK_STR_EQ(space->element_names[69], "Freeze");
  CHECK_OK(cgym_observation_space_find(&space, "CpuInfo"));
  CHECK(space->platform_dependent == 1);
  CHECK_ERROR(cgym_observation_space_find(&space, "Autophse"), CGYM_ENOTFOUND,
              "did you mean 'Autophase'?");
  CHECK(cgym_observation_space_get(17) == NULL);
  CHECK_OK(cgym_observation_space_find(&space, "Loops"));
  CHECK(space->type == CGYM_SPACE_STRING);
  CHECK(space->deterministic == 1);

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_ERROR(cgym_env_observe(&value, env, "Ir"), CGYM_ESTATE, "cgym_env_reset first");
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_ERROR(cgym_env_observe(&value, env, "InstCnt"), CGYM_ENOTFOUND,
              "did you mean 'InstCount'?");
  CHECK(value.int64s == NULL);
  CHECK(observe_int(env, "IrInstructionCount") > 0);
  cgym_observation_clear(NULL);
  cgym_env_free(env);
}

int main(void) {
  temp_dir = cgym_test_temp_dir("cgym-test-observations");
  char *csmith = cgym_test_csmith_module(temp_dir, 5);

  test_counted_module();
  test_consistency(csmith);
  test_baselines_and_text_size(csmith);
  test_observing_changes_nothing(csmith);
  test_spaces_and_errors(csmith);

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
  cgym_test_run(command);
  free(csmith);
  free(temp_dir);
  return cgym_check_summary();
}
