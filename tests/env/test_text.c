/*
 * Escaping of text from outside before it reaches a message: control bytes and invalid UTF-8
 * become \xNN, long runs of them are cut short, valid UTF-8 stays, and a small buffer never ends
 * in half an escape. cgym_error_set applies the same escaping to every message.
 */
#include <string.h>

#include "env/error_internal.h"
#include "env/text_internal.h"
#include "support/check.h"

static void test_printable_text_unchanged(void) {
  char out[64];
  cgym_text_escape(out, sizeof out, "plain ASCII, tab\tand newline\n");
  CHECK_STR_EQ(out, "plain ASCII, tab\tand newline\n");
  cgym_text_escape(out, sizeof out, "donn\xc3\xa9\x65s \xe2\x82\xac");
  CHECK_STR_EQ(out, "donn\xc3\xa9\x65s \xe2\x82\xac");
}

static void test_control_bytes_escaped(void) {
  char out[128];
  cgym_text_escape(out, sizeof out, "a\x1b[31mred\x07\r");
  CHECK_STR_EQ(out, "a\\x1b[31mred\\x07\\x0d");
  cgym_text_escape(out, sizeof out, "del\x7f c1\xc2\x9b" "31m");
  CHECK_STR_EQ(out, "del\\x7f c1\\xc2\\x9b31m");
  cgym_text_escape(out, sizeof out, "bad\xff\xfe utf8 \xc3");
  CHECK_STR_EQ(out, "bad\\xff\\xfe utf8 \\xc3");
}

static void test_long_run_elided(void) {
  char out[128];
  cgym_text_escape(out, sizeof out, "x\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0fy\x01z");
  CHECK_STR_EQ(out, "x\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08...y\\x01z");
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
  test_printable_text_unchanged();
  test_control_bytes_escaped();
  test_long_run_elided();
  test_small_buffer_truncated();
  test_error_message_escaped();
  return cgym_check_summary();
}
