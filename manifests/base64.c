/*
 * Standard base64 (RFC 4648 section 4) with padding, decoded strictly.
 *
 * A lenient decoder would let several texts decode to the same bytes (whitespace, missing
 * padding, non-zero unused bits), so a changed envelope could still verify. This decoder accepts
 * exactly the text that cgym_base64_encode produces for the decoded bytes.
 */
#include "manifests/manifest_internal.h"

#include <stdint.h>
#include <stdlib.h>

#include "env/error_internal.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *cgym_base64_encode(const unsigned char *data, size_t size) {
  size_t groups = size / 3 + (size % 3 != 0);
  char *text = malloc(groups * 4 + 1), *out = text;

  if (!text) return NULL;
  for (size_t i = 0; i < size; i += 3) {
    uint32_t block = (uint32_t)data[i] << 16;
    if (i + 1 < size) block |= (uint32_t)data[i + 1] << 8;
    if (i + 2 < size) block |= data[i + 2];

    *out++ = alphabet[(block >> 18) & 0x3f];
    *out++ = alphabet[(block >> 12) & 0x3f];
    *out++ = i + 1 < size ? alphabet[(block >> 6) & 0x3f] : '=';
    *out++ = i + 2 < size ? alphabet[block & 0x3f] : '=';
  }
  *out = '\0';
  return text;
}

/* Value of a base64 character, or -1 for anything outside the standard alphabet. */
static int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Decodes one 4-character group; returns the number of bytes (1 to 3) or -1 when invalid.
 * Padding is allowed only in the last group, and its unused bits must be zero. */
static int decode_group(const char *group, int last, unsigned char *out) {
  int padding = (group[3] == '=') + (group[2] == '=' && group[3] == '=');
  int values[4] = {0, 0, 0, 0};

  if (padding > 0 && !last) return -1;
  for (int i = 0; i < 4 - padding; i++) {
    values[i] = sextet(group[i]);
    if (values[i] < 0) return -1;
  }

  uint32_t block = (uint32_t)values[0] << 18 | (uint32_t)values[1] << 12 |
                   (uint32_t)values[2] << 6 | (uint32_t)values[3];
  if (padding == 2 && (block & 0xffff) != 0) return -1;
  if (padding == 1 && (block & 0xff) != 0) return -1;

  out[0] = (unsigned char)(block >> 16);
  out[1] = (unsigned char)(block >> 8);
  out[2] = (unsigned char)block;
  return 3 - padding;
}

int cgym_base64_decode(const char *text, size_t length, const char *label, unsigned char **data,
                       size_t *size) {
  *data = NULL;
  *size = 0;
  if (length % 4 != 0)
    return cgym_error_set(CGYM_EFORMAT, "%s is not canonical base64: its length %zu is not a "
                          "multiple of 4", label, length);

  unsigned char *bytes = malloc(length / 4 * 3 + 1);
  if (!bytes) return cgym_error_set(CGYM_ENOMEM, "out of memory decoding %s", label);

  size_t used = 0;
  for (size_t i = 0; i < length; i += 4) {
    int count = decode_group(text + i, i + 4 == length, bytes + used);
    if (count < 0) {
      free(bytes);
      return cgym_error_set(CGYM_EFORMAT, "%s is not canonical base64 (standard alphabet, with "
                            "padding): invalid group at offset %zu", label, i);
    }
    used += (size_t)count;
  }

  *data = bytes;
  *size = used;
  return CGYM_OK;
}
