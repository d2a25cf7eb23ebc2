/*
 * Function and loop steps. A hand-written module with known loops checks the Loops and Functions
 * lists (depths, parents, trip-count hints, unreachable and irreducible cycles left out) and an
 * unroll whose result is known. On csmith modules: every function action changes only its
 * function, every action of both finer spaces gives the same bitcode three times, and random
 * episodes that mix module, function and loop steps replay and fork to the same bitcode.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/state.h"
#include "cgym/targets.h"
#include "support/check.h"
#include "test_modules.h"

/* counted: one loop of 100 iterations in SSA form. nested: an outer loop with an unknown trip
 * count around an inner loop of 5 iterations, and an unreachable self-loop. irreducible: a cycle
 * with two entries, which is no natural loop. */
static const char loops_ir[] =
    "define i32 @counted(ptr %a) {\n"
    "entry:\n  br label %header\n"
    "header:\n"
    "  %i = phi i32 [ 0, %entry ], [ %next, %header ]\n"
    "  %sum = phi i32 [ 0, %entry ], [ %add, %header ]\n"
    "  %p = getelementptr i32, ptr %a, i32 %i\n"
    "  %v = load i32, ptr %p\n"
    "  %add = add i32 %sum, %v\n"
    "  %next = add i32 %i, 1\n"
    "  %done = icmp eq i32 %next, 100\n"
    "  br i1 %done, label %exit, label %header\n"
    "exit:\n  ret i32 %add\n}\n"
    "define i32 @nested(i32 %n) {\n"
    "entry:\n  br label %outer\n"
    "outer:\n"
    "  %i = phi i32 [ 0, %entry ], [ %inext, %outer.latch ]\n"
    "  br label %inner\n"
    "inner:\n"
    "  %j = phi i32 [ 10, %outer ], [ %jnext, %inner ]\n"
    "  %jnext = sub i32 %j, 2\n"
    "  %jdone = icmp sgt i32 %jnext, 0\n"
    "  br i1 %jdone, label %inner, label %outer.latch\n"
    "outer.latch:\n"
    "  %inext = add i32 %i, 1\n"
    "  %idone = icmp slt i32 %inext, %n\n"
    "  br i1 %idone, label %outer, label %exit\n"
    "exit:\n  ret i32 %i\n"
    "dead:\n  br label %dead\n}\n"
    "define void @irreducible(i1 %c) {\n"
    "entry:\n  br i1 %c, label %a, label %b\n"
    "a:\n  br label %b\n"
    "b:\n  br label %a\n}\n"
    "declare void @external()\n";

static char *observe_string(cgym_env *env, const char *name) {
  cgym_observation observation;
  int rc = cgym_env_observe(&observation, env, name);
  CHECK_OK(rc);
  char *copy = rc == CGYM_OK ? strdup(observation.string) : strdup("");
  cgym_observation_clear(&observation);
  return copy;
}

/* Returns the text of function `name`'s definition in IR, malloc'ed, or NULL. */
static char *definition(const char *ir, const char *name) {
  char pattern[512];
  snprintf(pattern, sizeof pattern, " @%s(", name);
  for (const char *line = ir; line && *line;) {
    const char *end = strchr(line, '\n');
    if (strncmp(line, "define ", 7) == 0) {
      const char *at = strstr(line, pattern);
      if (at && (!end || at < end)) {
        const char *close = strstr(line, "\n}\n");
        size_t length = close ? (size_t)(close - line) + 3 : strlen(line);
        return strndup(line, length);
      }
    }
    line = end ? end + 1 : NULL;
  }
  return NULL;
}

static void test_lists_and_unroll(const char *dir) {
  char *path = cgym_test_write_module(dir, "loops.ll", loops_ir);
  cgym_env *env = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "loops", path));

  cgym_function_info *functions = NULL;
  size_t function_count = 0;
  CHECK_OK(cgym_env_functions(env, &functions, &function_count));
  CHECK(function_count == 3); /* the declaration has no body */
  if (function_count == 3) {
    CHECK_STR_EQ(functions[0].name, "counted");
    CHECK(functions[0].instructions == 10);
    CHECK(functions[0].blocks == 3);
    CHECK(functions[0].loops == 1);
    CHECK(functions[1].loops == 2);
    CHECK(functions[1].blocks == 6);
    CHECK(functions[2].loops == 0); /* irreducible */
  }
  cgym_function_list_free(functions, function_count);

  cgym_loop_info *loops = NULL;
  size_t loop_count = 0;
  CHECK_OK(cgym_env_loops(env, &loops, &loop_count));
  CHECK(loop_count == 3);
  if (loop_count == 3) {
    CHECK(loops[0].function == 0);
    CHECK(loops[0].depth == 1);
    CHECK(loops[0].parent == -1);
    CHECK(loops[0].trip_count_hint == 100);
    CHECK(loops[0].blocks == 1);
    CHECK(loops[0].exits == 1);
    CHECK(loops[1].function == 1);
    CHECK(loops[1].depth == 1);
    CHECK(loops[1].blocks == 3);
    CHECK(loops[1].trip_count_hint == -1); /* bounded by an argument */
    CHECK(loops[2].parent == 1);
    CHECK(loops[2].depth == 2);
    CHECK(loops[2].trip_count_hint == 5);
  }
  free(loops);

  char *listed = observe_string(env, "Loops");
  CHECK(strstr(listed, "\"trip_count_hint\":100") != NULL);
  CHECK(strstr(listed, "\"parent\":1") != NULL);
  free(listed);
  listed = observe_string(env, "Functions");
  CHECK(strstr(listed, "\"name\":\"nested\"") != NULL);
  free(listed);

  /* Unrolling the counted loop by 4 gives 25 iterations of a body four times as long. The other
   * functions keep their text, and no unroll request is left behind. */
  char *before = observe_string(env, "Ir");
  int64_t count_before = 0, count_after = 0;
  CHECK_OK(cgym_env_instruction_count(env, &count_before));
  CHECK_OK(cgym_env_step_loop(env, 0, 2, NULL)); /* unroll-4 */
  CHECK_OK(cgym_env_instruction_count(env, &count_after));
  CHECK(count_after > count_before);
  CHECK_OK(cgym_env_loops(env, &loops, &loop_count));
  CHECK(loop_count == 3);
  if (loop_count > 0) CHECK(loops[0].trip_count_hint == 25);
  free(loops);
  char *after = observe_string(env, "Ir");
  CHECK(strstr(after, "llvm.loop.unroll.count") == NULL);
  CHECK(strstr(after, "optnone") == NULL);
  char *nested_before = definition(before, "nested"), *nested_after = definition(after, "nested");
  CHECK(nested_before != NULL);
  CHECK(nested_after != NULL);
  if (nested_before && nested_after) CHECK_STR_EQ(nested_after, nested_before);
  free(nested_before);
  free(nested_after);
  free(before);
  free(after);

  /* The outer loop by 8: a runtime remainder copies the inner loop, whose metadata returns. */
  CHECK_OK(cgym_env_step_loop(env, 1, 3, NULL));
  after = observe_string(env, "Ir");
  CHECK(strstr(after, "llvm.loop.unroll.count") == NULL);
  free(after);

  /* Bad indices leave the env as it was. */
  char sha_before[65], sha_after[65];
  CHECK_OK(cgym_env_bitcode_sha256(env, sha_before));
  CHECK_ERROR(cgym_env_step_loop(env, 999, 0, NULL), CGYM_EINVAL, "loop 999 does not exist");
  CHECK_ERROR(cgym_env_step_loop(env, 0, 99, NULL), CGYM_EINVAL, "llvm19-loop-unroll-v1");
  CHECK_ERROR(cgym_env_step_function(env, 3, 0, NULL), CGYM_EINVAL,
              "function 3 does not exist: the module has 3 functions");
  CHECK_ERROR(cgym_env_step_function(env, 0, 9999, NULL), CGYM_EINVAL,
              "llvm19-function-passes-v1");
  CHECK_OK(cgym_env_bitcode_sha256(env, sha_after));
  CHECK_STR_EQ(sha_after, sha_before);
  cgym_state *state = NULL;
  CHECK_OK(cgym_env_state(&state, env));
  CHECK(state != NULL);
  if (state) CHECK(state->step_count == 2);
  cgym_state_free(state);
  CHECK_OK(cgym_env_step_function(env, 1, 0, NULL));

  cgym_env_free(env);
  cgym_env *fresh = NULL;
  CHECK_OK(cgym_env_create(&fresh, NULL));
  CHECK_ERROR(cgym_env_step_loop(fresh, 0, 0, NULL), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_step_function(fresh, 0, 0, NULL), CGYM_ESTATE, "cgym_env_reset");
  CHECK_ERROR(cgym_env_loops(fresh, &loops, &loop_count), CGYM_ESTATE, "cgym_env_reset");
  cgym_env_free(fresh);
  free(path);
}

/* Every function action on every function of the module, one fresh env per action: the other
 * functions' text stays as it was. */
static void test_isolation(const char *module) {
  const cgym_action_space *space = cgym_action_space_function_passes();
  cgym_env *env = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  cgym_function_info *functions = NULL;
  size_t count = 0;
  CHECK_OK(cgym_env_functions(env, &functions, &count));
  char *original = observe_string(env, "Ir");
  int changed_chosen = 0;

  for (size_t action = 0; action < cgym_action_space_size(space); action++) {
    size_t chosen = action % count;
    CHECK_OK(cgym_env_restart(env));
    CHECK_OK(cgym_env_step_function(env, chosen, action, NULL));
    char *ir = observe_string(env, "Ir");
    for (size_t f = 0; f < count; f++) {
      char *before = definition(original, functions[f].name);
      char *after = definition(ir, functions[f].name);
      if (f == chosen) changed_chosen += !after || !before || strcmp(before, after) != 0;
      else if (!before || !after || strcmp(before, after) != 0) {
        fprintf(stderr, "action %s on function %zu changed function %s\n",
                cgym_action_space_get(space, action)->name, chosen, functions[f].name);
        CHECK(!"a function action changed another function");
      }
      free(before);
      free(after);
    }
    free(ir);
  }
  CHECK(changed_chosen > 10); /* the actions do work on the chosen function */
  free(original);
  cgym_function_list_free(functions, count);
  cgym_env_free(env);
}

/* Each action of both finer spaces three times on the largest function or the largest loop. */
static void test_determinism(const char *module) {
  const cgym_action_space *function_space = cgym_action_space_function_passes();
  const cgym_action_space *loop_space = cgym_action_space_loop_unroll();
  cgym_env *env = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, "m", module));
  CHECK_OK(cgym_env_step_pipeline(env, "sroa", NULL)); /* loops get phis, so unrolling can work */
  cgym_state *prefix = NULL;
  CHECK_OK(cgym_env_state(&prefix, env));

  cgym_function_info *functions = NULL;
  cgym_loop_info *loops = NULL;
  size_t function_count = 0, loop_count = 0, largest = 0, largest_loop = 0;
  CHECK_OK(cgym_env_functions(env, &functions, &function_count));
  CHECK_OK(cgym_env_loops(env, &loops, &loop_count));
  for (size_t f = 1; f < function_count; f++)
    if (functions[f].instructions > functions[largest].instructions) largest = f;
  for (size_t l = 1; l < loop_count; l++)
    if (loops[l].instructions > loops[largest_loop].instructions) largest_loop = l;
  CHECK(loop_count > 0);

  size_t total = cgym_action_space_size(function_space) + cgym_action_space_size(loop_space);
  for (size_t a = 0; a < total && loop_count > 0; a++) {
    int is_loop = a >= cgym_action_space_size(function_space);
    size_t action = is_loop ? a - cgym_action_space_size(function_space) : a;
    char first[65] = "", again[65] = "";
    for (int run = 0; run < 3; run++) {
      CHECK_OK(cgym_env_apply_state(env, prefix));
      CHECK_OK(is_loop ? cgym_env_step_loop(env, largest_loop, action, NULL)
                       : cgym_env_step_function(env, largest, action, NULL));
      CHECK_OK(cgym_env_bitcode_sha256(env, run == 0 ? first : again));
      if (run > 0 && strcmp(first, again) != 0) {
        fprintf(stderr, "%s varies between runs\n",
                cgym_action_space_get(is_loop ? loop_space : function_space, action)->name);
        CHECK(!"a finer action is not deterministic");
      }
    }
  }
  cgym_state_free(prefix);
  cgym_function_list_free(functions, function_count);
  free(loops);
  cgym_env_free(env);
}

static uint64_t next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* One random step of any kind. */
static void random_step(cgym_env *env, uint64_t *random) {
  size_t kind = (size_t)(next_random(random) % 3), count = 0;
  if (kind == 1) {
    cgym_function_info *functions = NULL;
    CHECK_OK(cgym_env_functions(env, &functions, &count));
    cgym_function_list_free(functions, count);
    if (count) {
      size_t action = (size_t)(next_random(random) %
                               cgym_action_space_size(cgym_action_space_function_passes()));
      CHECK_OK(cgym_env_step_function(env, (size_t)(next_random(random) % count), action, NULL));
      return;
    }
  } else if (kind == 2) {
    cgym_loop_info *loops = NULL;
    CHECK_OK(cgym_env_loops(env, &loops, &count));
    free(loops);
    if (count) {
      size_t action = (size_t)(next_random(random) %
                               cgym_action_space_size(cgym_action_space_loop_unroll()));
      CHECK_OK(cgym_env_step_loop(env, (size_t)(next_random(random) % count), action, NULL));
      return;
    }
  }
  size_t action = (size_t)(next_random(random) % cgym_action_space_size(cgym_action_space_passes()));
  CHECK_OK(cgym_env_step(env, action, NULL));
}

/* Random mixed episodes: the state's text form replayed on a fresh env, and a fork taken in the
 * middle and continued with the same steps, end on the parent's bitcode. */
static void test_replay_and_fork(const char *module, uint64_t seed) {
  uint64_t random = seed;
  for (int trial = 0; trial < 4; trial++) {
    cgym_env *parent = NULL, *child = NULL, *fresh = NULL;
    CHECK_OK(cgym_env_create(&parent, NULL));
    CHECK_OK(cgym_env_reset(parent, "m", module));
    size_t prefix = (size_t)(next_random(&random) % 15), suffix = 1 + prefix % 10;
    for (size_t i = 0; i < prefix; i++) random_step(parent, &random);
    CHECK_OK(cgym_env_fork(&child, parent));

    uint64_t suffix_random = random;
    for (size_t i = 0; i < suffix; i++) random_step(parent, &random);
    random = suffix_random;
    for (size_t i = 0; i < suffix && child; i++) random_step(child, &random);

    cgym_state *state = NULL, *parsed = NULL;
    char *text = NULL, parent_sha[65] = "", child_sha[65] = "", fresh_sha[65] = "";
    CHECK_OK(cgym_env_state(&state, parent));
    CHECK_OK(cgym_state_format(&text, state));
    CHECK_OK(cgym_state_parse(&parsed, text));
    CHECK_OK(cgym_env_create(&fresh, NULL));
    CHECK_OK(cgym_env_reset(fresh, "m", module));
    CHECK_OK(cgym_env_apply_state(fresh, parsed));
    CHECK_OK(cgym_env_bitcode_sha256(parent, parent_sha));
    if (child) CHECK_OK(cgym_env_bitcode_sha256(child, child_sha));
    CHECK_OK(cgym_env_bitcode_sha256(fresh, fresh_sha));
    CHECK_STR_EQ(child_sha, parent_sha);
    CHECK_STR_EQ(fresh_sha, parent_sha);
    cgym_state_free(state);
    cgym_state_free(parsed);
    free(text);
    cgym_env_free(parent);
    cgym_env_free(child);
    cgym_env_free(fresh);
  }
}

static void test_state_text(void) {
  cgym_state_step steps[3] = {{"sroa", NULL, CGYM_STEP_MODULE, 0},
                              {"gvn", NULL, CGYM_STEP_FUNCTION, 4},
                              {"unroll-8", NULL, CGYM_STEP_LOOP, 12}};
  cgym_state state = {"benchmark://x/y", "", "llvm19-passes-v1", steps, 3};
  char *text = NULL;
  CHECK_OK(cgym_state_format(&text, &state));
  CHECK_STR_EQ(text, "cgym-state 2\nbenchmark benchmark://x/y\nsha256 -\naction-space "
                     "llvm19-passes-v1\naction sroa\nfunction 4 gvn\nloop 12 unroll-8\n");
  cgym_state *parsed = NULL;
  CHECK_OK(cgym_state_parse(&parsed, text));
  CHECK(parsed != NULL);
  if (parsed) {
    CHECK(parsed->step_count == 3);
    CHECK(parsed->steps[1].kind == CGYM_STEP_FUNCTION);
    CHECK(parsed->steps[1].target == 4);
    CHECK(parsed->steps[2].kind == CGYM_STEP_LOOP);
    CHECK(parsed->steps[2].target == 12);
  }
  if (parsed) CHECK_STR_EQ(parsed->steps[2].action, "unroll-8");
  cgym_state_free(parsed);
  free(text);

  CHECK_ERROR(cgym_state_parse(&parsed, "cgym-state 1\nbenchmark b\naction-space s\n"
                                        "function 1 gvn\n"),
              CGYM_EFORMAT, "line 4");
  CHECK_ERROR(cgym_state_parse(&parsed, "cgym-state 2\nbenchmark b\naction-space s\n"
                                        "loop x unroll-2\n"),
              CGYM_EFORMAT, "expected an index and an action name");
  CHECK_ERROR(cgym_state_parse(&parsed, "cgym-state 2\nbenchmark b\naction-space s\n"
                                        "loop 3\n"),
              CGYM_EFORMAT, "expected an index and an action name");
  char *csv = NULL;
  CHECK_ERROR(cgym_state_csv_write(&csv, &state, 0, 0, 0), CGYM_EINVAL,
              "CompilerGym commandline cannot express");
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-targets");
  test_state_text();
  test_lists_and_unroll(dir);

  char *csmith_a = cgym_test_csmith_module(dir, 3);
  char *csmith_b = cgym_test_csmith_module(dir, 7);
  test_isolation(csmith_a);
  test_determinism(csmith_b);
  test_replay_and_fork(csmith_a, 11);
  test_replay_and_fork(csmith_b, 12);

  const cgym_action_space *space = cgym_action_space_function_passes();
  CHECK(cgym_action_space_size(space) == 78);
  CHECK(cgym_loop_unroll_factor(3) == 8);
  CHECK(cgym_loop_unroll_factor(6) == 0);
  CHECK(strlen(cgym_action_space_hash(space)) == 64);
  CHECK(strcmp(cgym_action_space_hash(space),
               cgym_action_space_hash(cgym_action_space_passes())) != 0);

  free(csmith_a);
  free(csmith_b);
  free(dir);
  return cgym_check_summary();
}
