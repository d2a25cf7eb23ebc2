/*
 * The pass action space "llvm19-passes-v1": CompilerGym's 124 LLVM actions in CompilerGym's
 * order (sorted by LLVM 10 pass class name), each mapped to the LLVM 19 new-pass-manager
 * pipeline that does the same work. Passes that LLVM 19 no longer has, or that cannot be offered
 * reproducibly, sit in a separate table with the reason, so a lookup of their flag can explain
 * itself. docs/actions.md lists both tables.
 *
 * Pipelines are the bare pass names, with the parameters the standard LLVM 19 pipelines use where
 * the bare name's defaults differ from them (`opt-19 -passes='default<Oz>'
 * -print-pipeline-passes` shows those parameters). The space's hash covers every pipeline string,
 * so any change here is a new version of the space.
 *
 * The pipeline action space "llvm19-pipelines-v1" offers the standard levels default<O0> to
 * default<Oz>, one action each.
 */
#include "cgym/actions.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/sha256_internal.h"
#include "env/suggest_internal.h"

struct cgym_action_space {
  const char *id;
  const cgym_action *actions;
  size_t count;
  char *hash; /* filled on first use by cgym_action_space_hash */
  pthread_once_t *hash_once; /* NULL for a subset, whose hash is filled when it is made */
  char *owned_id;            /* a subset's id, which it owns; NULL for the built-in spaces */
};

/* The comment before each entry is its index in CompilerGym's 124-action space. */
static const cgym_action pass_actions[] = {
    /*   0 */ {"add-discriminators", "-add-discriminators", "add-discriminators"},
    /*   1 */ {"adce", "-adce", "adce"},
    /*   2 */ {"aggressive-instcombine", "-aggressive-instcombine", "aggressive-instcombine"},
    /*   3 */ {"alignment-from-assumptions", "-alignment-from-assumptions",
               "alignment-from-assumptions"},
    /*   4 */ {"always-inline", "-always-inline", "always-inline"},
    /*   5 */ {"argpromotion", "-argpromotion", "argpromotion"},
    /*   6 */ {"attributor", "-attributor", "attributor"},
    /*   8 */ {"bdce", "-bdce", "bdce"},
    /*   9 */ {"break-crit-edges", "-break-crit-edges", "break-crit-edges"},
    /*  10 */ {"simplifycfg", "-simplifycfg", "simplifycfg"},
    /*  11 */ {"callsite-splitting", "-callsite-splitting", "callsite-splitting"},
    /*  12 */ {"called-value-propagation", "-called-value-propagation", "called-value-propagation"},
    /*  13 */ {"canonicalize-aliases", "-canonicalize-aliases", "canonicalize-aliases"},
    /*  14 */ {"consthoist", "-consthoist", "consthoist"},
    /*  15 */ {"constmerge", "-constmerge", "constmerge"},
    /*  17 */ {"coro-cleanup", "-coro-cleanup", "coro-cleanup"},
    /*  18 */ {"coro-early", "-coro-early", "coro-early"},
    /*  19 */ {"coro-elide", "-coro-elide", "coro-elide"},
    /*  20 */ {"coro-split", "-coro-split", "coro-split"},
    /*  21 */ {"correlated-propagation", "-correlated-propagation", "correlated-propagation"},
    /*  22 */ {"cross-dso-cfi", "-cross-dso-cfi", "cross-dso-cfi"},
    /*  23 */ {"deadargelim", "-deadargelim", "deadargelim"},
    /*  24 */ {"dce", "-dce", "dce"},
    /*  26 */ {"dse", "-dse", "dse"},
    /*  27 */ {"reg2mem", "-reg2mem", "reg2mem"},
    /*  28 */ {"div-rem-pairs", "-div-rem-pairs", "div-rem-pairs"},
    /*  29 */ {"early-cse-memssa", "-early-cse-memssa", "early-cse<memssa>"},
    /*  30 */ {"early-cse", "-early-cse", "early-cse"},
    /*  31 */ {"elim-avail-extern", "-elim-avail-extern", "elim-avail-extern"},
    /*  32 */ {"ee-instrument", "-ee-instrument", "ee-instrument"},
    /*  33 */ {"flatten-cfg", "-flattencfg", "flatten-cfg"},
    /*  34 */ {"float2int", "-float2int", "float2int"},
    /*  35 */ {"forceattrs", "-forceattrs", "forceattrs"},
    /*  36 */ {"inline", "-inline", "inline"},
    /*  38 */ {"gvn-hoist", "-gvn-hoist", "gvn-hoist"},
    /*  39 */ {"gvn", "-gvn", "gvn"},
    /*  40 */ {"globaldce", "-globaldce", "globaldce"},
    /*  41 */ {"globalopt", "-globalopt", "globalopt"},
    /*  42 */ {"globalsplit", "-globalsplit", "globalsplit"},
    /*  43 */ {"guard-widening", "-guard-widening", "guard-widening"},
    /*  44 */ {"hotcoldsplit", "-hotcoldsplit", "hotcoldsplit"},
    /*  46 */ {"ipsccp", "-ipsccp", "ipsccp"},
    /*  47 */ {"indvars", "-indvars", "indvars"},
    /*  48 */ {"irce", "-irce", "irce"},
    /*  49 */ {"infer-address-spaces", "-infer-address-spaces", "infer-address-spaces"},
    /*  50 */ {"inferattrs", "-inferattrs", "inferattrs"},
    /*  51 */ {"inject-tli-mappings", "-inject-tli-mappings", "inject-tli-mappings"},
    /*  52 */ {"instsimplify", "-instsimplify", "instsimplify"},
    /*  53 */ {"instcombine", "-instcombine",
               "instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>"},
    /*  54 */ {"instnamer", "-instnamer", "instnamer"},
    /*  55 */ {"jump-threading", "-jump-threading", "jump-threading"},
    /*  56 */ {"lcssa", "-lcssa", "lcssa"},
    /*  57 */ {"licm", "-licm", "loop-mssa(licm<allowspeculation>)"},
    /*  58 */ {"libcalls-shrinkwrap", "-libcalls-shrinkwrap", "libcalls-shrinkwrap"},
    /*  59 */ {"load-store-vectorizer", "-load-store-vectorizer", "load-store-vectorizer"},
    /*  60 */ {"loop-data-prefetch", "-loop-data-prefetch", "loop-data-prefetch"},
    /*  61 */ {"loop-deletion", "-loop-deletion", "loop-deletion"},
    /*  62 */ {"loop-distribute", "-loop-distribute", "loop-distribute"},
    /*  63 */ {"loop-fusion", "-loop-fusion", "loop-fusion"},
    /*  64 */ {"loop-guard-widening", "-loop-guard-widening", "loop(guard-widening)"},
    /*  65 */ {"loop-idiom", "-loop-idiom", "loop-idiom"},
    /*  66 */ {"loop-instsimplify", "-loop-instsimplify", "loop-instsimplify"},
    /*  67 */ {"loop-interchange", "-loop-interchange", "loop-interchange"},
    /*  68 */ {"loop-load-elim", "-loop-load-elim", "loop-load-elim"},
    /*  69 */ {"loop-predication", "-loop-predication", "loop-predication"},
    /*  71 */ {"loop-rotate", "-loop-rotate", "loop-rotate"},
    /*  72 */ {"loop-simplifycfg", "-loop-simplifycfg", "loop-simplifycfg"},
    /*  73 */ {"loop-simplify", "-loop-simplify", "loop-simplify"},
    /*  74 */ {"loop-sink", "-loop-sink", "loop-sink"},
    /*  75 */ {"loop-reduce", "-loop-reduce", "loop-reduce"},
    /*  76 */ {"loop-unroll-and-jam", "-loop-unroll-and-jam", "loop-unroll-and-jam"},
    /*  77 */ {"loop-unroll", "-loop-unroll", "loop-unroll"},
    /*  79 */ {"loop-vectorize", "-loop-vectorize", "loop-vectorize"},
    /*  80 */ {"loop-versioning-licm", "-loop-versioning-licm", "loop-versioning-licm"},
    /*  81 */ {"loop-versioning", "-loop-versioning", "loop-versioning"},
    /*  82 */ {"lower-atomic", "-loweratomic", "lower-atomic"},
    /*  83 */ {"lower-constant-intrinsics", "-lower-constant-intrinsics",
               "lower-constant-intrinsics"},
    /*  84 */ {"lower-expect", "-lower-expect", "lower-expect"},
    /*  85 */ {"lower-guard-intrinsic", "-lower-guard-intrinsic", "lower-guard-intrinsic"},
    /*  86 */ {"lower-invoke", "-lowerinvoke", "lower-invoke"},
    /*  87 */ {"lower-matrix-intrinsics", "-lower-matrix-intrinsics", "lower-matrix-intrinsics"},
    /*  88 */ {"lower-switch", "-lowerswitch", "lower-switch"},
    /*  89 */ {"lower-widenable-condition", "-lower-widenable-condition",
               "lower-widenable-condition"},
    /*  90 */ {"memcpyopt", "-memcpyopt", "memcpyopt"},
    /*  91 */ {"mergefunc", "-mergefunc", "mergefunc"},
    /*  92 */ {"mergeicmps", "-mergeicmps", "mergeicmps"},
    /*  93 */ {"mldst-motion", "-mldst-motion", "mldst-motion"},
    /*  94 */ {"sancov-module", "-sancov", "sancov-module"},
    /*  95 */ {"name-anon-globals", "-name-anon-globals", "name-anon-globals"},
    /*  96 */ {"nary-reassociate", "-nary-reassociate", "nary-reassociate"},
    /*  98 */ {"pgo-memop-opt", "-pgo-memop-opt", "pgo-memop-opt"},
    /*  99 */ {"partial-inliner", "-partial-inliner", "partial-inliner"},
    /* 100 */ {"partially-inline-libcalls", "-partially-inline-libcalls",
               "partially-inline-libcalls"},
    /* 101 */ {"post-inline-ee-instrument", "-post-inline-ee-instrument",
               "ee-instrument<post-inline>"},
    /* 102 */ {"function-attrs", "-functionattrs", "function-attrs"},
    /* 103 */ {"mem2reg", "-mem2reg", "mem2reg"},
    /* 105 */ {"reassociate", "-reassociate", "reassociate"},
    /* 106 */ {"redundant-dbg-inst-elim", "-redundant-dbg-inst-elim", "redundant-dbg-inst-elim"},
    /* 107 */ {"rpo-function-attrs", "-rpo-functionattrs", "rpo-function-attrs"},
    /* 108 */ {"rewrite-statepoints-for-gc", "-rewrite-statepoints-for-gc",
               "rewrite-statepoints-for-gc"},
    /* 109 */ {"sccp", "-sccp", "sccp"},
    /* 110 */ {"slp-vectorizer", "-slp-vectorizer", "slp-vectorizer"},
    /* 111 */ {"sroa", "-sroa", "sroa"},
    /* 112 */ {"scalarizer", "-scalarizer", "scalarizer"},
    /* 113 */ {"separate-const-offset-from-gep", "-separate-const-offset-from-gep",
               "separate-const-offset-from-gep"},
    /* 114 */ {"simple-loop-unswitch", "-simple-loop-unswitch", "simple-loop-unswitch"},
    /* 115 */ {"sink", "-sink", "sink"},
    /* 116 */ {"speculative-execution", "-speculative-execution", "speculative-execution"},
    /* 117 */ {"slsr", "-slsr", "slsr"},
    /* 118 */ {"strip-dead-prototypes", "-strip-dead-prototypes", "strip-dead-prototypes"},
    /* 119 */ {"strip-debug-declare", "-strip-debug-declare", "strip-debug-declare"},
    /* 120 */ {"strip-nondebug", "-strip-nondebug", "strip-nondebug"},
    /* 121 */ {"strip", "-strip", "strip"},
    /* 122 */ {"tailcallelim", "-tailcallelim", "tailcallelim"},
    /* 123 */ {"mergereturn", "-mergereturn", "mergereturn"},
};

static const cgym_dropped_pass dropped_passes[] = {
    {"-barrier", "a legacy pass manager no-op that only separated pass groups; the new pass "
                 "manager has no equivalent"},
    {"-constprop", "not in LLVM 19; instsimplify and sccp are offered"},
    {"-die", "not in LLVM 19; dce is offered"},
    {"-insert-gcov-profiling", "writes a .gcno coverage file into the current folder for modules "
                               "with debug info, a side effect outside the module"},
    {"-ipconstprop", "not in LLVM 19; ipsccp is offered"},
    {"-loop-reroll", "not in LLVM 19, and LLVM has no replacement"},
    {"-loop-unswitch", "removed in LLVM 15; simple-loop-unswitch is offered"},
    {"-newgvn", "not deterministic in LLVM 19.1.7: it leaves use-lists in an order that changes "
                "from one process to the next, which later passes can see; gvn is offered"},
    {"-prune-eh", "not in LLVM 19; function-attrs and simplifycfg are offered"},
};

static pthread_once_t passes_hash_once = PTHREAD_ONCE_INIT;
static char passes_hash[65];
static const cgym_action_space passes_space = {"llvm19-passes-v1", pass_actions,
                                              sizeof pass_actions / sizeof pass_actions[0],
                                              passes_hash, &passes_hash_once, NULL};

/* The standard pipelines, one action per optimization level, in LLVMRunPasses syntax. */
static const cgym_action pipeline_actions[] = {
    {"O0", NULL, "default<O0>"}, {"O1", NULL, "default<O1>"}, {"O2", NULL, "default<O2>"},
    {"O3", NULL, "default<O3>"}, {"Os", NULL, "default<Os>"}, {"Oz", NULL, "default<Oz>"},
};

static pthread_once_t pipelines_hash_once = PTHREAD_ONCE_INIT;
static char pipelines_hash[65];
static const cgym_action_space pipelines_space = {
    "llvm19-pipelines-v1", pipeline_actions, sizeof pipeline_actions / sizeof pipeline_actions[0],
    pipelines_hash, &pipelines_hash_once, NULL};

/* Passes of the pass action space that the function pass action space leaves out. Module and
 * CGSCC passes see the whole module. LLVM runs the others even on optnone functions, because their
 * pass classes declare themselves required, so they would change the other functions too. */
static const char *const not_per_function[] = {
    /* module and CGSCC passes */
    "always-inline", "argpromotion", "attributor", "called-value-propagation",
    "canonicalize-aliases", "constmerge", "coro-cleanup", "coro-early", "coro-split",
    "cross-dso-cfi", "deadargelim", "elim-avail-extern", "forceattrs", "inline", "globaldce",
    "globalopt", "globalsplit", "hotcoldsplit", "ipsccp", "inferattrs", "mergefunc",
    "sancov-module", "name-anon-globals", "partial-inliner", "function-attrs",
    "rpo-function-attrs", "rewrite-statepoints-for-gc", "strip-dead-prototypes",
    "strip-debug-declare", "strip-nondebug", "strip",
    /* required function passes */
    "add-discriminators", "coro-elide", "ee-instrument", "post-inline-ee-instrument",
    "lower-atomic", "lower-matrix-intrinsics"};

#define PASS_COUNT (sizeof pass_actions / sizeof pass_actions[0])

/* Filled once from pass_actions by fill_function_actions. */
static cgym_action function_actions[PASS_COUNT];
static pthread_once_t function_actions_once = PTHREAD_ONCE_INIT;
static pthread_once_t function_hash_once = PTHREAD_ONCE_INIT;
static char function_hash[65];
static cgym_action_space function_space = {"llvm19-function-passes-v1", function_actions, 0,
                                           function_hash, &function_hash_once, NULL};

static void fill_function_actions(void) {
  size_t count = 0;
  for (size_t i = 0; i < PASS_COUNT; i++) {
    int excluded = 0;
    for (size_t j = 0; j < sizeof not_per_function / sizeof not_per_function[0]; j++)
      excluded |= strcmp(pass_actions[i].name, not_per_function[j]) == 0;
    if (!excluded) function_actions[count++] = pass_actions[i];
  }
  function_space.count = count;
}

/* One action per unroll factor; the factor is the number after "unroll-". */
static const cgym_action unroll_actions[] = {
    {"unroll-2", NULL, "loop-unroll"}, {"unroll-3", NULL, "loop-unroll"},
    {"unroll-4", NULL, "loop-unroll"}, {"unroll-8", NULL, "loop-unroll"},
    {"unroll-16", NULL, "loop-unroll"}, {"unroll-32", NULL, "loop-unroll"},
};

static pthread_once_t unroll_hash_once = PTHREAD_ONCE_INIT;
static char unroll_hash[65];
static const cgym_action_space unroll_space = {
    "llvm19-loop-unroll-v1", unroll_actions, sizeof unroll_actions / sizeof unroll_actions[0],
    unroll_hash, &unroll_hash_once, NULL};

/* Ends the process with "LLVM ERROR: Instruction Combining did not reach a fixpoint after 1
 * iterations" on csmith 2.3.0's program for seed 22, compiled with `clang-19 -O1 -Xclang
 * -disable-llvm-passes -emit-llvm -c -I/usr/include/csmith -w`. Many csmith seeds die the same
 * way, 1, 2 and 3 among them. Seed 22 is the documented one because its neighbours 21 and 23
 * survive, so a test can run seeds 21 to 23 and expect exactly one death. LLVM 19 checks the fixpoint only
 * when verify-fixpoint is set, which is why the action-space instcombine turns it off. */
static const char fatal_test_pipeline[] = "instcombine<max-iterations=1;verify-fixpoint>";

const cgym_action_space *cgym_action_space_passes(void) { return &passes_space; }

const cgym_action_space *cgym_action_space_pipelines(void) { return &pipelines_space; }

const cgym_action_space *cgym_action_space_function_passes(void) {
  pthread_once(&function_actions_once, fill_function_actions);
  return &function_space;
}

const cgym_action_space *cgym_action_space_loop_unroll(void) { return &unroll_space; }

unsigned cgym_loop_unroll_factor(size_t action) {
  if (action >= unroll_space.count) return 0;
  return (unsigned)strtoul(unroll_actions[action].name + strlen("unroll-"), NULL, 10);
}

const char *cgym_action_space_id(const cgym_action_space *space) { return space->id; }

size_t cgym_action_space_size(const cgym_action_space *space) { return space->count; }

const cgym_action *cgym_action_space_get(const cgym_action_space *space, size_t index) {
  if (index >= space->count) return NULL;
  return &space->actions[index];
}

const cgym_dropped_pass *cgym_action_space_dropped(size_t *count) {
  *count = sizeof dropped_passes / sizeof dropped_passes[0];
  return dropped_passes;
}

const char *cgym_test_action_pipeline(const char *name) {
  if (name && strcmp(name, CGYM_TEST_ACTION_FATAL) == 0) return fatal_test_pipeline;
  return NULL;
}

/* Hashes "name\tpipeline\n" for every action in order, built in one buffer of a few kilobytes.
 * If the allocation or libcrypto fails, the hash stays "", which matches no recorded hash. */
static void compute_hash(const cgym_action_space *space) {
  size_t size = 1;
  for (size_t i = 0; i < space->count; i++)
    size += strlen(space->actions[i].name) + strlen(space->actions[i].pipeline) + 2;

  char *text = malloc(size);
  if (!text) return;

  size_t length = 0;
  for (size_t i = 0; i < space->count; i++) {
    const cgym_action *action = &space->actions[i];
    length += (size_t)snprintf(text + length, size - length, "%s\t%s\n", action->name,
                               action->pipeline);
  }

  if (cgym_sha256_hex(text, length, space->hash) != CGYM_OK) space->hash[0] = '\0';
  free(text);
}

static void compute_passes_hash(void) { compute_hash(&passes_space); }

static void compute_pipelines_hash(void) { compute_hash(&pipelines_space); }

static void compute_function_hash(void) { compute_hash(&function_space); }

static void compute_unroll_hash(void) { compute_hash(&unroll_space); }

const char *cgym_action_space_hash(const cgym_action_space *space) {
  if (!space->hash_once) return space->hash;
  void (*compute)(void) = compute_passes_hash;
  if (space == &pipelines_space) compute = compute_pipelines_hash;
  else if (space == &function_space) compute = compute_function_hash;
  else if (space == &unroll_space) compute = compute_unroll_hash;
  pthread_once(space->hash_once, compute);
  return space->hash;
}

static const char *action_name_at(const void *table, size_t index) {
  return ((const cgym_action *)table)[index].name;
}

static const cgym_dropped_pass *find_dropped(const char *name) {
  const char *bare = name[0] == '-' ? name + 1 : name;

  for (size_t i = 0; i < sizeof dropped_passes / sizeof dropped_passes[0]; i++) {
    if (strcmp(dropped_passes[i].legacy_flag + 1, bare) == 0) return &dropped_passes[i];
  }
  return NULL;
}

int cgym_action_space_find(const cgym_action_space *space, const char *name, size_t *index) {
  if (!name || !*name) return cgym_error_set(CGYM_EINVAL, "expected an action name, got an "
                                             "empty string");

  for (size_t i = 0; i < space->count; i++) {
    const cgym_action *action = &space->actions[i];
    if (strcmp(action->name, name) == 0 ||
        (action->legacy_flag && strcmp(action->legacy_flag, name) == 0)) {
      *index = i;
      return CGYM_OK;
    }
  }

  const cgym_dropped_pass *dropped = find_dropped(name);
  if (dropped)
    return cgym_error_set(CGYM_ENOTFOUND, "action '%s' is not in %s: %s", name, space->id,
                          dropped->reason);

  if (space == &unroll_space)
    return cgym_error_set(CGYM_ENOTFOUND, "unknown action '%s' in %s; the actions are unroll-2, "
                          "unroll-3, unroll-4, unroll-8, unroll-16 and unroll-32", name, space->id);
  const char *bare = name[0] == '-' ? name + 1 : name;
  const char *suggestion = cgym_suggest_name(bare, action_name_at, space->actions, space->count);
  if (suggestion)
    return cgym_error_set(CGYM_ENOTFOUND, "unknown action '%s' in %s; did you mean '%s'?", name,
                          space->id, suggestion);
  return cgym_error_set(CGYM_ENOTFOUND, "unknown action '%s' in %s; `cgym actions %s` lists its "
                        "%zu actions", name, space->id,
                        space == &function_space ? "functions"
                        : space == &pipelines_space ? "pipelines" : "passes", space->count);
}

int cgym_action_space_subset(const cgym_action_space *parent, const char *const *names,
                             size_t count, cgym_action_space **out) {
  if (!parent || !out || (!names && count > 0))
    return cgym_error_set(CGYM_EINVAL, "cgym_action_space_subset: parent, names and out must not "
                          "be NULL");
  *out = NULL;
  if (count == 0)
    return cgym_error_set(CGYM_EINVAL, "expected at least one action name for a subset of %s",
                          parent->id);

  cgym_action_space *space = calloc(1, sizeof *space);
  cgym_action *actions = calloc(count, sizeof *actions);
  char *hash = calloc(65, 1);
  if (!space || !actions || !hash) {
    free(space);
    free(actions);
    free(hash);
    return cgym_error_set(CGYM_ENOMEM, "out of memory making a subset of %s", parent->id);
  }
  space->actions = actions;
  space->hash = hash;

  for (size_t i = 0; i < count; i++) {
    size_t index = 0;
    int rc = cgym_action_space_find(parent, names[i], &index);
    for (size_t j = 0; rc == CGYM_OK && j < space->count; j++)
      if (actions[j].pipeline == parent->actions[index].pipeline)
        rc = cgym_error_set(CGYM_EINVAL, "action '%s' appears twice in the subset of %s; list "
                            "each action once", names[i], parent->id);
    if (rc != CGYM_OK) {
      cgym_action_space_free(space);
      return rc;
    }
    actions[space->count++] = parent->actions[index];
  }

  /* The id names the parent and the first 12 hex digits of the subset's hash, so two different
   * subsets never share an id. */
  compute_hash(space);
  size_t id_size = strlen(parent->id) + sizeof "/subset-" + 12;
  space->owned_id = malloc(id_size);
  if (!space->owned_id || !space->hash[0]) {
    cgym_action_space_free(space);
    return cgym_error_set(CGYM_ENOMEM, "out of memory making a subset of %s", parent->id);
  }
  snprintf(space->owned_id, id_size, "%s/subset-%.12s", parent->id, space->hash);
  space->id = space->owned_id;
  *out = space;
  return CGYM_OK;
}

void cgym_action_space_free(cgym_action_space *space) {
  if (!space || space->hash_once) return; /* NULL or a built-in space */
  free((void *)space->actions);
  free(space->hash);
  free(space->owned_id);
  free(space);
}
