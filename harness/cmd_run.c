/*
 * `cgym run`: parses the command line into a run plan and executes it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgym/actions.h"
#include "env/error_internal.h"
#include "harness/cli.h"
#include "harness/run.h"
#include "manifests/manifest_internal.h"

#define DEFAULT_AGENTS "oz,random,greedy"
#define DEFAULT_TIMEOUT_SECONDS 900
#define DEFAULT_MEMORY_LIMIT_MIB 4096
/* Bounds on options, so a typo cannot ask for a run that never ends. */
#define MAX_AGENTS 16
#define MAX_EPISODES 10000
#define MAX_STEPS 100000
#define MAX_JOBS 256
#define MAX_GENERATOR_COUNT 100000

/*
 * A test-only agent whose single step is a real LLVM pipeline that ends the worker with an LLVM
 * fatal error on some modules. It exists so tests can show that such an episode is recorded and
 * the run finishes the others; it is offered only when CGYM_ENABLE_TEST_AGENTS=1.
 */
static int run_fatal_test_agent(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                                cgym_episode_log *log) {
  (void)params;
  (void)rng;
  const char *pipeline = cgym_test_action_pipeline(CGYM_TEST_ACTION_FATAL);
  int rc = cgym_env_step_pipeline(env, pipeline, NULL);
  if (rc != CGYM_OK) return rc;
  int64_t count = 0;
  cgym_env_instruction_count(env, &count);
  log->steps_taken = 1;
  return cgym_episode_log_append(log, CGYM_TEST_ACTION_FATAL, pipeline, count);
}

static const cgym_agent fatal_test_agent = {
    .name = CGYM_TEST_ACTION_FATAL,
    .description = "test only: one pipeline that makes LLVM end the process on some modules",
    .uses_rng = 0,
    .run = run_fatal_test_agent,
};

static int find_agent(const char *name, const cgym_agent **agent) {
  const char *enabled = getenv("CGYM_ENABLE_TEST_AGENTS");
  if (enabled && strcmp(enabled, "1") == 0 && strcmp(name, fatal_test_agent.name) == 0) {
    *agent = &fatal_test_agent;
    return CGYM_OK;
  }
  return cgym_agent_find(name, agent);
}

/* Splits a comma-separated agent list into plan->agents (at most MAX_AGENTS, no repeats). */
static int parse_agents(char *list, const cgym_agent **agents, size_t *count) {
  *count = 0;
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
       name = strtok_r(NULL, ",", &save)) {
    if (*count == MAX_AGENTS) {
      return cgym_error_set(CGYM_EINVAL, "more than %d agents in --agent", MAX_AGENTS);
    }
    const cgym_agent *agent = NULL;
    int rc = find_agent(name, &agent);
    if (rc != CGYM_OK) return rc;
    for (size_t i = 0; i < *count; i++) {
      if (agents[i] == agent) {
        return cgym_error_set(CGYM_EINVAL, "agent '%s' is listed twice in --agent", name);
      }
    }
    agents[(*count)++] = agent;
  }
  if (*count == 0) return cgym_error_set(CGYM_EINVAL, "--agent lists no agent");
  return CGYM_OK;
}

/* Parses "FIRST-LAST" into a first seed and a count. */
static int parse_seed_range(const char *text, uint64_t *first, uint64_t *count) {
  const char *dash = strchr(text, '-');
  uint64_t last = 0;
  char first_text[32];
  if (!dash || (size_t)(dash - text) >= sizeof first_text) return -1;
  memcpy(first_text, text, (size_t)(dash - text));
  first_text[dash - text] = '\0';
  if (cgym_cli_parse_u64(first_text, UINT32_MAX, first) != 0) return -1;
  if (cgym_cli_parse_u64(dash + 1, UINT32_MAX, &last) != 0 || last < *first) return -1;
  if (last - *first + 1 > MAX_GENERATOR_COUNT) return -1;
  *count = last - *first + 1;
  return 0;
}

static int parse_number(const char *option, const char *text, uint64_t max, uint64_t *out) {
  if (cgym_cli_parse_u64(text, max, out) == 0) return 0;
  cgym_cli_usage_error("run", "invalid value '%s' for --%s: expected an integer from 0 to %llu",
                       text, option, (unsigned long long)max);
  return -1;
}

enum {
  OPT_EPISODE_LENGTH = 1000,
  OPT_PATIENCE,
  OPT_MAX_STEPS,
  OPT_TIMEOUT,
  OPT_MEMORY,
  OPT_MIRROR,
  OPT_CACHE,
  OPT_OFFLINE,
  OPT_GENERATOR_SEEDS,
  OPT_BENCHMARKS,
};

static const struct option run_options[] = {
    {"suite", required_argument, NULL, 's'},
    {"agent", required_argument, NULL, 'a'},
    {"seed", required_argument, NULL, 'S'},
    {"out", required_argument, NULL, 'o'},
    {"episodes", required_argument, NULL, 'e'},
    {"jobs", required_argument, NULL, 'j'},
    {"key", required_argument, NULL, 'k'},
    {"quiet", no_argument, NULL, 'q'},
    {"episode-length", required_argument, NULL, OPT_EPISODE_LENGTH},
    {"patience", required_argument, NULL, OPT_PATIENCE},
    {"max-steps", required_argument, NULL, OPT_MAX_STEPS},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"memory-limit", required_argument, NULL, OPT_MEMORY},
    {"mirror", required_argument, NULL, OPT_MIRROR},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {"generator-seeds", required_argument, NULL, OPT_GENERATOR_SEEDS},
    {"benchmarks", required_argument, NULL, OPT_BENCHMARKS},
    {NULL, 0, NULL, 0},
};

/* Checks the signing key and the output folder before any episode runs, so that a run of hours
 * does not end in an error that was there from the start. */
static int check_outputs(const cgym_run_plan *plan) {
  struct stat info;
  if (stat(plan->out_dir, &info) == 0 && !S_ISDIR(info.st_mode))
    return cgym_error_set(CGYM_EINVAL, "--out %s exists and is not a folder; name a new or "
                          "existing folder", plan->out_dir);
  if (!plan->signing_key) return CGYM_OK;
  EVP_PKEY *key = NULL;
  int rc = cgym_key_load_private(plan->signing_key, &key);
  EVP_PKEY_free(key);
  if (rc == CGYM_ENOTFOUND)
    return cgym_error_set(rc, "signing key %s not found; 'cgym keygen --key %s' writes it and "
                          "its public key %s.pub", plan->signing_key, plan->signing_key,
                          plan->signing_key);
  return rc;
}

/* Splits a comma-separated benchmark list into a NULL-terminated array inside `list`. */
static const char **split_benchmarks(char *list) {
  size_t count = 1;
  for (const char *c = list; *c; c++) count += *c == ',';
  const char **names = calloc(count + 1, sizeof *names);
  if (!names) return NULL;
  size_t next = 0;
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
       name = strtok_r(NULL, ",", &save)) {
    names[next++] = name;
  }
  return names;
}

int cgym_cmd_run(int argc, char **argv) {
  const cgym_agent *agents[MAX_AGENTS];
  char agent_list[1024] = DEFAULT_AGENTS;
  char *benchmark_list = NULL;
  uint64_t value = 0;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  cgym_run_plan plan = {
      .suite = "default",
      .agents = agents,
      .params = (cgym_agent_params)CGYM_AGENT_PARAMS_DEFAULT,
      .seed = 0,
      .episodes = 1,
      .out_dir = "cgym-results",
      .prepare = (cgym_prepare_options)CGYM_PREPARE_OPTIONS_INIT,
      .limits = {DEFAULT_TIMEOUT_SECONDS, (uint64_t)DEFAULT_MEMORY_LIMIT_MIB << 20,
                 cpus > 0 ? (unsigned)cpus : 1},
  };

  int option;
  while ((option = getopt_long(argc, argv, "s:a:S:o:e:j:k:q", run_options, NULL)) != -1) {
    switch (option) {
    case 's': plan.suite = optarg; break;
    case 'a':
      if (strlen(optarg) >= sizeof agent_list) {
        return cgym_cli_usage_error("run", "--agent list is too long");
      }
      strcpy(agent_list, optarg);
      break;
    case 'S':
      if (parse_number("seed", optarg, INT64_MAX, &plan.seed)) return CGYM_EXIT_USAGE;
      break;
    case 'o': plan.out_dir = optarg; break;
    case 'e':
      if (parse_number("episodes", optarg, MAX_EPISODES, &plan.episodes)) return CGYM_EXIT_USAGE;
      if (plan.episodes == 0) return cgym_cli_usage_error("run", "--episodes must be at least 1");
      break;
    case 'j':
      if (parse_number("jobs", optarg, MAX_JOBS, &value)) return CGYM_EXIT_USAGE;
      if (value == 0) return cgym_cli_usage_error("run", "--jobs must be at least 1");
      plan.limits.jobs = (unsigned)value;
      break;
    case 'k': plan.signing_key = optarg; break;
    case 'q': plan.quiet = 1; break;
    case OPT_EPISODE_LENGTH:
      if (parse_number("episode-length", optarg, MAX_STEPS, &value)) return CGYM_EXIT_USAGE;
      plan.params.episode_length = (int64_t)value;
      break;
    case OPT_PATIENCE:
      if (parse_number("patience", optarg, MAX_STEPS, &value)) return CGYM_EXIT_USAGE;
      plan.params.patience = (int64_t)value;
      break;
    case OPT_MAX_STEPS:
      if (parse_number("max-steps", optarg, MAX_STEPS, &value)) return CGYM_EXIT_USAGE;
      plan.params.max_steps = (int64_t)value;
      break;
    case OPT_TIMEOUT:
      if (parse_number("timeout", optarg, 7 * 24 * 3600, &value)) return CGYM_EXIT_USAGE;
      plan.limits.timeout_seconds = (unsigned)value;
      break;
    case OPT_MEMORY:
      if (parse_number("memory-limit", optarg, 1u << 24, &value)) return CGYM_EXIT_USAGE;
      plan.limits.memory_limit_bytes = value << 20;
      break;
    case OPT_MIRROR: plan.prepare.mirror = optarg; break;
    case OPT_CACHE: plan.prepare.cache_dir = optarg; break;
    case OPT_OFFLINE: plan.prepare.offline = 1; break;
    case OPT_GENERATOR_SEEDS:
      if (parse_seed_range(optarg, &plan.prepare.generator_first,
                           &plan.prepare.generator_count) != 0) {
        return cgym_cli_usage_error(
            "run", "invalid --generator-seeds '%s': expected FIRST-LAST, at most %d seeds",
            optarg, MAX_GENERATOR_COUNT);
      }
      break;
    case OPT_BENCHMARKS: benchmark_list = optarg; break;
    default: return cgym_cli_usage_error("run", "invalid option");
    }
  }
  if (optind < argc) {
    return cgym_cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
  }

  int rc = parse_agents(agent_list, agents, &plan.agent_count);
  if (rc != CGYM_OK) return cgym_cli_report("--agent", rc);
  rc = check_outputs(&plan);
  if (rc != CGYM_OK) return cgym_cli_report("run", rc);

  const char **only = NULL;
  if (benchmark_list) {
    only = split_benchmarks(benchmark_list);
    if (!only) return cgym_cli_report("run", cgym_error_set(CGYM_ENOMEM, "out of memory"));
    plan.prepare.only = only;
  }

  rc = cgym_run_execute(&plan);
  free(only);
  if (rc != CGYM_OK) return cgym_cli_report("run", rc);
  if (!plan.quiet) {
    fprintf(stderr, "cgym: wrote %s/%s and %s/%s", plan.out_dir, CGYM_RESULTS_JSON, plan.out_dir,
            CGYM_RESULTS_MARKDOWN);
    if (plan.signing_key) fprintf(stderr, " and signed %s/%s", plan.out_dir, CGYM_MANIFEST_FILE);
    fputc('\n', stderr);
    if (!plan.signing_key) {
      fprintf(stderr, "cgym: no --key given, so no manifest was signed; create a key with "
                      "'cgym keygen --key FILE'\n");
    }
  }
  return CGYM_EXIT_OK;
}
