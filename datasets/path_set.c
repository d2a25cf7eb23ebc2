/*
 * A string set for archive entry paths. Linear probing over a power-of-two table kept at most
 * half full; extraction caps the number of entries, so the table stays small.
 */
#include "datasets/path_set.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a, 64-bit. */
static uint64_t hash_path(const char *path) {
  uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
    hash ^= *c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

static size_t find_slot(char *const *slots, size_t capacity, const char *path) {
  size_t index = hash_path(path) & (capacity - 1);
  while (slots[index] && strcmp(slots[index], path) != 0) index = (index + 1) & (capacity - 1);
  return index;
}

static int grow(cgym_path_set *set) {
  size_t capacity = set->capacity ? set->capacity * 2 : 64;
  char **slots = calloc(capacity, sizeof *slots);
  if (!slots) return -1;

  for (size_t i = 0; i < set->capacity; i++) {
    if (set->slots[i]) slots[find_slot(slots, capacity, set->slots[i])] = set->slots[i];
  }
  free(set->slots);
  set->slots = slots;
  set->capacity = capacity;
  return 0;
}

int cgym_path_set_add(cgym_path_set *set, const char *path) {
  if ((set->count + 1) * 2 > set->capacity && grow(set) != 0) return -1;

  size_t index = find_slot(set->slots, set->capacity, path);
  if (set->slots[index]) return 0;
  set->slots[index] = strdup(path);
  if (!set->slots[index]) return -1;
  set->count++;
  return 1;
}

int cgym_path_set_contains(const cgym_path_set *set, const char *path) {
  if (set->capacity == 0) return 0;
  return set->slots[find_slot(set->slots, set->capacity, path)] != NULL;
}

void cgym_path_set_clear(cgym_path_set *set) {
  for (size_t i = 0; i < set->capacity; i++) free(set->slots[i]);
  free(set->slots);
  memset(set, 0, sizeof *set);
}
