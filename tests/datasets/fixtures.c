#define _GNU_SOURCE

#include "fixtures.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "datasets/datasets.h"
#include "support/check.h"

const fixture_entry fixture_good_entries[] = {
    {"prog/", 'd', NULL, NULL},
    {"prog/util.h", 'f', "int add(int a, int b);\n", NULL},
    {"prog/util.c", 'f', "#include \"util.h\"\nint add(int a, int b) { return a + b; }\n", NULL},
    {"prog/main.c", 'f',
     "#include \"util.h\"\n#ifndef BASE\n#error BASE is not defined\n#endif\n"
     "int main(void) { return add(BASE, 1) - 3; }\n",
     NULL},
    {"prog/link-to-util.h", 'l', NULL, "util.h"},
    {NULL, 0, NULL, NULL},
};

static void die(const char *reason) {
  fprintf(stderr, "fixture: %s\n", reason);
  abort();
}

void fixture_write_archive(const char *path, const fixture_entry *entries) {
  struct archive *writer = archive_write_new();
  archive_write_set_format_pax_restricted(writer);
  archive_write_add_filter_gzip(writer);
  if (archive_write_open_filename(writer, path) != ARCHIVE_OK) die(archive_error_string(writer));

  for (const fixture_entry *item = entries; item->path; item++) {
    struct archive_entry *entry = archive_entry_new();
    archive_entry_set_pathname(entry, item->path);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, 1700000000, 0);
    size_t size = item->content ? strlen(item->content) : 0;
    switch (item->type) {
    case 'f':
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_size(entry, (la_int64_t)size);
      break;
    case 'd':
      archive_entry_set_filetype(entry, AE_IFDIR);
      archive_entry_set_perm(entry, 0755);
      break;
    case 'l':
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, item->link);
      break;
    case 'h':
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, item->link);
      break;
    case 'c':
      archive_entry_set_filetype(entry, AE_IFCHR);
      archive_entry_set_rdev(entry, makedev(1, 3));
      break;
    case 'p': archive_entry_set_filetype(entry, AE_IFIFO); break;
    default: die("unknown entry type");
    }
    if (archive_write_header(writer, entry) != ARCHIVE_OK) die(archive_error_string(writer));
    if (item->type == 'f' && size > 0) archive_write_data(writer, item->content, size);
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
}

char *fixture_write_file(const char *dir, const char *name, const char *text) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", dir, name) < 0) die("out of memory");
  FILE *file = fopen(path, "w");
  if (!file) die(path);
  fputs(text, file);
  fclose(file);
  return path;
}

char *fixture_write_suite(const char *dir, const char *name, const char *suite_name,
                          const char *archive_file, const char *sha256, const char *const *urls) {
  char url_list[4096] = "";
  for (const char *const *url = urls; url && *url; url++) {
    size_t used = strlen(url_list);
    snprintf(url_list + used, sizeof url_list - used, "%s\"%s\"", used ? ", " : "", *url);
  }
  char *text = NULL;
  if (asprintf(&text,
               "{\n"
               "  \"schema\": \"cgym-suite/v1\",\n"
               "  \"name\": \"%s\",\n"
               "  \"version\": \"1\",\n"
               "  \"archives\": [{\"id\": \"prog\", \"file\": \"%s\", \"urls\": [%s],\n"
               "                \"sha256\": \"%s\"}],\n"
               "  \"benchmarks\": [{\"name\": \"prog\", \"archive\": \"prog\", \"root\": \"prog\",\n"
               "                  \"sources\": [\"main.c\", \"util.c\"], \"defines\": [\"BASE=2\"],\n"
               "                  \"license\": \"MIT\"}]\n"
               "}\n",
               suite_name, archive_file, url_list, sha256) < 0)
    die("out of memory");
  char *path = fixture_write_file(dir, name, text);
  free(text);
  return path;
}

int fixture_httpd_start(const char *root, pid_t *pid) {
  char *port_file = NULL;
  if (asprintf(&port_file, "%s/httpd.port", root) < 0) die("out of memory");
  unlink(port_file);

  *pid = fork();
  if (*pid < 0) die("fork failed");
  if (*pid == 0) {
    execl(CGYM_TEST_HTTPD, CGYM_TEST_HTTPD, root, port_file, (char *)NULL);
    _exit(127);
  }

  int port = 0;
  for (int attempt = 0; attempt < 500 && port == 0; attempt++) {
    FILE *file = fopen(port_file, "r");
    if (file) {
      if (fscanf(file, "%d", &port) != 1) port = 0;
      fclose(file);
    }
    if (port == 0) {
      struct timespec pause = {0, 10 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
  }
  free(port_file);
  if (port == 0) die("the test HTTP server did not write its port within 5 s");
  return port;
}

void fixture_httpd_stop(pid_t pid) {
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
}

static int count_temporaries_in(const char *folder, int depth) {
  DIR *dir = opendir(folder);
  if (!dir) return 0;
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    if (strncmp(entry->d_name, ".tmp-", 5) == 0) count++;
    char *path = NULL;
    if (asprintf(&path, "%s/%s", folder, entry->d_name) < 0) die("out of memory");
    struct stat info;
    if (depth > 0 && lstat(path, &info) == 0 && S_ISDIR(info.st_mode))
      count += count_temporaries_in(path, depth - 1);
    free(path);
  }
  closedir(dir);
  return count;
}

int fixture_count_temporaries(const char *cache) { return count_temporaries_in(cache, 2); }

int fixture_count_in(const char *cache, const char *subfolder) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", cache, subfolder) < 0) die("out of memory");
  DIR *dir = opendir(path);
  free(path);
  if (!dir) return -1;
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) count++;
  }
  closedir(dir);
  return count;
}

void fixture_show_message(const char *label) { printf("%s: %s\n", label, cgym_error_message()); }

int fixture_count_final_in(const char *cache, const char *subfolder) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", cache, subfolder) < 0) die("out of memory");
  DIR *dir = opendir(path);
  free(path);
  if (!dir) return -1;
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) count += entry->d_name[0] != '.';
  closedir(dir);
  return count;
}

void fixture_write_bz2(const char *dir, const char *name, const char *text) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", dir, name) < 0) die("out of memory");
  struct archive *writer = archive_write_new();
  archive_write_set_format_raw(writer);
  archive_write_add_filter_bzip2(writer);
  if (archive_write_open_filename(writer, path) != ARCHIVE_OK) die(archive_error_string(writer));
  struct archive_entry *entry = archive_entry_new();
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_size(entry, (la_int64_t)strlen(text));
  if (archive_write_header(writer, entry) != ARCHIVE_OK) die(archive_error_string(writer));
  archive_write_data(writer, text, strlen(text));
  archive_entry_free(entry);
  archive_write_close(writer);
  archive_write_free(writer);
  free(path);
}

void fixture_file_sha256(const char *dir, const char *name, char digest[65]) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", dir, name) < 0) die("out of memory");
  CHECK_OK(cgym_sha256_file(path, digest));
  free(path);
}

char *fixture_write_manifest_suite(const char *served, const char *file_name, int port,
                                   const fixture_manifest_suite *suite) {
  char archive_digest[65], manifest_digest[65];
  fixture_file_sha256(served, suite->archive_file, archive_digest);
  fixture_file_sha256(served, suite->manifest_file, manifest_digest);
  char *text = NULL;
  if (asprintf(&text,
               "{\"schema\": \"cgym-suite/v1\", \"name\": \"%s\",%s%s%s\n"
               " \"archives\": [\n"
               "  {\"id\": \"sources\", \"file\": \"%s\",\n"
               "   \"urls\": [\"http://127.0.0.1:%d/%s\"], \"sha256\": \"%s\"%s%s},\n"
               "  {\"id\": \"manifest\", \"file\": \"%s\",\n"
               "   \"urls\": [\"http://127.0.0.1:%d/%s\"], \"sha256\": \"%s\"}],\n"
               " \"manifest\": {\"archive\": \"sources\", \"list\": \"manifest\", %s}}\n",
               suite->name, suite->cflags ? "\n \"cflags\": " : "",
               suite->cflags ? suite->cflags : "", suite->cflags ? "," : "", suite->archive_file,
               port, suite->archive_file, archive_digest, suite->archive_extra ? ", " : "",
               suite->archive_extra ? suite->archive_extra : "", suite->manifest_file, port,
               suite->manifest_file, manifest_digest, suite->manifest_fields) < 0)
    die("out of memory");
  char *path = fixture_write_file(served, file_name, text);
  free(text);
  return path;
}

void fixture_check_loads(const struct cgym_benchmark *benchmark) {
  cgym_env *env = NULL;
  int64_t count = 0;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_OK(cgym_env_reset(env, benchmark->uri, benchmark->bitcode_path));
  CHECK_OK(cgym_env_instruction_count(env, &count));
  CHECK(count > 0);
  CHECK(count == benchmark->instructions_o0);
  cgym_env_free(env);
}
