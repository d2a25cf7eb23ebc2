/*
 * The Debian source packages behind a suite's archives, for scripts/debian-mirror.sh. Debian
 * ships a pristine upstream release as the package's orig tarball; the script downloads those
 * with apt-get source and stores each under the archive's file name.
 */
#include <stdlib.h>
#include <string.h>

#include "datasets/cache.h"
#include "datasets/suite_internal.h"
#include "env/error_internal.h"

int cgym_suite_debian_sources(const cgym_suite *suite, char **out) {
  char *text = strdup("");

  if (!suite || !out)
    return cgym_error_set(CGYM_EINVAL, "cgym_suite_debian_sources needs a suite and an output");
  if (!text) return cgym_error_set(CGYM_ENOMEM, "out of memory listing Debian sources");

  for (size_t i = 0; i < suite->archive_count; i++) {
    const cgym_suite_archive *archive = &suite->archives[i];
    if (!archive->debian_source) continue;
    char *longer = cgym_format("%s%s %s %s %s\n", text, archive->debian_source,
                               archive->debian_orig, archive->file, archive->sha256);
    free(text);
    text = longer;
    if (!text) return cgym_error_set(CGYM_ENOMEM, "out of memory listing Debian sources");
  }
  *out = text;
  return CGYM_OK;
}
