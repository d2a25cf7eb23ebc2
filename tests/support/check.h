#ifndef CGYM_TESTS_CHECK_H
#define CGYM_TESTS_CHECK_H

/*
 * A minimal test harness: each CHECK records a failure with file, line and the expression, and
 * the test program returns non-zero when any check failed. CHECK_OK also prints cgym's error
 * message for a failed call.
 */

#include <stdio.h>
#include <string.h>

extern int cgym_check_failures;
extern int cgym_check_count;

void cgym_check_fail(const char *file, int line, const char *expression, const char *detail);

#define CHECK(expr)                                                                               \
  do {                                                                                            \
    cgym_check_count++;                                                                           \
    if (!(expr)) cgym_check_fail(__FILE__, __LINE__, #expr, NULL);                                \
  } while (0)

/* Checks that a cgym call returned CGYM_OK; prints the library's error message otherwise. */
#define CHECK_OK(call)                                                                            \
  do {                                                                                            \
    cgym_check_count++;                                                                           \
    int check_rc_ = (call);                                                                       \
    if (check_rc_ != 0) cgym_check_fail(__FILE__, __LINE__, #call, cgym_error_message());         \
  } while (0)

/* Checks that a call failed with the expected code and that the message contains `fragment`. */
#define CHECK_ERROR(call, code, fragment)                                                         \
  do {                                                                                            \
    cgym_check_count++;                                                                           \
    int check_rc_ = (call);                                                                       \
    if (check_rc_ != (code)) cgym_check_fail(__FILE__, __LINE__, #call, cgym_error_message());    \
    else if (!strstr(cgym_error_message(), (fragment)))                                           \
      cgym_check_fail(__FILE__, __LINE__, "message contains " #fragment, cgym_error_message());   \
  } while (0)

#define CHECK_STR_EQ(a, b)                                                                        \
  do {                                                                                            \
    cgym_check_count++;                                                                           \
    const char *check_a_ = (a), *check_b_ = (b);                                                  \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0)                               \
      cgym_check_fail(__FILE__, __LINE__, #a " == " #b, check_a_ ? check_a_ : "(null)");          \
  } while (0)

/* Prints "N passed, N failed" and returns the exit status for main. */
int cgym_check_summary(void);

/* Creates a fresh temporary folder under $TMPDIR (or /tmp); the path is malloc'ed. */
char *cgym_test_temp_dir(const char *prefix);

/* Joins a folder and a name into a malloc'ed path. */
char *cgym_test_path(const char *dir, const char *name);

/* Returns the number of entries in a folder, -1 if it cannot be read. */
int cgym_test_count_entries(const char *dir);

#endif
