#ifndef CGYM_DATASETS_EXTRACT_H
#define CGYM_DATASETS_EXTRACT_H

/*
 * Safe extraction of a verified archive into a cache folder.
 */

/* Named maximums, checked while the archive streams, so a decompression bomb stops early. The
 * entry count and the total size are defaults: a suite definition may declare larger limits for
 * one archive ("limits" in docs/suite-format.md), up to the hard maximums below. */
#define CGYM_EXTRACT_MAX_ENTRIES 100000
#define CGYM_EXTRACT_MAX_ENTRY_BYTES (256LL * 1024 * 1024)
#define CGYM_EXTRACT_MAX_TOTAL_BYTES (2LL * 1024 * 1024 * 1024)
#define CGYM_EXTRACT_MAX_PATH 1024
/* Hard maximums of declared limits. The largest registered archive, AnghaBench's, contains about
 * 1.04 million C files. */
#define CGYM_EXTRACT_HARD_MAX_ENTRIES 2000000
#define CGYM_EXTRACT_HARD_MAX_TOTAL_BYTES (64LL * 1024 * 1024 * 1024)

/* The limits of one extraction. A zero field takes its default. */
typedef struct cgym_extract_limits {
  long long max_entries;
  long long max_total_bytes;
} cgym_extract_limits;

/* Version of the extraction rules and the tree layout, part of the cache name of extracted
 * trees, so a change of either extracts every archive again. Version 2 added the per-file
 * content hashes of tree.h. */
#define CGYM_EXTRACT_RULES_VERSION 2

/*
 * Extracts archive_path into destination, which must not exist yet: entries go to a temporary
 * folder next to it, renamed into place once every entry has passed. label names the archive in
 * messages; limits may be NULL for the defaults. Errors: CGYM_EARCHIVE for a corrupt, truncated
 * or unsafe archive (absolute path, '..', a symbolic or hard link leaving the folder, a device,
 * FIFO or socket, a duplicate entry), naming the entry; CGYM_ELIMIT when a limit is exceeded,
 * naming it; CGYM_EIO.
 */
int cgym_extract_archive(const char *archive_path, const char *label, const char *destination,
                         const cgym_extract_limits *limits);

#endif
