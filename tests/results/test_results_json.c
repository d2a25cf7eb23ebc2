/*
 * results.json: write and read back, byte-identical output for the same records, validation
 * messages that name the JSON path, and atomic writes that leave no temporary file.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "results/results.h"
#include "support/check.h"

/* Removes a flat test folder and the files in it. */
static void remove_folder(const char *dir) {
  DIR *handle = opendir(dir);
  struct dirent *entry;

  while (handle && (entry = readdir(handle)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    char *path = cgym_test_path(dir, entry->d_name);
    remove(path);
    free(path);
  }
  if (handle) closedir(handle);
  remove(dir);
}

static char *copy(const char *text) { return text ? strdup(text) : NULL; }

/* Fills record with owned copies of the given values. */
static void make_record(cgym_episode_record *record, const char *uri, const char *agent,
                        uint64_t episode, cgym_episode_status status, int64_t c0, int64_t c_oz,
                        int64_t c_final) {
  memset(record, 0, sizeof *record);
  record->benchmark_uri = copy(uri);
  record->benchmark_sha256 =
      copy("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  record->agent = copy(agent);
  record->episode = episode;
  record->seed = 42;
  record->status = status;
  record->c0 = c0;
  record->c_oz = c_oz;
  record->c_final = c_final;
  record->wall_seconds = 0.125 + (double)episode / 3.0;
}

static void set_actions(cgym_episode_record *record) {
  record->action_count = 2;
  record->actions = calloc(2, sizeof *record->actions);
  record->pipelines = calloc(2, sizeof *record->pipelines);
  record->actions[0] = copy("instcombine");
  record->pipelines[0] = copy("function(instcombine<max-iterations=1>)");
  record->actions[1] = copy("simplifycfg");
  record->pipelines[1] = copy("function(simplifycfg)");
  record->steps_taken = 7;
  record->final_sha256 = copy("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
}

/* Three records: a finished one with actions, a crash with unknown counts, a failed worker. */
static cgym_episode_record *make_records(size_t *count) {
  cgym_episode_record *records = calloc(3, sizeof *records);

  make_record(&records[0], "benchmark://t/a", "greedy", 0, CGYM_EPISODE_OK, 1000, 800, 700);
  set_actions(&records[0]);

  make_record(&records[1], "benchmark://t/b", "random", 1, CGYM_EPISODE_CRASHED, 500, -1, -1);
  records[1].signal = 11;
  records[1].failed_pipeline = copy("function(gvn)");
  records[1].message = copy("Stack dump:\n0. Program arguments: \"quoted\" \xff tail");

  make_record(&records[2], "benchmark://t/b", "greedy", 0, CGYM_EPISODE_FAILED, -1, -1, -1);
  records[2].exit_code = 70;
  *count = 3;
  return records;
}

static const cgym_run_info run_info = {
  .cgym_version = "0.1.0",
  .llvm_version = "19.1.7",
  .action_space_id = "llvm-passes-v0",
  .action_space_hash = "ab12",
  .suite_name = "test",
  .suite_version = "1",
  .suite_sha256 = NULL,
  .seed = 42,
  .agents_json = "[{\"name\":\"greedy\",\"parameters\":{}},{\"name\":\"random\","
                 "\"parameters\":{\"steps\":10}}]",
};

static char *read_text(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *text = calloc((size_t)size + 1, 1);
  if (fread(text, 1, (size_t)size, file) != (size_t)size) text[0] = '\0';
  fclose(file);
  return text;
}

static void write_text(const char *path, const char *text) {
  FILE *file = fopen(path, "wb");
  if (!file) abort();
  fputs(text, file);
  fclose(file);
}

static void test_round_trip(const char *dir) {
  size_t count = 0, read_count = 0;
  cgym_episode_record *records = make_records(&count), *read = NULL;
  char *path = cgym_test_path(dir, "results.json");

  CHECK_OK(cgym_results_write_json(path, &run_info, records, count));
  CHECK_OK(cgym_results_read_json(path, &read, &read_count));
  CHECK(read_count == count);

  for (size_t i = 0; read && i < count && i < read_count; i++) {
    CHECK_STR_EQ(read[i].benchmark_uri, records[i].benchmark_uri);
    CHECK_STR_EQ(read[i].benchmark_sha256, records[i].benchmark_sha256);
    CHECK_STR_EQ(read[i].agent, records[i].agent);
    CHECK(read[i].episode == records[i].episode);
    CHECK(read[i].seed == records[i].seed);
    CHECK(read[i].status == records[i].status);
    CHECK(read[i].exit_code == records[i].exit_code);
    CHECK(read[i].signal == records[i].signal);
    CHECK(read[i].c0 == records[i].c0);
    CHECK(read[i].c_oz == records[i].c_oz);
    CHECK(read[i].c_final == records[i].c_final);
    CHECK(read[i].steps_taken == records[i].steps_taken);
    CHECK(read[i].wall_seconds == records[i].wall_seconds);
    CHECK(read[i].action_count == records[i].action_count);
    CHECK((read[i].final_sha256 == NULL) == (records[i].final_sha256 == NULL));
    CHECK((read[i].failed_pipeline == NULL) == (records[i].failed_pipeline == NULL));
  }
  if (read && read_count == count) {
    CHECK_STR_EQ(read[0].actions[1], "simplifycfg");
    CHECK_STR_EQ(read[0].pipelines[0], "function(instcombine<max-iterations=1>)");
    CHECK_STR_EQ(read[0].final_sha256, records[0].final_sha256);
    CHECK_STR_EQ(read[1].failed_pipeline, "function(gvn)");
    /* The invalid UTF-8 byte 0xff is stored as U+FFFD. */
    CHECK_STR_EQ(read[1].message,
                 "Stack dump:\n0. Program arguments: \"quoted\" \xef\xbf\xbd tail");
    CHECK(read[2].message == NULL);
  }

  cgym_results_free(read, read_count);
  cgym_results_free(records, count);
  free(path);
}

static void test_layout_and_determinism(const char *dir) {
  size_t count = 0;
  cgym_episode_record *records = make_records(&count);
  char *first = cgym_test_path(dir, "first.json");
  char *second = cgym_test_path(dir, "second.json");

  CHECK_OK(cgym_results_write_json(first, &run_info, records, count));
  CHECK_OK(cgym_results_write_json(second, &run_info, records, count));
  char *first_text = read_text(first), *second_text = read_text(second);
  CHECK(first_text != NULL);
  CHECK(second_text != NULL);
  if (first_text && second_text) {
    CHECK_STR_EQ(first_text, second_text);
    CHECK(strncmp(first_text, "{\n  \"schema_version\": 1,\n  \"run\": {\n", 36) == 0);
    CHECK(first_text[strlen(first_text) - 1] == '\n');
    CHECK(first_text[strlen(first_text) - 2] == '}');
    CHECK(strstr(first_text, "\"c_oz\": null") != NULL);
    CHECK(strstr(first_text, "\"suite_sha256\": null") != NULL);
    CHECK(strstr(first_text, "\"steps\": 10") != NULL);
    /* Keys appear in the documented order. */
    const char *keys[] = {"\"benchmark\"", "\"agent\"", "\"episode\"", "\"seed\"", "\"status\"",
                          "\"exit_code\"", "\"signal\"", "\"failed_pipeline\"", "\"message\"",
                          "\"counts\"", "\"final_sha256\"", "\"actions\"", "\"steps_taken\"",
                          "\"wall_seconds\""};
    const char *episodes = strstr(first_text, "\"episodes\"");
    const char *cursor = episodes;
    for (size_t i = 0; cursor && i < sizeof keys / sizeof keys[0]; i++) {
      cursor = strstr(cursor, keys[i]);
      CHECK(cursor != NULL);
    }
  }

  free(first_text);
  free(second_text);
  free(first);
  free(second);
  cgym_results_free(records, count);
}

static void test_write_rejects(const char *dir) {
  size_t count = 0;
  cgym_episode_record *records = make_records(&count);
  char *path = cgym_test_path(dir, "rejected.json");
  cgym_run_info info = run_info;

  info.agents_json = "{\"name\": \"greedy\"}";
  CHECK_ERROR(cgym_results_write_json(path, &info, records, count), CGYM_EINVAL, "JSON array");
  info.agents_json = "[";
  CHECK_ERROR(cgym_results_write_json(path, &info, records, count), CGYM_EINVAL, "not valid JSON");

  info = run_info;
  info.seed = UINT64_MAX;
  CHECK_ERROR(cgym_results_write_json(path, &info, records, count), CGYM_EINVAL,
              "18446744073709551615");

  records[0].c_oz = -2;
  CHECK_ERROR(cgym_results_write_json(path, &run_info, records, count), CGYM_EINVAL,
              "episode record 0");
  CHECK(cgym_test_count_entries(dir) == 0);

  cgym_results_free(records, count);
  free(path);
}

/* Writes text to a file, reads it and checks the error code and message fragment. */
static void check_read_error(const char *dir, const char *text, int code, const char *fragment) {
  char *path = cgym_test_path(dir, "bad.json");
  cgym_episode_record *records = NULL;
  size_t count = 99;

  write_text(path, text);
  CHECK_ERROR(cgym_results_read_json(path, &records, &count), code, fragment);
  CHECK(records == NULL);
  CHECK(count == 0);
  remove(path);
  free(path);
}

static void test_read_rejects(const char *dir) {
  size_t count = 0;
  cgym_episode_record *records = make_records(&count);
  char *path = cgym_test_path(dir, "results.json");
  CHECK_OK(cgym_results_write_json(path, &run_info, records, count));
  char *good = read_text(path);
  remove(path);

  check_read_error(dir, "not json", CGYM_EFORMAT, "not valid JSON");
  check_read_error(dir, "[]", CGYM_EFORMAT, "$: expected an object, got an array");
  check_read_error(dir, "{\"schema_version\": 2}", CGYM_EFORMAT, "$.schema_version");

  /* Edits of a valid file, each naming the JSON path of the changed value. */
  struct {
    const char *from, *to, *fragment;
  } edits[] = {
    {"\"c_oz\": 800", "\"c_oz\": \"800\"", "$.episodes[0].counts.c_oz: expected an integer"},
    {"\"c_oz\": 800", "\"c_oz\": -5", "$.episodes[0].counts.c_oz"},
    {"\"status\": \"crashed\"", "\"status\": \"exploded\"", "$.episodes[1].status"},
    {"\"name\": \"simplifycfg\"", "\"nom\": \"simplifycfg\"", "$.episodes[0].actions[1].nom"},
    {"\"seed\": 42,\n    \"agents\"", "\"seed\": 42.5,\n    \"agents\"", "$.run.seed"},
    {"\"uri\": \"benchmark://t/b\"", "\"uri\": null", "$.episodes[1].benchmark.uri"},
  };
  for (size_t i = 0; good && i < sizeof edits / sizeof edits[0]; i++) {
    char *at = strstr(good, edits[i].from);
    CHECK(at != NULL);
    if (!at) continue;
    size_t size = strlen(good) + strlen(edits[i].to) + 1;
    char *edited = malloc(size);
    snprintf(edited, size, "%.*s%s%s", (int)(at - good), good, edits[i].to,
             at + strlen(edits[i].from));
    check_read_error(dir, edited, CGYM_EFORMAT, edits[i].fragment);
    free(edited);
  }

  char *missing = cgym_test_path(dir, "missing.json");
  cgym_episode_record *none = NULL;
  size_t none_count = 0;
  CHECK_ERROR(cgym_results_read_json(missing, &none, &none_count), CGYM_ENOTFOUND, missing);

  free(missing);
  free(good);
  free(path);
  cgym_results_free(records, count);
}

static void test_no_temporary_files(const char *dir) {
  size_t count = 0;
  cgym_episode_record *records = make_records(&count);
  char *path = cgym_test_path(dir, "results.json");

  CHECK_OK(cgym_results_write_json(path, &run_info, records, count));
  CHECK_OK(cgym_results_write_json(path, &run_info, records, count));
  CHECK(cgym_test_count_entries(dir) == 1);

  /* A write into a missing folder fails without leaving anything behind. */
  char *nowhere = cgym_test_path(dir, "missing/results.json");
  CHECK_ERROR(cgym_results_write_json(nowhere, &run_info, records, count), CGYM_EIO, "missing");
  CHECK(cgym_test_count_entries(dir) == 1);

  free(nowhere);
  free(path);
  cgym_results_free(records, count);
}

static void test_empty_run(const char *dir) {
  char *path = cgym_test_path(dir, "empty.json");
  cgym_episode_record *records = NULL;
  size_t count = 5;

  CHECK_OK(cgym_results_write_json(path, &run_info, NULL, 0));
  CHECK_OK(cgym_results_read_json(path, &records, &count));
  CHECK(count == 0);
  cgym_results_free(records, count);
  free(path);
}

int main(void) {
  const char *names[] = {"round", "determinism", "rejects", "read", "atomic", "empty"};
  char *dirs[6];
  for (int i = 0; i < 6; i++) dirs[i] = cgym_test_temp_dir(names[i]);

  test_round_trip(dirs[0]);
  test_layout_and_determinism(dirs[1]);
  test_write_rejects(dirs[2]);
  test_read_rejects(dirs[3]);
  test_no_temporary_files(dirs[4]);
  test_empty_run(dirs[5]);

  for (int i = 0; i < 6; i++) {
    remove_folder(dirs[i]);
    free(dirs[i]);
  }
  return cgym_check_summary();
}
