/*
 * Observations on demand: each call computes only the observation it names. The ObjectTextSize
 * value of the current module is kept until the next step, because a selected ObjectTextSize
 * reward and an observation of it would otherwise lower the same module twice.
 */
#include "cgym/observation.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "env/env_internal.h"
#include "env/error_internal.h"
#include "env/llvm_module.h"
#include "env/spaces_internal.h"

void cgym_observation_clear(cgym_observation *observation) {
  if (!observation) return;
  free(observation->int64s);
  free(observation->doubles);
  free(observation->string);
  free(observation->bytes);
  memset(observation, 0, sizeof *observation);
}

static int alloc_int64s(cgym_observation *out, size_t count) {
  out->int64s = calloc(count, sizeof out->int64s[0]);
  if (!out->int64s) return cgym_error_set(CGYM_ENOMEM, "out of memory for %zu values", count);
  out->size = count;
  return CGYM_OK;
}

static int observe_instcount_norm(cgym_observation *out, const cgym_env *env) {
  int64_t counts[CGYM_INSTCOUNT_SIZE];
  size_t size = CGYM_INSTCOUNT_SIZE - 1;

  cgym_llvm_module_instcount(env->module, counts);
  out->doubles = calloc(size, sizeof out->doubles[0]);
  if (!out->doubles) return cgym_error_set(CGYM_ENOMEM, "out of memory for %zu values", size);
  double total = counts[0] > 1 ? (double)counts[0] : 1.0;
  for (size_t i = 0; i < size; i++) out->doubles[i] = (double)counts[i + 1] / total;
  out->size = size;
  return CGYM_OK;
}

static int observe_vector(cgym_observation *out, const cgym_env *env, cgym_observation_id id) {
  if (id == CGYM_OBS_INSTCOUNT_NORM) return observe_instcount_norm(out, env);

  size_t size = id == CGYM_OBS_INSTCOUNT ? CGYM_INSTCOUNT_SIZE : CGYM_AUTOPHASE_SIZE;
  int rc = alloc_int64s(out, size);
  if (rc != CGYM_OK) return rc;
  if (id == CGYM_OBS_INSTCOUNT) {
    cgym_llvm_module_instcount(env->module, out->int64s);
    return CGYM_OK;
  }
  return cgym_llvm_module_autophase(env->module, out->int64s);
}

/* Stores the JSON text of array in out, taking the reference. */
static int store_json(cgym_observation *out, json_t *array) {
  out->string = array ? json_dumps(array, JSON_COMPACT) : NULL;
  json_decref(array);
  if (!out->string) return cgym_error_set(CGYM_ENOMEM, "out of memory writing a JSON observation");
  out->size = strlen(out->string);
  return CGYM_OK;
}

static int observe_functions(cgym_observation *out, const cgym_env *env) {
  cgym_function_info *functions = NULL;
  size_t count = 0;
  int rc = cgym_llvm_module_functions(env->module, &functions, &count);
  if (rc != CGYM_OK) return rc;

  json_t *array = json_array();
  for (size_t i = 0; i < count && array; i++) {
    const cgym_function_info *f = &functions[i];
    /* JSON holds UTF-8 only; LLVM names are bytes, so other names appear as null. */
    json_t *name = json_string(f->name);
    if (json_array_append_new(array, json_pack("{s:I, s:o, s:I, s:I, s:I, s:b}", "index",
                                               (json_int_t)i, "name", name ? name : json_null(),
                                               "instructions",
                                               (json_int_t)f->instructions, "blocks",
                                               (json_int_t)f->blocks, "loops",
                                               (json_int_t)f->loops, "optnone", f->optnone)) != 0) {
      json_decref(array);
      array = NULL;
    }
  }
  cgym_function_list_free(functions, count);
  return store_json(out, array);
}

static int observe_loops(cgym_observation *out, const cgym_env *env) {
  cgym_loop_info *loops = NULL;
  size_t count = 0;
  int rc = cgym_llvm_module_loops(env->module, &loops, &count);
  if (rc != CGYM_OK) return rc;

  json_t *array = json_array();
  for (size_t i = 0; i < count && array; i++) {
    const cgym_loop_info *l = &loops[i];
    json_t *item = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "index",
                             (json_int_t)i, "function", (json_int_t)l->function, "parent",
                             (json_int_t)l->parent, "depth", (json_int_t)l->depth, "blocks",
                             (json_int_t)l->blocks, "instructions", (json_int_t)l->instructions,
                             "latches", (json_int_t)l->latches, "exits", (json_int_t)l->exits,
                             "trip_count_hint", (json_int_t)l->trip_count_hint);
    if (json_array_append_new(array, item) != 0) {
      json_decref(array);
      array = NULL;
    }
  }
  free(loops);
  return store_json(out, array);
}

static int observe_text(cgym_observation *out, const cgym_env *env, cgym_observation_id id) {
  if (id == CGYM_OBS_FUNCTIONS) return observe_functions(out, env);
  if (id == CGYM_OBS_LOOPS) return observe_loops(out, env);
  if (id == CGYM_OBS_IR) return cgym_llvm_module_ir(env->module, &out->string, &out->size);
  if (id == CGYM_OBS_CPU_INFO) {
    int rc = cgym_llvm_cpu_info(&out->string);
    if (rc == CGYM_OK) out->size = strlen(out->string);
    return rc;
  }
  if (id == CGYM_OBS_BITCODE) return cgym_llvm_module_bitcode(env->module, &out->bytes, &out->size);

  out->string = malloc(65);
  if (!out->string) return cgym_error_set(CGYM_ENOMEM, "out of memory for a SHA-256");
  out->size = 64;
  return cgym_llvm_module_sha256(env->module, out->string);
}

/* The scalar observations: current costs and baselines. */
static int observe_scalar(cgym_observation *out, cgym_env *env, cgym_observation_id id) {
  switch (id) {
  case CGYM_OBS_IR_COUNT: return cgym_env_cost(env, CGYM_COST_IR, &out->int64_value);
  case CGYM_OBS_TEXT_SIZE: return cgym_env_cost(env, CGYM_COST_TEXT, &out->int64_value);
  case CGYM_OBS_IR_COUNT_O0:
    return cgym_env_baseline(env, CGYM_COST_IR, CGYM_LEVEL_O0, &out->int64_value);
  case CGYM_OBS_IR_COUNT_O3:
    return cgym_env_baseline(env, CGYM_COST_IR, CGYM_LEVEL_O3, &out->int64_value);
  case CGYM_OBS_IR_COUNT_OZ:
    return cgym_env_baseline(env, CGYM_COST_IR, CGYM_LEVEL_OZ, &out->int64_value);
  case CGYM_OBS_TEXT_SIZE_O0:
    return cgym_env_baseline(env, CGYM_COST_TEXT, CGYM_LEVEL_O0, &out->int64_value);
  case CGYM_OBS_TEXT_SIZE_O3:
    return cgym_env_baseline(env, CGYM_COST_TEXT, CGYM_LEVEL_O3, &out->int64_value);
  default: return cgym_env_baseline(env, CGYM_COST_TEXT, CGYM_LEVEL_OZ, &out->int64_value);
  }
}

int cgym_env_observe(cgym_observation *out, cgym_env *env, const char *name) {
  size_t index;

  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_env_observe: out must not be NULL");
  memset(out, 0, sizeof *out);
  int rc = cgym_env_check_module(env, "cgym_env_observe");
  if (rc == CGYM_OK) rc = cgym_observation_space_index(&index, name);
  if (rc != CGYM_OK) return rc;

  const cgym_space *space = cgym_observation_space_get(index);
  cgym_observation_id id = (cgym_observation_id)index;
  if (space->type == CGYM_SPACE_INT64) rc = observe_scalar(out, env, id);
  else if (space->type == CGYM_SPACE_INT64_VECTOR || space->type == CGYM_SPACE_DOUBLE_VECTOR)
    rc = observe_vector(out, env, id);
  else rc = observe_text(out, env, id);

  if (rc != CGYM_OK) {
    cgym_observation_clear(out);
    return rc;
  }
  out->space = space;
  out->type = space->type;
  if (space->type == CGYM_SPACE_INT64) out->size = 1;
  return CGYM_OK;
}
