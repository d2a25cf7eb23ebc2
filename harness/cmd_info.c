/*
 * Informational and single-module commands: `cgym agents`, `cgym actions` and `cgym apply`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines/agent.h"
#include "cgym/actions.h"
#include "cgym/env.h"
#include "cgym/error.h"
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
