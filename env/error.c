/*
 * Thread-local error messages. A failing function formats its message once, where the failure is
 * detected; everything above passes the code through, so the message describes the root cause.
 */
#include "env/error_internal.h"

#include <stdarg.h>
#include <stdio.h>

#include "env/text_internal.h"

/* Long enough for a message quoting a path, a URL and two SHA-256 digests. */
#define CGYM_ERROR_MESSAGE_MAX 2048

static _Thread_local char error_message[CGYM_ERROR_MESSAGE_MAX];

/* Messages quote paths, file contents and LLVM diagnostics, so control bytes in them are escaped
 * before any caller can print the message. */
int cgym_error_set(int code, const char *format, ...) {
  char formatted[CGYM_ERROR_MESSAGE_MAX];
  va_list args;
  va_start(args, format);
  vsnprintf(formatted, sizeof formatted, format, args);
  va_end(args);
  cgym_text_escape(error_message, sizeof error_message, formatted);
  return code;
}

const char *cgym_error_message(void) { return error_message; }

void cgym_error_clear(void) { error_message[0] = '\0'; }

const char *cgym_strerror(int code) {
  switch (code) {
  case CGYM_OK: return "success";
  case CGYM_EINVAL: return "invalid argument";
  case CGYM_ENOTFOUND: return "not found";
  case CGYM_EIO: return "input/output error";
  case CGYM_ENOMEM: return "out of memory";
  case CGYM_ECHECKSUM: return "checksum mismatch";
  case CGYM_EARCHIVE: return "invalid or unsafe archive";
  case CGYM_EDOWNLOAD: return "download failed";
  case CGYM_EBUILD: return "benchmark build failed";
  case CGYM_EPARSE: return "invalid LLVM module";
  case CGYM_ELLVM: return "LLVM pass failed";
  case CGYM_ESTATE: return "invalid state for this call";
  case CGYM_ESIGNATURE: return "verification failed";
  case CGYM_ECRYPTO: return "cryptographic operation failed";
  case CGYM_ELIMIT: return "size limit exceeded";
  case CGYM_EFORMAT: return "invalid file format";
  default: return "unknown error";
  }
}
