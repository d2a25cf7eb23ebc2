/*
 * `cgym keygen` and `cgym sign`: Ed25519 keys and co-signing of an existing manifest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgym/error.h"
#include "harness/cli.h"
#include "manifests/manifest.h"

static const struct option keygen_options[] = {
    {"key", required_argument, NULL, 'k'},
    {"force", no_argument, NULL, 'f'},
    {NULL, 0, NULL, 0},
};

/* Creates the key's folder (mode 0700) when it does not exist; its parent must exist. */
static int make_key_folder(const char *private_path) {
  const char *slash = strrchr(private_path, '/');
  if (!slash || slash == private_path) return 0;
  char *folder = strndup(private_path, (size_t)(slash - private_path));
  if (!folder) return -1;
  int rc = 0;
  if (mkdir(folder, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "cgym: keygen: cannot create folder '%s': %s\n", folder, strerror(errno));
    rc = -1;
  }
  free(folder);
  return rc;
}

int cgym_cmd_keygen(int argc, char **argv) {
  const char *private_path = NULL;
  int force = 0, option;
  while ((option = getopt_long(argc, argv, "k:f", keygen_options, NULL)) != -1) {
    switch (option) {
    case 'k': private_path = optarg; break;
    case 'f': force = 1; break;
    default: return cgym_cli_usage_error("keygen", "invalid option");
    }
  }
  if (optind < argc) return cgym_cli_usage_error("keygen", "unexpected argument '%s'", argv[optind]);
  if (!private_path) return cgym_cli_usage_error("keygen", "missing --key FILE");

  if (make_key_folder(private_path) != 0) return CGYM_EXIT_FAILURE;

  size_t size = strlen(private_path) + 5;
  char *public_path = malloc(size);
  if (!public_path) return CGYM_EXIT_FAILURE;
  snprintf(public_path, size, "%s.pub", private_path);
  int rc = cgym_keygen(private_path, public_path, force);
  if (rc == CGYM_OK) {
    printf("private key: %s\npublic key: %s\n", private_path, public_path);
  }
  free(public_path);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report("keygen", rc);
}

static const struct option sign_options[] = {
    {"key", required_argument, NULL, 'k'},
    {NULL, 0, NULL, 0},
};

int cgym_cmd_sign(int argc, char **argv) {
  const char *key_path = NULL;
  int option;
  while ((option = getopt_long(argc, argv, "k:", sign_options, NULL)) != -1) {
    switch (option) {
    case 'k': key_path = optarg; break;
    default: return cgym_cli_usage_error("sign", "invalid option");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("sign", "expected one MANIFEST argument");
  if (!key_path) return cgym_cli_usage_error("sign", "missing --key PRIVATE_KEY_FILE");

  int rc = cgym_manifest_cosign(argv[optind], key_path);
  if (rc != CGYM_OK) return cgym_cli_report("sign", rc);
  printf("signed %s with %s\n", argv[optind], key_path);
  return CGYM_EXIT_OK;
}
