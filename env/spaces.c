/*
 * The tables of observation and reward spaces. The order of each table is its index order;
 * new spaces are appended. docs/env.md describes every space.
 */
#include "cgym/spaces.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/spaces_internal.h"
#include "env/suggest_internal.h"

static const char *const instcount_names[CGYM_OBSERVATION_INSTCOUNT_SIZE] = {
    "TotalInsts", "TotalBlocks", "TotalFuncs", "Ret", "Br", "Switch", "IndirectBr", "Invoke",
    "Resume", "Unreachable", "CleanupRet", "CatchRet", "CatchSwitch", "CallBr", "FNeg", "Add",
    "FAdd", "Sub", "FSub", "Mul", "FMul", "UDiv", "SDiv", "FDiv", "URem", "SRem", "FRem", "Shl",
    "LShr", "AShr", "And", "Or", "Xor", "Alloca", "Load", "Store", "GetElementPtr", "Fence",
    "AtomicCmpXchg", "AtomicRMW", "Trunc", "ZExt", "SExt", "FPToUI", "FPToSI", "UIToFP",
    "SIToFP", "FPTrunc", "FPExt", "PtrToInt", "IntToPtr", "BitCast", "AddrSpaceCast",
    "CleanupPad", "CatchPad", "ICmp", "FCmp", "PHI", "Call", "Select", "UserOp1", "UserOp2",
    "VAArg", "ExtractElement", "InsertElement", "ShuffleVector", "ExtractValue", "InsertValue",
    "LandingPad", "Freeze"};

static const char *const autophase_names[CGYM_OBSERVATION_AUTOPHASE_SIZE] = {
    "BBNumArgsHi", "BBNumArgsLo", "onePred", "onePredOneSuc", "onePredTwoSuc", "oneSuccessor",
    "twoPred", "twoPredOneSuc", "twoEach", "twoSuccessor", "morePreds", "BB03Phi", "BBHiPhi",
    "BBNoPhi", "BeginPhi", "BranchCount", "returnInt", "CriticalCount", "NumEdges", "const32Bit",
    "const64Bit", "numConstZeroes", "numConstOnes", "UncondBranches", "binaryConstArg",
    "NumAShrInst", "NumAddInst", "NumAllocaInst", "NumAndInst", "BlockMid", "BlockLow",
    "NumBitCastInst", "NumBrInst", "NumCallInst", "NumGetElementPtrInst", "NumICmpInst",
    "NumLShrInst", "NumLoadInst", "NumMulInst", "NumOrInst", "NumPHIInst", "NumRetInst",
    "NumSExtInst", "NumSelectInst", "NumShlInst", "NumStoreInst", "NumSubInst", "NumTruncInst",
    "NumXorInst", "NumZExtInst", "TotalBlocks", "TotalInsts", "TotalMemInst", "TotalFuncs",
    "ArgsPhi", "testUnary"};

#define UNBOUNDED INFINITY

/* Indexed by cgym_observation_id. */
static const cgym_space observation_spaces[CGYM_OBSERVATION_COUNT] = {
    {"Ir", "the module as textual LLVM IR", CGYM_SPACE_STRING, 0, 0, 0, 1, 0, NULL},
    {"Bitcode", "the module's bitcode as LLVM 19 writes it", CGYM_SPACE_BYTES, 0, 0, 0, 1, 0,
     NULL},
    {"BitcodeSha256", "lowercase hex SHA-256 of the module's bitcode", CGYM_SPACE_STRING, 0, 0, 0,
     1, 0, NULL},
    {"IrInstructionCount", "number of instructions in all function bodies", CGYM_SPACE_INT64, 1, 0,
     UNBOUNDED, 1, 0, NULL},
    {"IrInstructionCountO0", "IrInstructionCount of the benchmark as loaded", CGYM_SPACE_INT64, 1,
     0, UNBOUNDED, 1, 0, NULL},
    {"IrInstructionCountO3", "IrInstructionCount after default<O3> on a fresh parse",
     CGYM_SPACE_INT64, 1, 0, UNBOUNDED, 1, 0, NULL},
    {"IrInstructionCountOz", "IrInstructionCount after default<Oz> on a fresh parse",
     CGYM_SPACE_INT64, 1, 0, UNBOUNDED, 1, 0, NULL},
    {"InstCount", "instruction, block and function totals, then one count per IR opcode",
     CGYM_SPACE_INT64_VECTOR, CGYM_OBSERVATION_INSTCOUNT_SIZE, 0, UNBOUNDED, 1, 0,
     instcount_names},
    {"InstCountNorm", "InstCount elements 1 to 69 divided by max(TotalInsts, 1)",
     CGYM_SPACE_DOUBLE_VECTOR, CGYM_OBSERVATION_INSTCOUNT_SIZE - 1, 0, UNBOUNDED, 1, 0,
     instcount_names + 1},
    {"Autophase", "the 56 program features of the Autophase paper", CGYM_SPACE_INT64_VECTOR,
     CGYM_OBSERVATION_AUTOPHASE_SIZE, 0, UNBOUNDED, 1, 0, autophase_names},
    {"ObjectTextSizeBytes", "size in bytes of the .text sections of the module's x86-64 object",
     CGYM_SPACE_INT64, 1, 0, UNBOUNDED, 1, 0, NULL},
    {"ObjectTextSizeO0", "ObjectTextSizeBytes of the benchmark as loaded", CGYM_SPACE_INT64, 1, 0,
     UNBOUNDED, 1, 0, NULL},
    {"ObjectTextSizeO3", "ObjectTextSizeBytes after default<O3> on a fresh parse",
     CGYM_SPACE_INT64, 1, 0, UNBOUNDED, 1, 0, NULL},
    {"ObjectTextSizeOz", "ObjectTextSizeBytes after default<Oz> on a fresh parse",
     CGYM_SPACE_INT64, 1, 0, UNBOUNDED, 1, 0, NULL},
    {"CpuInfo", "JSON object describing the host CPU: name, cores, cache sizes, features",
     CGYM_SPACE_STRING, 0, 0, 0, 1, 1, NULL},
    {"Functions", "JSON array of the functions with a body, the targets of function steps: "
     "index, name, instructions, blocks, loops, optnone", CGYM_SPACE_STRING, 0, 0, 0, 1, 0, NULL},
    {"Loops", "JSON array of the natural loops, the targets of loop steps: index, function, "
     "parent, depth, blocks, instructions, latches, exits, trip_count_hint",
     CGYM_SPACE_STRING, 0, 0, 0, 1, 0, NULL},
};

/* Indexed by cgym_reward_id. The Norm spaces are at most 1: a cost cannot fall below 0. */
static const cgym_space reward_spaces[CGYM_REWARD_COUNT] = {
    {"IrInstructionCount", "decrease of IrInstructionCount", CGYM_SPACE_DOUBLE, 1, -UNBOUNDED,
     UNBOUNDED, 1, 0, NULL},
    {"IrInstructionCountNorm", "decrease of IrInstructionCount / max(O0 count, 1)",
     CGYM_SPACE_DOUBLE, 1, -UNBOUNDED, 1, 1, 0, NULL},
    {"IrInstructionCountO3", "decrease of IrInstructionCount / max(O0 count - O3 count, 1)",
     CGYM_SPACE_DOUBLE, 1, -UNBOUNDED, UNBOUNDED, 1, 0, NULL},
    {"IrInstructionCountOz", "decrease of IrInstructionCount / max(O0 count - Oz count, 1)",
     CGYM_SPACE_DOUBLE, 1, -UNBOUNDED, UNBOUNDED, 1, 0, NULL},
    {"ObjectTextSizeBytes", "decrease of ObjectTextSizeBytes", CGYM_SPACE_DOUBLE, 1, -UNBOUNDED,
     UNBOUNDED, 1, 0, NULL},
    {"ObjectTextSizeNorm", "decrease of ObjectTextSizeBytes / max(O0 size, 1)",
     CGYM_SPACE_DOUBLE, 1, -UNBOUNDED, 1, 1, 0, NULL},
    {"ObjectTextSizeO3", "decrease of ObjectTextSizeBytes / max(O0 size - O3 size, 1)",
     CGYM_SPACE_DOUBLE, 1, -UNBOUNDED, UNBOUNDED, 1, 0, NULL},
    {"ObjectTextSizeOz", "decrease of ObjectTextSizeBytes / max(O0 size - Oz size, 1)",
     CGYM_SPACE_DOUBLE, 1, -UNBOUNDED, UNBOUNDED, 1, 0, NULL},
};

size_t cgym_observation_space_count(void) { return CGYM_OBSERVATION_COUNT; }

const cgym_space *cgym_observation_space_get(size_t index) {
  return index < CGYM_OBSERVATION_COUNT ? &observation_spaces[index] : NULL;
}

size_t cgym_reward_space_count(void) { return CGYM_REWARD_COUNT; }

const cgym_space *cgym_reward_space_get(size_t index) {
  return index < CGYM_REWARD_COUNT ? &reward_spaces[index] : NULL;
}

static const char *space_name_at(const void *table, size_t index) {
  return ((const cgym_space *)table)[index].name;
}

/* Finds name in table and stores its index; `kind` names the table in messages. */
static int find_space(size_t *index, const cgym_space *table, size_t count, const char *kind,
                      const char *name) {
  if (!name || !*name)
    return cgym_error_set(CGYM_EINVAL, "expected a%s space name, got an empty string", kind);

  for (size_t i = 0; i < count; i++) {
    if (strcmp(table[i].name, name) == 0) {
      *index = i;
      return CGYM_OK;
    }
  }

  const char *suggestion = cgym_suggest_name(name, space_name_at, table, count);
  if (suggestion)
    return cgym_error_set(CGYM_ENOTFOUND, "unknown%s space '%s'; did you mean '%s'?", kind, name,
                          suggestion);
  return cgym_error_set(CGYM_ENOTFOUND, "unknown%s space '%s'; docs/env.md lists the %zu "
                        "spaces", kind, name, count);
}

int cgym_observation_space_index(size_t *index, const char *name) {
  return find_space(index, observation_spaces, CGYM_OBSERVATION_COUNT, "n observation", name);
}

int cgym_reward_space_index(size_t *index, const char *name) {
  return find_space(index, reward_spaces, CGYM_REWARD_COUNT, " reward", name);
}

int cgym_observation_space_find(const cgym_space **out, const char *name) {
  size_t index;
  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_observation_space_find: out must not be NULL");
  *out = NULL;
  int rc = cgym_observation_space_index(&index, name);
  if (rc == CGYM_OK) *out = &observation_spaces[index];
  return rc;
}

int cgym_reward_space_find(const cgym_space **out, const char *name) {
  size_t index;
  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_reward_space_find: out must not be NULL");
  *out = NULL;
  int rc = cgym_reward_space_index(&index, name);
  if (rc == CGYM_OK) *out = &reward_spaces[index];
  return rc;
}
