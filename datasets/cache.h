#ifndef CGYM_DATASETS_CACHE_H
#define CGYM_DATASETS_CACHE_H

/*
 * The on-disk cache shared by every process of a user:
 *
 *   ROOT/lock                       flock'ed for the whole of a prepare
 *   ROOT/archives/SHA256            verified archives, named by their digest
 *   ROOT/trees/SHA256-xN            extracted archives (N: version of the extraction rules)
 *   ROOT/bitcode/SUITE/NAME-KEY.bc  built modules; KEY hashes the archive digest and the recipe
 *
 * Every entry is first written under a name starting with ".tmp-" in the same folder and then
 * renamed, so a final name always holds a complete entry. A process that holds the lock removes
 * the ".tmp-" leftovers of processes that were killed.
 */

#include <stdarg.h>

#define CGYM_CACHE_TEMP_PREFIX ".tmp-"

typedef struct cgym_cache {
  char *root; /* absolute */
  int lock_fd;
} cgym_cache;

/* Resolves the root (configured, $CGYM_CACHE, $XDG_CACHE_HOME/cgym, ~/.cache/cgym), creates
 * its folders and takes the lock. progress, when set, hears about a wait for the lock. */
int cgym_cache_open(cgym_cache *cache, const char *configured_root,
                    void (*progress)(void *context, const char *message), void *context);

/* Releases the lock and the root path. Accepts a cache that failed to open. */
void cgym_cache_close(cgym_cache *cache);

/* Returns a malloc'ed string formatted like printf, or NULL when out of memory. */
char *cgym_format(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Creates path and its missing parents with mode 0755. */
int cgym_make_dirs(const char *path);

/* Removes a file or a folder tree without following symbolic links. Missing paths are fine. */
int cgym_remove_tree(const char *path);

/* Creates an empty temporary file FOLDER/.tmp-XXXXXX; returns its descriptor and stores the
 * malloc'ed path in *path. */
int cgym_temp_file(const char *folder, char **path, int *fd);

/* Creates a temporary folder FOLDER/.tmp-XXXXXX and stores its malloc'ed path in *path. */
int cgym_temp_dir(const char *folder, char **path);

/* Copies source to destination through a temporary file in destination's folder (copy.c). */
int cgym_copy_file(const char *source, const char *destination);

/* Returns nonzero when path exists (any type, symbolic links not followed). */
int cgym_path_exists(const char *path);

#endif
