/*
 * UTF-8 validation and the escaping of text from outside. Error messages quote paths, LLVM
 * diagnostics and worker output, and those can carry any byte: an LLVM parse error on a binary
 * file quotes its first line, escape sequences included. Escaping happens where such text enters
 * a message, so every printer downstream (CLI, results.md, Python) gets plain text.
 */
#include "env/text_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

size_t cgym_utf8_sequence_length(const unsigned char *text) {
  unsigned char lead = text[0];
  size_t length;
  unsigned long code_point;

  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, code_point = lead & 0x1f;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, code_point = lead & 0x0f;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, code_point = lead & 0x07;
  else return 0;

  for (size_t i = 1; i < length; i++) {
    if ((text[i] & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (text[i] & 0x3f);
  }
  if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000)) return 0;
  if (code_point >= 0xd800 && code_point <= 0xdfff) return 0;
  if (code_point > 0x10ffff) return 0;
  return length;
}

/* Returns the length of the printable character at text, or 0 when it must be escaped. C1
 * controls are escaped because some terminals act on U+009B as on ESC [. */
static size_t printable_length(const unsigned char *text) {
  if (*text == '\n' || *text == '\t') return 1;
  if (*text < 0x80) return *text >= 0x20 && *text < 0x7f;

  size_t length = cgym_utf8_sequence_length(text);
  if (length == 2 && text[0] == 0xc2 && text[1] < 0xa0) return 0;
  return length;
}

void cgym_text_escape(char *out, size_t out_size, const char *text) {
  const unsigned char *cursor = (const unsigned char *)text;
  size_t used = 0, escaped_run = 0;

  assert(out_size > 0);
  while (*cursor) {
    char escape[8] = "";
    const char *piece = escape;
    size_t consumed = printable_length(cursor), piece_length = consumed;

    if (consumed > 0) {
      piece = (const char *)cursor;
      escaped_run = 0;
    } else {
      consumed = 1;
      if (escaped_run < CGYM_TEXT_ESCAPED_RUN_MAX)
        snprintf(escape, sizeof escape, "\\x%02x", *cursor);
      else if (escaped_run == CGYM_TEXT_ESCAPED_RUN_MAX) strcpy(escape, "...");
      piece_length = strlen(escape);
      escaped_run++;
    }

    if (used + piece_length >= out_size) break;
    memcpy(out + used, piece, piece_length);
    used += piece_length;
    cursor += consumed;
  }
  out[used] = '\0';
}
