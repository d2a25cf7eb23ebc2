#ifndef CGYM_RESULTS_INTERNAL_H
#define CGYM_RESULTS_INTERNAL_H

/* Helpers shared by the files of results/. Internal to libcgym. */

#include "results/results.h"

/* Maximum size of a results.json that cgym_results_read_json accepts: 1 GiB, far above the few
 * kilobytes per episode that a record takes, so only a wrong or hostile file reaches it. */
#define CGYM_RESULTS_JSON_MAX ((size_t)1 << 30)

/* Looks up a status by its name in results.json; returns 1 when found, 0 otherwise. */
int cgym_episode_status_parse(const char *name, cgym_episode_status *status);

#endif
