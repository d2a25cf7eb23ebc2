/* Suite definitions: built-in suites, unknown names, malformed files, run specs and action
 * subsets. */
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

/* One byte over the inline text maximum of a run spec (4096 bytes). */
#define CGYM_TEST_LONG_TEXT 4097

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
  CHECK_STR_EQ(cgym_suite_version(suite), "2");
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

/* One malformed definition: the text after the common prefix, the JSON path the error must
 * name and a fragment of the detail. */
typedef struct invalid_case {
  const char *name;
  const char *body;
  const char *path;
  const char *detail;
} invalid_case;

/* Checks each case of a table; the message must contain "PATH: " and the detail. */
static void check_table(const char *prefix, const invalid_case *cases, size_t count) {
  char text[4096];
  char path_fragment[256];
  for (size_t i = 0; i < count; i++) {
    snprintf(text, sizeof text, "%s%s", prefix, cases[i].body);
    snprintf(path_fragment, sizeof path_fragment, "%s: ", cases[i].path);
    check_invalid(cases[i].name, text, CGYM_EFORMAT, path_fragment, cases[i].detail);
  }
}

#define SHA "0000000000000000000000000000000000000000000000000000000000000000"

/* Three archives, "bitcode", "list" and "clc", then the manifest block under test. */
#define MANIFEST_PREFIX                                                                           \
  "{\"schema\": \"cgym-suite/v1\", \"name\": \"m\", \"archives\": [{\"id\": \"bitcode\", "        \
  "\"file\": \"b.tar.bz2\", \"sha256\": \"" SHA "\"}, {\"id\": \"list\", \"file\": \"m.bz2\", "   \
  "\"sha256\": \"" SHA "\"}, {\"id\": \"clc\", \"file\": \"c.tar.bz2\", \"sha256\": \"" SHA "\"}" \
  "], \"manifest\": "

static const invalid_case manifest_cases[] = {
    {"m-type.json", "[]}", "manifest", "expected an object"},
    {"m-archive-missing.json", "{\"list\": \"list\", \"root\": \"\", \"suffix\": \".bc\"}}",
     "manifest.archive", "missing"},
    {"m-archive-type.json",
     "{\"archive\": 3, \"list\": \"list\", \"root\": \"\", \"suffix\": \".bc\"}}",
     "manifest.archive", "expected a string"},
    {"m-archive-id.json",
     "{\"archive\": \"nope\", \"list\": \"list\", \"root\": \"\", \"suffix\": \".bc\"}}",
     "manifest.archive", "\"nope\""},
    {"m-list-missing.json", "{\"archive\": \"bitcode\", \"root\": \"\", \"suffix\": \".bc\"}}",
     "manifest.list", "missing"},
    {"m-list-same.json",
     "{\"archive\": \"bitcode\", \"list\": \"bitcode\", \"root\": \"\", \"suffix\": \".bc\"}}",
     "manifest.list", "another archive"},
    {"m-root-missing.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"suffix\": \".bc\"}}",
     "manifest.root", "missing"},
    {"m-root-dotdot.json",
     "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"../x\", \"suffix\": \".bc\"}}",
     "manifest.root", "\"../x\""},
    {"m-suffix-missing.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\"}}",
     "manifest.suffix", "missing"},
    {"m-suffix-dot.json",
     "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", \"suffix\": \"bc\"}}",
     "manifest.suffix", "\"bc\""},
    {"m-suffix-type.json",
     "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", \"suffix\": 1}}",
     "manifest.suffix", "expected a string"},
    {"m-count-type.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".bc\", \"count\": \"23\"}}", "manifest.count", "expected an integer"},
    {"m-count-zero.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".bc\", \"count\": 0}}", "manifest.count", "at least 1"},
    {"m-count-negative.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".bc\", \"count\": -1}}", "manifest.count", "-1"},
    {"m-count-large.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".bc\", \"count\": 3000000}}", "manifest.count", "2000000"},
    {"m-typo.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"sufix\": \".bc\"}}", "manifest.sufix", "unknown key"},
    {"m-build.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".c\", \"build\": \"link\"}}", "manifest.build", "\"link\""},
    {"m-opencl-missing.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".cl\", \"build\": \"opencl\"}}", "manifest.opencl", "missing"},
    {"m-opencl-unwanted.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".c\", \"opencl\": {\"libclc\": \"clc\", \"header\": \"list\"}}}",
     "manifest.opencl", "only with"},
    {"m-opencl-libclc.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".cl\", \"build\": \"opencl\", \"opencl\": {\"libclc\": \"nope\", "
     "\"header\": \"clc\"}}}", "manifest.opencl.libclc", "\"nope\""},
    {"m-opencl-header.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".cl\", \"build\": \"opencl\", \"opencl\": {\"libclc\": \"clc\", "
     "\"header\": \"list\"}}}", "manifest.opencl.header", "other than"},
    {"m-lazy.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".c\", \"lazy\": \"yes\"}}", "manifest.lazy", "true or false"},
    {"m-benchmarks.json", "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", "
     "\"suffix\": \".bc\"}, \"benchmarks\": []}", "benchmarks", "unknown key"},
};

/* The archive fields a manifest suite relies on: digests, limits and the deprecation note. */
#define ARCHIVE_PREFIX "{\"schema\": \"cgym-suite/v1\", \"name\": \"a\", "
#define ARCHIVE_MANIFEST                                                                          \
  "\"manifest\": {\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"\", \"suffix\": "      \
  "\".bc\"}}"

static const invalid_case archive_cases[] = {
    {"a-sha-short.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": "
     "\"abc\"}, {\"id\": \"list\", \"file\": \"m\", \"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST,
     "archives[0].sha256", "64 lowercase hex digits"},
    {"a-sha-upper.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": \"" SHA
     "\"}, {\"id\": \"list\", \"file\": \"m\", \"sha256\": "
     "\"EEFFD7593AEB696A160FD22E6B0C382198A65D0918B8440253EA458CFE927741\"}], " ARCHIVE_MANIFEST,
     "archives[1].sha256", "64 lowercase hex digits"},
    {"a-sha-missing.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\"}, {\"id\": "
     "\"list\", \"file\": \"m\", \"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST,
     "archives[0].sha256", "missing"},
    {"a-sha-type.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": 7}, "
     "{\"id\": \"list\", \"file\": \"m\", \"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST,
     "archives[0].sha256", "expected a string"},
    {"a-limits-type.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": \""
     SHA "\", \"limits\": 5}, {\"id\": \"list\", \"file\": \"m\", \"sha256\": \"" SHA "\"}], "
     ARCHIVE_MANIFEST, "archives[0].limits", "expected an object"},
    {"a-limits-entries.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": \""
     SHA "\", \"limits\": {\"entries\": 3000000}}, {\"id\": \"list\", \"file\": \"m\", "
     "\"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST, "archives[0].limits.entries", "2000000"},
    {"a-limits-bytes.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": \""
     SHA "\", \"limits\": {\"bytes\": 0}}, {\"id\": \"list\", \"file\": \"m\", "
     "\"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST, "archives[0].limits.bytes", "at least 1"},
    {"a-limits-download.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", "
     "\"sha256\": \"" SHA "\", \"limits\": {\"download\": 99999999999999}}, {\"id\": \"list\", "
     "\"file\": \"m\", \"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST,
     "archives[0].limits.download", "17179869184"},
    {"a-limits-key.json", "\"archives\": [{\"id\": \"bitcode\", \"file\": \"b\", \"sha256\": \""
     SHA "\", \"limits\": {\"files\": 2}}, {\"id\": \"list\", \"file\": \"m\", "
     "\"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST, "archives[0].limits.files", "unknown key"},
    {"a-deprecated-empty.json", "\"deprecated\": \"\", \"archives\": [{\"id\": \"bitcode\", "
     "\"file\": \"b\", \"sha256\": \"" SHA "\"}, {\"id\": \"list\", \"file\": \"m\", "
     "\"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST, "deprecated", "what to use instead"},
    {"a-deprecated-type.json", "\"deprecated\": true, \"archives\": [{\"id\": \"bitcode\", "
     "\"file\": \"b\", \"sha256\": \"" SHA "\"}, {\"id\": \"list\", \"file\": \"m\", "
     "\"sha256\": \"" SHA "\"}], " ARCHIVE_MANIFEST, "deprecated", "expected a string"},
};

#define GENERATOR_PREFIX "{\"schema\": \"cgym-suite/v1\", \"name\": \"g\", \"generator\": "

static const invalid_case generator_cases[] = {
    {"g-type.json", "\"llvm-stress\"}", "generator", "expected an object"},
    {"g-tool-missing.json", "{\"first_seed\": 1, \"count\": 2}}", "generator.tool", "missing"},
    {"g-tool-type.json", "{\"tool\": 1, \"first_seed\": 1, \"count\": 2}}", "generator.tool",
     "expected a string"},
    {"g-tool-name.json", "{\"tool\": \"llvm_stress\", \"first_seed\": 1, \"count\": 2}}",
     "generator.tool", "\"llvm_stress\""},
    {"g-stress-seed.json", "{\"tool\": \"llvm-stress\", \"first_seed\": 4294967295, "
     "\"count\": 1}}", "generator.first_seed", "4294967294"},
    {"g-stress-seed-type.json", "{\"tool\": \"llvm-stress\", \"first_seed\": \"1\", "
     "\"count\": 1}}", "generator.first_seed", "expected an integer"},
    {"g-stress-count-zero.json", "{\"tool\": \"llvm-stress\", \"first_seed\": 1, "
     "\"count\": 0}}", "generator.count", "at least 1"},
    {"g-stress-count-missing.json", "{\"tool\": \"llvm-stress\", \"first_seed\": 1}}",
     "generator.count", "missing"},
    {"g-stress-count-large.json", "{\"tool\": \"llvm-stress\", \"first_seed\": 1, "
     "\"count\": 1000001}}", "generator.count", "1000000"},
    {"g-stress-key.json", "{\"tool\": \"llvm-stress\", \"first_seed\": 1, \"count\": 1, "
     "\"size\": 100}}", "generator.size", "unknown key"},
    {"g-stress-archives.json", "{\"tool\": \"llvm-stress\", \"first_seed\": 1, \"count\": 1}, "
     "\"archives\": []}", "archives", "unknown key"},
};

static void test_malformed_manifest(void) {
  check_table(MANIFEST_PREFIX, manifest_cases, sizeof manifest_cases / sizeof manifest_cases[0]);
  check_table(ARCHIVE_PREFIX, archive_cases, sizeof archive_cases / sizeof archive_cases[0]);
}

static void test_malformed_generator(void) {
  check_table(GENERATOR_PREFIX, generator_cases,
              sizeof generator_cases / sizeof generator_cases[0]);
}

static cgym_suite *open_text(const char *name, const char *text) {
  char *path = fixture_write_file(temp_dir, name, text);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, path));
  free(path);
  return suite;
}

/* The llvm-stress seed range ends one below csmith's, as in CompilerGym's llvm-stress-v0. */
static void test_generator_llvm_stress(void) {
  cgym_suite *suite = open_text("g-stress.json", GENERATOR_PREFIX "{\"tool\": \"llvm-stress\", "
                                "\"first_seed\": 4294967294, \"count\": 1}}");
  if (suite) CHECK_STR_EQ(cgym_suite_kind(suite), "generator");
  if (suite) CHECK(cgym_suite_benchmark_count(suite) == 1);
  cgym_suite_free(suite);
  suite = open_text("g-csmith.json", GENERATOR_PREFIX "{\"tool\": \"csmith\", "
                    "\"first_seed\": 4294967295, \"count\": 1}}");
  cgym_suite_free(suite);
  suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "llvm-stress-v0"));
  if (suite) CHECK_STR_EQ(cgym_suite_kind(suite), "generator");
  cgym_suite_free(suite);
}

/* A manifest block with every optional field, and one without a count. */
static void test_manifest_options(void) {
  cgym_suite *suite = open_text("m-full.json", MANIFEST_PREFIX
                                "{\"archive\": \"bitcode\", \"list\": \"list\", \"root\": \"r\", "
                                "\"suffix\": \".txt\", \"count\": 5, \"build\": \"poj104\", "
                                "\"lazy\": true}}");
  if (suite) CHECK(cgym_suite_benchmark_count(suite) == 5);
  cgym_suite_free(suite);
  suite = open_text("m-uncounted.json", MANIFEST_PREFIX "{\"archive\": \"bitcode\", \"list\": "
                    "\"list\", \"root\": \"\", \"suffix\": \".bc\"}, \"deprecated\": \"use x\"}");
  if (suite) CHECK(cgym_suite_benchmark_count(suite) == 0);
  if (suite) CHECK_STR_EQ(cgym_suite_deprecated(suite), "use x");
  cgym_suite_free(suite);
}

/* Every built-in definition opens; the deprecated ones, and only those, carry a note. */
static void test_builtin_deprecation(void) {
  static const char *const deprecated[] = {"anghabench-v0", "cBench-v0", "cBench-v1",
                                           "mibench-v0", "poj104-v0", NULL};
  int count = 0;
  for (const char *const *name = cgym_builtin_suites(); *name; name++) {
    cgym_suite *suite = NULL;
    CHECK_OK(cgym_suite_open(&suite, *name));
    int expected = 0;
    for (const char *const *d = deprecated; *d; d++) expected |= strcmp(*d, *name) == 0;
    if (suite) CHECK((cgym_suite_deprecated(suite) != NULL) == expected);
    cgym_suite_free(suite);
    count++;
  }
  CHECK(count >= 21);
}

/* A suite of two archives whose one benchmark has the run object run_json. */
static void write_run_suite(char *text, size_t size, const char *run_json) {
  const char *sha = "0000000000000000000000000000000000000000000000000000000000000000";
  snprintf(text, size,
           "{\"schema\": \"cgym-suite/v1\", \"name\": \"runs\", \"archives\": ["
           "{\"id\": \"a\", \"file\": \"a.tar.gz\", \"sha256\": \"%s\"}, {\"id\": \"b\", "
           "\"file\": \"b.tar.gz\", \"sha256\": \"%s\"}], \"benchmarks\": [{\"name\": \"one\", "
           "\"archive\": \"a\", \"root\": \"a\", \"sources\": [\"x.c\"], \"license\": \"MIT\", "
           "\"run\": %s}]}",
           sha, sha, run_json);
}

/* One malformed run object: the JSON path and a fragment of what was expected. */
typedef struct run_case {
  const char *run;
  const char *path;
  const char *fragment;
} run_case;

#define STDOUT_OK                                                                                  \
  "\"stdout\": {\"sha256\": \""                                                                    \
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", \"size\": 0}"

static const run_case run_cases[] = {
    {"[]", "benchmarks[0].run", "expected an object"},
    {"{\"arg\": []," STDOUT_OK "}", "benchmarks[0].run.arg", "unknown key"},
    {"{\"args\": \"-v\"," STDOUT_OK "}", "benchmarks[0].run.args", "expected an array"},
    {"{\"args\": [1]," STDOUT_OK "}", "benchmarks[0].run.args[0]", "expected a string"},
    {"{\"args\": [\"{input:x.txt\"]," STDOUT_OK "}", "benchmarks[0].run.args[0]", "closed by '}'"},
    {"{\"args\": [\"{input:y.txt}\"], \"inputs\": [{\"path\": \"x.txt\", \"text\": "
     "\"hi\"}]," STDOUT_OK "}",
     "benchmarks[0].run.args[0]", "\"y.txt\" is not the path of an entry in inputs"},
    {"{\"inputs\": {}," STDOUT_OK "}", "benchmarks[0].run.inputs", "expected an array"},
    {"{\"inputs\": [\"x.txt\"]," STDOUT_OK "}", "benchmarks[0].run.inputs[0]",
     "expected an object"},
    {"{\"inputs\": [{\"from\": \"a/x.txt\"}]," STDOUT_OK "}", "benchmarks[0].run.inputs[0].path",
     "missing"},
    {"{\"inputs\": [{\"path\": \"../x.txt\", \"text\": \"hi\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0].path", "without '..'"},
    {"{\"inputs\": [{\"path\": \"/etc/passwd\", \"text\": \"hi\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0].path", "relative path"},
    {"{\"inputs\": [{\"path\": \"x.txt\"}]," STDOUT_OK "}", "benchmarks[0].run.inputs[0]",
     "exactly one of \"from\""},
    {"{\"inputs\": [{\"path\": \"x.txt\", \"from\": \"a/x.txt\", \"text\": \"hi\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0]", "got both"},
    {"{\"inputs\": [{\"path\": \"x.txt\", \"from\": \"a/../x.txt\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0].from", "without '..'"},
    {"{\"inputs\": [{\"path\": \"x.txt\", \"from\": \"x.txt\", \"archive\": \"c\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0].archive", "id of an entry in archives"},
    {"{\"inputs\": [{\"path\": \"x.txt\", \"text\": \"hi\", \"archive\": \"b\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0]", "\"archive\" goes with \"from\""},
    {"{\"inputs\": [{\"path\": \"x.txt\", \"text\": 5}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0].text", "expected a string"},
    {"{\"inputs\": [{\"path\": \"x.txt\", \"text\": \"hi\", \"mode\": 1}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[0].mode", "unknown key"},
    {"{\"inputs\": [{\"path\": \"d\", \"text\": \"hi\"}, {\"path\": \"d/x\", \"text\": "
     "\"\"}]," STDOUT_OK "}",
     "benchmarks[0].run.inputs[1]", "collides with inputs[0]"},
    {"{\"stdin\": \"x.txt\"," STDOUT_OK "}", "benchmarks[0].run.stdin",
     "path of an entry in inputs"},
    {"{\"exit_status\": 256," STDOUT_OK "}", "benchmarks[0].run.exit_status", "0 to 255"},
    {"{\"exit_status\": \"0\"," STDOUT_OK "}", "benchmarks[0].run.exit_status", "an integer"},
    {"{\"args\": []}", "benchmarks[0].run.stdout", "missing"},
    {"{\"stdout\": \"abc\"}", "benchmarks[0].run.stdout", "expected an object"},
    {"{\"stdout\": {\"sha256\": \"ABC\", \"size\": 0}}", "benchmarks[0].run.stdout.sha256",
     "64 lowercase hex digits"},
    {"{\"stdout\": {\"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}}",
     "benchmarks[0].run.stdout.size", "missing"},
    {"{\"stdout\": {\"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", "
     "\"size\": -1}}",
     "benchmarks[0].run.stdout.size", "-1"},
    {"{\"stdout\": {\"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", "
     "\"size\": 0, \"path\": \"x\"}}",
     "benchmarks[0].run.stdout.path", "unknown key"},
    {"{\"outputs\": {}," STDOUT_OK "}", "benchmarks[0].run.outputs", "expected an array"},
    {"{\"outputs\": [{\"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", "
     "\"size\": 0}]," STDOUT_OK "}",
     "benchmarks[0].run.outputs[0].path", "missing"},
    {"{\"outputs\": [{\"path\": \"../out\", \"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", \"size\": "
     "0}]," STDOUT_OK "}",
     "benchmarks[0].run.outputs[0].path", "without '..'"},
    {"{\"outputs\": [{\"path\": \"out\", \"sha256\": \"e3b0\", \"size\": 0}]," STDOUT_OK "}",
     "benchmarks[0].run.outputs[0].sha256", "64 lowercase hex digits"},
    {"{\"outputs\": [{\"path\": \"out\", \"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", \"size\": 0}, "
     "{\"path\": \"out\", \"sha256\": "
     "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", \"size\": "
     "0}]," STDOUT_OK "}",
     "benchmarks[0].run.outputs[1]", "collides with outputs[0]"},
    {"{\"timeout_seconds\": 0," STDOUT_OK "}", "benchmarks[0].run.timeout_seconds", "at least 1"},
    {"{\"timeout_seconds\": 3601," STDOUT_OK "}", "benchmarks[0].run.timeout_seconds", "0 to 3600"},
    {"{\"libs\": [\"-lm\"]," STDOUT_OK "}", "benchmarks[0].run.libs[0]", "library name"},
    {"{\"libs\": [\"m;rm\"]," STDOUT_OK "}", "benchmarks[0].run.libs[0]", "library name"},
    {"{\"env\": [\"LC_ALL=C\"]," STDOUT_OK "}", "benchmarks[0].run.env", "expected an object"},
    {"{\"env\": {\"1X\": \"y\"}," STDOUT_OK "}", "benchmarks[0].run.env.1X", "variable name"},
    {"{\"env\": {\"LANG\": 1}," STDOUT_OK "}", "benchmarks[0].run.env.LANG", "expected a string"},
};

static void test_malformed_run_specs(void) {
  char text[8192];
  for (size_t i = 0; i < sizeof run_cases / sizeof run_cases[0]; i++) {
    char name[64];
    snprintf(name, sizeof name, "run-%zu.json", i);
    write_run_suite(text, sizeof text, run_cases[i].run);
    check_invalid(name, text, CGYM_EFORMAT, run_cases[i].path, run_cases[i].fragment);
  }

  /* A text longer than the inline maximum is rejected with the maximum. */
  size_t long_size = CGYM_TEST_LONG_TEXT;
  char *run = malloc(long_size + 256);
  char *big = malloc(long_size + 8192);
  int length = snprintf(run, 64, "{\"inputs\": [{\"path\": \"x\", \"text\": \"");
  memset(run + length, 'a', long_size);
  snprintf(run + length + long_size, 192, "\"}]," STDOUT_OK "}");
  write_run_suite(big, long_size + 8192, run);
  check_invalid("run-long-text.json", big, CGYM_EFORMAT, "benchmarks[0].run.inputs[0].text",
                "at most 4096 characters");
  free(run);
  free(big);
}

static void test_valid_run_spec(void) {
  char text[8192];
  write_run_suite(
      text, sizeof text,
      "{\"args\": [\"-v\", \"--file={input:in/x.txt}\"], \"inputs\": [{\"path\": "
      "\"in/x.txt\", \"from\": \"a/x.txt\"}, {\"path\": \"y\", \"from\": \"y\", "
      "\"archive\": \"b\"}, {\"path\": \"z\", \"text\": \"z\\n\"}], \"stdin\": \"z\", "
      "\"exit_status\": 3," STDOUT_OK ", \"outputs\": [{\"path\": \"out/o\", \"sha256\": "
      "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", \"size\": 0}], "
      "\"timeout_seconds\": 5, \"libs\": [\"m\", \"stdc++\"], \"env\": {\"LANG\": \"C\"}}");
  char *path = fixture_write_file(temp_dir, "run-valid.json", text);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, path));
  CHECK(cgym_suite_benchmark_has_run(suite, 0));
  CHECK(!cgym_suite_benchmark_has_run(suite, 1));
  cgym_suite_free(suite);
  free(path);

  cgym_suite *builtin = NULL;
  CHECK_OK(cgym_suite_open(&builtin, "default"));
  size_t with_run = 0;
  for (size_t i = 0; i < cgym_suite_benchmark_count(builtin); i++)
    with_run += cgym_suite_benchmark_has_run(builtin, i) != 0;
  CHECK(with_run == cgym_suite_benchmark_count(builtin));
  CHECK(with_run >= 20);
  cgym_suite_free(builtin);
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
  test_malformed_run_specs();
  test_valid_run_spec();
  test_definition_size_limit();
  test_action_subset();
  test_malformed_manifest();
  test_malformed_generator();
  test_generator_llvm_stress();
  test_manifest_options();
  test_builtin_deprecation();
  return cgym_check_summary();
}
