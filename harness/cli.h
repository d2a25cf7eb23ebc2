#ifndef CGYM_HARNESS_CLI_H
#define CGYM_HARNESS_CLI_H

/*
 * Shared pieces of the cgym command line: exit codes, option parsing helpers and the mapping
 * from library error codes to exit codes. Only the CLI prints; the library never does.
 */

#include <stdint.h>

/* Exit codes, documented in README.md and `cgym help`. */
enum cgym_exit_code {
  CGYM_EXIT_OK = 0,           /* success */
  CGYM_EXIT_FAILURE = 1,      /* runtime failure: I/O, download, build, LLVM */
  CGYM_EXIT_USAGE = 2,        /* invalid command line, unknown suite, agent, action or file */
  CGYM_EXIT_VERIFY = 3,       /* a manifest, signature or subject digest did not verify, or a
                                 benchmark's program did not match its run spec */
  CGYM_EXIT_INTEGRITY = 4,    /* input rejected: checksum mismatch, unsafe or corrupt archive,
                                 invalid or empty LLVM module, malformed definition or key file */
};

/* Maps a library error code to the exit code of the table above. */
int cgym_cli_exit_code(int error);

/* Prints "cgym: CONTEXT: MESSAGE" for the last library error to stderr and returns the exit
 * code for error. */
int cgym_cli_report(const char *context, int error);

/* Prints "cgym: MESSAGE" and a hint to run `cgym help COMMAND`; returns CGYM_EXIT_USAGE. */
int cgym_cli_usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets *json from a --format value, "table" or "json"; otherwise prints a usage error for
 * command and returns CGYM_EXIT_USAGE. */
int cgym_cli_parse_format(const char *command, const char *value, int *json);

/* A progress callback for cgym_prepare_options: prints "cgym: MESSAGE" to stderr. */
void cgym_cli_print_stage(void *context, const char *message);

/* Parses a non-negative decimal integer no larger than max; 0 on success, -1 otherwise. */
int cgym_cli_parse_u64(const char *text, uint64_t max, uint64_t *out);

/* Shared by compare, reproduce and import: print a comparison table and its exports (four
 * paths or NULL: Markdown, CSV, JSON, LaTeX; "-" is stdout), and reject incomparable runs. */
struct cgym_compare_table;
int cgym_compare_print(const struct cgym_compare_table *table, const char *const *exports);
int cgym_compare_refuse(const struct cgym_compare_table *table, int force);

/* Subcommands. argv[0] is the subcommand's name. */
int cgym_cmd_run(int argc, char **argv);
int cgym_cmd_keygen(int argc, char **argv);
int cgym_cmd_verify(int argc, char **argv);
int cgym_cmd_sign(int argc, char **argv);
int cgym_cmd_compare(int argc, char **argv);
int cgym_cmd_reproduce(int argc, char **argv);
int cgym_cmd_import(int argc, char **argv);
int cgym_cmd_apply(int argc, char **argv);
int cgym_cmd_suites(int argc, char **argv);
int cgym_cmd_suites_run(int argc, char **argv); /* `cgym suites run`; argv[0] is "run" */
int cgym_cmd_agents(int argc, char **argv);
int cgym_cmd_actions(int argc, char **argv);

#endif
