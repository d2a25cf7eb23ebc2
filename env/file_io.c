/*
 * Atomic whole-file writes and bounded whole-file reads.
 *
 * A result file, a manifest or a key must never be seen half-written: a crash or a full disk
 * during a write leaves either the old file or no file under the final name. The data goes to a
 * temporary file in the same folder (rename is atomic only within one file system), is flushed
 * with fsync, and is then renamed over the final name.
 */
#include "env/file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/error_internal.h"

/* Splits path into a malloc'ed folder ("." when path has no '/'). */
static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');

  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");

  size_t length = (size_t)(slash - path);
  char *folder = malloc(length + 1);
  if (!folder) return NULL;
  memcpy(folder, path, length);
  folder[length] = '\0';
  return folder;
}

static int write_all(int fd, const char *path, const void *data, size_t size) {
  const char *cursor = data;

  while (size > 0) {
    ssize_t written = write(fd, cursor, size);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0)
      return cgym_error_set(CGYM_EIO, "cannot write %s: %s", path, strerror(errno));
    cursor += written;
    size -= (size_t)written;
  }
  return CGYM_OK;
}

/* Makes a rename in folder durable. Best effort: some file systems reject fsync on a folder, and
 * the file itself is already complete under its final name. */
static void sync_folder(const char *folder) {
  int fd = open(folder, O_RDONLY | O_DIRECTORY);

  if (fd < 0) return;
  (void)fsync(fd);
  close(fd);
}

/*
 * Moves the finished temporary file to path. Without replace, link() is used because it fails
 * with EEXIST instead of replacing, so a file created by someone else in the meantime is never
 * overwritten. File systems without hard links fall back to a check followed by rename.
 */
static int publish(const char *temp_path, const char *path, int replace) {
  if (replace) {
    if (rename(temp_path, path) != 0)
      return cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", temp_path, path,
                            strerror(errno));
    return CGYM_OK;
  }

  if (link(temp_path, path) == 0) {
    unlink(temp_path);
    return CGYM_OK;
  }
  if (errno == EEXIST)
    return cgym_error_set(CGYM_EINVAL, "%s already exists: choose another path or allow "
                          "overwriting it", path);
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS)
    return cgym_error_set(CGYM_EIO, "cannot link %s to %s: %s", temp_path, path,
                          strerror(errno));

  struct stat info;
  if (lstat(path, &info) == 0)
    return cgym_error_set(CGYM_EINVAL, "%s already exists: choose another path or allow "
                          "overwriting it", path);
  return publish(temp_path, path, 1);
}

int cgym_file_write_atomic(const char *path, const void *data, size_t size, mode_t mode,
                           int replace) {
  char *folder = NULL, *temp_path = NULL;
  int fd = -1, created = 0, rc;

  if (!path || !*path || (!data && size > 0))
    return cgym_error_set(CGYM_EINVAL, "cgym_file_write_atomic needs a path and data");

  folder = folder_of(path);
  size_t temp_size = strlen(path) + sizeof ".tmp-XXXXXX";
  temp_path = malloc(temp_size);
  if (!folder || !temp_path) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory writing %s", path);
    goto done;
  }
  snprintf(temp_path, temp_size, "%s.tmp-XXXXXX", path);

  fd = mkstemp(temp_path);
  if (fd < 0) {
    rc = cgym_error_set(CGYM_EIO, "cannot create a temporary file next to %s: %s", path,
                        strerror(errno));
    goto done;
  }
  created = 1;

  rc = write_all(fd, temp_path, data, size);
  if (rc != CGYM_OK) goto done;
  if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
    rc = cgym_error_set(CGYM_EIO, "cannot flush %s: %s", temp_path, strerror(errno));
    goto done;
  }
  if (close(fd) != 0) {
    fd = -1;
    rc = cgym_error_set(CGYM_EIO, "cannot close %s: %s", temp_path, strerror(errno));
    goto done;
  }
  fd = -1;

  rc = publish(temp_path, path, replace);
  if (rc == CGYM_OK) sync_folder(folder);

done:
  if (fd >= 0) close(fd);
  if (rc != CGYM_OK && created) unlink(temp_path);
  free(temp_path);
  free(folder);
  return rc;
}

/* Reads from fd until end of file, failing once more than max_size bytes arrive. */
static int read_until_eof(int fd, const char *path, size_t max_size, const char *label,
                          char **data, size_t *size) {
  size_t capacity = 4096, length = 0;
  char *buffer = malloc(capacity + 1);

  if (!buffer) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", path);

  for (;;) {
    if (length == capacity) {
      size_t grown = capacity * 2;
      char *larger = realloc(buffer, grown + 1);
      if (!larger) {
        free(buffer);
        return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", path);
      }
      buffer = larger;
      capacity = grown;
    }

    ssize_t count = read(fd, buffer + length, capacity - length);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      free(buffer);
      return cgym_error_set(CGYM_EIO, "cannot read %s %s: %s", label, path, strerror(errno));
    }
    if (count == 0) break;

    length += (size_t)count;
    if (length > max_size) {
      free(buffer);
      return cgym_error_set(CGYM_ELIMIT, "%s %s is larger than the maximum of %zu bytes",
                            label, path, max_size);
    }
  }

  buffer[length] = '\0';
  *data = buffer;
  *size = length;
  return CGYM_OK;
}

int cgym_file_read_all(const char *path, size_t max_size, const char *label, char **data,
                       size_t *size) {
  struct stat info;
  int rc;

  *data = NULL;
  *size = 0;

  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT)
    return cgym_error_set(CGYM_ENOTFOUND, "%s %s not found", label, path);
  if (fd < 0)
    return cgym_error_set(CGYM_EIO, "cannot open %s %s: %s", label, path, strerror(errno));

  /* A FIFO or device could block forever or never end, so only regular files are read. */
  if (fstat(fd, &info) != 0) info.st_mode = 0;
  if (!S_ISREG(info.st_mode)) {
    close(fd);
    if (S_ISDIR(info.st_mode))
      return cgym_error_set(CGYM_EINVAL, "%s %s is a folder, but a file is expected", label, path);
    return cgym_error_set(CGYM_EIO, "%s %s is not a regular file", label, path);
  }
  if ((unsigned long long)info.st_size > max_size) {
    close(fd);
    return cgym_error_set(CGYM_ELIMIT, "%s %s has %lld bytes, more than the maximum of %zu",
                          label, path, (long long)info.st_size, max_size);
  }

  rc = read_until_eof(fd, path, max_size, label, data, size);
  close(fd);
  return rc;
}
