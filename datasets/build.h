#ifndef CGYM_DATASETS_BUILD_H
#define CGYM_DATASETS_BUILD_H

/*
 * Building one LLVM module from C sources: clang compiles each source to bitcode, llvm-link
 * joins them. The default flags follow CompilerGym's cBench-v1 recipe: -O1 with LLVM's passes
 * disabled gives unoptimized IR without the optnone and noinline attributes that -O0 adds.
 */

#include <stddef.h>

#include "datasets/suite_internal.h"

#define CGYM_BUILD_DEFAULT_CFLAGS "-O1", "-Xclang", "-disable-llvm-passes", "-w"
#define CGYM_BUILD_COMPILE_TIMEOUT_SECONDS 300
#define CGYM_BUILD_LINK_TIMEOUT_SECONDS 300
#define CGYM_BUILD_MAX_JOBS 8 /* parallel compiles, also bounded by the number of cores */

/* Paths of clang and llvm-link in CGYM_LLVM_BIN_DIR and their version lines. */
typedef struct cgym_build_tools {
  char *clang;
  char *llvm_link;
  char *clang_version;
  char *llvm_link_version;
} cgym_build_tools;

int cgym_build_tools_find(cgym_build_tools *tools);
void cgym_build_tools_clear(cgym_build_tools *tools);

/* One module to build. Sources and include folders are relative to source_dir, where the
 * compiler runs, so no cache path ends up in the bitcode. */
typedef struct cgym_build_request {
  const char *uri;               /* names the benchmark in messages */
  const char *source_dir;
  const cgym_string_list *sources;
  const cgym_string_list *flags; /* the full flag list: recipe, then -D and -I flags */
  const char *output;            /* final path; written through a temporary file */
} cgym_build_request;

/* Appends the compile flags of a benchmark (suite recipe, its own cflags, -D, -I) to flags. */
int cgym_build_flags(const cgym_suite *suite, const cgym_suite_benchmark *benchmark,
                     cgym_string_list *flags);

/* Returns the recipe as one malloc'ed line: tool versions and "clang -c -emit-llvm FLAGS". */
char *cgym_build_recipe(const cgym_build_tools *tools, const cgym_string_list *flags);

/*
 * Compiles every source (in parallel, bounded by CGYM_BUILD_MAX_JOBS and the cores), links the
 * results and checks that LLVM parses and verifies the module. Errors: CGYM_EBUILD naming the
 * benchmark, the command and the compiler's first error line; CGYM_EIO.
 */
int cgym_build_module(const cgym_build_tools *tools, const cgym_build_request *request);

/* Runs argv in cwd. A failure, timeout or signal gives CGYM_EBUILD naming uri, the command and
 * the tool's first error line. */
int cgym_build_run_tool(const char *uri, char *const argv[], const char *cwd, int timeout_seconds);

/* Appends a copy of text to list. */
int cgym_string_list_append(cgym_string_list *list, const char *text);

#endif
