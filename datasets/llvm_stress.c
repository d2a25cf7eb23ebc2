/*
 * Generated IR benchmarks. llvm-stress writes the IR of a seed into a temporary folder next to
 * the output, llvm-as assembles it there, and the bitcode is renamed to the output. Both tools
 * come from CGYM_LLVM_BIN_DIR, so the IR and the bitcode are LLVM 19's.
 */
#include "datasets/llvm_stress.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/cache.h"
#include "datasets/process.h"
#include "env/error_internal.h"

int cgym_llvm_stress_version(char **out) {
  char *tool = cgym_format("%s/llvm-stress", CGYM_LLVM_BIN_DIR);
  char *argv[] = {tool, "--version", NULL};
  cgym_process_result result;
  char line[256];

  if (!tool) return cgym_error_set(CGYM_ENOMEM, "out of memory naming llvm-stress");
  int rc = cgym_process_run(argv, NULL, CGYM_PROCESS_STDOUT_TO_STDERR, 60, &result);
  if (rc == CGYM_ENOTFOUND)
    rc = cgym_error_set(rc, "llvm-stress not found at %s; install Debian's llvm-19 package", tool);
  free(tool);
  if (rc != CGYM_OK) return rc;

  cgym_first_line(result.stderr_text, line, sizeof line);
  int exit_code = result.exit_code;
  cgym_process_result_clear(&result);
  if (exit_code != 0) return cgym_error_set(CGYM_EBUILD, "llvm-stress --version failed: %s", line);
  *out = cgym_format("llvm-stress: %s", line);
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory reading llvm-stress's version");
  return CGYM_OK;
}

char *cgym_llvm_stress_recipe(const char *version) {
  return cgym_format("%s; llvm-stress --seed=SEED --size=%d -o stress.ll; llvm-as stress.ll",
                     version, CGYM_LLVM_STRESS_SIZE);
}

/* Runs one tool in folder and turns a failure into CGYM_EBUILD with its first error line. */
static int run_step(char *const argv[], const char *folder, const char *uri) {
  cgym_process_result result;
  char line[512];

  int rc = cgym_process_run(argv, folder, NULL, CGYM_LLVM_STRESS_TIMEOUT_SECONDS, &result);
  if (rc != CGYM_OK) return rc;
  cgym_first_line(result.stderr_text, line, sizeof line);
  if (result.timed_out)
    rc = cgym_error_set(CGYM_EBUILD, "generating %s: %s timed out after %d s", uri, argv[0],
                        CGYM_LLVM_STRESS_TIMEOUT_SECONDS);
  else if (result.exit_code != 0)
    rc = cgym_error_set(CGYM_EBUILD, "generating %s: %s failed: %s", uri, argv[0],
                        *line ? line : "no message");
  cgym_process_result_clear(&result);
  return rc;
}

static int generate(const char *work, uint64_t seed, const char *uri) {
  char seed_option[40];
  char size_option[40];
  char *stress = cgym_format("%s/llvm-stress", CGYM_LLVM_BIN_DIR);
  char *assembler = cgym_format("%s/llvm-as", CGYM_LLVM_BIN_DIR);
  int rc = CGYM_OK;

  if (!stress || !assembler) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory generating %s", uri);
    goto done;
  }
  snprintf(seed_option, sizeof seed_option, "--seed=%" PRIu64, seed);
  snprintf(size_option, sizeof size_option, "--size=%d", CGYM_LLVM_STRESS_SIZE);
  char *stress_argv[] = {stress, seed_option, size_option, "-o", "stress.ll", NULL};
  char *as_argv[] = {assembler, "stress.ll", "-o", "stress.bc", NULL};
  rc = run_step(stress_argv, work, uri);
  if (rc == CGYM_OK) rc = run_step(as_argv, work, uri);

done:
  free(stress);
  free(assembler);
  return rc;
}

int cgym_llvm_stress_build(uint64_t seed, const char *uri, const char *output) {
  char *output_folder = strdup(output);
  char *work = NULL;
  char *bitcode = NULL;
  int rc;

  if (!output_folder) return cgym_error_set(CGYM_ENOMEM, "out of memory generating %s", uri);
  *strrchr(output_folder, '/') = '\0';
  rc = cgym_temp_dir(output_folder, &work);
  if (rc != CGYM_OK) goto done;
  bitcode = cgym_format("%s/stress.bc", work);
  if (!bitcode) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory generating %s", uri);
    goto done;
  }

  rc = generate(work, seed, uri);
  if (rc == CGYM_OK && rename(bitcode, output) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", bitcode, output, strerror(errno));

done:
  if (work) cgym_remove_tree(work);
  free(work);
  free(bitcode);
  free(output_folder);
  return rc;
}
