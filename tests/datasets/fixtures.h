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

/* Writes dir/name as a bz2-compressed text file, as CompilerGym's manifests are. */
void fixture_write_bz2(const char *dir, const char *name, const char *text);

/* Stores the SHA-256 of dir/name in digest. */
void fixture_file_sha256(const char *dir, const char *name, char digest[65]);

/* One manifest suite for fixture_write_manifest_suite. The archive and the manifest are files
 * in the served folder, fetched from the loopback server. Optional parts are NULL. */
typedef struct fixture_manifest_suite {
  const char *name;             /* suite name */
  const char *cflags;           /* a JSON array of flags, or NULL */
  const char *archive_file;     /* archive id "sources" */
  const char *archive_extra;    /* more archive keys, such as "\"limits\": {...}", or NULL */
  const char *manifest_file;    /* archive id "manifest" */
  const char *manifest_fields;  /* the keys of the manifest block after archive and list */
} fixture_manifest_suite;

/* Writes the definition of suite to served/file_name, with the SHA-256 of both files and URLs
 * on the server at port, and returns the malloc'ed path. */
char *fixture_write_manifest_suite(const char *served, const char *file_name, int port,
                                   const fixture_manifest_suite *suite);

struct cgym_benchmark;

/* Loads a prepared benchmark into a fresh env and checks that LLVM 19 counts the instructions
 * its record states. */
void fixture_check_loads(const struct cgym_benchmark *benchmark);

#endif
