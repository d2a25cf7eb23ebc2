#ifndef CGYM_DATASETS_POJ104_H
#define CGYM_DATASETS_POJ104_H

/*
 * The POJ-104 build step: the rewrite that CompilerGym's poj104-v1 applies to each C++ program
 * before compiling it, so the same programs compile here (compiler_gym/envs/llvm/datasets/
 * poj104.py, version 0.2.5). Many of the programs declare `void main` or `main` without a return
 * type, and many use the standard library without including it.
 */

#include "datasets/build.h"

/* Largest source file read; the programs are student solutions of a few KiB. */
#define CGYM_POJ104_MAX_SOURCE_BYTES (1024 * 1024)

/* Names the rewrite in build recipes, so a change to it changes every cache key. */
#define CGYM_POJ104_REWRITE_NAME "POJ-104 rewrite v1"

/*
 * Rewrites a POJ-104 program, in this order, as CompilerGym does:
 *   1. every "void main" becomes "int main";
 *   2. every newline followed by "main" becomes "int main", which drops that newline;
 *   3. a text that starts with "main" gets "int " in front;
 *   4. the lines `#include <bits/stdc++.h>`, `using namespace std;` and the defines LEN 128,
 *      MAX_LENGTH 1024 and MAX 1024 go in front.
 * The text is handled as bytes. Stores the malloc'ed result in *out. Errors: CGYM_ENOMEM.
 */
int cgym_poj104_rewrite(const char *source, size_t size, char **out, size_t *out_size);

/*
 * Reads the program at path, rewrites it, writes it as source.cc into a temporary folder next
 * to output and builds output from it with flags. Errors: CGYM_EBUILD (also for a file over
 * CGYM_POJ104_MAX_SOURCE_BYTES or one that contains a NUL byte), CGYM_EIO, CGYM_ENOMEM.
 */
int cgym_poj104_build(const cgym_build_tools *tools, const char *uri, const char *path,
                      const cgym_string_list *flags, const char *output);

#endif
