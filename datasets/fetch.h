#ifndef CGYM_DATASETS_FETCH_H
#define CGYM_DATASETS_FETCH_H

/*
 * Fetching one archive into the cache: from the cache itself when a verified copy is there,
 * else from the mirror, else from the definition's URLs, in that order.
 */

#include "datasets/cache.h"
#include "datasets/suite_internal.h"

/* Upper bound for an archive without a size in its definition, unless the definition declares
 * a larger one (limits.download), which may not exceed the hard maximum. */
#define CGYM_DOWNLOAD_MAX_BYTES (1024LL * 1024 * 1024)
#define CGYM_DOWNLOAD_HARD_MAX_BYTES (16LL * 1024 * 1024 * 1024)
#define CGYM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS 30L
#define CGYM_DOWNLOAD_STALL_SECONDS 30L  /* less than 1 KiB/s for this long fails the transfer */
#define CGYM_DOWNLOAD_TOTAL_TIMEOUT_SECONDS (30L * 60)
#define CGYM_DOWNLOAD_MAX_REDIRECTS 5L
/* A transfer that fails in a way that may pass (timeout, refused or dropped connection,
 * truncated body, HTTP 408, 429 or 5xx) is tried up to this many times in all. The wait before
 * the second attempt is CGYM_DOWNLOAD_BACKOFF_MS, and it doubles before each later one. */
#define CGYM_DOWNLOAD_MAX_ATTEMPTS 3
#define CGYM_DOWNLOAD_BACKOFF_MS 500L

/*
 * Stores in *path (malloc'ed) the cache path of the archive, ROOT/archives/SHA256, whose digest
 * has been checked against the definition. Errors: CGYM_EDOWNLOAD when every source failed,
 * CGYM_ECHECKSUM when every source failed and at least one delivered bytes with another digest.
 * Both messages list each source with its failure.
 */
int cgym_fetch_archive(const cgym_cache *cache, const cgym_suite_archive *archive,
                       const cgym_prepare_options *opts, char **path);

#endif
