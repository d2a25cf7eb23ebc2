/*
 * `cgym verify`: offline verification of a signed manifest. Every key given must have signed it,
 * every subject file must match its digest, and with --replay every episode is re-run through the
 * env core and compared exactly with its record.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgym/error.h"
#include "harness/cli.h"
#include "harness/replay.h"
#include "harness/run.h"
#include "manifests/manifest.h"

/* Bounds on the verification options, as for `cgym run`. */
#define MAX_KEYS 16
#define MAX_JOBS 256
#define DEFAULT_TIMEOUT_SECONDS 900

enum { OPT_SUITE = 1000, OPT_MIRROR, OPT_CACHE, OPT_OFFLINE, OPT_TIMEOUT };

static const struct option verify_options[] = {
    {"key", required_argument, NULL, 'k'},
    {"replay", no_argument, NULL, 'r'},
    {"jobs", required_argument, NULL, 'j'},
    {"suite", required_argument, NULL, OPT_SUITE},
    {"mirror", required_argument, NULL, OPT_MIRROR},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {NULL, 0, NULL, 0},
};

typedef struct verify_request {
  const char *keys[MAX_KEYS];
  size_t key_count;
  int replay;
  cgym_replay_options replay_options;
} verify_request;

static double monotonic_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int parse_verify(int argc, char **argv, verify_request *request) {
  uint64_t value = 0;
  int option;
  while ((option = getopt_long(argc, argv, "k:rj:", verify_options, NULL)) != -1) {
    switch (option) {
    case 'k':
      if (request->key_count == MAX_KEYS)
        return cgym_cli_usage_error("verify", "more than %d --key options", MAX_KEYS);
      request->keys[request->key_count++] = optarg;
      break;
    case 'r': request->replay = 1; break;
    case 'j':
      if (cgym_cli_parse_u64(optarg, MAX_JOBS, &value) != 0 || value == 0)
        return cgym_cli_usage_error("verify", "invalid --jobs '%s': expected 1 to %d", optarg,
                                    MAX_JOBS);
      request->replay_options.limits.jobs = (unsigned)value;
      break;
    case OPT_SUITE: request->replay_options.suite = optarg; break;
    case OPT_MIRROR: request->replay_options.prepare.mirror = optarg; break;
    case OPT_CACHE: request->replay_options.prepare.cache_dir = optarg; break;
    case OPT_OFFLINE: request->replay_options.prepare.offline = 1; break;
    case OPT_TIMEOUT:
      if (cgym_cli_parse_u64(optarg, 7 * 24 * 3600, &value) != 0)
        return cgym_cli_usage_error("verify", "invalid --timeout '%s'", optarg);
      request->replay_options.limits.timeout_seconds = (unsigned)value;
      break;
    default: return cgym_cli_usage_error("verify", "invalid option");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("verify", "expected one MANIFEST argument");
  if (request->key_count == 0)
    return cgym_cli_usage_error("verify", "missing --key PUBLIC_KEY_FILE");
  return CGYM_EXIT_OK;
}

/*
 * Checks the manifest and key files before verifying. A missing file then exits with 2 (usage
 * error) and a malformed key file with 4 (input rejected), which leaves 3 for a manifest that
 * does not verify.
 */
static int check_inputs(const char *manifest_path, const verify_request *request) {
  struct stat info;
  char key_id[65];

  if (stat(manifest_path, &info) != 0)
    return cgym_cli_usage_error("verify", "manifest %s not found: give the %s that "
                                "'cgym run --key' wrote", manifest_path, CGYM_MANIFEST_FILE);
  if (S_ISDIR(info.st_mode))
    return cgym_cli_usage_error("verify", "manifest path %s is a folder, but a file is "
                                "expected: give %s/%s", manifest_path, manifest_path,
                                CGYM_MANIFEST_FILE);
  for (size_t i = 0; i < request->key_count; i++) {
    int rc = cgym_public_key_id(request->keys[i], key_id);
    if (rc != CGYM_OK) return cgym_cli_report("verify --key", rc);
  }
  return CGYM_EXIT_OK;
}

/* Checks the signature of every key; the last report is kept for the predicate. */
static int verify_keys(const char *manifest_path, const verify_request *request,
                       cgym_manifest_verify_report *report) {
  for (size_t i = 0; i < request->key_count; i++) {
    cgym_manifest_verify_report_clear(report);
    if (cgym_manifest_verify(manifest_path, request->keys[i], report) != CGYM_OK) {
      fprintf(stderr, "cgym: verify %s: FAILED: %s\n", manifest_path, cgym_error_message());
      return CGYM_EXIT_VERIFY;
    }
    printf("verified %s: signature by key %s, %zu subject%s match\n", manifest_path,
           report->key_id, report->subject_count, report->subject_count == 1 ? "" : "s");
  }
  return CGYM_EXIT_OK;
}

static int replay(const char *manifest_path, json_t *predicate, const verify_request *request) {
  cgym_run_manifest manifest = {0};
  cgym_replay_report report = {0};
  double started = monotonic_seconds();

  int rc = cgym_run_manifest_load(manifest_path, predicate, &manifest);
  if (rc == CGYM_OK) rc = cgym_replay_manifest(&manifest, &request->replay_options, &report);
  if (rc != CGYM_OK) {
    cgym_run_manifest_clear(&manifest);
    return cgym_cli_report("verify --replay", rc);
  }

  for (size_t i = 0; i < report.line_count; i++) printf("  %s\n", report.lines[i]);
  printf("replay %s: %zu of %zu episodes replayed, %zu differ, %zu not replayed (status not ok); "
         "%.1f s\n", report.differing ? "FAILED" : "matched", report.replayed,
         manifest.episode_count, report.differing, report.skipped, monotonic_seconds() - started);
  int exit_code = report.differing ? CGYM_EXIT_VERIFY : CGYM_EXIT_OK;
  cgym_replay_report_clear(&report);
  cgym_run_manifest_clear(&manifest);
  return exit_code;
}

int cgym_cmd_verify(int argc, char **argv) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  verify_request request = {
      .replay_options = {.prepare = (cgym_prepare_options)CGYM_PREPARE_OPTIONS_INIT,
                         .limits = {DEFAULT_TIMEOUT_SECONDS, 0, cpus > 0 ? (unsigned)cpus : 1}},
  };
  int exit_code = parse_verify(argc, argv, &request);
  if (exit_code != CGYM_EXIT_OK) return exit_code;

  const char *manifest_path = argv[optind];
  cgym_manifest_verify_report report = {0};
  exit_code = check_inputs(manifest_path, &request);
  if (exit_code == CGYM_EXIT_OK) exit_code = verify_keys(manifest_path, &request, &report);
  if (exit_code == CGYM_EXIT_OK && request.replay)
    exit_code = replay(manifest_path, report.predicate, &request);
  cgym_manifest_verify_report_clear(&report);
  return exit_code;
}
