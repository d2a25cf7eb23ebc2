/*
 * Functions and natural loops of a module, and the two finer steps built on them: a pipeline on
 * one function and the unrolling of one loop (cgym/targets.h gives their semantics).
 *
 * LLVM's C API has no loop analysis, so loops are found here from the control-flow graph. The
 * blocks reachable from the entry are numbered in reverse post-order, immediate dominators come
 * from the iterative algorithm of Cooper, Harvey and Kennedy, and a dominator-tree numbering
 * answers dominance queries in constant time. Each header that dominates the source of a back
 * edge to it then gives one natural loop. LLVM's LoopInfo finds the same loops; the order here is the header's position in the
 * function, which does not depend on LLVM's internal traversal.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>

#include "cgym/error.h"
#include "env/error_internal.h"
#include "env/llvm_internal.h"
#include "env/llvm_module.h"

/* Largest trip count that the hint simulates; longer loops get -1. */
#define TRIP_COUNT_HINT_MAX 65536

#define NONE SIZE_MAX

/* The control-flow graph of one function, with blocks in layout order. */
typedef struct cfg {
  size_t n;
  LLVMBasicBlockRef *blocks;
  int64_t *instructions;   /* per block */
  size_t *succ_start, *succ; /* successors of block b: succ[succ_start[b] .. succ_start[b+1]) */
  size_t *pred_start, *pred; /* predecessors, the same way, reachable ones only */
  size_t *rpo;             /* reverse post-order number, NONE when unreachable */
  size_t *idom;            /* immediate dominator, NONE when unreachable */
  size_t *pre, *post;      /* dominator-tree interval numbering */
  /* Open-addressing map from block pointer to index. */
  LLVMBasicBlockRef *keys;
  size_t *values;
  size_t map_mask;
} cfg;

/* One loop of a function, in block indices. */
typedef struct loop {
  size_t header;
  unsigned char *body; /* n flags */
  size_t *latches;
  size_t latch_count;
  size_t block_count;
  size_t parent; /* index in the function's loop list, or NONE */
} loop;

typedef struct function_loops {
  cfg graph;
  loop *loops;
  size_t count;
} function_loops;

static size_t hash_pointer(const void *pointer, size_t mask) {
  uintptr_t value = (uintptr_t)pointer;
  value ^= value >> 17;
  value *= (uintptr_t)0x9E3779B97F4A7C15u;
  return (size_t)(value >> 7) & mask;
}

static size_t block_index(const cfg *graph, LLVMBasicBlockRef block) {
  for (size_t slot = hash_pointer(block, graph->map_mask);; slot = (slot + 1) & graph->map_mask) {
    if (graph->keys[slot] == block) return graph->values[slot];
    if (!graph->keys[slot]) return NONE;
  }
}

static void cfg_free(cfg *graph) {
  free(graph->blocks);
  free(graph->instructions);
  free(graph->succ_start);
  free(graph->succ);
  free(graph->pred_start);
  free(graph->pred);
  free(graph->rpo);
  free(graph->idom);
  free(graph->pre);
  free(graph->post);
  free(graph->keys);
  free(graph->values);
  memset(graph, 0, sizeof *graph);
}

static void function_loops_free(function_loops *result) {
  for (size_t i = 0; i < result->count; i++) {
    free(result->loops[i].body);
    free(result->loops[i].latches);
  }
  free(result->loops);
  cfg_free(&result->graph);
  memset(result, 0, sizeof *result);
}

/* Lists the blocks, fills the pointer map and the successor lists. */
static int cfg_blocks(cfg *graph, LLVMValueRef function) {
  size_t n = LLVMCountBasicBlocks(function);
  size_t capacity = 16;
  while (capacity < 2 * n) capacity *= 2;

  graph->n = n;
  graph->blocks = calloc(n ? n : 1, sizeof *graph->blocks);
  graph->instructions = calloc(n ? n : 1, sizeof *graph->instructions);
  graph->succ_start = calloc(n + 1, sizeof *graph->succ_start);
  graph->keys = calloc(capacity, sizeof *graph->keys);
  graph->values = calloc(capacity, sizeof *graph->values);
  graph->map_mask = capacity - 1;
  if (!graph->blocks || !graph->instructions || !graph->succ_start || !graph->keys ||
      !graph->values)
    return CGYM_ENOMEM;
  if (n) LLVMGetBasicBlocks(function, graph->blocks);

  size_t edges = 0;
  for (size_t b = 0; b < n; b++) {
    size_t slot = hash_pointer(graph->blocks[b], graph->map_mask);
    while (graph->keys[slot]) slot = (slot + 1) & graph->map_mask;
    graph->keys[slot] = graph->blocks[b];
    graph->values[slot] = b;
    for (LLVMValueRef i = LLVMGetFirstInstruction(graph->blocks[b]); i; i = LLVMGetNextInstruction(i))
      graph->instructions[b]++;
    LLVMValueRef terminator = LLVMGetBasicBlockTerminator(graph->blocks[b]);
    edges += terminator ? LLVMGetNumSuccessors(terminator) : 0;
  }

  graph->succ = calloc(edges ? edges : 1, sizeof *graph->succ);
  if (!graph->succ) return CGYM_ENOMEM;
  size_t at = 0;
  for (size_t b = 0; b < n; b++) {
    graph->succ_start[b] = at;
    LLVMValueRef terminator = LLVMGetBasicBlockTerminator(graph->blocks[b]);
    unsigned count = terminator ? LLVMGetNumSuccessors(terminator) : 0;
    for (unsigned s = 0; s < count; s++)
      graph->succ[at++] = block_index(graph, LLVMGetSuccessor(terminator, s));
  }
  graph->succ_start[n] = at;
  return CGYM_OK;
}

/* Numbers the blocks reachable from the entry in reverse post-order (iterative depth-first
 * search) and stores that order in *order. */
static int cfg_order(cfg *graph, size_t **order, size_t *reachable) {
  size_t n = graph->n;
  size_t *stack = calloc(n ? n : 1, sizeof *stack);
  size_t *next = calloc(n ? n : 1, sizeof *next);
  size_t *postorder = calloc(n ? n : 1, sizeof *postorder);
  graph->rpo = malloc((n ? n : 1) * sizeof *graph->rpo);
  if (!stack || !next || !postorder || !graph->rpo) {
    free(stack);
    free(next);
    free(postorder);
    return CGYM_ENOMEM;
  }
  for (size_t b = 0; b < n; b++) graph->rpo[b] = NONE;

  size_t depth = 0, done = 0;
  if (n) {
    stack[depth++] = 0;
    graph->rpo[0] = 0; /* marks "visited"; renumbered below */
  }
  while (depth) {
    size_t b = stack[depth - 1];
    size_t i = graph->succ_start[b] + next[b];
    if (i < graph->succ_start[b + 1]) {
      next[b]++;
      size_t s = graph->succ[i];
      if (s != NONE && graph->rpo[s] == NONE) {
        graph->rpo[s] = 0;
        stack[depth++] = s;
      }
      continue;
    }
    postorder[done++] = b;
    depth--;
  }
  for (size_t i = 0; i < done; i++) {
    size_t b = postorder[done - 1 - i];
    graph->rpo[b] = i;
    stack[i] = b;
  }
  free(next);
  free(postorder);
  *order = stack;
  *reachable = done;
  return CGYM_OK;
}

static int cfg_predecessors(cfg *graph) {
  size_t n = graph->n;
  graph->pred_start = calloc(n + 1, sizeof *graph->pred_start);
  if (!graph->pred_start) return CGYM_ENOMEM;
  for (size_t b = 0; b < n; b++) {
    if (graph->rpo[b] == NONE) continue;
    for (size_t i = graph->succ_start[b]; i < graph->succ_start[b + 1]; i++)
      if (graph->succ[i] != NONE) graph->pred_start[graph->succ[i] + 1]++;
  }
  for (size_t b = 0; b < n; b++) graph->pred_start[b + 1] += graph->pred_start[b];
  graph->pred = calloc(graph->pred_start[n] ? graph->pred_start[n] : 1, sizeof *graph->pred);
  size_t *fill = calloc(n ? n : 1, sizeof *fill);
  if (!graph->pred || !fill) {
    free(fill);
    return CGYM_ENOMEM;
  }
  for (size_t b = 0; b < n; b++) {
    if (graph->rpo[b] == NONE) continue;
    for (size_t i = graph->succ_start[b]; i < graph->succ_start[b + 1]; i++) {
      size_t s = graph->succ[i];
      if (s != NONE) graph->pred[graph->pred_start[s] + fill[s]++] = b;
    }
  }
  free(fill);
  return CGYM_OK;
}

static size_t intersect(const cfg *graph, size_t a, size_t b) {
  while (a != b) {
    while (graph->rpo[a] > graph->rpo[b]) a = graph->idom[a];
    while (graph->rpo[b] > graph->rpo[a]) b = graph->idom[b];
  }
  return a;
}

/* Immediate dominators, then pre/post numbers of the dominator tree. */
static int cfg_dominators(cfg *graph, const size_t *order, size_t reachable) {
  size_t n = graph->n;
  graph->idom = malloc((n ? n : 1) * sizeof *graph->idom);
  graph->pre = calloc(n ? n : 1, sizeof *graph->pre);
  graph->post = calloc(n ? n : 1, sizeof *graph->post);
  if (!graph->idom || !graph->pre || !graph->post) return CGYM_ENOMEM;
  for (size_t b = 0; b < n; b++) graph->idom[b] = NONE;
  if (!reachable) return CGYM_OK;
  graph->idom[order[0]] = order[0];

  for (int changed = 1; changed;) {
    changed = 0;
    for (size_t k = 1; k < reachable; k++) {
      size_t b = order[k], chosen = NONE;
      for (size_t i = graph->pred_start[b]; i < graph->pred_start[b + 1]; i++) {
        size_t p = graph->pred[i];
        if (graph->idom[p] == NONE) continue;
        chosen = chosen == NONE ? p : intersect(graph, p, chosen);
      }
      if (chosen != graph->idom[b]) {
        graph->idom[b] = chosen;
        changed = 1;
      }
    }
  }

  /* Children lists in counting-sort form, then an iterative walk for the interval numbers. */
  size_t *child_start = calloc(n + 1, sizeof *child_start);
  size_t *children = calloc(n ? n : 1, sizeof *children);
  size_t *stack = calloc(n ? n : 1, sizeof *stack);
  size_t *next = calloc(n ? n : 1, sizeof *next);
  if (!child_start || !children || !stack || !next) {
    free(child_start);
    free(children);
    free(stack);
    free(next);
    return CGYM_ENOMEM;
  }
  for (size_t k = 1; k < reachable; k++) child_start[graph->idom[order[k]] + 1]++;
  for (size_t b = 0; b < n; b++) child_start[b + 1] += child_start[b];
  for (size_t k = 1; k < reachable; k++) {
    size_t b = order[k], parent = graph->idom[b];
    children[child_start[parent] + next[parent]++] = b;
  }
  memset(next, 0, (n ? n : 1) * sizeof *next);

  size_t clock = 0, depth = 0;
  stack[depth++] = order[0];
  graph->pre[order[0]] = clock++;
  while (depth) {
    size_t b = stack[depth - 1];
    if (child_start[b] + next[b] < child_start[b + 1]) {
      size_t c = children[child_start[b] + next[b]++];
      graph->pre[c] = clock++;
      stack[depth++] = c;
    } else {
      graph->post[b] = clock++;
      depth--;
    }
  }
  free(child_start);
  free(children);
  free(stack);
  free(next);
  return CGYM_OK;
}

static int dominates(const cfg *graph, size_t a, size_t b) {
  return graph->pre[a] <= graph->pre[b] && graph->post[b] <= graph->post[a];
}

/* Builds the natural loop of header h from its latches. */
static int build_loop(const cfg *graph, loop *out, size_t h, size_t *worklist) {
  out->header = h;
  out->parent = NONE;
  out->body = calloc(graph->n, 1);
  out->latches = calloc(graph->pred_start[h + 1] - graph->pred_start[h], sizeof *out->latches);
  if (!out->body || !out->latches) return CGYM_ENOMEM;

  size_t top = 0;
  for (size_t i = graph->pred_start[h]; i < graph->pred_start[h + 1]; i++) {
    size_t p = graph->pred[i];
    if (dominates(graph, h, p)) {
      out->latches[out->latch_count++] = p;
      worklist[top++] = p;
    }
  }
  out->body[h] = 1;
  out->block_count = 1;
  while (top) {
    size_t b = worklist[--top];
    if (out->body[b]) continue;
    out->body[b] = 1;
    out->block_count++;
    for (size_t i = graph->pred_start[b]; i < graph->pred_start[b + 1]; i++)
      if (!out->body[graph->pred[i]]) worklist[top++] = graph->pred[i];
  }
  return CGYM_OK;
}

/* Finds the natural loops of a function with a body, in the order of their headers. */
static int find_loops(function_loops *result, LLVMValueRef function) {
  size_t *order = NULL, reachable = 0;
  memset(result, 0, sizeof *result);
  cfg *graph = &result->graph;

  int rc = cfg_blocks(graph, function);
  if (rc == CGYM_OK) rc = cfg_order(graph, &order, &reachable);
  if (rc == CGYM_OK) rc = cfg_predecessors(graph);
  if (rc == CGYM_OK) rc = cfg_dominators(graph, order, reachable);
  free(order);
  if (rc != CGYM_OK) return rc;

  size_t n = graph->n;
  size_t headers = 0;
  for (size_t h = 0; h < n; h++) {
    if (graph->rpo[h] == NONE) continue;
    for (size_t i = graph->pred_start[h]; i < graph->pred_start[h + 1]; i++)
      if (dominates(graph, h, graph->pred[i])) {
        headers++;
        break;
      }
  }
  if (!headers) return CGYM_OK;

  result->loops = calloc(headers, sizeof *result->loops);
  /* The worklist gets at most one entry per predecessor edge. */
  size_t *worklist = calloc(graph->pred_start[n] + 1, sizeof *worklist);
  if (!result->loops || !worklist) {
    free(worklist);
    return CGYM_ENOMEM;
  }
  for (size_t h = 0; h < n && rc == CGYM_OK; h++) {
    if (graph->rpo[h] == NONE) continue;
    int is_header = 0;
    for (size_t i = graph->pred_start[h]; i < graph->pred_start[h + 1]; i++)
      is_header |= dominates(graph, h, graph->pred[i]);
    if (!is_header) continue;
    rc = build_loop(graph, &result->loops[result->count], h, worklist);
    result->count++;
  }
  free(worklist);
  if (rc != CGYM_OK) return rc;

  /* The parent is the smallest other loop whose body contains the header. */
  for (size_t i = 0; i < result->count; i++) {
    loop *inner = &result->loops[i];
    for (size_t j = 0; j < result->count; j++) {
      const loop *outer = &result->loops[j];
      if (j == i || !outer->body[inner->header]) continue;
      if (inner->parent == NONE || outer->block_count < result->loops[inner->parent].block_count)
        inner->parent = j;
    }
  }
  return CGYM_OK;
}

/* The functions with a body, in module order. */
static size_t defined_functions(LLVMModuleRef module, LLVMValueRef *out) {
  size_t count = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(module); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    if (out) out[count] = f;
    count++;
  }
  return count;
}

static int defined_function_list(LLVMModuleRef module, LLVMValueRef **out, size_t *count) {
  *count = defined_functions(module, NULL);
  *out = calloc(*count ? *count : 1, sizeof **out);
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory listing %zu functions", *count);
  defined_functions(module, *out);
  return CGYM_OK;
}

static unsigned optnone_kind(void) { return LLVMGetEnumAttributeKindForName("optnone", 7); }

static int has_optnone(LLVMValueRef function) {
  return LLVMGetEnumAttributeAtIndex(function, LLVMAttributeFunctionIndex, optnone_kind()) != NULL;
}

/* ---- Trip-count hints ---- */

static uint64_t mask_to(uint64_t value, unsigned width) {
  return width >= 64 ? value : value & ((UINT64_C(1) << width) - 1);
}

static int64_t as_signed(uint64_t value, unsigned width) {
  if (width >= 64) return (int64_t)value;
  uint64_t sign = UINT64_C(1) << (width - 1);
  return (int64_t)((value ^ sign) - sign);
}

static int compare(LLVMIntPredicate predicate, uint64_t a, uint64_t b, unsigned width) {
  int64_t sa = as_signed(a, width), sb = as_signed(b, width);
  switch (predicate) {
  case LLVMIntEQ: return a == b;
  case LLVMIntNE: return a != b;
  case LLVMIntUGT: return a > b;
  case LLVMIntUGE: return a >= b;
  case LLVMIntULT: return a < b;
  case LLVMIntULE: return a <= b;
  case LLVMIntSGT: return sa > sb;
  case LLVMIntSGE: return sa >= sb;
  case LLVMIntSLT: return sa < sb;
  default: return sa <= sb;
  }
}

static LLVMIntPredicate swapped(LLVMIntPredicate predicate) {
  switch (predicate) {
  case LLVMIntUGT: return LLVMIntULT;
  case LLVMIntUGE: return LLVMIntULE;
  case LLVMIntULT: return LLVMIntUGT;
  case LLVMIntULE: return LLVMIntUGE;
  case LLVMIntSGT: return LLVMIntSLT;
  case LLVMIntSGE: return LLVMIntSLE;
  case LLVMIntSLT: return LLVMIntSGT;
  case LLVMIntSLE: return LLVMIntSGE;
  default: return predicate;
  }
}

static int constant_value(LLVMValueRef value, uint64_t *out) {
  if (!value || !LLVMIsAConstantInt(value)) return 0;
  if (LLVMGetIntTypeWidth(LLVMTypeOf(value)) > 64) return 0;
  *out = LLVMConstIntGetZExtValue(value);
  return 1;
}

/* Matches `add P, C`, `add C, P` or `sub P, C` and stores P and the added constant. */
static int match_step(LLVMValueRef value, LLVMValueRef *base, uint64_t *step) {
  if (!value || !LLVMIsAInstruction(value)) return 0;
  LLVMOpcode opcode = LLVMGetInstructionOpcode(value);
  if (opcode != LLVMAdd && opcode != LLVMSub) return 0;
  LLVMValueRef a = LLVMGetOperand(value, 0), b = LLVMGetOperand(value, 1);
  uint64_t constant;
  if (constant_value(b, &constant)) {
    *base = a;
    *step = opcode == LLVMAdd ? constant : (uint64_t)0 - constant;
    return 1;
  }
  if (opcode == LLVMAdd && constant_value(a, &constant)) {
    *base = b;
    *step = constant;
    return 1;
  }
  return 0;
}

/* The trip count that block b's exit test gives, or -1. */
static int64_t exit_trip_count(const cfg *graph, const loop *l, size_t b) {
  LLVMValueRef branch = LLVMGetBasicBlockTerminator(graph->blocks[b]);
  if (!branch || LLVMGetInstructionOpcode(branch) != LLVMBr || !LLVMIsConditional(branch))
    return -1;
  size_t s0 = block_index(graph, LLVMGetSuccessor(branch, 0));
  size_t s1 = block_index(graph, LLVMGetSuccessor(branch, 1));
  if (s0 == NONE || s1 == NONE || l->body[s0] == l->body[s1]) return -1;
  int exit_when = !l->body[s0]; /* the comparison result that leaves the loop */

  LLVMValueRef condition = LLVMGetCondition(branch);
  if (!LLVMIsAICmpInst(condition)) return -1;
  LLVMIntPredicate predicate = LLVMGetICmpPredicate(condition);
  LLVMValueRef tested = LLVMGetOperand(condition, 0);
  uint64_t bound;
  if (!constant_value(LLVMGetOperand(condition, 1), &bound)) {
    if (!constant_value(tested, &bound)) return -1;
    tested = LLVMGetOperand(condition, 1);
    predicate = swapped(predicate);
  }

  /* The tested value is the header phi itself or the phi plus a constant. */
  LLVMValueRef phi = tested;
  uint64_t offset = 0;
  if (!LLVMIsAPHINode(phi) && !match_step(tested, &phi, &offset)) return -1;
  if (!LLVMIsAPHINode(phi) || LLVMGetInstructionParent(phi) != graph->blocks[l->header] ||
      LLVMCountIncoming(phi) != 2)
    return -1;
  unsigned width = LLVMGetIntTypeWidth(LLVMTypeOf(phi));
  if (LLVMGetTypeKind(LLVMTypeOf(phi)) != LLVMIntegerTypeKind || width == 0 || width > 64)
    return -1;

  uint64_t start = 0, step = 0;
  int have_start = 0, have_step = 0;
  for (unsigned i = 0; i < 2; i++) {
    size_t from = block_index(graph, LLVMGetIncomingBlock(phi, i));
    LLVMValueRef incoming = LLVMGetIncomingValue(phi, i);
    LLVMValueRef base = NULL;
    if (from != NONE && !l->body[from]) have_start = constant_value(incoming, &start);
    else if (from != NONE && match_step(incoming, &base, &step) && base == phi) have_step = 1;
  }
  if (!have_start || !have_step || mask_to(step, width) == 0) return -1;

  uint64_t value = mask_to(start, width);
  for (int64_t i = 0; i < TRIP_COUNT_HINT_MAX; i++) {
    uint64_t checked = mask_to(value + offset, width);
    if (compare(predicate, checked, mask_to(bound, width), width) == exit_when) return i + 1;
    value = mask_to(value + step, width);
  }
  return -1;
}

static int64_t trip_count_hint(const cfg *graph, const loop *l) {
  int64_t best = exit_trip_count(graph, l, l->header);
  if (l->latch_count == 1 && l->latches[0] != l->header) {
    int64_t latch = exit_trip_count(graph, l, l->latches[0]);
    if (latch >= 0 && (best < 0 || latch < best)) best = latch;
  }
  return best;
}

/* ---- Lists ---- */

void cgym_function_list_free(cgym_function_info *functions, size_t count) {
  if (!functions) return;
  for (size_t i = 0; i < count; i++) free(functions[i].name);
  free(functions);
}

int cgym_llvm_module_functions(const cgym_llvm_module *module, cgym_function_info **out,
                               size_t *count) {
  LLVMValueRef *functions = NULL;
  size_t n = 0;
  *out = NULL;
  *count = 0;
  int rc = defined_function_list(cgym_llvm_module_ref(module), &functions, &n);
  if (rc != CGYM_OK) return rc;

  cgym_function_info *list = calloc(n ? n : 1, sizeof *list);
  if (!list) rc = CGYM_ENOMEM;
  for (size_t i = 0; i < n && rc == CGYM_OK; i++) {
    size_t length = 0;
    const char *name = LLVMGetValueName2(functions[i], &length);
    list[i].name = strndup(name ? name : "", length);
    if (!list[i].name) {
      rc = CGYM_ENOMEM;
      break;
    }
    function_loops loops;
    rc = find_loops(&loops, functions[i]);
    if (rc == CGYM_OK) {
      list[i].blocks = (int64_t)loops.graph.n;
      for (size_t b = 0; b < loops.graph.n; b++) list[i].instructions += loops.graph.instructions[b];
      list[i].loops = (int64_t)loops.count;
      list[i].optnone = has_optnone(functions[i]);
    }
    function_loops_free(&loops);
  }
  free(functions);
  if (rc != CGYM_OK) {
    cgym_function_list_free(list, n);
    return cgym_error_set(CGYM_ENOMEM, "out of memory listing the functions of a module");
  }
  *out = list;
  *count = n;
  return CGYM_OK;
}

/* Appends the loops of one function to a growing list. */
static int append_loops(const function_loops *loops, size_t function, size_t first,
                        cgym_loop_info *list) {
  const cfg *graph = &loops->graph;
  for (size_t i = 0; i < loops->count; i++) {
    const loop *l = &loops->loops[i];
    cgym_loop_info *info = &list[first + i];
    info->function = function;
    info->parent = l->parent == NONE ? -1 : (int64_t)(first + l->parent);
    info->blocks = (int64_t)l->block_count;
    info->latches = (int64_t)l->latch_count;
    for (size_t b = 0; b < graph->n; b++) {
      if (!l->body[b]) continue;
      info->instructions += graph->instructions[b];
      for (size_t e = graph->succ_start[b]; e < graph->succ_start[b + 1]; e++)
        info->exits += graph->succ[e] != NONE && !l->body[graph->succ[e]];
    }
    info->trip_count_hint = trip_count_hint(graph, l);
  }
  /* Parents come from the same function, so depths can be filled by walking up. */
  for (size_t i = 0; i < loops->count; i++) {
    int64_t depth = 1;
    for (int64_t p = list[first + i].parent; p >= 0; p = list[p].parent) depth++;
    list[first + i].depth = depth;
  }
  return CGYM_OK;
}

int cgym_llvm_module_loops(const cgym_llvm_module *module, cgym_loop_info **out, size_t *count) {
  LLVMValueRef *functions = NULL;
  size_t n = 0, total = 0, capacity = 0;
  cgym_loop_info *list = NULL;
  *out = NULL;
  *count = 0;
  int rc = defined_function_list(cgym_llvm_module_ref(module), &functions, &n);
  if (rc != CGYM_OK) return rc;

  for (size_t f = 0; f < n && rc == CGYM_OK; f++) {
    function_loops loops;
    rc = find_loops(&loops, functions[f]);
    if (rc == CGYM_OK && total + loops.count > capacity) {
      size_t grown_capacity = 2 * (total + loops.count) + 16;
      cgym_loop_info *grown = realloc(list, grown_capacity * sizeof *grown);
      if (!grown) rc = CGYM_ENOMEM;
      else {
        memset(grown + capacity, 0, (grown_capacity - capacity) * sizeof *grown);
        list = grown;
        capacity = grown_capacity;
      }
    }
    if (rc == CGYM_OK) rc = append_loops(&loops, f, total, list);
    if (rc == CGYM_OK) total += loops.count;
    function_loops_free(&loops);
  }
  free(functions);
  if (rc != CGYM_OK) {
    free(list);
    return cgym_error_set(CGYM_ENOMEM, "out of memory listing the loops of a module");
  }
  *out = list;
  *count = total;
  return CGYM_OK;
}

/* ---- Steps on one function or loop ---- */

/* Gives optnone to every function with a body but `chosen` that lacks it; stores those in
 * *marked so restore_optnone can take it away again. */
static int isolate_function(LLVMModuleRef module, LLVMValueRef chosen, LLVMValueRef **marked,
                            size_t *count) {
  LLVMValueRef *functions = NULL;
  size_t n = 0;
  int rc = defined_function_list(module, &functions, &n);
  if (rc != CGYM_OK) return rc;

  LLVMContextRef context = LLVMGetModuleContext(module);
  LLVMAttributeRef optnone = LLVMCreateEnumAttribute(context, optnone_kind(), 0);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (functions[i] == chosen || has_optnone(functions[i])) continue;
    LLVMAddAttributeAtIndex(functions[i], LLVMAttributeFunctionIndex, optnone);
    functions[kept++] = functions[i];
  }
  *marked = functions;
  *count = kept;
  return CGYM_OK;
}

static void restore_optnone(LLVMValueRef *marked, size_t count) {
  for (size_t i = 0; i < count; i++)
    LLVMRemoveEnumAttributeAtIndex(marked[i], LLVMAttributeFunctionIndex, optnone_kind());
  free(marked);
}

static LLVMValueRef function_at(LLVMModuleRef module, size_t index, size_t *count) {
  size_t seen = 0;
  LLVMValueRef found = NULL;
  for (LLVMValueRef f = LLVMGetFirstFunction(module); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    if (seen == index) found = f;
    seen++;
  }
  *count = seen;
  return found;
}

int cgym_llvm_module_run_on_function(cgym_llvm_module *module, const char *pipeline,
                                     size_t function, int verify_module, int *invalid) {
  LLVMModuleRef ref = cgym_llvm_module_ref(module);
  LLVMValueRef *marked = NULL;
  size_t count = 0, functions = 0;
  *invalid = 0;

  LLVMValueRef chosen = function_at(ref, function, &functions);
  if (!chosen)
    return cgym_error_set(CGYM_EINVAL, "function %zu does not exist: the module has %zu "
                          "functions with a body; the Functions observation (or `cgym apply MODULE --list "
                          "functions`) lists them",
                          function, functions);
  int rc = isolate_function(ref, chosen, &marked, &count);
  if (rc != CGYM_OK) return rc;
  rc = cgym_llvm_module_run(module, pipeline, 0, invalid);
  restore_optnone(marked, count);
  if (rc != CGYM_OK || !verify_module) return rc;
  return cgym_llvm_module_verify_step(module, pipeline, invalid);
}

/* A loop identifier that the step attached, and the one it replaced (NULL for none). */
typedef struct loop_id_change {
  LLVMMetadataRef added;
  LLVMValueRef original;
} loop_id_change;

static int is_unroll_entry(LLVMValueRef operand) {
  if (!operand || !LLVMIsAMDNode(operand) || LLVMGetMDNodeNumOperands(operand) == 0) return 0;
  LLVMValueRef first = NULL;
  LLVMGetMDNodeOperands(operand, &first);
  if (!first || !LLVMIsAMDString(first)) return 0;
  unsigned length = 0;
  const char *text = LLVMGetMDString(first, &length);
  return text && length >= 17 && strncmp(text, "llvm.loop.unroll.", 17) == 0;
}

/* Builds a distinct, self-referencing loop identifier: the original's entries (without its
 * llvm.loop.unroll ones when drop_unroll is set) followed by `entry`. */
static LLVMMetadataRef make_loop_id(LLVMContextRef context, LLVMValueRef original,
                                    LLVMMetadataRef entry, int drop_unroll) {
  unsigned old_count = original ? LLVMGetMDNodeNumOperands(original) : 0;
  LLVMValueRef *old = calloc(old_count ? old_count : 1, sizeof *old);
  LLVMMetadataRef *operands = calloc((size_t)old_count + 2, sizeof *operands);
  if (!old || !operands) {
    free(old);
    free(operands);
    return NULL;
  }
  if (original) LLVMGetMDNodeOperands(original, old);

  LLVMMetadataRef placeholder = LLVMTemporaryMDNode(context, NULL, 0);
  size_t n = 0;
  operands[n++] = placeholder;
  for (unsigned i = 1; i < old_count; i++) {
    if (drop_unroll && is_unroll_entry(old[i])) continue;
    operands[n++] = LLVMValueAsMetadata(old[i]);
  }
  operands[n++] = entry;
  LLVMMetadataRef id = LLVMMDNodeInContext2(context, operands, n);
  /* Replacing the placeholder with the node itself makes the node distinct, as loop
   * identifiers are. */
  LLVMMetadataReplaceAllUsesWith(placeholder, id);
  free(old);
  free(operands);
  return id;
}

static LLVMMetadataRef unroll_entry(LLVMContextRef context, unsigned factor) {
  if (factor == 0) {
    LLVMMetadataRef name = LLVMMDStringInContext2(context, "llvm.loop.unroll.disable", 24);
    return LLVMMDNodeInContext2(context, &name, 1);
  }
  LLVMMetadataRef entry[2] = {
      LLVMMDStringInContext2(context, "llvm.loop.unroll.count", 22),
      LLVMValueAsMetadata(LLVMConstInt(LLVMInt32TypeInContext(context), factor, 0))};
  return LLVMMDNodeInContext2(context, entry, 2);
}

/* Puts the unroll request on loop `chosen` of the function and "disable" on its other loops. */
static int mark_loops(LLVMContextRef context, const function_loops *loops, size_t chosen,
                      unsigned factor, loop_id_change *changes) {
  unsigned kind = LLVMGetMDKindIDInContext(context, "llvm.loop", 9);
  for (size_t i = 0; i < loops->count; i++) {
    const loop *l = &loops->loops[i];
    LLVMValueRef first = LLVMGetBasicBlockTerminator(loops->graph.blocks[l->latches[0]]);
    LLVMValueRef original = LLVMGetMetadata(first, kind);
    int is_chosen = i == chosen;
    LLVMMetadataRef id = make_loop_id(context, original, unroll_entry(context, is_chosen ? factor : 0),
                                      is_chosen);
    if (!id) return cgym_error_set(CGYM_ENOMEM, "out of memory marking loops for unrolling");
    changes[i] = (loop_id_change){id, original};
    LLVMValueRef value = LLVMMetadataAsValue(context, id);
    for (size_t k = 0; k < l->latch_count; k++)
      LLVMSetMetadata(LLVMGetBasicBlockTerminator(loops->graph.blocks[l->latches[k]]), kind, value);
  }
  return CGYM_OK;
}

/* Gives every terminator of the function that still carries an identifier the step attached
 * the identifier it had before. */
static void unmark_loops(LLVMContextRef context, LLVMValueRef function,
                         const loop_id_change *changes, size_t count) {
  unsigned kind = LLVMGetMDKindIDInContext(context, "llvm.loop", 9);
  for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(function); b; b = LLVMGetNextBasicBlock(b)) {
    LLVMValueRef terminator = LLVMGetBasicBlockTerminator(b);
    LLVMValueRef current = terminator ? LLVMGetMetadata(terminator, kind) : NULL;
    if (!current) continue;
    LLVMMetadataRef id = LLVMValueAsMetadata(current);
    for (size_t i = 0; i < count; i++) {
      if (changes[i].added != id) continue;
      LLVMSetMetadata(terminator, kind, changes[i].original);
      break;
    }
  }
}

/* Finds the function and the position within it of loop `index` of the module. */
static int locate_loop(LLVMModuleRef module, size_t index, LLVMValueRef *function,
                       function_loops *loops, size_t *position) {
  LLVMValueRef *functions = NULL;
  size_t n = 0, seen = 0;
  int rc = defined_function_list(module, &functions, &n);
  for (size_t f = 0; f < n && rc == CGYM_OK; f++) {
    rc = find_loops(loops, functions[f]);
    if (rc != CGYM_OK) break;
    if (index < seen + loops->count) {
      *function = functions[f];
      *position = index - seen;
      free(functions);
      return CGYM_OK;
    }
    seen += loops->count;
    function_loops_free(loops);
  }
  free(functions);
  if (rc != CGYM_OK) return cgym_error_set(CGYM_ENOMEM, "out of memory finding the loops of a "
                                           "module");
  return cgym_error_set(CGYM_EINVAL, "loop %zu does not exist: the module has %zu loops; the "
                        "Loops observation (or `cgym apply MODULE --list loops`) lists them", index, seen);
}

int cgym_llvm_module_unroll_loop(cgym_llvm_module *module, const char *pipeline, size_t index,
                                 unsigned factor, int verify_module, int *invalid) {
  LLVMModuleRef ref = cgym_llvm_module_ref(module);
  LLVMContextRef context = LLVMGetModuleContext(ref);
  LLVMValueRef function = NULL, *marked = NULL;
  function_loops loops;
  size_t position = 0, count = 0;
  *invalid = 0;

  int rc = locate_loop(ref, index, &function, &loops, &position);
  if (rc != CGYM_OK) return rc;
  loop_id_change *changes = calloc(loops.count, sizeof *changes);
  if (!changes) rc = cgym_error_set(CGYM_ENOMEM, "out of memory marking loops for unrolling");
  if (rc == CGYM_OK) rc = mark_loops(context, &loops, position, factor, changes);
  if (rc == CGYM_OK) rc = isolate_function(ref, function, &marked, &count);
  if (rc == CGYM_OK) {
    rc = cgym_llvm_module_run(module, pipeline, 0, invalid);
    restore_optnone(marked, count);
  }
  if (changes) unmark_loops(context, function, changes, loops.count);
  free(changes);
  function_loops_free(&loops);
  if (rc != CGYM_OK || !verify_module) return rc;
  return cgym_llvm_module_verify_step(module, pipeline, invalid);
}
