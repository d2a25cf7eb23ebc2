/*
 * Archive fetching. Every source (mirror folder, mirror URL, upstream URL) is copied into a
 * temporary file in ROOT/archives, hashed, and renamed to its digest only when the digest
 * matches the definition, so nothing reads an unverified archive and a final name always holds
 * the pinned bytes. Each failed source is kept in a list that becomes the error message.
 */
#include "datasets/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "env/error_internal.h"

#define FAILURE_LOG_MAX 8192

/* The failures of every source tried so far, as "SOURCE: REASON" lines joined by "; ". */
typedef struct failure_log {
  char text[FAILURE_LOG_MAX];
  int checksum_mismatch; /* some source delivered bytes with another digest */
} failure_log;

static void log_failure(failure_log *log, const char *source, const char *reason) {
  size_t used = strlen(log->text);
  snprintf(log->text + used, sizeof log->text - used, "%s%s: %s", used ? "; " : "", source,
           reason);
}

/* ---- sinks: a temporary file with a byte limit --------------------------------------- */

typedef struct sink {
  int fd;
  long long written;
  long long limit;
  int too_large;
  int write_error;
} sink;

static int sink_write(sink *out, const void *data, size_t size) {
  if (out->written + (long long)size > out->limit) {
    out->too_large = 1;
    return 0;
  }
  const char *bytes = data;
  while (size > 0) {
    ssize_t count = write(out->fd, bytes, size);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      out->write_error = errno;
      return 0;
    }
    bytes += count;
    size -= (size_t)count;
    out->written += count;
  }
  return 1;
}

/* ---- sources ------------------------------------------------------------------------- */

static void copy_from_folder(const char *source, sink *out, char *reason, size_t reason_size) {
  char buffer[64 * 1024];
  struct stat info;

  int fd = open(source, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(reason, reason_size, "%s", errno == ENOENT ? "not found" : strerror(errno));
    return;
  }
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    snprintf(reason, reason_size, "not a regular file");
    close(fd);
    return;
  }

  ssize_t count;
  while ((count = read(fd, buffer, sizeof buffer)) > 0) {
    if (!sink_write(out, buffer, (size_t)count)) break;
  }
  if (count < 0) snprintf(reason, reason_size, "read failed: %s", strerror(errno));
  close(fd);
}

static size_t curl_write(char *data, size_t size, size_t count, void *context) {
  return sink_write(context, data, size * count) ? size * count : 0;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static void configure_transfer(CURL *curl, const char *url, sink *out, long stall_seconds,
                               char *error_buffer) {
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, curl_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, CGYM_DOWNLOAD_MAX_REDIRECTS);
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CGYM_DOWNLOAD_CONNECT_TIMEOUT_SECONDS);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, stall_seconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, CGYM_DOWNLOAD_TOTAL_TIMEOUT_SECONDS);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)out->limit);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "cgym/0.1 (libcurl)");
}

/* Returns nonzero when a failed transfer may succeed if tried again. */
static int is_transient(CURLcode code, long status) {
  switch (code) {
  case CURLE_HTTP_RETURNED_ERROR:
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_PARTIAL_FILE:
  case CURLE_GOT_NOTHING:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR: return 1;
  default: return 0;
  }
}

/* Downloads url into out; on failure writes the reason and returns nonzero when the failure is
 * transient. */
static int download(const char *url, sink *out, long stall_seconds, char *reason,
                    size_t reason_size) {
  char error_buffer[CURL_ERROR_SIZE] = "";
  long status = 0;

  pthread_once(&curl_once, curl_init);
  CURL *curl = curl_easy_init();
  if (!curl) {
    snprintf(reason, reason_size, "libcurl cannot create a transfer");
    return 0;
  }
  configure_transfer(curl, url, out, stall_seconds, error_buffer);

  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_HTTP_RETURNED_ERROR)
    snprintf(reason, reason_size, "HTTP status %ld", status);
  else if (code != CURLE_OK && !out->too_large)
    snprintf(reason, reason_size, "%s (curl error %d)",
             *error_buffer ? error_buffer : curl_easy_strerror(code), (int)code);
  curl_easy_cleanup(curl);
  return code != CURLE_OK && !out->too_large && !out->write_error && is_transient(code, status);
}

/* Downloads url, trying again after transient failures (see CGYM_DOWNLOAD_MAX_ATTEMPTS). Each
 * attempt starts from an empty file. */
static void download_with_retries(const char *url, sink *out, long stall_seconds, char *reason,
                                  size_t reason_size) {
  long wait_ms = CGYM_DOWNLOAD_BACKOFF_MS;
  for (int attempt = 1; attempt <= CGYM_DOWNLOAD_MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) {
      struct timespec pause = {wait_ms / 1000, (wait_ms % 1000) * 1000000L};
      nanosleep(&pause, NULL);
      wait_ms *= 2;
      if (ftruncate(out->fd, 0) != 0 || lseek(out->fd, 0, SEEK_SET) != 0) {
        snprintf(reason, reason_size, "cannot reset the download file: %s", strerror(errno));
        return;
      }
      out->written = 0;
      *reason = '\0';
    }
    if (!download(url, out, stall_seconds, reason, reason_size)) return;
    if (attempt == CGYM_DOWNLOAD_MAX_ATTEMPTS) {
      size_t used = strlen(reason);
      snprintf(reason + used, reason_size - used, " (after %d attempts)", attempt);
    }
  }
}

/* ---- one attempt ----------------------------------------------------------------------- */

static long long size_limit(const cgym_suite_archive *archive) {
  uint64_t limit = archive->max_download > 0 ? archive->max_download : CGYM_DOWNLOAD_MAX_BYTES;
  if (archive->size > 0 && archive->size < limit) return (long long)archive->size;
  return (long long)limit;
}

/*
 * Copies one source into a temporary file, verifies it and renames it to final_path. Returns
 * CGYM_OK on success; otherwise logs the failure and returns the error that the caller reports
 * once every source has failed (CGYM_EIO when the cache folder itself cannot be written).
 */
static int try_source(const char *folder, const char *final_path,
                      const cgym_suite_archive *archive, const char *source, int from_folder,
                      long stall_seconds, failure_log *log) {
  char reason[1024] = "";
  char *temp_path = NULL;
  char digest[65];
  sink out = {-1, 0, size_limit(archive), 0, 0};

  int rc = cgym_temp_file(folder, &temp_path, &out.fd);
  if (rc != CGYM_OK) return rc;

  if (from_folder) copy_from_folder(source, &out, reason, sizeof reason);
  else download_with_retries(source, &out, stall_seconds, reason, sizeof reason);
  if (out.too_large)
    snprintf(reason, sizeof reason, "larger than the maximum of %lld bytes", out.limit);
  else if (out.write_error)
    snprintf(reason, sizeof reason, "cannot write %s: %s", temp_path, strerror(out.write_error));
  if (close(out.fd) != 0 && !*reason)
    snprintf(reason, sizeof reason, "cannot write %s: %s", temp_path, strerror(errno));

  if (!*reason && cgym_sha256_file(temp_path, digest) != CGYM_OK)
    snprintf(reason, sizeof reason, "%s", cgym_error_message());
  if (!*reason && strcmp(digest, archive->sha256) != 0) {
    snprintf(reason, sizeof reason, "expected SHA-256 %s, got %s", archive->sha256, digest);
    log->checksum_mismatch = 1;
  }
  if (!*reason && rename(temp_path, final_path) != 0)
    snprintf(reason, sizeof reason, "cannot rename into %s: %s", final_path, strerror(errno));

  if (*reason) {
    unlink(temp_path);
    log_failure(log, source, reason);
    rc = CGYM_EDOWNLOAD;
  }
  free(temp_path);
  return rc;
}

/* A cached archive is hashed again before use, so a file damaged on disk is fetched anew. */
static int cached_copy_is_valid(const char *final_path, const char *sha256) {
  char digest[65];

  if (!cgym_path_exists(final_path)) return 0;
  if (cgym_sha256_file(final_path, digest) == CGYM_OK && strcmp(digest, sha256) == 0) return 1;
  unlink(final_path);
  return 0;
}

static int is_url(const char *text) {
  return strncmp(text, "http://", 7) == 0 || strncmp(text, "https://", 8) == 0;
}

/* Tries the mirror and then each URL; stops at the first source that verifies. */
static int try_sources(const char *folder, const char *final_path,
                       const cgym_suite_archive *archive, const cgym_prepare_options *opts,
                       long stall_seconds, failure_log *log) {
  int tried = 0;

  if (opts->mirror && *opts->mirror) {
    size_t length = strlen(opts->mirror);
    int slash = opts->mirror[length - 1] == '/';
    char *source = cgym_format("%s%s%s", opts->mirror, slash ? "" : "/", archive->file);
    if (!source) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", archive->file);
    int rc = try_source(folder, final_path, archive, source, !is_url(opts->mirror),
                        stall_seconds, log);
    free(source);
    tried++;
    if (rc != CGYM_EDOWNLOAD) return rc;
  }

  for (size_t i = 0; !opts->offline && i < archive->urls.count; i++) {
    int rc = try_source(folder, final_path, archive, archive->urls.items[i], 0, stall_seconds,
                        log);
    tried++;
    if (rc != CGYM_EDOWNLOAD) return rc;
  }

  if (tried == 0)
    log_failure(log, "(no source)",
                opts->offline ? "offline, and no mirror is set" : "no mirror and no URLs");
  return CGYM_EDOWNLOAD;
}

int cgym_fetch_archive(const cgym_cache *cache, const cgym_suite_archive *archive,
                       const cgym_prepare_options *opts, char **path) {
  failure_log log = {"", 0};
  long stall_seconds = CGYM_DOWNLOAD_STALL_SECONDS;
  char *folder = cgym_format("%s/archives", cache->root);
  char *final_path = cgym_format("%s/archives/%s", cache->root, archive->sha256);
  int rc = CGYM_OK;

  if (!folder || !final_path) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory naming archive %s", archive->file);
    goto done;
  }
  if (cached_copy_is_valid(final_path, archive->sha256)) goto done;

  if (opts->download_stall_seconds > 0) stall_seconds = opts->download_stall_seconds;
  if (opts->progress) {
    char message[512];
    snprintf(message, sizeof message, "fetching %s", archive->file);
    opts->progress(opts->progress_context, message);
  }
  rc = try_sources(folder, final_path, archive, opts, stall_seconds, &log);
  if (rc == CGYM_EDOWNLOAD)
    rc = cgym_error_set(log.checksum_mismatch ? CGYM_ECHECKSUM : CGYM_EDOWNLOAD,
                        "cannot fetch archive %s (expected SHA-256 %s); tried %s", archive->file,
                        archive->sha256, log.text);

done:
  free(folder);
  if (rc == CGYM_OK) *path = final_path;
  else free(final_path);
  return rc;
}
