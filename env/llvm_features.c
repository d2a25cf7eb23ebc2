/*
 * Feature vectors of a module: InstCount and Autophase, with CompilerGym's definitions and order
 * so that vectors compare across the two systems. cgym/spaces.h names every element.
 *
 * LLVM 19 has the same 67 opcodes in the same order as LLVM 10, so InstCount keeps its layout,
 * but the LLVM C API numbers its opcodes differently, hence the explicit table below. Both
 * vectors count declarations as functions, as CompilerGym does.
 */
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>

#include "env/error_internal.h"
#include "env/llvm_internal.h"

/* InstCount indices 3 to 69: the C API opcode of each, in LLVM's Instruction.def order. */
static const LLVMOpcode instcount_opcodes[CGYM_INSTCOUNT_SIZE - 3] = {
    LLVMRet, LLVMBr, LLVMSwitch, LLVMIndirectBr, LLVMInvoke, LLVMResume, LLVMUnreachable,
    LLVMCleanupRet, LLVMCatchRet, LLVMCatchSwitch, LLVMCallBr, LLVMFNeg, LLVMAdd, LLVMFAdd,
    LLVMSub, LLVMFSub, LLVMMul, LLVMFMul, LLVMUDiv, LLVMSDiv, LLVMFDiv, LLVMURem, LLVMSRem,
    LLVMFRem, LLVMShl, LLVMLShr, LLVMAShr, LLVMAnd, LLVMOr, LLVMXor, LLVMAlloca, LLVMLoad,
    LLVMStore, LLVMGetElementPtr, LLVMFence, LLVMAtomicCmpXchg, LLVMAtomicRMW, LLVMTrunc,
    LLVMZExt, LLVMSExt, LLVMFPToUI, LLVMFPToSI, LLVMUIToFP, LLVMSIToFP, LLVMFPTrunc, LLVMFPExt,
    LLVMPtrToInt, LLVMIntToPtr, LLVMBitCast, LLVMAddrSpaceCast, LLVMCleanupPad, LLVMCatchPad,
    LLVMICmp, LLVMFCmp, LLVMPHI, LLVMCall, LLVMSelect, LLVMUserOp1, LLVMUserOp2, LLVMVAArg,
    LLVMExtractElement, LLVMInsertElement, LLVMShuffleVector, LLVMExtractValue, LLVMInsertValue,
    LLVMLandingPad, LLVMFreeze};

static int opcode_slot(LLVMOpcode opcode) {
  for (int i = 0; i < CGYM_INSTCOUNT_SIZE - 3; i++)
    if (instcount_opcodes[i] == opcode) return 3 + i;
  return -1;
}

void cgym_llvm_module_instcount(const cgym_llvm_module *module, int64_t out[CGYM_INSTCOUNT_SIZE]) {
  memset(out, 0, CGYM_INSTCOUNT_SIZE * sizeof out[0]);
  for (LLVMValueRef function = LLVMGetFirstFunction(cgym_llvm_module_ref(module)); function;
       function = LLVMGetNextFunction(function)) {
    out[2]++;
    for (LLVMBasicBlockRef block = LLVMGetFirstBasicBlock(function); block;
         block = LLVMGetNextBasicBlock(block)) {
      out[1]++;
      for (LLVMValueRef instruction = LLVMGetFirstInstruction(block); instruction;
           instruction = LLVMGetNextInstruction(instruction)) {
        int slot = opcode_slot(LLVMGetInstructionOpcode(instruction));
        out[0]++;
        if (slot >= 0) out[slot]++;
      }
    }
  }
}

/* Autophase element indices, in CompilerGym's order. */
enum {
  BB_NUM_ARGS_HI, BB_NUM_ARGS_LO, ONE_PRED, ONE_PRED_ONE_SUC, ONE_PRED_TWO_SUC, ONE_SUCCESSOR,
  TWO_PRED, TWO_PRED_ONE_SUC, TWO_EACH, TWO_SUCCESSOR, MORE_PREDS, BB_03_PHI, BB_HI_PHI,
  BB_NO_PHI, BEGIN_PHI, BRANCH_COUNT, RETURN_INT, CRITICAL_COUNT, NUM_EDGES, CONST_32_BIT,
  CONST_64_BIT, NUM_CONST_ZEROES, NUM_CONST_ONES, UNCOND_BRANCHES, BINARY_CONST_ARG, NUM_ASHR,
  NUM_ADD, NUM_ALLOCA, NUM_AND, BLOCK_MID, BLOCK_LOW, NUM_BITCAST, NUM_BR, NUM_CALL, NUM_GEP,
  NUM_ICMP, NUM_LSHR, NUM_LOAD, NUM_MUL, NUM_OR, NUM_PHI, NUM_RET, NUM_SEXT, NUM_SELECT, NUM_SHL,
  NUM_STORE, NUM_SUB, NUM_TRUNC, NUM_XOR, NUM_ZEXT, TOTAL_BLOCKS, TOTAL_INSTS, TOTAL_MEM_INST,
  TOTAL_FUNCS, ARGS_PHI, TEST_UNARY
};

/* The Autophase elements that count one opcode each. */
static const struct {
  LLVMOpcode opcode;
  int slot;
} opcode_features[] = {
    {LLVMAShr, NUM_ASHR},   {LLVMAdd, NUM_ADD},       {LLVMAlloca, NUM_ALLOCA},
    {LLVMAnd, NUM_AND},     {LLVMBitCast, NUM_BITCAST}, {LLVMBr, NUM_BR},
    {LLVMCall, NUM_CALL},   {LLVMGetElementPtr, NUM_GEP}, {LLVMICmp, NUM_ICMP},
    {LLVMLShr, NUM_LSHR},   {LLVMLoad, NUM_LOAD},     {LLVMMul, NUM_MUL},
    {LLVMOr, NUM_OR},       {LLVMPHI, NUM_PHI},       {LLVMRet, NUM_RET},
    {LLVMSExt, NUM_SEXT},   {LLVMSelect, NUM_SELECT}, {LLVMShl, NUM_SHL},
    {LLVMStore, NUM_STORE}, {LLVMSub, NUM_SUB},       {LLVMTrunc, NUM_TRUNC},
    {LLVMXor, NUM_XOR},     {LLVMZExt, NUM_ZEXT},
};

static int is_binary_operator(LLVMOpcode opcode) {
  return opcode >= LLVMAdd && opcode <= LLVMXor;
}

/* LLVM's UnaryInstruction subclasses: alloca, load, casts, va_arg, extractvalue, fneg, freeze. */
static int is_unary_instruction(LLVMOpcode opcode) {
  return opcode == LLVMAlloca || opcode == LLVMLoad || (opcode >= LLVMTrunc && opcode <= LLVMBitCast) ||
         opcode == LLVMAddrSpaceCast || opcode == LLVMVAArg || opcode == LLVMExtractValue ||
         opcode == LLVMFNeg || opcode == LLVMFreeze;
}

static int is_memory_instruction(LLVMOpcode opcode) {
  return opcode == LLVMGetElementPtr || opcode == LLVMLoad || opcode == LLVMStore ||
         opcode == LLVMCall || opcode == LLVMInvoke || opcode == LLVMAlloca;
}

/* Counts the integer constants among an instruction's operands, once per operand. */
static void count_constants(LLVMValueRef instruction, int64_t *out) {
  int operands = LLVMGetNumOperands(instruction);

  for (int i = 0; i < operands; i++) {
    LLVMValueRef operand = LLVMGetOperand(instruction, (unsigned)i);
    if (!operand || !LLVMIsAConstantInt(operand)) continue;

    unsigned width = LLVMGetIntTypeWidth(LLVMTypeOf(operand));
    if (width == 32) out[CONST_32_BIT]++;
    if (width == 64) out[CONST_64_BIT]++;
    if (LLVMIsNull(operand)) out[NUM_CONST_ZEROES]++;
    /* NOTE: constants wider than 64 bits are never counted as ones. */
    if (width <= 64 && LLVMConstIntGetZExtValue(operand) == 1) out[NUM_CONST_ONES]++;
  }
}

/* Direct calls whose callee returns an integer. */
static int returns_int(LLVMValueRef call) {
  LLVMValueRef callee = LLVMGetCalledValue(call);
  if (!callee || !LLVMIsAFunction(callee)) return 0;
  if (LLVMGlobalGetValueType(callee) != LLVMGetCalledFunctionType(call)) return 0;
  return LLVMGetTypeKind(LLVMGetReturnType(LLVMGetCalledFunctionType(call))) ==
         LLVMIntegerTypeKind;
}

static void count_instruction(LLVMValueRef instruction, int64_t *out) {
  LLVMOpcode opcode = LLVMGetInstructionOpcode(instruction);

  out[TOTAL_INSTS]++;
  for (size_t i = 0; i < sizeof opcode_features / sizeof opcode_features[0]; i++)
    if (opcode_features[i].opcode == opcode) out[opcode_features[i].slot]++;
  if (opcode == LLVMBr) {
    out[BRANCH_COUNT]++;
    if (!LLVMIsConditional(instruction)) out[UNCOND_BRANCHES]++;
  }
  if (opcode == LLVMCall && returns_int(instruction)) out[RETURN_INT]++;
  if (is_binary_operator(opcode) &&
      (LLVMIsAConstant(LLVMGetOperand(instruction, 0)) ||
       LLVMIsAConstant(LLVMGetOperand(instruction, 1))))
    out[BINARY_CONST_ARG]++;
  if (is_memory_instruction(opcode)) out[TOTAL_MEM_INST]++;
  if (is_unary_instruction(opcode)) out[TEST_UNARY]++;
  count_constants(instruction, out);
}

/* A function's blocks sorted by address, so a successor's index is a binary search away. */
typedef struct {
  LLVMBasicBlockRef block;
  size_t index;
} block_entry;

static int compare_entries(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const block_entry *)a)->block;
  uintptr_t y = (uintptr_t)((const block_entry *)b)->block;
  return (x > y) - (x < y);
}

static size_t block_index(const block_entry *sorted, size_t count, LLVMBasicBlockRef block) {
  block_entry key = {block, 0};
  const block_entry *found = bsearch(&key, sorted, count, sizeof key, compare_entries);
  return found ? found->index : count;
}

/* Counts each block's predecessors the way LLVM's pred_iterator does: once per successor slot
 * of a terminator, so a switch with two cases to one block gives it two. */
static void count_predecessors(LLVMBasicBlockRef *blocks, size_t count, block_entry *sorted,
                               unsigned *preds) {
  for (size_t i = 0; i < count; i++) sorted[i] = (block_entry){blocks[i], i};
  qsort(sorted, count, sizeof sorted[0], compare_entries);
  memset(preds, 0, count * sizeof preds[0]);

  for (size_t i = 0; i < count; i++) {
    LLVMValueRef terminator = LLVMGetBasicBlockTerminator(blocks[i]);
    if (!terminator) continue;
    unsigned successors = LLVMGetNumSuccessors(terminator);
    for (unsigned s = 0; s < successors; s++) {
      size_t index = block_index(sorted, count, LLVMGetSuccessor(terminator, s));
      if (index < count) preds[index]++;
    }
  }
}

static void count_edges(LLVMBasicBlockRef block, const block_entry *sorted, size_t count,
                        const unsigned *preds, int64_t *out) {
  LLVMValueRef terminator = LLVMGetBasicBlockTerminator(block);
  unsigned successors = terminator ? LLVMGetNumSuccessors(terminator) : 0;

  for (unsigned s = 0; s < successors; s++) {
    out[NUM_EDGES]++;
    size_t index = block_index(sorted, count, LLVMGetSuccessor(terminator, s));
    /* LLVM's isCriticalEdge: the source has several successors and the target several preds. */
    if (successors > 1 && index < count && preds[index] > 1) out[CRITICAL_COUNT]++;
  }
}

static void count_shape(unsigned preds, unsigned successors, int64_t *out) {
  if (preds == 1) {
    out[ONE_PRED]++;
    if (successors == 1) out[ONE_PRED_ONE_SUC]++;
    else if (successors == 2) out[ONE_PRED_TWO_SUC]++;
  } else if (preds == 2) {
    out[TWO_PRED]++;
    if (successors == 1) out[TWO_PRED_ONE_SUC]++;
    else if (successors == 2) out[TWO_EACH]++;
  } else if (preds > 2) {
    out[MORE_PREDS]++;
  }
  if (successors == 1) out[ONE_SUCCESSOR]++;
  else if (successors == 2) out[TWO_SUCCESSOR]++;
}

static void count_block(LLVMBasicBlockRef block, unsigned preds, int64_t *out) {
  int64_t phis = 0, incoming = 0, size = 0;

  out[TOTAL_BLOCKS]++;
  LLVMValueRef first = LLVMGetFirstInstruction(block);
  if (first && LLVMGetInstructionOpcode(first) == LLVMPHI) out[BEGIN_PHI]++;
  for (LLVMValueRef instruction = first; instruction;
       instruction = LLVMGetNextInstruction(instruction)) {
    size++;
    if (LLVMGetInstructionOpcode(instruction) == LLVMPHI) {
      phis++;
      incoming += LLVMCountIncoming(instruction);
    }
    count_instruction(instruction, out);
  }

  out[ARGS_PHI] += incoming;
  if (incoming > 5) out[BB_NUM_ARGS_HI]++;
  else if (incoming >= 1) out[BB_NUM_ARGS_LO]++;
  if (phis == 0) out[BB_NO_PHI]++;
  else if (phis <= 3) out[BB_03_PHI]++;
  else out[BB_HI_PHI]++;
  if (size < 15) out[BLOCK_LOW]++;
  else if (size <= 500) out[BLOCK_MID]++;

  LLVMValueRef terminator = LLVMGetBasicBlockTerminator(block);
  count_shape(preds, terminator ? LLVMGetNumSuccessors(terminator) : 0, out);
}

static int count_function(LLVMValueRef function, int64_t *out) {
  size_t count = LLVMCountBasicBlocks(function);
  int rc = CGYM_OK;

  out[TOTAL_FUNCS]++;
  if (count == 0) return CGYM_OK;

  LLVMBasicBlockRef *blocks = malloc(count * sizeof *blocks);
  block_entry *sorted = malloc(count * sizeof *sorted);
  unsigned *preds = malloc(count * sizeof *preds);
  if (!blocks || !sorted || !preds) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory counting Autophase features of %zu blocks",
                        count);
    goto done;
  }

  LLVMGetBasicBlocks(function, blocks);
  count_predecessors(blocks, count, sorted, preds);
  for (size_t i = 0; i < count; i++) {
    count_block(blocks[i], preds[i], out);
    count_edges(blocks[i], sorted, count, preds, out);
  }

done:
  free(blocks);
  free(sorted);
  free(preds);
  return rc;
}

int cgym_llvm_module_autophase(const cgym_llvm_module *module, int64_t out[CGYM_AUTOPHASE_SIZE]) {
  memset(out, 0, CGYM_AUTOPHASE_SIZE * sizeof out[0]);
  for (LLVMValueRef function = LLVMGetFirstFunction(cgym_llvm_module_ref(module)); function;
       function = LLVMGetNextFunction(function)) {
    int rc = count_function(function, out);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}
