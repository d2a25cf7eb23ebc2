/*
 * Parsing, running pipelines and writing bitcode: the core of the llvm_*.c files, the only ones
 * that call LLVM. Every LLVM object created here is disposed here, and every
 * LLVMErrorRef and message that LLVM hands back is consumed exactly once. Parse and verifier
 * errors come back as error codes: the verifier returns a status, and each context gets a
 * diagnostic handler before anything is parsed into it. Without that handler the bitcode reader
 * reports a corrupt file through LLVM's default handler, which prints the error and calls
 * exit(1). A fatal error inside a pass (report_fatal_error) still ends the process, which is why
 * the harness runs each episode in its own worker.
 */
#include "env/llvm_module.h"

#include "cgym/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Error.h>
#include <llvm-c/IRReader.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "env/error_internal.h"
#include "env/llvm_internal.h"
#include "env/sha256_internal.h"

/* Long enough for the first lines of a parser or verifier report. A report on a large module can
 * run to thousands of lines, and the first ones name the problem. */
#define DIAGNOSTIC_MAX 600

struct cgym_llvm_module {
  LLVMContextRef context; /* NULL for a clone, which borrows its original's context */
  LLVMModuleRef module;
  char diagnostic[DIAGNOSTIC_MAX + 1]; /* first error reported through the context's handler */
};

/* Keeps the first error and drops warnings and remarks, because the library never prints. */
static void handle_diagnostic(LLVMDiagnosticInfoRef info, void *context) {
  cgym_llvm_module *owner = context;

  if (LLVMGetDiagInfoSeverity(info) != LLVMDSError) return;
  if (owner->diagnostic[0] != '\0') return;

  char *description = LLVMGetDiagInfoDescription(info);
  snprintf(owner->diagnostic, sizeof owner->diagnostic, "%s", description);
  LLVMDisposeMessage(description);
}

static int is_bitcode(const unsigned char *data, size_t size) {
  static const unsigned char raw_magic[4] = {'B', 'C', 0xC0, 0xDE};
  static const unsigned char wrapper_magic[4] = {0xDE, 0xC0, 0x17, 0x0B};

  if (size < 4) return 0;
  return memcmp(data, raw_magic, 4) == 0 || memcmp(data, wrapper_magic, 4) == 0;
}

static void truncate_message(char *message) {
  if (strlen(message) > DIAGNOSTIC_MAX) message[DIAGNOSTIC_MAX] = '\0';
}

static int parse_bitcode(cgym_llvm_module *module, LLVMMemoryBufferRef buffer,
                         const char *label) {
  /* LLVMParseBitcodeInContext2 borrows the buffer; the caller disposes it. */
  if (!LLVMParseBitcodeInContext2(module->context, buffer, &module->module)) return CGYM_OK;

  module->module = NULL;
  return cgym_error_set(CGYM_EPARSE, "cannot parse bitcode '%s': %s; check that the file is "
                        "complete LLVM bitcode written by LLVM 19 or earlier", label,
                        module->diagnostic[0] ? module->diagnostic : "unknown reader error");
}

static int parse_text(cgym_llvm_module *module, LLVMMemoryBufferRef buffer, const char *label) {
  char *message = NULL;

  /* LLVMParseIRInContext takes ownership of the buffer, whatever the outcome. */
  if (!LLVMParseIRInContext(module->context, buffer, &module->module, &message)) {
    if (message) LLVMDisposeMessage(message);
    return CGYM_OK;
  }

  module->module = NULL;
  if (message) truncate_message(message);
  int rc = cgym_error_set(CGYM_EPARSE, "cannot parse '%s' as bitcode or textual LLVM IR: %s",
                          label, message ? message : "unknown parser error");
  if (message) LLVMDisposeMessage(message);
  return rc;
}

/* Runs the verifier without letting it abort; `subject` and `label` name the module in messages. */
static int verify(LLVMModuleRef module, int code, const char *subject, const char *label) {
  char *message = NULL;
  LLVMBool broken = LLVMVerifyModule(module, LLVMReturnStatusAction, &message);

  int rc = CGYM_OK;
  if (broken) {
    if (message) truncate_message(message);
    rc = cgym_error_set(code, "%s '%s' fails the LLVM verifier: %s", subject, label,
                        message && *message ? message : "no details");
  }
  if (message) LLVMDisposeMessage(message);
  return rc;
}

/* Makes the module's bitcode independent of where it was loaded from and of its debug info. */
static void normalize(LLVMModuleRef module) {
  LLVMStripModuleDebugInfo(module);
  LLVMSetModuleIdentifier(module, "-", 1);
  LLVMSetSourceFileName(module, "-", 1);
}

/* Returns nonzero when data has a byte other than white space. LLVM parses an empty text buffer
 * as a valid module without functions, which would pass as a benchmark of 0 instructions. */
static int has_content(const unsigned char *data, size_t size) {
  for (size_t i = 0; i < size; i++) {
    int white_space = data[i] == ' ' || (data[i] >= '\t' && data[i] <= '\r');
    if (!white_space) return 1;
  }
  return 0;
}

int cgym_llvm_module_parse(cgym_llvm_module **out, const void *data, size_t size,
                           const char *label) {
  *out = NULL;
  if (!has_content(data, size))
    return cgym_error_set(CGYM_EPARSE, "module '%s' is empty (%zu bytes%s): expected LLVM "
                          "bitcode or textual IR; check that the file was written completely",
                          label, size, size ? ", all white space" : "");

  cgym_llvm_module *module = calloc(1, sizeof *module);
  if (!module) return cgym_error_set(CGYM_ENOMEM, "out of memory loading '%s'", label);

  module->context = LLVMContextCreate();
  LLVMContextSetDiagnosticHandler(module->context, handle_diagnostic, module);

  int rc;
  LLVMMemoryBufferRef buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(data, size, label);
  if (is_bitcode(data, size)) {
    rc = parse_bitcode(module, buffer, label);
    LLVMDisposeMemoryBuffer(buffer);
  } else {
    rc = parse_text(module, buffer, label);
  }

  if (rc == CGYM_OK) rc = verify(module->module, CGYM_EPARSE, "module", label);
  if (rc != CGYM_OK) {
    cgym_llvm_module_free(module);
    return rc;
  }

  normalize(module->module);
  *out = module;
  return CGYM_OK;
}

int cgym_llvm_module_clone(cgym_llvm_module **out, const cgym_llvm_module *original) {
  *out = NULL;
  cgym_llvm_module *copy = calloc(1, sizeof *copy);
  if (!copy) return cgym_error_set(CGYM_ENOMEM, "out of memory copying a module for a probe");

  copy->module = LLVMCloneModule(original->module);
  *out = copy;
  return CGYM_OK;
}

void cgym_llvm_module_free(cgym_llvm_module *module) {
  if (!module) return;
  if (module->module) LLVMDisposeModule(module->module);
  if (module->context) LLVMContextDispose(module->context);
  free(module);
}

int cgym_llvm_module_run(cgym_llvm_module *module, const char *pipeline, int verify_module,
                         int *invalid) {
  *invalid = 0;
  LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
  LLVMErrorRef error = LLVMRunPasses(module->module, pipeline, NULL, options);
  LLVMDisposePassBuilderOptions(options);

  if (error) {
    char *message = LLVMGetErrorMessage(error); /* consumes the error */
    int rc = cgym_error_set(CGYM_ELLVM, "LLVM rejected the pipeline '%s': %s; check the pass "
                            "names with `opt-19 -print-passes`", pipeline, message);
    LLVMDisposeErrorMessage(message);
    return rc;
  }

  if (!verify_module) return CGYM_OK;
  return cgym_llvm_module_verify_step(module, pipeline, invalid);
}

int cgym_llvm_module_verify_step(cgym_llvm_module *module, const char *pipeline, int *invalid) {
  int rc = verify(module->module, CGYM_ELLVM, "the module after pipeline", pipeline);
  *invalid = rc != CGYM_OK;
  return rc;
}

int64_t cgym_llvm_module_instruction_count(const cgym_llvm_module *module) {
  int64_t count = 0;

  for (LLVMValueRef function = LLVMGetFirstFunction(module->module); function;
       function = LLVMGetNextFunction(function)) {
    for (LLVMBasicBlockRef block = LLVMGetFirstBasicBlock(function); block;
         block = LLVMGetNextBasicBlock(block)) {
      for (LLVMValueRef instruction = LLVMGetFirstInstruction(block); instruction;
           instruction = LLVMGetNextInstruction(instruction))
        count++;
    }
  }
  return count;
}

int cgym_llvm_module_sha256(const cgym_llvm_module *module, char out[65]) {
  LLVMMemoryBufferRef bitcode = LLVMWriteBitcodeToMemoryBuffer(module->module);
  if (!bitcode) return cgym_error_set(CGYM_ENOMEM, "writing the module's bitcode to memory failed");

  int rc = cgym_sha256_hex(LLVMGetBufferStart(bitcode), LLVMGetBufferSize(bitcode), out);
  LLVMDisposeMemoryBuffer(bitcode);
  return rc;
}

int cgym_llvm_module_bitcode(const cgym_llvm_module *module, unsigned char **data, size_t *size) {
  *data = NULL;
  *size = 0;
  LLVMMemoryBufferRef bitcode = LLVMWriteBitcodeToMemoryBuffer(module->module);
  if (!bitcode) return cgym_error_set(CGYM_ENOMEM, "writing the module's bitcode to memory failed");

  size_t length = LLVMGetBufferSize(bitcode);
  unsigned char *copy = malloc(length ? length : 1);
  if (copy) memcpy(copy, LLVMGetBufferStart(bitcode), length);
  LLVMDisposeMemoryBuffer(bitcode);
  if (!copy) return cgym_error_set(CGYM_ENOMEM, "out of memory copying %zu bytes of bitcode", length);

  *data = copy;
  *size = length;
  return CGYM_OK;
}

LLVMModuleRef cgym_llvm_module_ref(const cgym_llvm_module *module) { return module->module; }

const char *cgym_llvm_module_diagnostic(const cgym_llvm_module *module) {
  return module->diagnostic;
}

int cgym_llvm_module_ir(const cgym_llvm_module *module, char **text, size_t *size) {
  char *printed = LLVMPrintModuleToString(module->module);
  size_t length = strlen(printed);
  char *copy = malloc(length + 1);
  if (copy) memcpy(copy, printed, length + 1);
  LLVMDisposeMessage(printed);
  if (!copy) return cgym_error_set(CGYM_ENOMEM, "out of memory copying %zu bytes of IR", length);

  *text = copy;
  *size = length;
  return CGYM_OK;
}

void cgym_llvm_library_version(char out[32]) {
  unsigned major = 0, minor = 0, patch = 0;
  LLVMGetVersion(&major, &minor, &patch);
  snprintf(out, 32, "%u.%u.%u", major, minor, patch);
}

char *cgym_llvm_host_triple(void) {
  char *triple = LLVMGetDefaultTargetTriple();
  char *copy = triple ? strdup(triple) : NULL;
  LLVMDisposeMessage(triple);
  return copy;
}
