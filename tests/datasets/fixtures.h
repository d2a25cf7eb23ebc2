#ifndef CGYM_TESTS_DATASETS_FIXTURES_H
#define CGYM_TESTS_DATASETS_FIXTURES_H

/*
 * Fixtures for the datasets tests: archives crafted with libarchive's write API, suite
 * definitions written at test time, the loopback HTTP server, and cache inspection.
 */

#include <sys/types.h>

/* One archive entry. type is 'f' (file), 'd' (folder), 'l' (symbolic link to link), 'h' (hard
 * link to link), 'c' (character device), 'p' (FIFO). */
typedef struct fixture_entry {
  const char *path;
  char type;
  const char *content; /* files */
  const char *link;    /* links */
} fixture_entry;

/* Writes a gzip'ed pax tar with entries (terminated by a NULL path) to path. */
void fixture_write_archive(const char *path, const fixture_entry *entries);

/* Entries of a valid archive "prog/" with two C files that build into one module. */
extern const fixture_entry fixture_good_entries[];

/* Writes text to dir/name and returns the malloc'ed path. */
char *fixture_write_file(const char *dir, const char *name, const char *text);

/*
 * Writes a one-archive, one-benchmark suite definition to dir/name (malloc'ed path returned).
 * urls is a NULL-terminated list (may be empty). The benchmark "prog" builds main.c and util.c
 * from the folder "prog".
 */
char *fixture_write_suite(const char *dir, const char *name, const char *suite_name,
                          const char *archive_file, const char *sha256, const char *const *urls);

/* Starts tests/support/httpd.c serving root; returns its port and stores its pid. */
int fixture_httpd_start(const char *root, pid_t *pid);
void fixture_httpd_stop(pid_t pid);

/* Number of entries named ".tmp-*" anywhere in the cache's folders (folders included). */
int fixture_count_temporaries(const char *cache);

/* Number of entries in cache/SUBFOLDER, -1 when it cannot be read. */
int fixture_count_in(const char *cache, const char *subfolder);

/* Number of entries in cache/SUBFOLDER whose names do not start with '.' (so no temporaries),
 * -1 when it cannot be read. */
int fixture_count_final_in(const char *cache, const char *subfolder);

/* Prints the last cgym error message under a label, so a test log shows what users would see. */
void fixture_show_message(const char *label);

#endif
