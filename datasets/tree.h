#ifndef CGYM_DATASETS_TREE_H
#define CGYM_DATASETS_TREE_H

/*
 * Extracted trees in the cache and their per-file content hashes:
 *
 *   ROOT/trees/SHA256-xN/src          the archive's entries
 *   ROOT/trees/SHA256-xN/files.json   {"schema": "cgym-tree/v1", "files": {PATH: DIGEST}}
 *
 * DIGEST is the lowercase hex SHA-256 of a regular file, or "symlink:TARGET" for a symbolic
 * link. Two archives with the same content (say, recompressed) give the same file list, while
 * the archive digests differ; changed content changes the list.
 */

#include "datasets/extract.h"
#include "datasets/verify.h"

#define CGYM_TREE_SOURCE_FOLDER "src"
#define CGYM_TREE_FILE_LIST "files.json"
#define CGYM_TREE_SCHEMA "cgym-tree/v1"
/* Upper bound for reading a file list. CGYM_EXTRACT_HARD_MAX_ENTRIES entries fit when their
 * paths average up to about 450 bytes; each entry adds its digest and about 10 bytes of JSON. */
#define CGYM_TREE_MAX_LIST_BYTES (1024LL * 1024 * 1024)

/* Extracts archive_path into tree (which must not exist) with the layout above, writing the file
 * list before the tree gets its final name. limits may be NULL for the defaults. Errors as
 * cgym_extract_archive. */
int cgym_tree_extract(const char *archive_path, const char *label, const char *tree,
                      const cgym_extract_limits *limits);

/* Re-hashes every file of tree against its file list and reports each changed, missing or
 * unlisted entry, and a missing or unreadable file list, to report. */
int cgym_tree_verify(const char *tree, cgym_verify_report *report);

#endif
