/* Suite definitions: built-in suites, unknown names, malformed files and action subsets. */
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

static const char *temp_dir;

/* Writes a definition and checks that opening it fails with code and a message that contains
 * the file name and every fragment. */
static void check_invalid(const char *name, const char *text, int code, const char *fragment1,
                          const char *fragment2) {
  char *path = fixture_write_file(temp_dir, name, text);
  cgym_suite *suite = NULL;

  CHECK_ERROR(cgym_suite_open(&suite, path), code, fragment1);
  fixture_show_message("suite_format");
  CHECK(strstr(cgym_error_message(), path) != NULL);
  if (fragment2) CHECK(strstr(cgym_error_message(), fragment2) != NULL);
  CHECK(suite == NULL);
  free(path);
}

static void test_builtin_default(void) {
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "default"));
  CHECK_STR_EQ(cgym_suite_name(suite), "default");
  CHECK_STR_EQ(cgym_suite_version(suite), "1");
  CHECK(strlen(cgym_suite_definition_sha256(suite)) == 64);

  size_t count = 99;
  CHECK(cgym_suite_action_subset(suite, &count) == NULL);
  CHECK(count == 0);

  char *lines = NULL;
  CHECK_OK(cgym_suite_debian_sources(suite, &lines));
  CHECK(lines != NULL);
  CHECK(lines && strstr(lines, "bzip2 bzip2_1.0.8.orig.tar.gz bzip2-1.0.8.tar.gz "
                               "ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269\n"));
  int line_count = 0;
  for (const char *c = lines; c && *c; c++) line_count += *c == '\n';
  CHECK(line_count >= 8);
  free(lines);
  cgym_suite_free(suite);
}

static void test_builtin_list(void) {
  const char *const *names = cgym_builtin_suites();
  int has_default = 0, has_csmith = 0;
  for (; *names; names++) {
    has_default |= strcmp(*names, "default") == 0;
    has_csmith |= strcmp(*names, "csmith-v0") == 0;
  }
  CHECK(has_default);
  CHECK(has_csmith);

  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "csmith-v0"));
  CHECK_STR_EQ(cgym_suite_name(suite), "csmith-v0");
  char *lines = NULL;
  CHECK_OK(cgym_suite_debian_sources(suite, &lines));
  CHECK_STR_EQ(lines, "");
  free(lines);
  cgym_suite_free(suite);
}

static void test_unknown_suite(void) {
  cgym_suite *suite = NULL;
  CHECK_ERROR(cgym_suite_open(&suite, "no-such-suite"), CGYM_ENOTFOUND, "\"no-such-suite\"");
  fixture_show_message("suite_format");
  CHECK(strstr(cgym_error_message(), "default") != NULL);
  CHECK_ERROR(cgym_suite_open(&suite, "/nonexistent/suite.json"), CGYM_ENOTFOUND,
              "/nonexistent/suite.json");
  fixture_show_message("suite_format");
}

static void test_malformed_files(void) {
  check_invalid("syntax.json", "{\"schema\": \"cgym-suite/v1\",", CGYM_EFORMAT, "invalid JSON",
                "line");
  check_invalid("schema.json", "{\"schema\": \"cgym-suite/v9\", \"name\": \"x\"}", CGYM_EFORMAT,
                "schema", "cgym-suite/v1");
  check_invalid("toplevel.json", "[1, 2]", CGYM_EFORMAT, "expected an object", NULL);

  const char *prefix = "{\"schema\": \"cgym-suite/v1\", \"name\": \"bad\", \"archives\": [{\"id\": "
                       "\"a\", \"file\": \"a.tar.gz\", \"urls\": [], \"sha256\": \"";
  const char *sha = "0000000000000000000000000000000000000000000000000000000000000000";
  char text[4096];

  snprintf(text, sizeof text, "%s%s\"}], \"benchmarks\": [{\"name\": \"one\", \"archive\": \"a\", "
           "\"root\": \"a\", \"sources\": [\"x.c\"], \"license\": \"MIT\"}, {\"name\": \"two\", "
           "\"archive\": \"a\", \"root\": \"a\", \"license\": \"MIT\"}]}", prefix, sha);
  check_invalid("nosources.json", text, CGYM_EFORMAT, "benchmarks[1].sources", "missing");

  snprintf(text, sizeof text, "%s%s\"}], \"benchmarks\": [{\"name\": \"one\", \"archive\": \"a\", "
           "\"root\": \"a\", \"sources\": [\"../x.c\"], \"license\": \"MIT\"}]}", prefix, sha);
  check_invalid("dotdot.json", text, CGYM_EFORMAT, "benchmarks[0].sources[0]", "../x.c");

  snprintf(text, sizeof text, "%sABC\"}], \"benchmarks\": [{\"name\": \"one\", \"archive\": \"a\", "
           "\"root\": \"a\", \"sources\": [\"x.c\"], \"license\": \"MIT\"}]}", prefix);
  check_invalid("sha.json", text, CGYM_EFORMAT, "archives[0].sha256", "64 lowercase hex digits");

  snprintf(text, sizeof text, "%s%s\"}], \"benchmarks\": [{\"name\": \"one\", \"archive\": \"b\", "
           "\"root\": \"a\", \"sources\": [\"x.c\"], \"license\": \"MIT\"}]}", prefix, sha);
  check_invalid("archive-id.json", text, CGYM_EFORMAT, "benchmarks[0].archive", "\"b\"");

  snprintf(text, sizeof text, "%s%s\"}], \"benchmarks\": [{\"name\": \"one\", \"archive\": \"a\", "
           "\"root\": \"a\", \"sources\": [\"x.c\"], \"cflags\": [\"-fplugin=evil.so\"], "
           "\"license\": \"MIT\"}]}", prefix, sha);
  check_invalid("cflag.json", text, CGYM_EFORMAT, "benchmarks[0].cflags[0]", "-fplugin");

  snprintf(text, sizeof text, "%s%s\"}], \"benchmarks\": [{\"name\": \"one\", \"archive\": \"a\", "
           "\"root\": \"a\", \"source\": [\"x.c\"], \"license\": \"MIT\"}]}", prefix, sha);
  check_invalid("typo.json", text, CGYM_EFORMAT, "benchmarks[0].source", "unknown key");

  check_invalid("generator.json", "{\"schema\": \"cgym-suite/v1\", \"name\": \"g\", \"generator\": "
                "{\"tool\": \"csmith\", \"first_seed\": -1, \"count\": 2}}", CGYM_EFORMAT,
                "generator.first_seed", "-1");
}

static void test_definition_size_limit(void) {
  size_t size = 2 * 1024 * 1024;
  char *text = malloc(size + 1);
  memset(text, ' ', size);
  text[0] = '{';
  text[size - 1] = '}';
  text[size] = '\0';
  char *path = fixture_write_file(temp_dir, "huge.json", text);
  cgym_suite *suite = NULL;
  CHECK_ERROR(cgym_suite_open(&suite, path), CGYM_ELIMIT, "maximum");
  fixture_show_message("suite_format");
  free(path);
  free(text);
}

static void test_action_subset(void) {
  const char *sha = "0000000000000000000000000000000000000000000000000000000000000000";
  char text[4096];
  const char *format = "{\"schema\": \"cgym-suite/v1\", \"name\": \"acts\", \"actions\": [%s], "
                       "\"archives\": [{\"id\": \"a\", \"file\": \"a.tar.gz\", \"sha256\": \"%s\"}], "
                       "\"benchmarks\": [{\"name\": \"one\", \"archive\": \"a\", \"root\": \"\", "
                       "\"sources\": [\"x.c\"], \"license\": \"MIT\"}]}";

  snprintf(text, sizeof text, format, "\"instcombine\", \"gvn\"", sha);
  char *path = fixture_write_file(temp_dir, "actions.json", text);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, path));
  size_t count = 0;
  const char *const *actions = cgym_suite_action_subset(suite, &count);
  CHECK(count == 2);
  CHECK(actions != NULL);
  if (actions) CHECK_STR_EQ(actions[1], "gvn");
  cgym_suite_free(suite);
  free(path);

  snprintf(text, sizeof text, format, "\"instcombine\", \"instcombien\"", sha);
  check_invalid("unknown-pass.json", text, CGYM_ENOTFOUND, "instcombien", "actions[1]");
}

int main(void) {
  temp_dir = cgym_test_temp_dir("cgym-suite-format");
  test_builtin_default();
  test_builtin_list();
  test_unknown_suite();
  test_malformed_files();
  test_definition_size_limit();
  test_action_subset();
  return cgym_check_summary();
}
