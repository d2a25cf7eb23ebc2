/*
 * The env on real modules: loading bitcode and textual IR, rejecting corrupt input without
 * losing the env, the state and argument errors, a rejected pipeline that leaves the module
 * alone, rewards, restart and writing bitcode.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "env/env_internal.h"
#include "env/llvm_internal.h"
#include "support/check.h"

#include <llvm-c/Core.h>
#include "test_modules.h"

static char *temp_dir;

static char *write_variant(const char *source, const char *name, long keep, long flip) {
  char *path = cgym_test_path(temp_dir, name);
  FILE *in = fopen(source, "rb");
  FILE *out = fopen(path, "wb");
  if (!in || !out) abort();

  int byte;
  long offset = 0;
  while ((byte = fgetc(in)) != EOF && (keep < 0 || offset < keep)) {
    if (offset == flip) byte ^= 0xff;
    fputc(byte, out);
    offset++;
  }
  fclose(in);
  fclose(out);
  return path;
}

static char *write_text(const char *name, const char *text) {
  char *path = cgym_test_path(temp_dir, name);
  FILE *out = fopen(path, "wb");
  if (!out) abort();
  fputs(text, out);
  fclose(out);
  return path;
}

static void file_sha256(const char *path, char out[65]) {
  unsigned char digest[32];
  unsigned int length = 0;
  char buffer[65536];
  size_t got;
  FILE *file = fopen(path, "rb");
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  if (!file || !context) abort();

  EVP_DigestInit_ex(context, EVP_sha256(), NULL);
  while ((got = fread(buffer, 1, sizeof buffer, file)) > 0) EVP_DigestUpdate(context, buffer, got);
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  fclose(file);
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static void test_calls_before_reset(void) {
  cgym_env *env = NULL;
  int64_t count;
  char sha[65];

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_ERROR(cgym_env_step(env, 0, NULL), CGYM_ESTATE, "cgym_env_reset first");
  CHECK_ERROR(cgym_env_step_pipeline(env, "sroa", NULL), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_probe(env, 0, &count), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_instruction_count(env, &count), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_bitcode_sha256(env, sha), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_baselines(env, &count, &count), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_restart(env), CGYM_ESTATE, "cgym_env_reset");
  CHECK(cgym_env_benchmark_uri(env) == NULL);
  cgym_env_free(env);
  cgym_env_free(NULL);
}

static void test_options_version(void) {
  cgym_env *env = NULL;
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.version = 99;
  CHECK_ERROR(cgym_env_create(&env, &options), CGYM_EINVAL, "CGYM_ENV_OPTIONS_INIT");
  CHECK(env == NULL);
}

/* Verifying after each step changes the cost, never the result: the default (no verifier after
 * steps), verify_each_step and version 1 options, which always verify, end on the same bitcode. */
static void test_skip_step_verification(const char *module) {
  cgym_env *checked = NULL, *unchecked = NULL, *version1 = NULL;
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.verify_each_step = 1;
  cgym_env_options old_options = CGYM_ENV_OPTIONS_INIT;
  old_options.version = 1;
  CHECK_OK(cgym_env_create(&checked, &options));
  CHECK_OK(cgym_env_create(&unchecked, NULL));
  CHECK_OK(cgym_env_create(&version1, &old_options));
  CHECK_OK(cgym_env_reset(checked, "test", module));
  CHECK_OK(cgym_env_reset(unchecked, "test", module));
  CHECK_OK(cgym_env_reset(version1, "test", module));

  static const char *const passes[] = {"mem2reg", "instcombine", "gvn", "simplifycfg", "licm",
                                       "loop-unroll", "sroa", "dse"};
  const cgym_action_space *space = cgym_action_space_passes();
  for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++) {
    size_t action = 0;
    CHECK_OK(cgym_action_space_find(space, passes[i], &action));
    CHECK_OK(cgym_env_step(checked, action, NULL));
    CHECK_OK(cgym_env_step(unchecked, action, NULL));
    CHECK_OK(cgym_env_step(version1, action, NULL));
  }
  char checked_sha[65], unchecked_sha[65], version1_sha[65];
  CHECK_OK(cgym_env_bitcode_sha256(checked, checked_sha));
  CHECK_OK(cgym_env_bitcode_sha256(unchecked, unchecked_sha));
  CHECK_OK(cgym_env_bitcode_sha256(version1, version1_sha));
  CHECK_STR_EQ(checked_sha, unchecked_sha);
  CHECK_STR_EQ(checked_sha, version1_sha);
  size_t invalid_step = 99;
  CHECK_OK(cgym_env_verify(unchecked, &invalid_step));
  CHECK(invalid_step == 99); /* untouched for a valid module */
  cgym_env_free(checked);
  cgym_env_free(unchecked);
  cgym_env_free(version1);
}

/* A module damaged behind the env's back (a terminator erased through LLVM's API) fails
 * cgym_env_verify. Replaying the steps finds no step that breaks it, which the message states, and
 * the env asks for a reset until it gets one. No pass of LLVM 19.1.7 is known to leave an invalid
 * module, so the path where the replay names the breaking step runs only if one does. */
static void test_verify_damaged_module(const char *module) {
  cgym_env *env = NULL;
  size_t action = 0, invalid_step = 0;
  int64_t count = 0;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "test", module));
  CHECK_OK(cgym_action_space_find(cgym_env_action_space(env), "mem2reg", &action));
  CHECK_OK(cgym_env_step(env, action, NULL));
  CHECK_OK(cgym_env_verify(env, NULL));

  LLVMValueRef function = LLVMGetFirstFunction(cgym_llvm_module_ref(env->module));
  while (function && LLVMIsDeclaration(function)) function = LLVMGetNextFunction(function);
  CHECK(function != NULL);
  if (!function) return;
  LLVMInstructionEraseFromParent(LLVMGetBasicBlockTerminator(LLVMGetFirstBasicBlock(function)));
  CHECK_ERROR(cgym_env_verify(env, &invalid_step), CGYM_ELLVM, "found no invalid step");
  CHECK(invalid_step == 1);
  CHECK_ERROR(cgym_env_instruction_count(env, &count), CGYM_ESTATE, "cgym_env_restart");
  CHECK_OK(cgym_env_restart(env));
  CHECK_OK(cgym_env_verify(env, NULL));
  cgym_env_free(env);
}

static void test_load_bitcode(const char *module) {
  cgym_env *env = NULL;
  int64_t c0 = 0, c_oz = 0, count = 0;
  char sha[65];

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "generator://csmith-v0/2", module));
  CHECK_STR_EQ(cgym_env_benchmark_uri(env), "generator://csmith-v0/2");
  CHECK_OK(cgym_env_baselines(env, &c0, &c_oz));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(c0 > 100);
  CHECK(c_oz > 0);
  CHECK(c_oz < c0);
  CHECK(count == c0);
  CHECK_OK(cgym_env_bitcode_sha256(env, sha));
  CHECK(strlen(sha) == 64);
  cgym_env_free(env);
}

static void test_load_textual_ir(const char *text_module, const char *bitcode_module) {
  cgym_env *text_env = NULL, *bitcode_env = NULL;
  int64_t text_count = 0, bitcode_count = 0;
  char text_sha[65], bitcode_sha[65];

  CHECK_OK(cgym_env_create(&text_env, NULL));
  CHECK_OK(cgym_env_create(&bitcode_env, NULL));
  CHECK_OK(cgym_env_reset(text_env, "generator://llvm-stress/1", text_module));
  CHECK_OK(cgym_env_reset(bitcode_env, "generator://llvm-stress/1", bitcode_module));
  CHECK_OK(cgym_env_instruction_count(text_env, &text_count));
  CHECK_OK(cgym_env_instruction_count(bitcode_env, &bitcode_count));
  CHECK(text_count > 0);
  CHECK(text_count == bitcode_count);

  /* Loading the same file again gives the same digest. (The textual and bitcode forms of one
   * module can differ, because the bitcode lists local value names in symbol-table order.) */
  CHECK_OK(cgym_env_bitcode_sha256(text_env, text_sha));
  CHECK_OK(cgym_env_reset(bitcode_env, "again", text_module));
  CHECK_OK(cgym_env_bitcode_sha256(bitcode_env, bitcode_sha));
  CHECK_STR_EQ(text_sha, bitcode_sha);
  cgym_env_free(text_env);
  cgym_env_free(bitcode_env);
}

static void test_corrupt_input(const char *module) {
  cgym_env *env = NULL;
  char *truncated = write_variant(module, "truncated.bc", 300, -1);
  char *flipped = write_variant(module, "flipped.bc", -1, 40);
  char *garbage = write_text("garbage.ll", "define i32 @f( {\n");
  char *empty = write_text("empty.ll", "");
  char *blank = write_text("blank.ll", " \n\t\n");
  /* LLVM's parse error quotes the first line, here a terminal title and clear-screen sequence. */
  char *binary = write_text("binary.ll", "\x1b]0;title\x07\x1b[2J\xff\xfe\n");
  int64_t count = 0;
  char before[65], after[65];

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_ERROR(cgym_env_reset(env, "x", truncated), CGYM_EPARSE, "truncated.bc");
  CHECK_ERROR(cgym_env_reset(env, "x", flipped), CGYM_EPARSE, "flipped.bc");
  CHECK_ERROR(cgym_env_reset(env, "x", garbage), CGYM_EPARSE, "garbage.ll");
  CHECK_ERROR(cgym_env_reset(env, "x", "/nonexistent/module.bc"), CGYM_ENOTFOUND,
              "/nonexistent/module.bc");
  CHECK_ERROR(cgym_env_reset(env, "x", temp_dir), CGYM_EINVAL, "is a folder");
  CHECK_ERROR(cgym_env_reset(env, "x", empty), CGYM_EPARSE, "empty.ll");
  CHECK_ERROR(cgym_env_reset(env, "x", empty), CGYM_EPARSE, "is empty (0 bytes)");
  CHECK_ERROR(cgym_env_reset(env, "x", blank), CGYM_EPARSE, "all white space");
  CHECK_ERROR(cgym_env_reset(env, "x", binary), CGYM_EPARSE, "binary.ll");
  CHECK_ERROR(cgym_env_reset(env, "x", binary), CGYM_EPARSE, "\\x1b]0;title\\x07");
  CHECK(strchr(cgym_error_message(), '\x1b') == NULL);

  /* A failed reset is not an episode; a later reset works. */
  CHECK_ERROR(cgym_env_step(env, 0, NULL), CGYM_ESTATE, "cgym_env_reset");
  CHECK_OK(cgym_env_reset(env, "good", module));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count > 0);

  /* A failed reset during an episode leaves that episode in place. */
  CHECK_OK(cgym_env_bitcode_sha256(env, before));
  CHECK_ERROR(cgym_env_reset(env, "x", truncated), CGYM_EPARSE, "bitcode");
  CHECK_OK(cgym_env_bitcode_sha256(env, after));
  CHECK_STR_EQ(before, after);
  CHECK_STR_EQ(cgym_env_benchmark_uri(env), "good");
  CHECK_OK(cgym_env_step(env, 0, NULL));

  cgym_env_free(env);
  free(truncated);
  free(flipped);
  free(garbage);
  free(empty);
  free(blank);
  free(binary);
}

static void test_step_errors(const char *module) {
  cgym_env *env = NULL;
  size_t size = cgym_action_space_size(cgym_action_space_passes());
  int64_t before_count = 0, after_count = 0;
  char before[65], after[65];
  double reward = 123.0;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_ERROR(cgym_env_step(env, size, NULL), CGYM_EINVAL, "out of range");
  CHECK_ERROR(cgym_env_probe(env, size, &before_count), CGYM_EINVAL, "out of range");

  CHECK_OK(cgym_env_instruction_count(env, &before_count));
  CHECK_OK(cgym_env_bitcode_sha256(env, before));
  /* The pipeline is valid up to the last pass, so only a parse of the whole string before
   * running anything keeps the module untouched. */
  CHECK_ERROR(cgym_env_step_pipeline(env, "mem2reg,instcombine,no-such-pass", &reward), CGYM_ELLVM,
              "no-such-pass");
  CHECK_ERROR(cgym_env_step_pipeline(env, "sroa<bogus-parameter>", &reward), CGYM_ELLVM,
              "sroa<bogus-parameter>");
  CHECK(reward == 123.0);
  CHECK_OK(cgym_env_instruction_count(env, &after_count));
  CHECK_OK(cgym_env_bitcode_sha256(env, after));
  CHECK(before_count == after_count);
  CHECK_STR_EQ(before, after);

  /* The env is still usable. */
  CHECK_OK(cgym_env_step_pipeline(env, "mem2reg", &reward));
  CHECK_OK(cgym_env_instruction_count(env, &after_count));
  CHECK(after_count < before_count);
  cgym_env_free(env);
}

static void test_rewards_and_oz(const char *module) {
  cgym_env *env = NULL;
  size_t mem2reg;
  int64_t c0, c_oz, count, probed;
  double reward = 0;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_baselines(env, &c0, &c_oz));
  CHECK_OK(cgym_action_space_find(cgym_env_action_space(env), "mem2reg", &mem2reg));

  CHECK_OK(cgym_env_probe(env, mem2reg, &probed));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count == c0); /* a probe leaves the env alone */

  CHECK_OK(cgym_env_step(env, mem2reg, &reward));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count == probed);
  CHECK(reward == (double)(c0 - count) / (double)(c0 - c_oz));

  /* default<Oz> from the loaded module lands exactly on C_Oz. */
  CHECK_OK(cgym_env_restart(env));
  CHECK_OK(cgym_env_step_pipeline(env, "default<Oz>", &reward));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count == c_oz);
  CHECK(reward == 1.0);
  cgym_env_free(env);
}

static void test_restart_and_write(const char *module) {
  cgym_env *env = NULL, *reloaded = NULL;
  char *output = cgym_test_path(temp_dir, "out.bc");
  char loaded[65], restarted[65], stepped[65], written[65];
  int64_t c0, count, c0_after;

  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_bitcode_sha256(env, loaded));
  CHECK_OK(cgym_env_baselines(env, &c0, NULL));
  CHECK_OK(cgym_env_step_pipeline(env, "sroa,instcombine<no-verify-fixpoint>,gvn", NULL));
  CHECK_OK(cgym_env_bitcode_sha256(env, stepped));
  CHECK(strcmp(loaded, stepped) != 0);

  /* The file contains exactly the bitcode that the digest covers, and it loads. */
  CHECK_OK(cgym_env_write_bitcode(env, output));
  file_sha256(output, written);
  CHECK_STR_EQ(written, stepped);
  CHECK_OK(cgym_env_create(&reloaded, NULL));
  CHECK_OK(cgym_env_reset(reloaded, "out", output));
  CHECK_OK(cgym_env_instruction_count(reloaded, &count));
  CHECK_OK(cgym_env_instruction_count(env, &c0_after));
  CHECK(count == c0_after);

  CHECK_OK(cgym_env_restart(env));
  CHECK_OK(cgym_env_bitcode_sha256(env, restarted));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK_STR_EQ(restarted, loaded);
  CHECK(count == c0);

  CHECK_ERROR(cgym_env_write_bitcode(env, "/nonexistent/dir/out.bc"), CGYM_EIO,
              "/nonexistent/dir/out.bc");
  cgym_env_free(env);
  cgym_env_free(reloaded);
  free(output);
}

static void record_pipeline(void *context, const char *pipeline) {
  char *last = context;
  snprintf(last, 256, "%s", pipeline);
}

static void test_pipeline_hook(const char *module) {
  cgym_env *env = NULL;
  char last[256] = "";
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.pipeline_hook = record_pipeline;
  options.pipeline_hook_context = last;

  CHECK_OK(cgym_env_create(&env, &options));
  /* Earlier tests loaded this module, so its Oz baseline comes from the process-wide cache and
   * reset runs no pipeline; its O3 baseline has not been measured yet. */
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_STR_EQ(last, "");
  cgym_observation o3;
  CHECK_OK(cgym_env_observe(&o3, env, "IrInstructionCountO3"));
  cgym_observation_clear(&o3);
  CHECK_STR_EQ(last, "default<O3>");
  CHECK_OK(cgym_env_step(env, 0, NULL));
  CHECK_STR_EQ(last, cgym_action_space_get(cgym_action_space_passes(), 0)->pipeline);
  cgym_env_free(env);
}

int main(void) {
  temp_dir = cgym_test_temp_dir("cgym-test-env");
  char *csmith = cgym_test_csmith_module(temp_dir, 2);
  char *stress_text = cgym_test_stress_module(temp_dir, 1, 200, 0);
  char *stress_bitcode = cgym_test_stress_module(temp_dir, 1, 200, 1);

  test_calls_before_reset();
  test_options_version();
  test_load_bitcode(csmith);
  test_verify_damaged_module(csmith);
  test_skip_step_verification(csmith);
  test_load_textual_ir(stress_text, stress_bitcode);
  test_corrupt_input(csmith);
  test_step_errors(csmith);
  test_rewards_and_oz(csmith);
  test_restart_and_write(csmith);
  test_pipeline_hook(csmith);

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
  cgym_test_run(command);
  free(csmith);
  free(stress_text);
  free(stress_bitcode);
  free(temp_dir);
  return cgym_check_summary();
}
