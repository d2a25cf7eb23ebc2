/*
 * Exit codes and error reporting shared by every cgym subcommand.
 */
#include "harness/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"

int cgym_cli_exit_code(int error) {
  switch (error) {
  case CGYM_OK: return CGYM_EXIT_OK;
  case CGYM_EINVAL:
  case CGYM_ENOTFOUND: return CGYM_EXIT_USAGE;
  case CGYM_ESIGNATURE: return CGYM_EXIT_VERIFY;
  case CGYM_ECHECKSUM:
  case CGYM_EARCHIVE:
  case CGYM_EPARSE:
  case CGYM_EFORMAT:
  case CGYM_ELIMIT: return CGYM_EXIT_INTEGRITY;
  default: return CGYM_EXIT_FAILURE;
  }
}

int cgym_cli_report(const char *context, int error) {
  const char *message = cgym_error_message();
  if (!*message) message = cgym_strerror(error);
  fprintf(stderr, "cgym: %s: %s\n", context, message);
  return cgym_cli_exit_code(error);
}

int cgym_cli_usage_error(const char *command, const char *format, ...) {
  va_list args;
  fputs("cgym: ", stderr);
  va_start(args, format);
  vfprintf(stderr, format, args);
  va_end(args);
  fprintf(stderr, "\nRun 'cgym help %s' for the options.\n", command);
  return CGYM_EXIT_USAGE;
}

int cgym_cli_parse_format(const char *command, const char *value, int *json) {
  if (strcmp(value, "json") != 0 && strcmp(value, "table") != 0)
    return cgym_cli_usage_error(command, "--format expects table or json, got '%s'", value);
  *json = strcmp(value, "json") == 0;
  return 0;
}

void cgym_cli_print_stage(void *context, const char *message) {
  (void)context;
  fprintf(stderr, "cgym: %s\n", message);
}

int cgym_cli_parse_u64(const char *text, uint64_t max, uint64_t *out) {
  if (!text || *text < '0' || *text > '9') return -1;
  errno = 0;
  char *end = NULL;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno || *end != '\0' || value > max) return -1;
  *out = value;
  return 0;
}
