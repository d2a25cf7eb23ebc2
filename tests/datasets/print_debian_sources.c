/* Stands in for `cgym suites debian-sources SUITE` in the tests of scripts/debian-mirror.sh:
 * prints cgym_suite_debian_sources() of the suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"

int main(int argc, char **argv) {
  if (argc != 4 || strcmp(argv[1], "suites") != 0 || strcmp(argv[2], "debian-sources") != 0) {
    fprintf(stderr, "usage: %s suites debian-sources SUITE\n", argv[0]);
    return 2;
  }
  cgym_suite *suite = NULL;
  char *lines = NULL;
  if (cgym_suite_open(&suite, argv[3]) != CGYM_OK ||
      cgym_suite_debian_sources(suite, &lines) != CGYM_OK) {
    fprintf(stderr, "%s\n", cgym_error_message());
    cgym_suite_free(suite);
    return 1;
  }
  fputs(lines, stdout);
  free(lines);
  cgym_suite_free(suite);
  return 0;
}
