/*
 * Generated benchmarks. csmith writes the program of a seed into a temporary folder next to the
 * output, under a name that depends only on the seed (the name ends up in the bitcode as its
 * source file name), and the builder compiles it from there.
 */
#include "datasets/csmith.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasets/cache.h"
#include "datasets/process.h"
#include "env/error_internal.h"

/* csmith writes a platform.info file into its working folder, even for --version, so it runs in
 * a temporary folder that is removed afterwards, never in the caller's folder. */
int cgym_csmith_version(char **out) {
  char *argv[] = {"csmith", "--version", NULL};
  cgym_process_result result;
  char line[256], folder[4096], leftover[4200];
  const char *tmp = getenv("TMPDIR");

  snprintf(folder, sizeof folder, "%s/cgym-csmith-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(folder))
    return cgym_error_set(CGYM_EIO, "cannot create a temporary folder for csmith under %s: %s",
                          tmp && *tmp ? tmp : "/tmp", strerror(errno));
  int rc = cgym_process_run(argv, folder, CGYM_PROCESS_STDOUT_TO_STDERR, 60, &result);
  snprintf(leftover, sizeof leftover, "%s/platform.info", folder);
  unlink(leftover);
  rmdir(folder);
  if (rc == CGYM_ENOTFOUND)
    return cgym_error_set(rc, "csmith not found in PATH; install Debian's csmith package");
  if (rc != CGYM_OK) return rc;
  cgym_first_line(result.stderr_text, line, sizeof line);
  int exit_code = result.exit_code;
  cgym_process_result_clear(&result);
  if (exit_code != 0) return cgym_error_set(CGYM_EBUILD, "csmith --version failed: %s", line);

  *out = strdup(line);
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory reading csmith's version");
  return CGYM_OK;
}

int cgym_csmith_flags(cgym_string_list *flags) {
  static const char *const recipe[] = {CGYM_BUILD_DEFAULT_CFLAGS, "-I" CGYM_CSMITH_INCLUDE_DIR,
                                       NULL};
  for (const char *const *flag = recipe; *flag; flag++) {
    int rc = cgym_string_list_append(flags, *flag);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

static int generate(const char *folder, const char *file, uint64_t seed, const char *uri) {
  char seed_text[32];
  char *argv[] = {"csmith", "--seed", seed_text, "-o", (char *)file, NULL};
  cgym_process_result result;
  char line[512];

  snprintf(seed_text, sizeof seed_text, "%" PRIu64, seed);
  int rc = cgym_process_run(argv, folder, NULL, CGYM_CSMITH_TIMEOUT_SECONDS, &result);
  if (rc != CGYM_OK) return rc;

  cgym_first_line(result.stderr_text, line, sizeof line);
  if (result.timed_out)
    rc = cgym_error_set(CGYM_EBUILD, "generating %s: csmith --seed %s timed out after %d s", uri,
                        seed_text, CGYM_CSMITH_TIMEOUT_SECONDS);
  else if (result.exit_code != 0)
    rc = cgym_error_set(CGYM_EBUILD, "generating %s: csmith --seed %s failed: %s", uri, seed_text,
                        *line ? line : "no message");
  cgym_process_result_clear(&result);
  return rc;
}

int cgym_csmith_build(const cgym_build_tools *tools, const cgym_string_list *flags, uint64_t seed,
                      const char *uri, const char *output) {
  char *output_folder = strdup(output);
  char *work = NULL;
  char file[64];
  char *sources_items[1] = {file};
  cgym_string_list sources = {sources_items, 1};
  int rc;

  if (!output_folder) return cgym_error_set(CGYM_ENOMEM, "out of memory generating %s", uri);
  *strrchr(output_folder, '/') = '\0';
  rc = cgym_temp_dir(output_folder, &work);
  if (rc != CGYM_OK) goto done;

  snprintf(file, sizeof file, "csmith-%" PRIu64 ".c", seed);
  rc = generate(work, file, seed, uri);
  if (rc == CGYM_OK) {
    cgym_build_request request = {uri, work, &sources, flags, output};
    rc = cgym_build_module(tools, &request);
  }

done:
  if (work) cgym_remove_tree(work);
  free(work);
  free(output_folder);
  return rc;
}
