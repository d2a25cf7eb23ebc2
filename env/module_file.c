/*
 * Module files on disk. Reads are bounded by a caller-given maximum, so a wrong path (a disk
 * image, /dev/zero) fails fast. Writes go to a temporary file next to the target and are renamed
 * into place, so a reader never sees half a module.
 */
#include "env/module_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/error_internal.h"
#include "env/file_io.h"

static int open_for_reading(const char *path, int *fd) {
  *fd = open(path, O_RDONLY | O_CLOEXEC);
  if (*fd >= 0) return CGYM_OK;
  if (errno == ENOENT)
    return cgym_error_set(CGYM_ENOTFOUND, "module file '%s' does not exist; check the path",
                          path);
  return cgym_error_set(CGYM_EIO, "cannot open module file '%s': %s", path, strerror(errno));
}

static int too_large(const char *path, size_t max_bytes) {
  return cgym_error_set(CGYM_ELIMIT, "module file '%s' is larger than the maximum of %zu bytes "
                        "(CGYM_ENV_MODULE_MAX_BYTES)", path, max_bytes);
}

/* Reads until end of file rather than trusting st_size, which is 0 for pipes. The buffer never
 * grows past max_bytes + 1, the one byte that proves the file is too large. */
static int read_all(int fd, const char *path, size_t max_bytes, unsigned char **data,
                    size_t *size) {
  size_t capacity = 1 << 16, length = 0;
  unsigned char *buffer = malloc(capacity);
  if (!buffer) return cgym_error_set(CGYM_ENOMEM, "out of memory reading '%s'", path);

  for (;;) {
    if (length > max_bytes) {
      free(buffer);
      return too_large(path, max_bytes);
    }
    if (length == capacity) {
      size_t next_capacity = capacity * 2 < max_bytes + 1 ? capacity * 2 : max_bytes + 1;
      unsigned char *grown = realloc(buffer, next_capacity);
      if (!grown) {
        free(buffer);
        return cgym_error_set(CGYM_ENOMEM, "out of memory reading '%s'", path);
      }
      buffer = grown;
      capacity = next_capacity;
    }

    ssize_t got = read(fd, buffer + length, capacity - length);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      free(buffer);
      return cgym_error_set(CGYM_EIO, "reading module file '%s' failed: %s", path,
                            strerror(errno));
    }
    if (got == 0) break;
    length += (size_t)got;
  }

  if (length > max_bytes) {
    free(buffer);
    return too_large(path, max_bytes);
  }
  *data = buffer;
  *size = length;
  return CGYM_OK;
}

int cgym_module_file_read(const char *path, size_t max_bytes, unsigned char **data, size_t *size) {
  int fd;
  *data = NULL;
  *size = 0;

  int rc = open_for_reading(path, &fd);
  if (rc != CGYM_OK) return rc;

  struct stat info;
  if (fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    close(fd);
    return cgym_error_set(CGYM_EINVAL, "module path '%s' is a folder, but a module file is "
                          "expected: give a .bc or .ll file", path);
  }

  rc = read_all(fd, path, max_bytes, data, size);
  close(fd);
  return rc;
}

int cgym_module_file_write(const char *path, const unsigned char *data, size_t size) {
  return cgym_file_write_atomic(path, data, size, 0644, 1);
}
