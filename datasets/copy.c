/*
 * Copying a file into the cache: prebuilt bitcode of manifest suites and .bc files of user
 * folders. The copy is written under a temporary name next to the destination and renamed once
 * it is complete and on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasets/cache.h"
#include "env/error_internal.h"

#define COPY_BUFFER_BYTES (64 * 1024)

static int copy_bytes(int from, int to, const char *source, const char *temp) {
  char buffer[COPY_BUFFER_BYTES];

  for (;;) {
    ssize_t count = read(from, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return cgym_error_set(CGYM_EIO, "cannot read %s: %s", source, strerror(errno));
    if (count == 0) return CGYM_OK;
    for (ssize_t written = 0; written < count;) {
      ssize_t step = write(to, buffer + written, (size_t)(count - written));
      if (step < 0 && errno == EINTR) continue;
      if (step < 0) return cgym_error_set(CGYM_EIO, "cannot write %s: %s", temp, strerror(errno));
      written += step;
    }
  }
}

int cgym_copy_file(const char *source, const char *destination) {
  char *folder = strdup(destination);
  char *temp = NULL;
  int to = -1;
  int from = open(source, O_RDONLY | O_CLOEXEC);
  int rc;

  if (from < 0) {
    rc = cgym_error_set(CGYM_EIO, "cannot open %s: %s", source, strerror(errno));
    goto done;
  }
  char *slash = folder ? strrchr(folder, '/') : NULL;
  if (!slash) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory copying %s", source);
    goto done;
  }
  *slash = '\0';
  rc = cgym_temp_file(folder, &temp, &to);
  if (rc == CGYM_OK) rc = copy_bytes(from, to, source, temp);
  if (rc == CGYM_OK && fsync(to) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot write %s: %s", temp, strerror(errno));
  if (rc == CGYM_OK && rename(temp, destination) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", temp, destination,
                        strerror(errno));

done:
  if (to >= 0) close(to);
  if (from >= 0) close(from);
  if (temp && rc != CGYM_OK) unlink(temp);
  free(temp);
  free(folder);
  return rc;
}
