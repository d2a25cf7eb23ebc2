#ifndef CGYM_ENV_TEXT_INTERNAL_H
#define CGYM_ENV_TEXT_INTERNAL_H

/*
 * Text taken from outside (file contents, LLVM diagnostics that quote them, a worker's stderr)
 * before it reaches a message, a terminal or a JSON string. Internal to libcgym.
 */

#include <stddef.h>

/* Returns the length of the valid UTF-8 sequence at text, or 0 when it is invalid (overlong
 * forms, surrogates and code points above U+10FFFF included). A NUL byte ends any sequence. */
size_t cgym_utf8_sequence_length(const unsigned char *text);

/*
 * Copies text into out (out_size bytes, at least 1) so that printing it cannot move the cursor,
 * change colours or retitle a terminal. Printable ASCII, newline, tab and valid UTF-8 outside
 * the C1 control range (U+0080 to U+009F) are kept. Every other byte is written as \xNN, and in
 * a run of more than CGYM_TEXT_ESCAPED_RUN_MAX such bytes the rest of the run becomes "...", so
 * binary input gives a short message. The copy stops before an escape that would not fit, so it
 * is always NUL-terminated and never ends in half an escape.
 */
#define CGYM_TEXT_ESCAPED_RUN_MAX 8
void cgym_text_escape(char *out, size_t out_size, const char *text);

#endif
