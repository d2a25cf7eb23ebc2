/*
 * Times the env against raw LLVM on one module and prints a markdown table of medians over
 * REPEATS runs. Each step is compared with the same pipeline run by LLVMRunPasses on a fresh
 * parse of the module, and reset with a bare bitcode parse. Then the median ratio of env to raw
 * time over every action, the finer steps, fork and each observation.
 *
 *   env_costs MODULE.bc
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/reward.h"
#include "cgym/spaces.h"
#include "cgym/targets.h"

#include <llvm-c/BitReader.h>
#include <llvm-c/Core.h>
#include <llvm-c/Transforms/PassBuilder.h>

#define REPEATS 9

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *values) {
  qsort(values, REPEATS, sizeof values[0], compare);
  return values[REPEATS / 2];
}

static void row(const char *what, double seconds) { printf("| %s | %.3f |\n", what, seconds * 1e3); }

static int check(int rc, const char *what) {
  if (rc != CGYM_OK) {
    fprintf(stderr, "env_costs: %s failed: %s\n", what, cgym_error_message());
    exit(1);
  }
  return rc;
}

/* Step time: restart, then time one step of `action`; the restart is outside the timing. */
static double time_step(cgym_env *env, size_t action) {
  double samples[REPEATS];
  for (int r = 0; r < REPEATS; r++) {
    check(cgym_env_restart(env), "restart");
    double start = now();
    check(cgym_env_step(env, action, NULL), "step");
    samples[r] = now() - start;
  }
  return median(samples);
}

/* The raw side's module: the previous sample's module is freed only after the next is parsed,
 * as the env's restart does, so both sides start a pass from the same cache state. */
typedef struct raw_module {
  LLVMContextRef context;
  LLVMModuleRef module;
} raw_module;

/* Parses bytes into a new context, replacing *held, and returns the seconds that
 * LLVMRunPasses of pipeline took on it; stores the parse seconds in *parse when not NULL. */
static double raw_sample(raw_module *held, LLVMMemoryBufferRef bytes, const char *pipeline,
                         double *parse) {
  LLVMContextRef context = LLVMContextCreate();
  LLVMModuleRef module = NULL;
  double start = now();
  if (LLVMParseBitcodeInContext2(context, bytes, &module)) exit(1);
  if (parse) *parse = now() - start;
  if (held->module) LLVMDisposeModule(held->module);
  if (held->context) LLVMContextDispose(held->context);
  *held = (raw_module){context, module};

  LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
  start = now();
  LLVMErrorRef error = LLVMRunPasses(module, pipeline, NULL, options);
  double seconds = now() - start;
  if (error) LLVMConsumeError(error);
  LLVMDisposePassBuilderOptions(options);
  return seconds;
}

static void raw_module_free(raw_module *held) {
  if (held->module) LLVMDisposeModule(held->module);
  if (held->context) LLVMContextDispose(held->context);
}

/* Raw cost: the median time of LLVMRunPasses of pipeline on a fresh parse of bytes, and the
 * median parse time in *parse when not NULL. */
static double time_raw(LLVMMemoryBufferRef bytes, const char *pipeline, double *parse) {
  double samples[REPEATS], parses[REPEATS];
  raw_module held = {NULL, NULL};
  for (int r = 0; r < REPEATS; r++) samples[r] = raw_sample(&held, bytes, pipeline, &parses[r]);
  raw_module_free(&held);
  if (parse) *parse = median(parses);
  return median(samples);
}

/* One step of the env against the same pipeline on a raw parse of the same bytes, alternating
 * sample by sample so that both see the same machine state. Returns median env / median raw
 * and stores the raw median in *raw_median. */
static double paired_ratio(cgym_env *env, size_t action, const char *pipeline,
                           LLVMMemoryBufferRef bytes, double *raw_median) {
  double env_samples[REPEATS], raw_samples[REPEATS];
  raw_module held = {NULL, NULL};
  for (int r = 0; r < REPEATS; r++) {
    check(cgym_env_restart(env), "restart");
    double start = now();
    check(cgym_env_step(env, action, NULL), "step");
    env_samples[r] = now() - start;
    raw_samples[r] = raw_sample(&held, bytes, pipeline, NULL);
  }
  raw_module_free(&held);
  *raw_median = median(raw_samples);
  return median(env_samples) / *raw_median;
}

int main(int argc, char **argv) {
  cgym_env *env = NULL;
  double samples[REPEATS];

  if (argc != 2) {
    fprintf(stderr, "usage: env_costs MODULE.bc\n");
    return 2;
  }
  LLVMMemoryBufferRef bytes = NULL;
  char *message = NULL;
  if (LLVMCreateMemoryBufferWithContentsOfFile(argv[1], &bytes, &message)) {
    fprintf(stderr, "env_costs: cannot read %s: %s\n", argv[1], message);
    return 1;
  }
  check(cgym_env_create(&env, NULL), "create");
  printf("| measurement | median ms |\n| --- | --- |\n");

  for (int r = 0; r < REPEATS; r++) {
    double start = now();
    check(cgym_env_reset(env, argv[1], argv[1]), "reset");
    samples[r] = now() - start;
  }
  row("reset (Oz baseline cached after the first)", median(samples));
  for (int r = 0; r < REPEATS; r++) {
    double start = now();
    check(cgym_env_restart(env), "restart");
    samples[r] = now() - start;
  }
  row("restart (parse, verify, strip debug info)", median(samples));
  double parse = 0;
  time_raw(bytes, "verify", &parse);
  row("raw bitcode parse (LLVMParseBitcodeInContext2)", parse);

  cgym_env *verified = NULL;
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.verify_each_step = 1;
  check(cgym_env_create(&verified, &options), "create with verify_each_step");
  check(cgym_env_reset(verified, argv[1], argv[1]), "reset");
  cgym_env *rewardless = NULL;
  check(cgym_env_create(&rewardless, NULL), "create");
  check(cgym_env_select_rewards(rewardless, NULL, 0), "select no reward");
  check(cgym_env_reset(rewardless, argv[1], argv[1]), "reset");

  static const char *const passes[] = {"sroa", "instcombine", "gvn", "simplifycfg", "licm"};
  for (size_t i = 0; i < 5; i++) {
    size_t action;
    char label[96];
    check(cgym_action_space_find(cgym_env_action_space(env), passes[i], &action), "find");
    const char *pipeline = cgym_action_space_get(cgym_env_action_space(env), action)->pipeline;
    snprintf(label, sizeof label, "step %s (env)", passes[i]);
    row(label, time_step(env, action));
    snprintf(label, sizeof label, "step %s (env, verify_each_step)", passes[i]);
    row(label, time_step(verified, action));
    snprintf(label, sizeof label, "step %s (raw LLVMRunPasses)", passes[i]);
    row(label, time_raw(bytes, pipeline, NULL));
  }

  /* Every action of the pass space, as the ratio of the env's step time to the raw time, for
   * the default env (reward IrInstructionCountOz, which counts every instruction after each
   * step), verify_each_step and no reward selected; the median ratio is the overhead that the env
   * adds to a typical pass. scalarizer is left out because it crashes LLVM 19.1.7 on some
   * modules. */
  const cgym_action_space *space = cgym_env_action_space(env);
  size_t count = cgym_action_space_size(space), measured = 0;
  double *verified_ratios = calloc(count, sizeof *verified_ratios);
  double *unverified_ratios = calloc(count, sizeof *unverified_ratios);
  double *raw_times = calloc(count, sizeof *raw_times);
  double *rewardless_ratios = calloc(count, sizeof *rewardless_ratios);
  if (!verified_ratios || !unverified_ratios || !raw_times || !rewardless_ratios) return 1;
  for (size_t action = 0; action < count; action++) {
    const cgym_action *chosen = cgym_action_space_get(space, action);
    if (strcmp(chosen->name, "scalarizer") == 0) continue;
    unverified_ratios[measured] = paired_ratio(env, action, chosen->pipeline, bytes,
                                               &raw_times[measured]);
    double raw = 0;
    verified_ratios[measured] = paired_ratio(verified, action, chosen->pipeline, bytes, &raw);
    rewardless_ratios[measured] = paired_ratio(rewardless, action, chosen->pipeline, bytes, &raw);
    measured++;
  }
  qsort(verified_ratios, measured, sizeof verified_ratios[0], compare);
  qsort(unverified_ratios, measured, sizeof unverified_ratios[0], compare);
  qsort(raw_times, measured, sizeof raw_times[0], compare);
  qsort(rewardless_ratios, measured, sizeof rewardless_ratios[0], compare);
  row("median raw LLVMRunPasses time over the actions", raw_times[measured / 2]);
  printf("| median env/raw over %zu actions (ratio, not ms) | %.3f |\n", measured,
         unverified_ratios[measured / 2]);
  printf("| median env/raw over %zu actions, verify_each_step (ratio) | %.3f |\n", measured,
         verified_ratios[measured / 2]);
  printf("| median env/raw over %zu actions, no reward selected (ratio) | %.3f |\n", measured,
         rewardless_ratios[measured / 2]);
  free(verified_ratios);
  free(unverified_ratios);
  free(rewardless_ratios);
  free(raw_times);

  /* Finer steps: gvn on the largest function, and the first loop unrolled by 4 after sroa. */
  cgym_function_info *functions = NULL;
  size_t function_count = 0, largest = 0, gvn = 0;
  check(cgym_env_restart(env), "restart");
  check(cgym_env_functions(env, &functions, &function_count), "functions");
  for (size_t i = 1; i < function_count; i++)
    if (functions[i].instructions > functions[largest].instructions) largest = i;
  cgym_function_list_free(functions, function_count);
  check(cgym_action_space_find(cgym_action_space_function_passes(), "gvn", &gvn), "find");
  for (int r = 0; r < REPEATS && function_count > 0; r++) {
    check(cgym_env_restart(env), "restart");
    double start = now();
    check(cgym_env_step_function(env, largest, gvn, NULL), "function step");
    samples[r] = now() - start;
  }
  if (function_count > 0) row("function step gvn on the largest function", median(samples));
  cgym_loop_info *loops = NULL;
  size_t loop_count = 0;
  check(cgym_env_step_pipeline(env, "sroa", NULL), "sroa");
  check(cgym_env_loops(env, &loops, &loop_count), "loops");
  free(loops);
  for (int r = 0; r < REPEATS && loop_count > 0; r++) {
    check(cgym_env_restart(env), "restart");
    check(cgym_env_step_pipeline(env, "sroa", NULL), "sroa");
    double start = now();
    check(cgym_env_step_loop(env, 0, 2, NULL), "loop step");
    samples[r] = now() - start;
  }
  if (loop_count > 0) row("loop step unroll-4 on loop 0 (after sroa)", median(samples));
  for (int r = 0; r < REPEATS; r++) {
    double start = now();
    check(cgym_env_loops(env, &loops, &loop_count), "loops");
    samples[r] = now() - start;
    free(loops);
  }
  row("list loops (cgym_env_loops)", median(samples));

  check(cgym_env_restart(env), "restart");
  for (size_t i = 0; i < 5; i++) {
    size_t action;
    check(cgym_action_space_find(cgym_env_action_space(env), passes[i], &action), "find");
    check(cgym_env_step(env, action, NULL), "step");
  }
  for (int r = 0; r < REPEATS; r++) {
    cgym_env *copy = NULL;
    double start = now();
    check(cgym_env_fork(&copy, env), "fork");
    samples[r] = now() - start;
    cgym_env_free(copy);
  }
  row("fork after 5 steps", median(samples));

  for (size_t s = 0; s < cgym_observation_space_count(); s++) {
    const char *name = cgym_observation_space_get(s)->name;
    char label[96];
    for (int r = 0; r < REPEATS; r++) {
      cgym_observation value;
      double start = now();
      check(cgym_env_observe(&value, env, name), name);
      samples[r] = now() - start;
      cgym_observation_clear(&value);
    }
    snprintf(label, sizeof label, "observe %s", name);
    row(label, median(samples));
  }
  cgym_env_free(verified);
  cgym_env_free(rewardless);
  cgym_env_free(env);
  LLVMDisposeMemoryBuffer(bytes);
  return 0;
}
