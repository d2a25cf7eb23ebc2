/*
 * `cgym suites`: list, info, fetch, benchmarks, verify, remove and debian-sources. Every command
 * but debian-sources prints a table or, with --format json, one JSON document on stdout.
 * `suites run` has a file of its own (cmd_suites_run.c).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "harness/cli.h"

/* Options shared by the suites commands; each command rejects the ones it does not take. */
typedef struct suites_options {
  int json;
  int all; /* list: show deprecated suites too */
  cgym_prepare_options prepare;
} suites_options;

enum {
  OPTION_FORMAT = 'f',
  OPTION_MIRROR = 'm',
  OPTION_CACHE = 'c',
  OPTION_OFFLINE = 'o',
  OPTION_ALL = 'a'
};

static const struct option long_options[] = {
    {"all", no_argument, NULL, OPTION_ALL},
    {"format", required_argument, NULL, OPTION_FORMAT},
    {"mirror", required_argument, NULL, OPTION_MIRROR},
    {"cache", required_argument, NULL, OPTION_CACHE},
    {"offline", no_argument, NULL, OPTION_OFFLINE},
    {NULL, 0, NULL, 0},
};

/* Parses options; allowed lists the option letters the command takes. Returns 0 or the exit
 * code of a usage error. Positional arguments are left at argv[optind...]. */
static int parse_options(int argc, char **argv, const char *allowed, suites_options *out) {
  const cgym_prepare_options defaults = CGYM_PREPARE_OPTIONS_INIT;
  out->json = 0;
  out->all = 0;
  out->prepare = defaults;
  out->prepare.progress = cgym_cli_print_stage;
  optind = 1;
  int option;
  while ((option = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
    if (option == '?' || !strchr(allowed, option))
      return cgym_cli_usage_error("suites", "invalid option for 'suites %s'", argv[0]);
    switch (option) {
    case OPTION_FORMAT:
      if (cgym_cli_parse_format("suites", optarg, &out->json)) return CGYM_EXIT_USAGE;
      break;
    case OPTION_MIRROR: out->prepare.mirror = optarg; break;
    case OPTION_CACHE: out->prepare.cache_dir = optarg; break;
    case OPTION_OFFLINE: out->prepare.offline = 1; break;
    case OPTION_ALL: out->all = 1; break;
    }
  }
  return 0;
}

/* Prints a JSON document on stdout and releases it. */
static int print_json(json_t *document) {
  if (!document) {
    fprintf(stderr, "cgym: out of memory formatting JSON\n");
    return CGYM_EXIT_FAILURE;
  }
  json_dumpf(document, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(document);
  return CGYM_EXIT_OK;
}

/* ---- list and info ---------------------------------------------------------------------- */

/* The benchmark count as JSON: null for a manifest suite whose definition states none. */
static json_t *benchmark_count_json(const cgym_suite *suite) {
  size_t count = cgym_suite_benchmark_count(suite);
  if (count == 0 && strcmp(cgym_suite_kind(suite), "manifest") == 0) return json_null();
  return json_integer((json_int_t)count);
}

static json_t *suite_summary(const cgym_suite *suite) {
  const char *deprecated = cgym_suite_deprecated(suite);
  return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s?}", "name", cgym_suite_name(suite),
                   "kind", cgym_suite_kind(suite), "version", cgym_suite_version(suite),
                   "benchmarks", benchmark_count_json(suite), "license",
                   cgym_suite_license(suite), "definition_sha256",
                   cgym_suite_definition_sha256(suite), "deprecated", deprecated);
}

static void print_summary_row(const cgym_suite *suite) {
  char count[32] = "-";
  json_t *number = benchmark_count_json(suite);
  if (json_is_integer(number))
    snprintf(count, sizeof count, "%lld", (long long)json_integer_value(number));
  json_decref(number);
  printf("%-16s %-9s %-8s %10s  %s%s\n", cgym_suite_name(suite), cgym_suite_kind(suite),
         cgym_suite_version(suite), count, cgym_suite_deprecated(suite) ? "(deprecated) " : "",
         cgym_suite_license(suite));
}

/* `suites list` hides deprecated suites, as CompilerGym hides deprecated datasets, unless
 * --all is given. */
static int suites_list(int argc, char **argv) {
  suites_options options;
  int usage = parse_options(argc, argv, "fa", &options);
  if (usage) return usage;
  if (optind != argc) return cgym_cli_usage_error("suites", "'suites list' takes no arguments");

  json_t *list = json_array();
  if (!options.json) printf("%-16s %-9s %-8s %10s  %s\n", "SUITE", "KIND", "VERSION",
                            "BENCHMARKS", "LICENSE");
  for (const char *const *name = cgym_builtin_suites(); *name; name++) {
    cgym_suite *suite = NULL;
    int rc = cgym_suite_open(&suite, *name);
    if (rc != CGYM_OK) {
      json_decref(list);
      return cgym_cli_report(*name, rc);
    }
    int shown = options.all || !cgym_suite_deprecated(suite);
    if (shown && options.json) json_array_append_new(list, suite_summary(suite));
    else if (shown) print_summary_row(suite);
    cgym_suite_free(suite);
  }
  if (options.json) return print_json(list);
  json_decref(list);
  return CGYM_EXIT_OK;
}

static json_t *archive_details(const cgym_suite *suite, size_t index) {
  size_t url_count = 0;
  const char *const *urls = cgym_suite_archive_urls(suite, index, &url_count);
  json_t *url_list = json_array();
  for (size_t i = 0; i < url_count; i++) json_array_append_new(url_list, json_string(urls[i]));
  return json_pack("{s:s, s:s, s:o}", "file", cgym_suite_archive_file(suite, index), "sha256",
                   cgym_suite_archive_sha256(suite, index), "urls", url_list);
}

static json_t *suite_details(const cgym_suite *suite) {
  json_t *details = suite_summary(suite);
  json_t *archives = json_array();
  json_t *names = json_array();
  for (size_t i = 0; i < cgym_suite_archive_count(suite); i++)
    json_array_append_new(archives, archive_details(suite, i));
  for (const char *name; (name = cgym_suite_benchmark_name(suite, json_array_size(names)));)
    json_array_append_new(names, json_string(name));
  json_object_set_new(details, "origin", json_string(cgym_suite_origin(suite)));
  json_object_set_new(details, "description", json_string(cgym_suite_description(suite)));
  json_object_set_new(details, "archives", archives);
  json_object_set_new(details, "benchmark_names", names);
  return details;
}

static void print_details(json_t *details) {
  const char *scalars[] = {"name", "kind", "version", "license", "origin", "definition_sha256",
                           "description", "deprecated", NULL};
  for (const char *const *key = scalars; *key; key++) {
    const char *value = json_string_value(json_object_get(details, *key));
    if (value) printf("%-18s %s\n", *key, value);
  }
  json_t *count = json_object_get(details, "benchmarks");
  if (json_is_integer(count))
    printf("%-18s %lld\n", "benchmarks", (long long)json_integer_value(count));
  else
    printf("%-18s not stated; the manifest lists them\n", "benchmarks");
  size_t index;
  json_t *value;
  json_array_foreach(json_object_get(details, "archives"), index, value) {
    printf("archive            %s sha256 %s\n", json_string_value(json_object_get(value, "file")),
           json_string_value(json_object_get(value, "sha256")));
    size_t url_index;
    json_t *url;
    json_array_foreach(json_object_get(value, "urls"), url_index, url)
      printf("  url              %s\n", json_string_value(url));
  }
  json_array_foreach(json_object_get(details, "benchmark_names"), index, value)
    printf("benchmark          %s\n", json_string_value(value));
}

static int suites_info(int argc, char **argv) {
  suites_options options;
  int usage = parse_options(argc, argv, "f", &options);
  if (usage) return usage;
  if (optind + 1 != argc) return cgym_cli_usage_error("suites", "expected one SUITE argument");

  cgym_suite *suite = NULL;
  int rc = cgym_suite_open(&suite, argv[optind]);
  if (rc != CGYM_OK) return cgym_cli_report(argv[optind], rc);
  json_t *details = suite_details(suite);
  cgym_suite_free(suite);
  if (options.json) return print_json(details);
  print_details(details);
  json_decref(details);
  return CGYM_EXIT_OK;
}

/* ---- fetch and benchmarks --------------------------------------------------------------- */

static json_t *prepared_json(const cgym_suite *suite, const cgym_prepared_suite *prepared) {
  json_t *benchmarks = json_array();
  json_t *excluded = json_array();
  for (size_t i = 0; i < prepared->benchmark_count; i++) {
    const cgym_benchmark *b = &prepared->benchmarks[i];
    json_array_append_new(benchmarks, json_pack("{s:s, s:s, s:I, s:I, s:s, s:s}", "name",
                                                b->name, "uri", b->uri, "instructions_o0",
                                                (json_int_t)b->instructions_o0, "instructions_oz",
                                                (json_int_t)b->instructions_oz, "sha256",
                                                b->bitcode_sha256, "path", b->bitcode_path));
  }
  for (size_t i = 0; i < prepared->excluded_count; i++) {
    const cgym_excluded_benchmark *e = &prepared->excluded[i];
    json_array_append_new(excluded, json_pack("{s:s, s:s, s:s}", "name", e->name, "uri", e->uri,
                                              "reason", e->reason));
  }
  return json_pack("{s:s, s:s, s:o, s:o, s:I}", "suite", cgym_suite_name(suite), "build_recipe",
                   prepared->build_recipe, "benchmarks", benchmarks, "excluded", excluded,
                   "unbuilt", (json_int_t)prepared->unbuilt_count);
}

/* The as-built count comes from the build recipe (-O1 with LLVM's passes disabled for sources),
 * not from -O0, so the column is labelled "AS BUILT". */
static void print_prepared(const char *suite_argument, const cgym_prepared_suite *prepared) {
  int64_t total_built = 0, total_oz = 0;
  printf("%-40s %10s %10s  %s\n", "BENCHMARK", "AS BUILT", "-Oz", "SHA-256");
  for (size_t i = 0; i < prepared->benchmark_count; i++) {
    const cgym_benchmark *b = &prepared->benchmarks[i];
    printf("%-40s %10lld %10lld  %s\n", b->uri, (long long)b->instructions_o0,
           (long long)b->instructions_oz, b->bitcode_sha256);
    total_built += b->instructions_o0;
    total_oz += b->instructions_oz;
  }
  for (size_t i = 0; i < prepared->excluded_count; i++)
    printf("%-40s excluded: %s\n", prepared->excluded[i].uri, prepared->excluded[i].reason);
  printf("%zu benchmarks, %zu excluded, %lld instructions as built, %lld at -Oz\n",
         prepared->benchmark_count, prepared->excluded_count, (long long)total_built,
         (long long)total_oz);
  if (prepared->unbuilt_count > 0)
    printf("%zu benchmarks not listed here are built only when named, for example with "
           "`cgym run --suite %s --benchmarks NAME,...`\n", prepared->unbuilt_count,
           suite_argument);
}

/* Deprecated suites still build, with a warning that names what to use instead. */
static void warn_if_deprecated(const cgym_suite *suite) {
  const char *deprecated = cgym_suite_deprecated(suite);
  if (deprecated)
    fprintf(stderr, "cgym: warning: suite %s is deprecated: %s\n", cgym_suite_name(suite),
            deprecated);
}

/* `fetch` downloads, verifies and builds; `benchmarks` does the same without the network unless
 * --mirror names a URL. Both list every benchmark with its instruction counts. */
static int suites_prepare(int argc, char **argv, int offline) {
  suites_options options;
  int usage = parse_options(argc, argv, offline ? "fmc" : "fmco", &options);
  if (usage) return usage;
  if (optind + 1 != argc) return cgym_cli_usage_error("suites", "expected one SUITE argument");
  if (offline) options.prepare.offline = 1;

  const char *name = argv[optind];
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  int rc = cgym_suite_open(&suite, name);
  if (rc == CGYM_OK) warn_if_deprecated(suite);
  if (rc == CGYM_OK) rc = cgym_suite_prepare(suite, &options.prepare, &prepared);
  int exit_code = rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(name, rc);
  if (rc == CGYM_OK && options.json) exit_code = print_json(prepared_json(suite, prepared));
  else if (rc == CGYM_OK) print_prepared(name, prepared);
  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  return exit_code;
}

/* ---- verify and remove ------------------------------------------------------------------ */

static json_t *report_json(const cgym_verify_report *report) {
  json_t *findings = json_array();
  for (size_t i = 0; i < report->finding_count; i++) {
    const cgym_verify_finding *f = &report->findings[i];
    json_array_append_new(findings, json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "kind", f->kind,
                                              "path", f->path, "expected", f->expected, "actual",
                                              f->actual, "problem", f->problem));
  }
  return json_pack("{s:I, s:I, s:I, s:o}", "archives_checked",
                   (json_int_t)report->archives_checked, "files_checked",
                   (json_int_t)report->files_checked, "bitcode_checked",
                   (json_int_t)report->bitcode_checked, "findings", findings);
}

static void print_report(const cgym_verify_report *report) {
  for (size_t i = 0; i < report->finding_count; i++) {
    const cgym_verify_finding *f = &report->findings[i];
    printf("%-8s %s: %s", f->kind, f->path, f->problem);
    if (f->expected) printf(", expected %s", f->expected);
    if (f->actual) printf(", got %s", f->actual);
    putchar('\n');
  }
  printf("checked %zu archives, %zu extracted files and %zu bitcode files: %zu problems\n",
         report->archives_checked, report->files_checked, report->bitcode_checked,
         report->finding_count);
}

/* `suites verify [SUITE]`: exit code 4 when anything in the cache differs from its record. */
static int suites_verify(int argc, char **argv) {
  suites_options options;
  int usage = parse_options(argc, argv, "fc", &options);
  if (usage) return usage;
  if (optind + 1 < argc) return cgym_cli_usage_error("suites", "expected at most one SUITE");

  cgym_suite *suite = NULL;
  cgym_verify_report *report = NULL;
  const char *context = optind < argc ? argv[optind] : "cache";
  int rc = optind < argc ? cgym_suite_open(&suite, argv[optind]) : CGYM_OK;
  if (rc == CGYM_OK) rc = cgym_cache_verify(options.prepare.cache_dir, suite, &report);
  int exit_code = rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(context, rc);
  if (rc == CGYM_OK) {
    if (options.json) exit_code = print_json(report_json(report));
    else print_report(report);
    if (report->finding_count > 0) exit_code = CGYM_EXIT_INTEGRITY;
  }
  cgym_verify_report_free(report);
  cgym_suite_free(suite);
  return exit_code;
}

static int suites_remove(int argc, char **argv) {
  suites_options options;
  int usage = parse_options(argc, argv, "c", &options);
  if (usage) return usage;
  if (optind + 1 != argc) return cgym_cli_usage_error("suites", "expected one SUITE argument");

  cgym_suite *suite = NULL;
  size_t removed = 0;
  int rc = cgym_suite_open(&suite, argv[optind]);
  if (rc == CGYM_OK) rc = cgym_cache_remove_suite(options.prepare.cache_dir, suite, &removed);
  if (rc == CGYM_OK) printf("removed %zu cache entries of suite %s\n", removed, argv[optind]);
  cgym_suite_free(suite);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(argv[optind], rc);
}

/* `cgym suites debian-sources SUITE`: the Debian source packages that carry its archives, in
 * the line format that scripts/debian-mirror.sh reads. */
static int suites_debian_sources(int argc, char **argv) {
  if (argc != 2) return cgym_cli_usage_error("suites", "expected one SUITE argument");
  cgym_suite *suite = NULL;
  char *lines = NULL;
  int rc = cgym_suite_open(&suite, argv[1]);
  if (rc == CGYM_OK) rc = cgym_suite_debian_sources(suite, &lines);
  if (rc == CGYM_OK && lines) fputs(lines, stdout);
  free(lines);
  cgym_suite_free(suite);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(argv[1], rc);
}

int cgym_cmd_suites(int argc, char **argv) {
  if (argc < 2) return suites_list(1, argv);
  const char *command = argv[1];
  if (strcmp(command, "list") == 0) return suites_list(argc - 1, argv + 1);
  if (strcmp(command, "info") == 0) return suites_info(argc - 1, argv + 1);
  if (strcmp(command, "fetch") == 0) return suites_prepare(argc - 1, argv + 1, 0);
  if (strcmp(command, "benchmarks") == 0) return suites_prepare(argc - 1, argv + 1, 1);
  if (strcmp(command, "verify") == 0) return suites_verify(argc - 1, argv + 1);
  if (strcmp(command, "remove") == 0) return suites_remove(argc - 1, argv + 1);
  if (strcmp(command, "debian-sources") == 0) return suites_debian_sources(argc - 1, argv + 1);
  if (strcmp(command, "run") == 0) return cgym_cmd_suites_run(argc - 1, argv + 1);
  return cgym_cli_usage_error("suites",
                              "unknown suites command '%s'; expected list, info, "
                              "fetch, benchmarks, verify, remove, debian-sources or run",
                              command);
}
