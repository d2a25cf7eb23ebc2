/*
 * Informational and single-module commands: `cgym suites`, `cgym agents`, `cgym actions` and
 * `cgym apply`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines/agent.h"
#include "cgym/actions.h"
#include "cgym/env.h"
#include "cgym/error.h"
#include "datasets/datasets.h"
#include "harness/cli.h"

static int suites_list(void) {
  for (const char *const *name = cgym_builtin_suites(); *name; name++) {
    cgym_suite *suite = NULL;
    if (cgym_suite_open(&suite, *name) != CGYM_OK) return cgym_cli_report(*name, CGYM_EFORMAT);
    printf("%-12s version %-4s definition sha256 %s\n", cgym_suite_name(suite),
           cgym_suite_version(suite), cgym_suite_definition_sha256(suite));
    cgym_suite_free(suite);
  }
  return CGYM_EXIT_OK;
}

static const struct option fetch_options[] = {
    {"mirror", required_argument, NULL, 'm'},
    {"cache", required_argument, NULL, 'c'},
    {"offline", no_argument, NULL, 'o'},
    {NULL, 0, NULL, 0},
};

static void print_stage(void *context, const char *message) {
  (void)context;
  fprintf(stderr, "cgym: %s\n", message);
}

/* `cgym suites fetch SUITE`: downloads, verifies and builds, then lists the benchmarks. */
static int suites_fetch(int argc, char **argv) {
  cgym_prepare_options options = CGYM_PREPARE_OPTIONS_INIT;
  options.progress = print_stage;
  int option;
  while ((option = getopt_long(argc, argv, "", fetch_options, NULL)) != -1) {
    switch (option) {
    case 'm': options.mirror = optarg; break;
    case 'c': options.cache_dir = optarg; break;
    case 'o': options.offline = 1; break;
    default: return cgym_cli_usage_error("suites", "invalid option");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("suites", "expected one SUITE argument");

  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  int rc = cgym_suite_open(&suite, argv[optind]);
  if (rc == CGYM_OK) rc = cgym_suite_prepare(suite, &options, &prepared);
  if (rc == CGYM_OK) {
    for (size_t i = 0; i < prepared->benchmark_count; i++) {
      const cgym_benchmark *benchmark = &prepared->benchmarks[i];
      printf("%s %s %s\n", benchmark->uri, benchmark->bitcode_sha256, benchmark->bitcode_path);
    }
  }
  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(argv[optind], rc);
}

/* `cgym suites debian-sources SUITE`: the Debian source packages that carry its archives. */
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
  if (argc < 2 || strcmp(argv[1], "list") == 0) return suites_list();
  if (strcmp(argv[1], "fetch") == 0) return suites_fetch(argc - 1, argv + 1);
  if (strcmp(argv[1], "debian-sources") == 0) return suites_debian_sources(argc - 1, argv + 1);
  return cgym_cli_usage_error("suites", "unknown suites command '%s'; expected list, fetch or "
                              "debian-sources", argv[1]);
}

int cgym_cmd_agents(int argc, char **argv) {
  (void)argv;
  if (argc > 1) return cgym_cli_usage_error("agents", "'agents' takes no arguments");
  size_t count = 0;
  const cgym_agent *agents = cgym_agents(&count);
  for (size_t i = 0; i < count; i++) printf("%-8s %s\n", agents[i].name, agents[i].description);
  return CGYM_EXIT_OK;
}

int cgym_cmd_actions(int argc, char **argv) {
  (void)argv;
  if (argc > 1) return cgym_cli_usage_error("actions", "'actions' takes no arguments");
  const cgym_action_space *space = cgym_action_space_passes();
  printf("# action space %s, sha256 %s, %zu actions\n", cgym_action_space_id(space),
         cgym_action_space_hash(space), cgym_action_space_size(space));
  for (size_t i = 0; i < cgym_action_space_size(space); i++) {
    const cgym_action *action = cgym_action_space_get(space, i);
    printf("%3zu %-32s %-34s %s\n", i, action->name,
           action->legacy_flag ? action->legacy_flag : "-", action->pipeline);
  }
  size_t dropped_count = 0;
  const cgym_dropped_pass *dropped = cgym_action_space_dropped(&dropped_count);
  for (size_t i = 0; i < dropped_count; i++) {
    printf("# dropped %s: %s\n", dropped[i].legacy_flag, dropped[i].reason);
  }
  return CGYM_EXIT_OK;
}

static const struct option apply_options[] = {
    {"actions", required_argument, NULL, 'a'},
    {NULL, 0, NULL, 0},
};

/* `cgym apply MODULE --actions a,b,c`: steps one module and prints what it measured. */
int cgym_cmd_apply(int argc, char **argv) {
  char *actions = NULL;
  int option;
  while ((option = getopt_long(argc, argv, "a:", apply_options, NULL)) != -1) {
    switch (option) {
    case 'a': actions = optarg; break;
    default: return cgym_cli_usage_error("apply", "invalid option");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("apply", "expected one MODULE argument");

  const char *path = argv[optind];
  const cgym_action_space *space = cgym_action_space_passes();
  cgym_env *env = NULL;
  int rc = cgym_env_create(&env, NULL);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, path, path);
  double total_reward = 0;
  for (char *save = NULL, *name = actions ? strtok_r(actions, ",", &save) : NULL;
       rc == CGYM_OK && name; name = strtok_r(NULL, ",", &save)) {
    size_t index = 0;
    double reward = 0;
    rc = cgym_action_space_find(space, name, &index);
    if (rc == CGYM_OK) rc = cgym_env_step(env, index, &reward);
    total_reward += reward;
  }

  int64_t c0 = 0, c_oz = 0, count = 0;
  char sha256[65];
  if (rc == CGYM_OK) rc = cgym_env_baselines(env, &c0, &c_oz);
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &count);
  if (rc == CGYM_OK) rc = cgym_env_bitcode_sha256(env, sha256);
  if (rc == CGYM_OK) {
    printf("instructions: %lld\nsha256: %s\nc0: %lld\nc_oz: %lld\nreward: %.6f\n",
           (long long)count, sha256, (long long)c0, (long long)c_oz, total_reward);
  }
  cgym_env_free(env);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(path, rc);
}
