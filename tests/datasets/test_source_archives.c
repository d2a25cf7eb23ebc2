/*
 * The suite kinds of CompilerGym's source archives, each with a small archive crafted at test
 * time and served by the loopback HTTP server:
 *   - anghabench-v1: a lazy manifest suite of C files, built the first time a prepare names
 *     them, with declared extraction limits;
 *   - chstone-v0: a source suite whose benchmarks are one C file that includes the others;
 *   - poj104-v1: a lazy manifest suite of C++ programs with the POJ-104 rewrite;
 *   - clgen-v0: OpenCL kernels built against a libclc archive and an -include header.
 * Every built benchmark is loaded in LLVM 19. The test also runs the cgym program for the
 * listing of deprecated suites, the "as built" label and the hint for changed bitcode.
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "datasets/poj104.h"
#include "fixtures.h"
#include "support/check.h"

static const char *served;
static int port;

/* Counts the "building ..." progress lines, one per benchmark that a prepare builds. */
static void count_builds(void *context, const char *message) {
  if (strncmp(message, "building ", 9) == 0) (*(int *)context)++;
}

/* Prepares suite into cache, building only the NULL-terminated names (all when NULL), and
 * stores the number of builds in *builds. */
static int prepare(cgym_suite *suite, const char *cache, const char *const *only,
                   cgym_prepared_suite **out, int *builds) {
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.only = only;
  opts.progress = count_builds;
  opts.progress_context = builds;
  *builds = 0;
  *out = NULL;
  return cgym_suite_prepare(suite, &opts, out);
}

static void check_all_load(const cgym_prepared_suite *prepared) {
  for (size_t i = 0; prepared && i < prepared->benchmark_count; i++)
    fixture_check_loads(&prepared->benchmarks[i]);
}

/* Opens definition, prepares it into cache (only the names in only, all when NULL) and checks
 * that it builds expected benchmarks, excludes none and that each loads in LLVM 19. Returns the
 * prepared suite for further checks, NULL when the prepare failed. */
static cgym_prepared_suite *prepare_expecting(const char *definition, const char *cache,
                                              const char *const *only, size_t expected) {
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  int builds = 0;

  CHECK_OK(cgym_suite_open(&suite, definition));
  if (suite) CHECK_OK(prepare(suite, cache, only, &prepared, &builds));
  CHECK(builds == (int)expected);
  if (prepared) {
    CHECK(prepared->benchmark_count == expected);
    for (size_t i = 0; i < prepared->excluded_count; i++)
      printf("unexpected exclusion: %s\n", prepared->excluded[i].reason);
    CHECK(prepared->excluded_count == 0);
    check_all_load(prepared);
  }
  cgym_suite_free(suite);
  return prepared;
}

static char *write_definition(const char *name, const char *text) {
  return fixture_write_file(served, name, text);
}

/* ---- anghabench-v1: lazy C files ---------------------------------------------------------- */

static const fixture_entry angha_entries[] = {
    {"Angha-1234/", 'd', NULL, NULL},
    {"Angha-1234/repo/a/extr_f.c", 'f', "int f(int x) { return x + 1; }\n", NULL},
    {"Angha-1234/repo/b/extr_g.c", 'f',
     "struct s { int n; };\nint g(struct s *p) { int t = 0; for (int i = 0; i < p->n; i++) "
     "t += i; return t; }\n",
     NULL},
    {"Angha-1234/repo/c/extr_broken.c", 'f', "int broken( { return; }\n", NULL},
    {NULL, 0, NULL, NULL},
};

/* A lazy manifest suite over angha.tar.gz; max_entries goes into the archive's limits. */
static char *write_angha_definition(const char *file_name, int max_entries) {
  char limits[128];
  snprintf(limits, sizeof limits, "\"limits\": {\"entries\": %d, \"bytes\": 1048576}",
           max_entries);
  fixture_manifest_suite suite = {
      "angha-test", "[\"-O1\", \"-Xclang\", \"-disable-llvm-passes\", \"-w\", \"-ferror-limit=1\"]",
      "angha.tar.gz", limits, "angha-manifest.bz2",
      "\"root\": \"Angha-1234\", \"suffix\": \".c\", \"count\": 3, \"lazy\": true"};
  return fixture_write_manifest_suite(served, file_name, port, &suite);
}

/* Prepares one benchmark in a child process and exits with the number of builds it ran. */
static pid_t prepare_in_child(const char *definition, const char *cache, const char *name) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  const char *only[] = {name, NULL};
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  int builds = 0;
  int rc = cgym_suite_open(&suite, definition);
  if (rc == CGYM_OK) rc = prepare(suite, cache, only, &prepared, &builds);
  int loaded = prepared && prepared->benchmark_count == 1;
  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  _exit(rc == CGYM_OK && loaded ? builds : 100);
}

static int child_builds(pid_t pid) {
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static void test_lazy_without_selection(cgym_suite *suite, const char *cache) {
  cgym_prepared_suite *prepared = NULL;
  int builds = 0;
  CHECK_OK(prepare(suite, cache, NULL, &prepared, &builds));
  CHECK(builds == 0);
  if (prepared) {
    CHECK(prepared->benchmark_count == 0);
    CHECK(prepared->excluded_count == 0);
    CHECK(prepared->unbuilt_count == 3);
    CHECK(prepared->archive_count == 2);
  }
  CHECK(fixture_count_final_in(cache, "trees") == 1);
  CHECK(fixture_count_final_in(cache, "bitcode/angha-test") == 0);
  cgym_prepared_suite_free(prepared);
}

/* The first prepare that names a benchmark builds it; the second finds its record. */
static void test_lazy_builds_once(cgym_suite *suite, const char *cache) {
  const char *only[] = {"repo/a/extr_f", NULL};
  cgym_prepared_suite *first = NULL, *second = NULL;
  int builds = 0;

  CHECK_OK(prepare(suite, cache, only, &first, &builds));
  CHECK(builds == 1);
  CHECK_OK(prepare(suite, cache, only, &second, &builds));
  CHECK(builds == 0);
  if (first && second && first->benchmark_count == 1 && second->benchmark_count == 1) {
    CHECK_STR_EQ(first->benchmarks[0].uri, "benchmark://angha-test/repo/a/extr_f");
    CHECK_STR_EQ(first->benchmarks[0].bitcode_sha256, second->benchmarks[0].bitcode_sha256);
    CHECK_STR_EQ(first->benchmarks[0].bitcode_path, second->benchmarks[0].bitcode_path);
    CHECK(second->unbuilt_count == 2);
    check_all_load(second);
  } else {
    CHECK(!"both prepares return the one named benchmark");
  }
  cgym_prepared_suite_free(first);
  cgym_prepared_suite_free(second);
}

/* Two processes that name the same benchmark at once build it once between them, and leave no
 * temporary file behind: the cache lock serializes them and the record marks it built. */
static void test_lazy_concurrent(const char *definition, const char *cache) {
  pid_t first = prepare_in_child(definition, cache, "repo/b/extr_g");
  pid_t second = prepare_in_child(definition, cache, "repo/b/extr_g");
  int builds = child_builds(first) + child_builds(second);
  CHECK(builds == 1);
  CHECK(fixture_count_temporaries(cache) == 0);
}

static void test_lazy_selection(cgym_suite *suite, const char *cache) {
  const char *all[] = {"repo/a/extr_f", "repo/b/extr_g", "repo/c/extr_broken", NULL};
  const char *unknown[] = {"repo/a/nope", NULL};
  cgym_prepared_suite *prepared = NULL;
  int builds = 0;

  CHECK_OK(prepare(suite, cache, all, &prepared, &builds));
  CHECK(builds == 1); /* only extr_broken is new */
  if (prepared) {
    CHECK(prepared->benchmark_count == 2);
    CHECK(prepared->excluded_count == 1);
    CHECK(prepared->unbuilt_count == 0);
    if (prepared->excluded_count == 1) CHECK(strstr(prepared->excluded[0].reason, "error") != NULL);
    check_all_load(prepared);
  }
  cgym_prepared_suite_free(prepared);

  CHECK_ERROR(prepare(suite, cache, unknown, &prepared, &builds), CGYM_ENOTFOUND, "repo/a/nope");
  fixture_show_message("unknown lazy benchmark");
}

/* A declared limit below the archive's entries stops the extraction and names the limit. */
static void test_declared_limit(void) {
  char *cache = cgym_test_temp_dir("cgym-angha-limit");
  char *definition = write_angha_definition("angha-small-limit.json", 3);
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  int builds = 0;
  CHECK_OK(cgym_suite_open(&suite, definition));
  if (suite)
    CHECK_ERROR(prepare(suite, cache, NULL, &prepared, &builds), CGYM_ELIMIT, "limits.entries");
  fixture_show_message("declared extraction limit");
  CHECK(fixture_count_final_in(cache, "trees") == 0);
  CHECK(fixture_count_temporaries(cache) == 0);
  cgym_suite_free(suite);
  free(definition);
  free(cache);
}

static void test_anghabench_style(void) {
  char *path = cgym_test_path(served, "angha.tar.gz");
  fixture_write_archive(path, angha_entries);
  free(path);
  fixture_write_bz2(served, "angha-manifest.bz2",
                    "repo/a/extr_f\nrepo/b/extr_g\nrepo/c/extr_broken\n");

  char *cache = cgym_test_temp_dir("cgym-angha-cache");
  char *definition = write_angha_definition("angha.json", 20);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, definition));
  if (suite) {
    CHECK(cgym_suite_benchmark_count(suite) == 3);
    test_lazy_without_selection(suite, cache);
    test_lazy_builds_once(suite, cache);
    test_lazy_concurrent(definition, cache);
    test_lazy_selection(suite, cache);
  }
  cgym_suite_free(suite);
  test_declared_limit();
  free(definition);
  free(cache);
}

/* ---- chstone-v0: one C file that includes the rest of its program ---------------------------- */

static const fixture_entry chstone_entries[] = {
    {"patmos-1/benchmarks/CHStone/sha/sha.h", 'f', "#define ROUNDS 4\nint sha_step(int);\n", NULL},
    {"patmos-1/benchmarks/CHStone/sha/sha.c", 'f',
     "int sha_step(int x) { for (int i = 0; i < ROUNDS; i++) x = (x << 1) ^ i; return x; }\n",
     NULL},
    {"patmos-1/benchmarks/CHStone/sha/sha_driver.c", 'f',
     "#include \"sha.h\"\n#include \"sha.c\"\nint main(void) { return sha_step(1) == 0; }\n", NULL},
    {"patmos-1/benchmarks/CHStone/motion/getbits.c", 'f',
     "static int bits(int v, int n) { return v & ((1 << n) - 1); }\n", NULL},
    {"patmos-1/benchmarks/CHStone/motion/mpeg2.c", 'f',
     "#include \"getbits.c\"\nint main(void) { return bits(255, 3) - 7; }\n", NULL},
    {NULL, 0, NULL, NULL},
};

static void test_chstone_style(void) {
  char *path = cgym_test_path(served, "chstone.tar.gz");
  fixture_write_archive(path, chstone_entries);
  free(path);
  char digest[65];
  fixture_file_sha256(served, "chstone.tar.gz", digest);
  char *text = NULL;
  CHECK(asprintf(&text,
                 "{\"schema\": \"cgym-suite/v1\", \"name\": \"chstone-test\",\n"
                 " \"archives\": [{\"id\": \"hls\", \"file\": \"chstone.tar.gz\",\n"
                 "   \"urls\": [\"http://127.0.0.1:%d/chstone.tar.gz\"], \"sha256\": \"%s\"}],\n"
                 " \"benchmarks\": [\n"
                 "  {\"name\": \"sha\", \"archive\": \"hls\", \"root\": "
                 "\"patmos-1/benchmarks/CHStone/sha\", \"sources\": [\"sha_driver.c\"], "
                 "\"license\": \"test\"},\n"
                 "  {\"name\": \"motion\", \"archive\": \"hls\", \"root\": "
                 "\"patmos-1/benchmarks/CHStone/motion\", \"sources\": [\"mpeg2.c\"], "
                 "\"license\": \"test\"}]}\n",
                 port, digest) >= 0);
  char *definition = write_definition("chstone.json", text);
  char *cache = cgym_test_temp_dir("cgym-chstone-cache");
  cgym_prepared_suite *prepared = prepare_expecting(definition, cache, NULL, 2);
  if (prepared && prepared->benchmark_count == 2)
    CHECK_STR_EQ(prepared->benchmarks[0].uri, "benchmark://chstone-test/sha");
  cgym_prepared_suite_free(prepared);
  free(cache);
  free(definition);
  free(text);
}

/* ---- poj104-v1: rewritten C++ programs ------------------------------------------------------ */

static void check_rewrite(const char *source, const char *expected_body) {
  char *text = NULL;
  size_t size = 0;
  CHECK_OK(cgym_poj104_rewrite(source, strlen(source), &text, &size));
  const char *header = "#include <bits/stdc++.h>\nusing namespace std;\n#define LEN 128\n"
                       "#define MAX_LENGTH 1024\n#define MAX 1024\n";
  CHECK(text != NULL);
  if (!text) return;
  CHECK(strncmp(text, header, strlen(header)) == 0);
  if (strlen(text) >= strlen(header)) CHECK_STR_EQ(text + strlen(header), expected_body);
  CHECK(size == strlen(text));
  free(text);
}

static void test_poj104_rewrite(void) {
  check_rewrite("void main() {}\n", "int main() {}\n");
  check_rewrite("int f();\nmain() { return f(); }\n", "int f();int main() { return f(); }\n");
  check_rewrite("main()\n{\n}\n", "int main()\n{\n}\n");
  check_rewrite("int main() { return 0; }\n", "int main() { return 0; }\n");
  check_rewrite("void mainly(); void main(){}", "int mainly(); int main(){}");
  check_rewrite("", "");
}

static const fixture_entry poj_entries[] = {
    {"ProgramData/1/10.txt", 'f',
     "void main()\n{\n  vector<int> v;\n  v.push_back(LEN);\n  cout << v.size() << endl;\n}\n",
     NULL},
    {"ProgramData/1/11.txt", 'f', "int f() { return MAX; }\nmain() { return f() - 1024; }\n",
     NULL},
    {"ProgramData/2/5.txt", 'f',
     "main()\n{\n  string s = \"ab\";\n  return (int)s.size() - 2;\n}\n", NULL},
    {NULL, 0, NULL, NULL},
};

static void test_poj104_style(void) {
  char *path = cgym_test_path(served, "poj.tar.gz");
  fixture_write_archive(path, poj_entries);
  free(path);
  fixture_write_bz2(served, "poj-manifest.bz2", "1/10\n1/11\n2/5\n");
  fixture_manifest_suite suite = {
      "poj-test",
      "[\"-O1\", \"-Xclang\", \"-disable-llvm-passes\", \"-w\", \"-ferror-limit=1\", \"-xc++\", "
      "\"-std=c++11\"]",
      "poj.tar.gz", NULL, "poj-manifest.bz2",
      "\"root\": \"ProgramData\", \"suffix\": \".txt\", \"count\": 3, \"build\": \"poj104\", "
      "\"lazy\": true"};
  char *definition = fixture_write_manifest_suite(served, "poj.json", port, &suite);
  char *cache = cgym_test_temp_dir("cgym-poj-cache");
  const char *all[] = {"1/10", "1/11", "2/5", NULL};
  cgym_prepared_suite *prepared = prepare_expecting(definition, cache, all, 3);
  if (prepared) CHECK(strstr(prepared->build_recipe, CGYM_POJ104_REWRITE_NAME) != NULL);
  CHECK(fixture_count_temporaries(cache) == 0);
  cgym_prepared_suite_free(prepared);
  free(cache);
  free(definition);
}

/* ---- clgen-v0: OpenCL kernels with libclc and an -include header ---------------------------- */

static const fixture_entry kernel_entries[] = {
    {"clgen-1000/kernels/k1.cl", 'f',
     "__kernel void A(__global float* a, const int n) {\n  int i = get_global_id(0);\n"
     "  if (i < n) a[i] = a[i] * FACTOR;\n}\n",
     NULL},
    {"clgen-1000/kernels/k2.cl", 'f',
     "__kernel void B(__global int* a, __global int* b) {\n  int i = get_global_id(0);\n"
     "  b[i] = a[i] + a[i + 1];\n}\n",
     NULL},
    {NULL, 0, NULL, NULL},
};

/* A stand-in for libclc's headers: without clang's default OpenCL header (-cl-no-stdinc),
 * get_global_id must come from here, as it comes from libclc in CompilerGym's build. */
static const fixture_entry libclc_entries[] = {
    {"clc/clc.h", 'f',
     "typedef unsigned int uint;\ntypedef __SIZE_TYPE__ size_t;\n"
     "size_t __attribute__((overloadable)) get_global_id(uint dim);\n",
     NULL},
    {NULL, 0, NULL, NULL},
};

static char *write_clgen_definition(void) {
  char kernels[65], manifest[65], libclc[65], header[65];
  fixture_file_sha256(served, "kernels.tar.gz", kernels);
  fixture_file_sha256(served, "kernels-manifest.bz2", manifest);
  fixture_file_sha256(served, "libclc.tar.gz", libclc);
  fixture_file_sha256(served, "opencl.h", header);
  char *text = NULL;
  CHECK(asprintf(&text,
                 "{\"schema\": \"cgym-suite/v1\", \"name\": \"clgen-test\",\n"
                 " \"cflags\": [\"-O1\", \"-Xclang\", \"-disable-llvm-passes\", \"-w\", "
                 "\"-ferror-limit=1\", \"-cl-no-stdinc\", \"--target=nvptx64-nvidia-nvcl\"],\n"
                 " \"archives\": [\n"
                 "  {\"id\": \"kernels\", \"file\": \"kernels.tar.gz\", \"urls\": "
                 "[\"http://127.0.0.1:%d/kernels.tar.gz\"], \"sha256\": \"%s\"},\n"
                 "  {\"id\": \"manifest\", \"file\": \"kernels-manifest.bz2\", \"urls\": "
                 "[\"http://127.0.0.1:%d/kernels-manifest.bz2\"], \"sha256\": \"%s\"},\n"
                 "  {\"id\": \"libclc\", \"file\": \"libclc.tar.gz\", \"urls\": "
                 "[\"http://127.0.0.1:%d/libclc.tar.gz\"], \"sha256\": \"%s\"},\n"
                 "  {\"id\": \"opencl-h\", \"file\": \"opencl.h\", \"urls\": "
                 "[\"http://127.0.0.1:%d/opencl.h\"], \"sha256\": \"%s\"}],\n"
                 " \"manifest\": {\"archive\": \"kernels\", \"list\": \"manifest\", \"root\": "
                 "\"clgen-1000/kernels\", \"suffix\": \".cl\", \"count\": 2, \"build\": "
                 "\"opencl\", \"opencl\": {\"libclc\": \"libclc\", \"header\": \"opencl-h\"}}}\n",
                 port, kernels, port, manifest, port, libclc, port, header) >= 0);
  char *path = write_definition("clgen.json", text);
  free(text);
  return path;
}

static void test_clgen_style(void) {
  char *path = cgym_test_path(served, "kernels.tar.gz");
  fixture_write_archive(path, kernel_entries);
  free(path);
  path = cgym_test_path(served, "libclc.tar.gz");
  fixture_write_archive(path, libclc_entries);
  free(path);
  free(fixture_write_file(served, "opencl.h", "#include <clc/clc.h>\n#define FACTOR 3\n"));
  fixture_write_bz2(served, "kernels-manifest.bz2", "k1\nk2\n");

  char *definition = write_clgen_definition();
  char *cache = cgym_test_temp_dir("cgym-clgen-cache");
  cgym_prepared_suite *prepared = prepare_expecting(definition, cache, NULL, 2);
  if (prepared) {
    CHECK(prepared->archive_count == 4);
    CHECK(strstr(prepared->build_recipe, "-include opencl.h") != NULL);
  }
  cgym_prepared_suite_free(prepared);
  free(cache);
  free(definition);
}

/* ---- the cgym program --------------------------------------------------------------------- */

/* Runs the cgym program with arguments and returns its stdout and stderr (malloc'ed). */
static char *run_cgym(const char *arguments, int *status) {
  char *command = NULL;
  CHECK(asprintf(&command, "'%s' %s 2>&1", CGYM_TEST_CLI, arguments) >= 0);
  FILE *pipe = popen(command, "r");
  char *output = calloc(1, 1 << 16);
  size_t used = 0;
  while (pipe && output && used < (1 << 16) - 1) {
    size_t count = fread(output + used, 1, (1 << 16) - 1 - used, pipe);
    if (count == 0) break;
    used += count;
  }
  *status = pipe ? pclose(pipe) : -1;
  free(command);
  return output;
}

static void test_list_hides_deprecated(void) {
  int status = 0;
  char *listed = run_cgym("suites list", &status);
  CHECK(status == 0);
  CHECK(strstr(listed, "cbench-v1") != NULL);
  CHECK(strstr(listed, "anghabench-v1") != NULL);
  CHECK(strstr(listed, "cBench-v1") == NULL);
  CHECK(strstr(listed, "anghabench-v0") == NULL);
  free(listed);

  char *all = run_cgym("suites list --all", &status);
  CHECK(status == 0);
  CHECK(strstr(all, "cBench-v1") != NULL);
  CHECK(strstr(all, "(deprecated)") != NULL);
  free(all);
}

/* Appends one byte to a file, so its SHA-256 no longer matches its record. */
static void append_byte(const char *path) {
  FILE *file = fopen(path, "ab");
  CHECK(file != NULL);
  if (!file) return;
  fputc(0, file);
  fclose(file);
}

/* `suites benchmarks` labels the count "as built", and a changed bitcode file gets a hint that
 * names the definition file and the cache, because `cgym suites remove NAME` only resolves
 * built-in names. */
static void test_cli_labels_and_hint(void) {
  char *cache = cgym_test_temp_dir("cgym-cli-cache");
  char *definition = write_angha_definition("angha-cli.json", 20);
  const char *only[] = {"repo/a/extr_f", NULL};
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  int builds = 0;
  CHECK_OK(cgym_suite_open(&suite, definition));
  if (suite) CHECK_OK(prepare(suite, cache, only, &prepared, &builds));

  char *arguments = NULL;
  int status = 0;
  CHECK(asprintf(&arguments, "suites benchmarks '%s' --cache '%s'", definition, cache) >= 0);
  char *listing = run_cgym(arguments, &status);
  CHECK(status == 0);
  CHECK(strstr(listing, "AS BUILT") != NULL);
  CHECK(strstr(listing, "-O0") == NULL);
  CHECK(strstr(listing, "as built") != NULL);
  CHECK(strstr(listing, "3 benchmarks not listed here are built only when named") != NULL);
  printf("%s", listing);
  free(listing);

  if (prepared && prepared->benchmark_count == 1) append_byte(prepared->benchmarks[0].bitcode_path);
  cgym_prepared_suite_free(prepared);
  if (suite)
    CHECK_ERROR(prepare(suite, cache, only, &prepared, &builds), CGYM_ECHECKSUM, definition);
  fixture_show_message("changed bitcode");
  char *hint = NULL;
  CHECK(asprintf(&hint, "cgym suites remove %s --cache %s", definition, cache) >= 0);
  CHECK(strstr(cgym_error_message(), hint) != NULL);
  free(hint);
  cgym_suite_free(suite);
  free(arguments);
  free(definition);
  free(cache);
}

int main(void) {
  char *folder = cgym_test_temp_dir("cgym-source-archives");
  served = folder;
  pid_t server = 0;
  port = fixture_httpd_start(served, &server);

  test_poj104_rewrite();
  test_anghabench_style();
  test_chstone_style();
  test_poj104_style();
  test_clgen_style();
  test_list_hides_deprecated();
  test_cli_labels_and_hint();

  fixture_httpd_stop(server);
  free(folder);
  return cgym_check_summary();
}
