/*
 * Suggestions for mistyped names: the closest candidate by Levenshtein distance.
 */
#include "env/suggest_internal.h"

#include <string.h>

/* Names longer than this get no suggestion: no action or space name comes close to that length. */
#define SUGGESTION_INPUT_MAX 128

/* Levenshtein distance with two rows; both strings are at most SUGGESTION_INPUT_MAX long. */
static size_t edit_distance(const char *a, const char *b) {
  size_t rows[2][SUGGESTION_INPUT_MAX + 1];
  size_t length_a = strlen(a), length_b = strlen(b);

  for (size_t j = 0; j <= length_b; j++) rows[0][j] = j;
  for (size_t i = 1; i <= length_a; i++) {
    size_t *previous = rows[(i - 1) % 2], *current = rows[i % 2];
    current[0] = i;
    for (size_t j = 1; j <= length_b; j++) {
      size_t substitute = previous[j - 1] + (a[i - 1] != b[j - 1]);
      size_t delete = previous[j] + 1, insert = current[j - 1] + 1;
      size_t best = substitute < delete ? substitute : delete;
      current[j] = best < insert ? best : insert;
    }
  }
  return rows[length_a % 2][length_b];
}

const char *cgym_suggest_name(const char *name, cgym_name_at name_at, const void *table,
                              size_t count) {
  const char *best = NULL;
  size_t best_distance = (size_t)-1;

  if (strlen(name) > SUGGESTION_INPUT_MAX) return NULL;
  for (size_t i = 0; i < count; i++) {
    const char *candidate = name_at(table, i);
    if (strlen(candidate) > SUGGESTION_INPUT_MAX) continue;
    size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }

  size_t allowed = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
  return best_distance <= allowed ? best : NULL;
}
