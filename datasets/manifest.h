#ifndef CGYM_DATASETS_MANIFEST_H
#define CGYM_DATASETS_MANIFEST_H

/*
 * The manifest of a manifest suite: a bz2-compressed text file (any compression libarchive
 * reads) that lists one benchmark per line, as in CompilerGym's published datasets. A line is a
 * path relative to the suite's root inside the archive, without the file suffix.
 */

#include "datasets/suite_internal.h"

/* Reads and decompresses the manifest at path into lines, skipping empty lines. label names
 * the file in messages. Errors: CGYM_EARCHIVE (not readable as a compressed file), CGYM_ELIMIT
 * (more than CGYM_MANIFEST_MAX_BYTES or CGYM_MANIFEST_MAX_BENCHMARKS), CGYM_EFORMAT (a line
 * that is not a safe relative path, naming its line number). */
int cgym_manifest_read(const char *path, const char *label, cgym_string_list *lines);

#endif
