/*
 * Baselines: the cost of a benchmark as loaded (O0) and after default<O3> or default<Oz>, for
 * the IR instruction count and the object .text size. Each is measured on its own fresh parse of
 * the benchmark's bytes, not on a clone of the episode's module, so an agent that steps
 * default<Oz> on a fresh parse lands exactly on the Oz baseline.
 *
 * A baseline depends only on the bytes, so it is measured at most once per process: a cache
 * keyed by the bytes' SHA-256 serves every env, and each env keeps its own copy. The cache holds
 * BASELINE_CACHE_ENTRIES benchmarks and replaces the oldest entry when full.
 */
#include <pthread.h>
#include <string.h>

#include "env/baseline_internal.h"
#include "env/error_internal.h"
#include "env/llvm_module.h"

/* 4096 benchmarks of 6 values each take under 400 KiB, more than any suite has programs. */
#define BASELINE_CACHE_ENTRIES 4096

typedef struct {
  char sha256[65];
  int64_t values[CGYM_COST_COUNT][CGYM_LEVEL_COUNT];
  unsigned known; /* bit cost * CGYM_LEVEL_COUNT + level */
} cache_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry cache[BASELINE_CACHE_ENTRIES];
static size_t cache_used, cache_next;

static const char *const level_pipelines[CGYM_LEVEL_COUNT] = {NULL, "default<O3>", "default<Oz>"};

static unsigned bit(cgym_cost cost, cgym_level level) {
  return 1u << (cost * CGYM_LEVEL_COUNT + level);
}

/* Returns the entry for sha256, or NULL; the caller holds cache_lock. */
static cache_entry *find_entry(const char sha256[65]) {
  for (size_t i = 0; i < cache_used; i++)
    if (strcmp(cache[i].sha256, sha256) == 0) return &cache[i];
  return NULL;
}

int cgym_baseline_lookup(const char sha256[65], cgym_cost cost, cgym_level level, int64_t *value) {
  int found = 0;

  pthread_mutex_lock(&cache_lock);
  cache_entry *entry = find_entry(sha256);
  if (entry && (entry->known & bit(cost, level))) {
    *value = entry->values[cost][level];
    found = 1;
  }
  pthread_mutex_unlock(&cache_lock);
  return found;
}

void cgym_baseline_store(const char sha256[65], cgym_cost cost, cgym_level level, int64_t value) {
  pthread_mutex_lock(&cache_lock);
  cache_entry *entry = find_entry(sha256);
  if (!entry) {
    entry = &cache[cache_next];
    cache_next = (cache_next + 1) % BASELINE_CACHE_ENTRIES;
    if (cache_used < BASELINE_CACHE_ENTRIES) cache_used++;
    memset(entry, 0, sizeof *entry);
    memcpy(entry->sha256, sha256, sizeof entry->sha256);
  }
  entry->values[cost][level] = value;
  entry->known |= bit(cost, level);
  pthread_mutex_unlock(&cache_lock);
}

int cgym_baseline_measure(const cgym_env *env, const unsigned char *bytes, size_t size,
                          const char *label, cgym_cost cost, cgym_level level, int64_t *value) {
  cgym_llvm_module *module = NULL;
  int invalid;

  int rc = cgym_llvm_module_parse(&module, bytes, size, label);
  if (rc != CGYM_OK) return rc;

  if (level_pipelines[level]) {
    cgym_env_announce(env, level_pipelines[level]);
    rc = cgym_llvm_module_run(module, level_pipelines[level], 1, &invalid);
  }
  if (rc == CGYM_OK && cost == CGYM_COST_IR) *value = cgym_llvm_module_instruction_count(module);
  if (rc == CGYM_OK && cost == CGYM_COST_TEXT) rc = cgym_llvm_module_text_size(module, value);
  cgym_llvm_module_free(module);
  return rc;
}

int cgym_env_baseline_cached(cgym_env *env, cgym_cost cost, cgym_level level) {
  if (env->baselines_known & bit(cost, level)) return 1;
  if (!cgym_baseline_lookup(env->sha256, cost, level, &env->baselines[cost][level])) return 0;
  env->baselines_known |= bit(cost, level);
  return 1;
}

int cgym_env_baseline(cgym_env *env, cgym_cost cost, cgym_level level, int64_t *value) {
  if (!cgym_env_baseline_cached(env, cost, level)) {
    int64_t measured = 0;
    int rc = cgym_baseline_measure(env, env->file_bytes, env->file_size, env->uri, cost, level,
                                   &measured);
    if (rc != CGYM_OK) return rc;
    cgym_baseline_store(env->sha256, cost, level, measured);
    env->baselines[cost][level] = measured;
    env->baselines_known |= bit(cost, level);
  }
  *value = env->baselines[cost][level];
  return CGYM_OK;
}
