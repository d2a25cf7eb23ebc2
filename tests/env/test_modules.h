#ifndef CGYM_TESTS_ENV_TEST_MODULES_H
#define CGYM_TESTS_ENV_TEST_MODULES_H

/*
 * Real modules from outside this project, generated when the test runs: csmith 2.3.0 programs
 * (deterministic per seed) compiled by clang-19 without LLVM passes, and llvm-stress-19 output.
 * Each function returns a malloc'ed path inside dir, or aborts the test with the failing command.
 */

#include <stdint.h>

/* csmith --seed SEED, compiled with clang-19 -O1 -Xclang -disable-llvm-passes to SEED.bc. */
char *cgym_test_csmith_module(const char *dir, uint64_t seed);

/* llvm-stress-19 --seed=SEED --size=SIZE as textual IR (SEED.ll), or assembled by llvm-as-19 to
 * bitcode (SEED.bc) when bitcode is nonzero. */
char *cgym_test_stress_module(const char *dir, uint64_t seed, int size, int bitcode);

/* Writes text to dir/name (a hand-written module, say) and returns the malloc'ed path; aborts the
 * test when the file cannot be written. */
char *cgym_test_write_module(const char *dir, const char *name, const char *text);

/* Runs a shell command and aborts the test with the command when it fails. */
void cgym_test_run(const char *command);

#endif
