/*
 * Escaping of text from outside before it reaches a message: control bytes and invalid UTF-8
 * become \xNN, long runs of them are cut short, valid UTF-8 stays, and a small buffer never ends
 * in half an escape. cgym_error_set applies the same escaping to every message.
 */
#include <string.h>

#include "env/error_internal.h"
#include "env/text_internal.h"
#include "support/check.h"

/* Inputs and their escaped form, with a buffer large enough for the whole result. */
static const struct {
  const char *input, *expected;
} escape_cases[] = {
    {"plain ASCII, tab\tand newline\n", "plain ASCII, tab\tand newline\n"},
    {"donn\xc3\xa9\x65s \xe2\x82\xac", "donn\xc3\xa9\x65s \xe2\x82\xac"},
    {"a\x1b[31mred\x07\r", "a\\x1b[31mred\\x07\\x0d"},
    {"del\x7f c1\xc2\x9b" "31m", "del\\x7f c1\\xc2\\x9b31m"},
    {"bad\xff\xfe utf8 \xc3", "bad\\xff\\xfe utf8 \\xc3"},
    /* A run of more than 8 bytes to escape keeps the first 8, then "..." for the rest. */
    {"x\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0fy\x01z",
     "x\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08...y\\x01z"},
};

static void test_escape_cases(void) {
  char out[128];
  for (size_t i = 0; i < sizeof escape_cases / sizeof escape_cases[0]; i++) {
    cgym_text_escape(out, sizeof out, escape_cases[i].input);
    CHECK_STR_EQ(out, escape_cases[i].expected);
  }
}

static void test_small_buffer_truncated(void) {
  char out[7];
  cgym_text_escape(out, sizeof out, "ab\x01\x02");
  CHECK_STR_EQ(out, "ab\\x01");
  cgym_text_escape(out, 1, "abc");
  CHECK_STR_EQ(out, "");
}

static void test_error_message_escaped(void) {
  CHECK(cgym_error_set(CGYM_EPARSE, "cannot parse '%s': %s", "in\x1b.ll", "line \x9b\x07") ==
        CGYM_EPARSE);
  CHECK_STR_EQ(cgym_error_message(), "cannot parse 'in\\x1b.ll': line \\x9b\\x07");

  /* A message that quotes the previous one is formatted from a copy, not in place. */
  cgym_error_set(CGYM_EIO, "%s; then %s", cgym_error_message(), "more");
  CHECK_STR_EQ(cgym_error_message(), "cannot parse 'in\\x1b.ll': line \\x9b\\x07; then more");
}

int main(void) {
  test_escape_cases();
  test_small_buffer_truncated();
  test_error_message_escaped();
  return cgym_check_summary();
}
