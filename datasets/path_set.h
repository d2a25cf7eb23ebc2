#ifndef CGYM_DATASETS_PATH_SET_H
#define CGYM_DATASETS_PATH_SET_H

/* A set of strings (archive entry paths) with an open-addressing hash table, used to find
 * duplicate entries and links that point at symbolic links while an archive streams past. */

#include <stddef.h>

typedef struct cgym_path_set {
  char **slots;
  size_t capacity; /* a power of two */
  size_t count;
} cgym_path_set;

/* Adds a copy of path. Returns 1 when added, 0 when it was already there, -1 when out of
 * memory. */
int cgym_path_set_add(cgym_path_set *set, const char *path);

int cgym_path_set_contains(const cgym_path_set *set, const char *path);

void cgym_path_set_clear(cgym_path_set *set);

#endif
