/*
 * Archive extraction. Each entry is checked before libarchive writes it: the path must be
 * relative without '..', a symbolic link must resolve inside the folder without passing through
 * another link, a hard link must point at an earlier file of the archive, and devices, FIFOs,
 * sockets and duplicate entries are rejected. libarchive's ARCHIVE_EXTRACT_SECURE_* flags stay
 * on as a second line of defence.
 *
 * The extraction runs in a forked child that changes into the temporary folder. The secure flags
 * reject absolute paths, so entries must be written relative to the working directory, and a
 * library must not change the working directory of its caller's process. The child also keeps a
 * crash in a decompressor away from the caller. It reports its result through a pipe.
 */
#define _GNU_SOURCE /* pipe2 */

#include "datasets/extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "datasets/cache.h"
#include "datasets/path_set.h"
#include "env/error_internal.h"

#define RESULT_MESSAGE_MAX 4096

typedef struct symlink_record {
  char *path;
  char *target;
} symlink_record;

typedef struct extraction {
  const char *label;
  struct archive *reader;
  struct archive *writer;
  cgym_path_set entries;  /* every explicit entry */
  cgym_path_set files;    /* regular files, the only valid hard link targets */
  cgym_path_set symlinks;
  symlink_record *links;
  size_t link_count;
  size_t entry_count;
  long long total_bytes;
  cgym_extract_limits limits; /* with the defaults filled in */
} extraction;

static int reject(const extraction *x, const char *entry, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int reject(const extraction *x, const char *entry, const char *format, ...) {
  char reason[1024];
  va_list args;

  va_start(args, format);
  vsnprintf(reason, sizeof reason, format, args);
  va_end(args);
  return cgym_error_set(CGYM_EARCHIVE, "archive %s: entry \"%s\" rejected: %s", x->label, entry,
                        reason);
}

/* ---- paths ----------------------------------------------------------------------------- */

/*
 * Writes the canonical form of an entry path into out: no leading "./", no empty or "."
 * components, no trailing '/'. Returns a reason when the path is unsafe, NULL otherwise.
 * An empty result is the archive's top folder itself.
 */
static const char *normalize_entry_path(const char *path, char out[CGYM_EXTRACT_MAX_PATH + 1]) {
  size_t used = 0;

  if (path[0] == '/') return "absolute path";
  const char *component = path;
  while (*component) {
    size_t length = strcspn(component, "/");
    if (length == 2 && component[0] == '.' && component[1] == '.') return "path contains '..'";
    if (length > 0 && !(length == 1 && component[0] == '.')) {
      if (used + length + 1 > CGYM_EXTRACT_MAX_PATH) return "path too long";
      if (used > 0) out[used++] = '/';
      memcpy(out + used, component, length);
      used += length;
    }
    component += length;
    while (*component == '/') component++;
  }
  out[used] = '\0';
  return NULL;
}

/* Returns nonzero when a folder above path (a strict prefix ending at '/') is a symbolic
 * link of the archive, storing it in out. */
static int under_symlink(const extraction *x, const char *path, char *out, size_t size) {
  for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
    size_t length = (size_t)(slash - path);
    if (length >= size) return 0;
    memcpy(out, path, length);
    out[length] = '\0';
    if (cgym_path_set_contains(&x->symlinks, out)) return 1;
  }
  return 0;
}

/*
 * Resolves a symbolic link's target against the link's folder without touching the disk.
 * Fails when the walk climbs above the extraction folder, or when it goes on below a component
 * that is itself a symbolic link of the archive (its real location could differ from the
 * lexical one). known_links may be NULL while the archive still streams.
 */
static const char *resolve_link(const char *link_path, const char *target,
                                const cgym_path_set *known_links) {
  char walked[2 * CGYM_EXTRACT_MAX_PATH + 2];
  size_t used = 0;

  const char *slash = strrchr(link_path, '/');
  if (slash) {
    used = (size_t)(slash - link_path);
    memcpy(walked, link_path, used);
  }
  walked[used] = '\0';

  const char *component = target;
  while (*component) {
    size_t length = strcspn(component, "/");
    if (known_links && used > 0 && cgym_path_set_contains(known_links, walked))
      return "its target passes through another symbolic link of the archive";
    if (length == 2 && component[0] == '.' && component[1] == '.') {
      if (used == 0) return "its target points outside the extraction folder";
      char *last = strrchr(walked, '/');
      used = last ? (size_t)(last - walked) : 0;
      walked[used] = '\0';
    } else if (length > 0 && !(length == 1 && component[0] == '.')) {
      if (used + length + 2 > sizeof walked) return "its target is too long";
      if (used > 0) walked[used++] = '/';
      memcpy(walked + used, component, length);
      used += length;
      walked[used] = '\0';
    }
    component += length;
    while (*component == '/') component++;
  }
  return NULL;
}

/* ---- entries ----------------------------------------------------------------------------- */

static int check_symlink(extraction *x, const char *path, struct archive_entry *entry) {
  const char *target = archive_entry_symlink(entry);

  if (!target || !*target) return reject(x, path, "symbolic link without a target");
  if (target[0] == '/') return reject(x, path, "symbolic link to absolute path \"%s\"", target);
  if (strlen(target) > CGYM_EXTRACT_MAX_PATH)
    return reject(x, path, "symbolic link target longer than %d bytes", CGYM_EXTRACT_MAX_PATH);
  const char *problem = resolve_link(path, target, NULL);
  if (problem) return reject(x, path, "symbolic link to \"%s\": %s", target, problem);

  symlink_record *links = realloc(x->links, (x->link_count + 1) * sizeof *links);
  if (!links) return cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", x->label);
  x->links = links;
  links[x->link_count].path = strdup(path);
  links[x->link_count].target = strdup(target);
  x->link_count++;
  if (!links[x->link_count - 1].path || !links[x->link_count - 1].target ||
      cgym_path_set_add(&x->symlinks, path) < 0)
    return cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", x->label);
  return CGYM_OK;
}

static int check_hardlink(extraction *x, const char *path, struct archive_entry *entry) {
  char target[CGYM_EXTRACT_MAX_PATH + 1];
  const char *raw = archive_entry_hardlink(entry);

  const char *problem = normalize_entry_path(raw, target);
  if (problem) return reject(x, path, "hard link to \"%s\": %s", raw, problem);
  if (!cgym_path_set_contains(&x->files, target))
    return reject(x, path, "hard link to \"%s\", which is not an earlier regular file of the "
                  "archive", raw);
  archive_entry_set_hardlink(entry, target);
  return CGYM_OK;
}

static int check_type(extraction *x, const char *path, struct archive_entry *entry) {
  if (archive_entry_hardlink(entry)) return check_hardlink(x, path, entry);

  switch (archive_entry_filetype(entry)) {
  case AE_IFREG:
    if (cgym_path_set_add(&x->files, path) < 0)
      return cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", x->label);
    return CGYM_OK;
  case AE_IFDIR: return CGYM_OK;
  case AE_IFLNK: return check_symlink(x, path, entry);
  case AE_IFCHR: return reject(x, path, "character device");
  case AE_IFBLK: return reject(x, path, "block device");
  case AE_IFIFO: return reject(x, path, "FIFO");
  case AE_IFSOCK: return reject(x, path, "socket");
  default: return reject(x, path, "unknown file type %o", (unsigned)archive_entry_filetype(entry));
  }
}

/* Validates one entry and rewrites its path to the canonical form. *skip is set for the entry
 * of the top folder itself ("./"). */
static int check_entry(extraction *x, struct archive_entry *entry, int *skip) {
  char path[CGYM_EXTRACT_MAX_PATH + 1];
  char link[CGYM_EXTRACT_MAX_PATH + 1];
  const char *raw = archive_entry_pathname(entry);

  *skip = 0;
  if (!raw) return reject(x, "(unreadable name)", "the path cannot be decoded");
  if (strlen(raw) > CGYM_EXTRACT_MAX_PATH)
    return cgym_error_set(CGYM_ELIMIT, "archive %s: entry \"%.80s...\" has a path longer than the "
                          "maximum of %d bytes", x->label, raw, CGYM_EXTRACT_MAX_PATH);
  const char *problem = normalize_entry_path(raw, path);
  if (problem) return reject(x, raw, "%s", problem);
  if (!*path) {
    *skip = archive_entry_filetype(entry) == AE_IFDIR;
    return *skip ? CGYM_OK : reject(x, raw, "a non-folder entry for the top folder");
  }

  int added = cgym_path_set_add(&x->entries, path);
  if (added < 0) return cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", x->label);
  if (added == 0) return reject(x, raw, "duplicate entry");
  if (under_symlink(x, path, link, sizeof link))
    return reject(x, raw, "it lies below symbolic link \"%s\"", link);

  int rc = check_type(x, path, entry);
  if (rc == CGYM_OK) archive_entry_set_pathname(entry, path);
  return rc;
}

static int copy_data(extraction *x, struct archive_entry *entry) {
  const char *path = archive_entry_pathname(entry);
  long long entry_bytes = 0;
  const void *block;
  size_t size;
  la_int64_t offset;

  if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > CGYM_EXTRACT_MAX_ENTRY_BYTES)
    return cgym_error_set(CGYM_ELIMIT, "archive %s: entry \"%s\" declares %lld bytes, more than "
                          "the maximum of %lld", x->label, path,
                          (long long)archive_entry_size(entry), CGYM_EXTRACT_MAX_ENTRY_BYTES);
  for (;;) {
    int r = archive_read_data_block(x->reader, &block, &size, &offset);
    if (r == ARCHIVE_EOF) return CGYM_OK;
    if (r < ARCHIVE_WARN)
      return reject(x, path, "truncated or corrupt data: %s", archive_error_string(x->reader));

    entry_bytes = (long long)offset + (long long)size;
    x->total_bytes += (long long)size;
    if (entry_bytes > CGYM_EXTRACT_MAX_ENTRY_BYTES)
      return cgym_error_set(CGYM_ELIMIT, "archive %s: entry \"%s\" is larger than the maximum of "
                            "%lld bytes", x->label, path, CGYM_EXTRACT_MAX_ENTRY_BYTES);
    if (x->total_bytes > x->limits.max_total_bytes)
      return cgym_error_set(CGYM_ELIMIT, "archive %s: entries up to \"%s\" hold more than the "
                            "maximum of %lld bytes; a suite definition may declare up to %lld in "
                            "the archive's limits.bytes", x->label, path,
                            x->limits.max_total_bytes, CGYM_EXTRACT_HARD_MAX_TOTAL_BYTES);
    if (archive_write_data_block(x->writer, block, size, offset) < ARCHIVE_WARN)
      return reject(x, path, "cannot write: %s", archive_error_string(x->writer));
  }
}

static int extract_entry(extraction *x, struct archive_entry *entry) {
  int skip;

  if ((long long)++x->entry_count > x->limits.max_entries)
    return cgym_error_set(CGYM_ELIMIT, "archive %s has more than the maximum of %lld entries; a "
                          "suite definition may declare up to %d in the archive's "
                          "limits.entries", x->label, x->limits.max_entries,
                          CGYM_EXTRACT_HARD_MAX_ENTRIES);
  int rc = check_entry(x, entry, &skip);
  if (rc != CGYM_OK || skip) return rc;

  const char *path = archive_entry_pathname(entry);
  if (archive_write_header(x->writer, entry) < ARCHIVE_WARN)
    return reject(x, path, "cannot extract: %s", archive_error_string(x->writer));
  if (archive_entry_filetype(entry) == AE_IFREG && !archive_entry_hardlink(entry)) {
    rc = copy_data(x, entry);
    if (rc != CGYM_OK) return rc;
  }
  if (archive_write_finish_entry(x->writer) < ARCHIVE_WARN)
    return reject(x, path, "cannot finish: %s", archive_error_string(x->writer));
  return CGYM_OK;
}

/* Once every link is known, checks that no link's target runs through another link. */
static int check_links(const extraction *x) {
  for (size_t i = 0; i < x->link_count; i++) {
    const char *problem = resolve_link(x->links[i].path, x->links[i].target, &x->symlinks);
    if (problem)
      return reject(x, x->links[i].path, "symbolic link to \"%s\": %s", x->links[i].target,
                    problem);
  }
  return CGYM_OK;
}

/* Reads every entry of the archive into the working directory. */
static int extract_stream(extraction *x, const char *archive_path) {
  struct archive_entry *entry;

  archive_read_support_filter_all(x->reader);
  archive_read_support_format_all(x->reader);
  archive_write_disk_set_options(x->writer, ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
  if (archive_read_open_filename(x->reader, archive_path, 64 * 1024) != ARCHIVE_OK)
    return cgym_error_set(CGYM_EARCHIVE, "archive %s cannot be read: %s", x->label,
                          archive_error_string(x->reader));

  for (;;) {
    int r = archive_read_next_header(x->reader, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN)
      return cgym_error_set(CGYM_EARCHIVE, "archive %s is truncated or corrupt after %zu entries: "
                            "%s", x->label, x->entry_count, archive_error_string(x->reader));
    int rc = extract_entry(x, entry);
    if (rc != CGYM_OK) return rc;
  }
  if (x->entry_count == 0)
    return cgym_error_set(CGYM_EARCHIVE, "archive %s holds no entries", x->label);
  return check_links(x);
}

static void extraction_clear(extraction *x) {
  if (x->reader) archive_read_free(x->reader);
  if (x->writer) archive_write_free(x->writer);
  cgym_path_set_clear(&x->entries);
  cgym_path_set_clear(&x->files);
  cgym_path_set_clear(&x->symlinks);
  for (size_t i = 0; i < x->link_count; i++) {
    free(x->links[i].path);
    free(x->links[i].target);
  }
  free(x->links);
}

/* ---- the child process ----------------------------------------------------------------- */

static void write_all(int fd, const char *text, size_t length) {
  while (length > 0) {
    ssize_t count = write(fd, text, length);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;
    text += count;
    length -= (size_t)count;
  }
}

/* Runs in the child: extracts into folder and writes "CODE\nMESSAGE" to result_fd. */
static void run_child(const char *archive_path, const char *label, const char *folder,
                      const cgym_extract_limits *limits, int result_fd) {
  extraction x = {0};
  char result[RESULT_MESSAGE_MAX];
  int rc;

  x.label = label;
  x.limits = *limits;
  x.reader = archive_read_new();
  x.writer = archive_write_disk_new();
  if (chdir(folder) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot enter %s: %s", folder, strerror(errno));
  else if (!x.reader || !x.writer)
    rc = cgym_error_set(CGYM_ENOMEM, "libarchive cannot allocate a reader for %s", label);
  else
    rc = extract_stream(&x, archive_path);
  extraction_clear(&x);

  int length = snprintf(result, sizeof result, "%d\n%s", rc, rc ? cgym_error_message() : "");
  if (length < 0) length = 0;
  if ((size_t)length >= sizeof result) length = sizeof result - 1;
  write_all(result_fd, result, (size_t)length);
}

/* Reads the child's report and its exit status into an error code and message. */
static int collect_child(pid_t pid, int fd, const char *label) {
  char result[RESULT_MESSAGE_MAX + 1];
  size_t length = 0;
  int status = 0;

  for (;;) {
    ssize_t count = read(fd, result + length, RESULT_MESSAGE_MAX - length);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    length += (size_t)count;
  }
  result[length] = '\0';
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  if (WIFSIGNALED(status))
    return cgym_error_set(CGYM_EARCHIVE, "extracting archive %s crashed with signal %d", label,
                          WTERMSIG(status));
  char *newline = strchr(result, '\n');
  if (!newline)
    return cgym_error_set(CGYM_EARCHIVE, "extracting archive %s ended without a result", label);
  int code = atoi(result);
  if (code == CGYM_OK) return CGYM_OK;
  return cgym_error_set(code, "%s", newline + 1);
}

static char *parent_folder(const char *path) {
  char *parent = strdup(path);
  if (!parent) return NULL;
  char *slash = strrchr(parent, '/');
  if (slash && slash != parent) *slash = '\0';
  return parent;
}

/* Fills in the defaults of unset limits and checks the hard maximums, which the definition
 * parser already enforces for limits read from a file. */
static int resolve_limits(const cgym_extract_limits *requested, const char *label,
                          cgym_extract_limits *out) {
  out->max_entries = CGYM_EXTRACT_MAX_ENTRIES;
  out->max_total_bytes = CGYM_EXTRACT_MAX_TOTAL_BYTES;
  if (requested && requested->max_entries > 0) out->max_entries = requested->max_entries;
  if (requested && requested->max_total_bytes > 0)
    out->max_total_bytes = requested->max_total_bytes;
  if (out->max_entries > CGYM_EXTRACT_HARD_MAX_ENTRIES ||
      out->max_total_bytes > CGYM_EXTRACT_HARD_MAX_TOTAL_BYTES)
    return cgym_error_set(CGYM_ELIMIT, "archive %s: requested extraction limits of %lld entries "
                          "and %lld bytes exceed the hard maximums of %d entries and %lld bytes",
                          label, out->max_entries, out->max_total_bytes,
                          CGYM_EXTRACT_HARD_MAX_ENTRIES, CGYM_EXTRACT_HARD_MAX_TOTAL_BYTES);
  return CGYM_OK;
}

int cgym_extract_archive(const char *archive_path, const char *label, const char *destination,
                         const cgym_extract_limits *limits) {
  cgym_extract_limits resolved;
  char *parent = parent_folder(destination);
  char *temp = NULL;
  int fds[2] = {-1, -1};
  int rc;

  if (!parent) return cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", label);
  rc = resolve_limits(limits, label, &resolved);
  if (rc == CGYM_OK) rc = cgym_temp_dir(parent, &temp);
  if (rc != CGYM_OK) goto done;
  if (pipe2(fds, O_CLOEXEC) != 0) {
    rc = cgym_error_set(CGYM_EIO, "cannot create a pipe to extract %s: %s", label,
                        strerror(errno));
    goto done;
  }

  pid_t parent_pid = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    rc = cgym_error_set(CGYM_EIO, "cannot fork to extract %s: %s", label, strerror(errno));
    goto done;
  }
  if (pid == 0) {
    /* The child dies with its parent, so a killed prepare leaves no process writing into the
     * temporary folder that the next process removes. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent_pid) _exit(1);
    close(fds[0]);
    run_child(archive_path, label, temp, &resolved, fds[1]);
    _exit(0);
  }
  close(fds[1]);
  fds[1] = -1;
  rc = collect_child(pid, fds[0], label);
  if (rc == CGYM_OK && rename(temp, destination) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", temp, destination,
                        strerror(errno));

done:
  if (fds[0] >= 0) close(fds[0]);
  if (fds[1] >= 0) close(fds[1]);
  if (temp && rc != CGYM_OK) cgym_remove_tree(temp);
  free(temp);
  free(parent);
  return rc;
}
