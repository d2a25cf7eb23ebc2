/*
 * Informational and single-module commands: `cgym agents`, `cgym actions` and `cgym apply`.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines/agent.h"
#include "cgym/actions.h"
#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/targets.h"
#include "env/error_internal.h"
#include "harness/cli.h"

int cgym_cmd_agents(int argc, char **argv) {
  (void)argv;
  if (argc > 1) return cgym_cli_usage_error("agents", "'agents' takes no arguments");
  size_t count = 0;
  const cgym_agent *agents = cgym_agents(&count);
  for (size_t i = 0; i < count; i++) printf("%-8s %s\n", agents[i].name, agents[i].description);
  return CGYM_EXIT_OK;
}

int cgym_cmd_actions(int argc, char **argv) {
  static const char *const names[] = {"passes", "functions", "loops", "pipelines"};
  const cgym_action_space *spaces[] = {cgym_action_space_passes(),
                                       cgym_action_space_function_passes(),
                                       cgym_action_space_loop_unroll(),
                                       cgym_action_space_pipelines()};
  const cgym_action_space *space = spaces[0];
  if (argc > 2) return cgym_cli_usage_error("actions", "expected at most one SPACE argument");
  if (argc == 2) {
    space = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      if (strcmp(argv[1], names[i]) == 0) space = spaces[i];
    if (!space)
      return cgym_cli_usage_error("actions", "unknown action space '%s'; expected passes, "
                                  "functions, loops or pipelines", argv[1]);
  }
  printf("# action space %s, sha256 %s, %zu actions\n", cgym_action_space_id(space),
         cgym_action_space_hash(space), cgym_action_space_size(space));
  for (size_t i = 0; i < cgym_action_space_size(space); i++) {
    const cgym_action *action = cgym_action_space_get(space, i);
    printf("%3zu %-32s %-34s %s\n", i, action->name,
           action->legacy_flag ? action->legacy_flag : "-", action->pipeline);
  }
  if (space != spaces[0]) return CGYM_EXIT_OK;
  size_t dropped_count = 0;
  const cgym_dropped_pass *dropped = cgym_action_space_dropped(&dropped_count);
  for (size_t i = 0; i < dropped_count; i++) {
    printf("# dropped %s: %s\n", dropped[i].legacy_flag, dropped[i].reason);
  }
  return CGYM_EXIT_OK;
}

static const struct option apply_options[] = {
    {"actions", required_argument, NULL, 'a'},
    {"list", required_argument, NULL, 'l'},
    {"output", required_argument, NULL, 'o'},
    {NULL, 0, NULL, 0},
};

/* Prints the Functions or Loops observation of the env: one JSON array on one line. */
static int print_targets(cgym_env *env, const char *which) {
  cgym_observation value;
  int rc = cgym_env_observe(&value, env, strcmp(which, "loops") == 0 ? "Loops" : "Functions");
  if (rc != CGYM_OK) return rc;
  printf("%s: %s\n", which, value.string);
  cgym_observation_clear(&value);
  return CGYM_OK;
}

/* Runs one item of --actions: NAME, NAME@function:INDEX or NAME@loop:INDEX. */
static int apply_step(cgym_env *env, const cgym_action_space *space, char *item, double *reward) {
  size_t index = 0;
  char *at = strchr(item, '@');
  if (!at) {
    int rc = cgym_action_space_find(space, item, &index);
    return rc == CGYM_OK ? cgym_env_step(env, index, reward) : rc;
  }

  *at = '\0';
  const char *where = at + 1;
  int is_loop = strncmp(where, "loop:", 5) == 0;
  if (!is_loop && strncmp(where, "function:", 9) != 0)
    return cgym_error_set(CGYM_EINVAL, "expected NAME@function:INDEX or NAME@loop:INDEX, got "
                          "'%s@%s'", item, where);
  const char *number = where + (is_loop ? 5 : 9);
  uint64_t target = 0;
  if (cgym_cli_parse_u64(number, SIZE_MAX, &target) != 0)
    return cgym_error_set(CGYM_EINVAL, "expected a function or loop index after '%.*s', got "
                          "'%s'", (int)(number - where), where, number);
  const cgym_action_space *finer =
      is_loop ? cgym_action_space_loop_unroll() : cgym_action_space_function_passes();
  int rc = cgym_action_space_find(finer, item, &index);
  if (rc != CGYM_OK) return rc;
  return is_loop ? cgym_env_step_loop(env, (size_t)target, index, reward)
                 : cgym_env_step_function(env, (size_t)target, index, reward);
}

/* `cgym apply MODULE --actions a,b,c`: steps one module and prints what it measured. */
int cgym_cmd_apply(int argc, char **argv) {
  char *actions = NULL;
  const char *list = NULL, *output = NULL;
  int option;
  while ((option = getopt_long(argc, argv, "a:", apply_options, NULL)) != -1) {
    switch (option) {
    case 'a': actions = optarg; break;
    case 'l': list = optarg; break;
    case 'o': output = optarg; break;
    default: return cgym_cli_usage_error("apply", "invalid option");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("apply", "expected one MODULE argument");
  if (list && strcmp(list, "functions") != 0 && strcmp(list, "loops") != 0)
    return cgym_cli_usage_error("apply", "expected --list functions or --list loops, got '%s'",
                                list);

  const char *path = argv[optind];
  const cgym_action_space *space = cgym_action_space_passes();
  cgym_env *env = NULL;
  int rc = cgym_env_create(&env, NULL);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, path, path);
  double total_reward = 0;
  for (char *save = NULL, *name = actions ? strtok_r(actions, ",", &save) : NULL;
       rc == CGYM_OK && name; name = strtok_r(NULL, ",", &save)) {
    double reward = 0;
    rc = apply_step(env, space, name, &reward);
    total_reward += reward;
  }

  int64_t c0 = 0, c_oz = 0, count = 0;
  char sha256[65];
  if (rc == CGYM_OK) rc = cgym_env_baselines(env, &c0, &c_oz);
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &count);
  if (rc == CGYM_OK) rc = cgym_env_bitcode_sha256(env, sha256);
  if (rc == CGYM_OK && output) rc = cgym_env_write_bitcode(env, output);
  if (rc == CGYM_OK) {
    printf("instructions: %lld\nsha256: %s\nc0: %lld\nc_oz: %lld\nreward: %.6f\n",
           (long long)count, sha256, (long long)c0, (long long)c_oz, total_reward);
  }
  if (rc == CGYM_OK && list) rc = print_targets(env, list);
  cgym_env_free(env);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(path, rc);
}
