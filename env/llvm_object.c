/*
 * Object code: the .text size of a module lowered for a fixed x86-64 target, and a description of
 * the host CPU. Only the X86 target is initialised, once per process.
 *
 * Codegen runs on a copy parsed from the module's bitcode into its own LLVMContext, for two
 * reasons: codegen changes the IR it lowers (CodeGenPrepare, intrinsic lowering), and a copy made
 * from bitcode makes the size a function of the bitcode alone.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Core.h>
#include <llvm-c/Object.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

#include "cgym/observation.h"
#include "env/error_internal.h"
#include "env/llvm_internal.h"

static pthread_once_t x86_once = PTHREAD_ONCE_INIT;

static void initialize_x86(void) {
  LLVMInitializeX86TargetInfo();
  LLVMInitializeX86Target();
  LLVMInitializeX86TargetMC();
  LLVMInitializeX86AsmPrinter();
  /* Inline assembly goes through the assembler parser; without it LLVM ends the process. */
  LLVMInitializeX86AsmParser();
}

/* Creates the target machine for CGYM_OBJECT_TRIPLE and CGYM_OBJECT_CPU: position-independent
 * code (what Debian's clang emits by default) and codegen level None, as clang without -O. */
static int create_target_machine(LLVMTargetMachineRef *out) {
  LLVMTargetRef target = NULL;
  char *message = NULL;

  pthread_once(&x86_once, initialize_x86);
  if (LLVMGetTargetFromTriple(CGYM_OBJECT_TRIPLE, &target, &message)) {
    int rc = cgym_error_set(CGYM_ELLVM, "LLVM has no target for %s: %s", CGYM_OBJECT_TRIPLE,
                            message ? message : "no details");
    LLVMDisposeMessage(message);
    return rc;
  }
  *out = LLVMCreateTargetMachine(target, CGYM_OBJECT_TRIPLE, CGYM_OBJECT_CPU, "",
                                 LLVMCodeGenLevelNone, LLVMRelocPIC, LLVMCodeModelDefault);
  if (!*out) return cgym_error_set(CGYM_ELLVM, "LLVM could not create a target machine for %s",
                                   CGYM_OBJECT_TRIPLE);
  return CGYM_OK;
}

/* Sums the sizes of the sections named .text and .text.* in an object file. */
static int sum_text_sections(LLVMMemoryBufferRef object, int64_t *size) {
  char *message = NULL;
  LLVMContextRef context = LLVMContextCreate();
  LLVMBinaryRef binary = LLVMCreateBinary(object, context, &message);
  if (!binary) {
    int rc = cgym_error_set(CGYM_ELLVM, "LLVM cannot read the object file it emitted: %s",
                            message ? message : "no details");
    LLVMDisposeMessage(message);
    LLVMContextDispose(context);
    return rc;
  }

  int64_t total = 0;
  LLVMSectionIteratorRef section = LLVMObjectFileCopySectionIterator(binary);
  for (; !LLVMObjectFileIsSectionIteratorAtEnd(binary, section); LLVMMoveToNextSection(section)) {
    const char *name = LLVMGetSectionName(section);
    if (name && (strcmp(name, ".text") == 0 || strncmp(name, ".text.", 6) == 0))
      total += (int64_t)LLVMGetSectionSize(section);
  }
  LLVMDisposeSectionIterator(section);
  LLVMDisposeBinary(binary);
  LLVMContextDispose(context);
  *size = total;
  return CGYM_OK;
}

static int emit_object(LLVMTargetMachineRef machine, LLVMModuleRef module,
                       LLVMMemoryBufferRef *object) {
  char *message = NULL;

  LLVMSetTarget(module, CGYM_OBJECT_TRIPLE);
  LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(machine);
  LLVMSetModuleDataLayout(module, layout);
  LLVMDisposeTargetData(layout);

  if (LLVMTargetMachineEmitToMemoryBuffer(machine, module, LLVMObjectFile, &message, object)) {
    int rc = cgym_error_set(CGYM_ELLVM, "LLVM could not lower the module to a %s object: %s",
                            CGYM_OBJECT_TRIPLE, message ? message : "no details");
    LLVMDisposeMessage(message);
    return rc;
  }
  return CGYM_OK;
}

int cgym_llvm_module_text_size(const cgym_llvm_module *module, int64_t *size) {
  unsigned char *bitcode = NULL;
  size_t bitcode_size = 0;
  cgym_llvm_module *copy = NULL;
  LLVMTargetMachineRef machine = NULL;
  LLVMMemoryBufferRef object = NULL;

  int rc = cgym_llvm_module_bitcode(module, &bitcode, &bitcode_size);
  if (rc != CGYM_OK) goto done;
  rc = cgym_llvm_module_parse(&copy, bitcode, bitcode_size, "the module copy for codegen");
  if (rc != CGYM_OK) goto done;
  rc = create_target_machine(&machine);
  if (rc != CGYM_OK) goto done;
  rc = emit_object(machine, cgym_llvm_module_ref(copy), &object);
  if (rc != CGYM_OK) goto done;
  /* Errors in inline assembly reach the context's diagnostic handler, and LLVM still writes an
   * object without the faulty code. */
  if (cgym_llvm_module_diagnostic(copy)[0]) {
    rc = cgym_error_set(CGYM_ELLVM, "LLVM could not lower the module to a %s object: %s",
                        CGYM_OBJECT_TRIPLE, cgym_llvm_module_diagnostic(copy));
    goto done;
  }
  rc = sum_text_sections(object, size);

done:
  if (object) LLVMDisposeMemoryBuffer(object);
  if (machine) LLVMDisposeTargetMachine(machine);
  cgym_llvm_module_free(copy);
  free(bitcode);
  return rc;
}

/* Reads one integer from a sysfs file such as .../cache/index0/size ("32K"), in bytes; -1 when
 * the file is missing. */
static long read_cache_size(int index) {
  char path[96], text[32] = "";
  snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
  FILE *file = fopen(path, "r");
  if (!file) return -1;
  if (!fgets(text, sizeof text, file)) text[0] = '\0';
  fclose(file);

  char *end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text) return -1;
  if (*end == 'K') value *= 1024;
  if (*end == 'M') value *= 1024 * 1024;
  return value;
}

int cgym_llvm_cpu_info(char **json) {
  char *name = LLVMGetHostCPUName();
  char *features = LLVMGetHostCPUFeatures();
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  const char *format = "{\"name\":\"%s\",\"cores_count\":%ld,\"cache_index0_size\":%ld,"
                       "\"cache_index1_size\":%ld,\"cache_index2_size\":%ld,"
                       "\"cache_index3_size\":%ld,\"features\":\"%s\"}";
  long sizes[4];
  for (int i = 0; i < 4; i++) sizes[i] = read_cache_size(i);

  int length = snprintf(NULL, 0, format, name, cores, sizes[0], sizes[1], sizes[2], sizes[3],
                        features);
  char *text = length >= 0 ? malloc((size_t)length + 1) : NULL;
  if (text)
    snprintf(text, (size_t)length + 1, format, name, cores, sizes[0], sizes[1], sizes[2],
             sizes[3], features);
  LLVMDisposeMessage(name);
  LLVMDisposeMessage(features);
  if (!text) return cgym_error_set(CGYM_ENOMEM, "out of memory describing the host CPU");
  *json = text;
  return CGYM_OK;
}
