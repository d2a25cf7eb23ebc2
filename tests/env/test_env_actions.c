/*
 * The pass action space: identity, CompilerGym order, lookups and the dropped-pass table.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/actions.h"
#include "cgym/error.h"
#include "support/check.h"

static const cgym_action_space *space;

static void test_identity(void) {
  CHECK_STR_EQ(cgym_action_space_id(space), "llvm19-passes-v1");
  CHECK(cgym_action_space_size(space) == 115);
  CHECK(cgym_action_space_get(space, 115) == NULL);

  /* The hash is SHA-256 over "name\tpipeline\n" of every action in order. */
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_DigestInit_ex(context, EVP_sha256(), NULL);
  for (size_t i = 0; i < cgym_action_space_size(space); i++) {
    const cgym_action *action = cgym_action_space_get(space, i);
    EVP_DigestUpdate(context, action->name, strlen(action->name));
    EVP_DigestUpdate(context, "\t", 1);
    EVP_DigestUpdate(context, action->pipeline, strlen(action->pipeline));
    EVP_DigestUpdate(context, "\n", 1);
  }
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);

  char expected[65];
  for (int i = 0; i < 32; i++) snprintf(expected + 2 * i, 3, "%02x", digest[i]);
  CHECK_STR_EQ(cgym_action_space_hash(space), expected);
}

/* CompilerGym's order is by LLVM 10 class name, so a few flags land far from alphabetical. */
static void test_order(void) {
  CHECK_STR_EQ(cgym_action_space_get(space, 0)->legacy_flag, "-add-discriminators");
  CHECK_STR_EQ(cgym_action_space_get(space, 9)->legacy_flag, "-simplifycfg");
  CHECK_STR_EQ(cgym_action_space_get(space, 114)->legacy_flag, "-mergereturn");

  /* Names and flags are unique, so every lookup finds exactly one index. */
  for (size_t i = 0; i < cgym_action_space_size(space); i++) {
    size_t index = 999;
    const cgym_action *action = cgym_action_space_get(space, i);
    CHECK_OK(cgym_action_space_find(space, action->name, &index));
    CHECK(index == i);
    CHECK_OK(cgym_action_space_find(space, action->legacy_flag, &index));
    CHECK(index == i);
  }
}

static void test_find(void) {
  size_t index = 0;
  CHECK_OK(cgym_action_space_find(space, "flatten-cfg", &index));
  CHECK_STR_EQ(cgym_action_space_get(space, index)->legacy_flag, "-flattencfg");
  CHECK_OK(cgym_action_space_find(space, "-functionattrs", &index));
  CHECK_STR_EQ(cgym_action_space_get(space, index)->pipeline, "function-attrs");
  CHECK_OK(cgym_action_space_find(space, "-instcombine", &index));
  CHECK_STR_EQ(cgym_action_space_get(space, index)->pipeline,
               "instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>");
  CHECK_OK(cgym_action_space_find(space, "early-cse-memssa", &index));
  CHECK_STR_EQ(cgym_action_space_get(space, index)->pipeline, "early-cse<memssa>");

  CHECK_ERROR(cgym_action_space_find(space, "gvnn", &index), CGYM_ENOTFOUND,
              "did you mean 'gvn'?");
  CHECK_ERROR(cgym_action_space_find(space, "-simplfycfg", &index), CGYM_ENOTFOUND,
              "did you mean 'simplifycfg'?");
  CHECK_ERROR(cgym_action_space_find(space, "gvnn", &index), CGYM_ENOTFOUND, "'gvnn'");
  CHECK_ERROR(cgym_action_space_find(space, "completely-unrelated-words", &index),
              CGYM_ENOTFOUND, "`cgym actions passes` lists its 115 actions");
  CHECK_ERROR(cgym_action_space_find(space, "", &index), CGYM_EINVAL, "empty");
}

static void test_dropped(void) {
  size_t count = 0, index = 0;
  const cgym_dropped_pass *dropped = cgym_action_space_dropped(&count);
  CHECK(count == 9);

  CHECK_ERROR(cgym_action_space_find(space, "-loop-unswitch", &index), CGYM_ENOTFOUND,
              "simple-loop-unswitch is offered");
  CHECK_ERROR(cgym_action_space_find(space, "newgvn", &index), CGYM_ENOTFOUND,
              "not deterministic");
  CHECK_ERROR(cgym_action_space_find(space, "-insert-gcov-profiling", &index), CGYM_ENOTFOUND,
              ".gcno");

  /* A dropped flag is never also an action. */
  for (size_t i = 0; i < count; i++) {
    CHECK(dropped[i].reason != NULL);
    CHECK(strlen(dropped[i].reason) > 0);
    for (size_t j = 0; j < cgym_action_space_size(space); j++)
      CHECK(strcmp(dropped[i].legacy_flag, cgym_action_space_get(space, j)->legacy_flag) != 0);
  }

  /* 115 offered and 9 dropped make CompilerGym's 124. */
  CHECK(cgym_action_space_size(space) + count == 124);
}

static void test_test_actions(void) {
  CHECK_STR_EQ(cgym_test_action_pipeline(CGYM_TEST_ACTION_FATAL),
               "instcombine<max-iterations=1;verify-fixpoint>");
  CHECK(cgym_test_action_pipeline("gvn") == NULL);
  CHECK(cgym_test_action_pipeline(NULL) == NULL);
}

int main(void) {
  space = cgym_action_space_passes();
  test_identity();
  test_order();
  test_find();
  test_dropped();
  test_test_actions();
  return cgym_check_summary();
}
