#ifndef CGYM_DATASETS_VERIFY_H
#define CGYM_DATASETS_VERIFY_H

/* Collecting the findings of `cgym suites verify` (cgym_cache_verify in datasets.h). */

#include "datasets/datasets.h"

/* Appends one finding. expected and actual may be NULL. Returns CGYM_OK or CGYM_ENOMEM. */
int cgym_verify_report_add(cgym_verify_report *report, const char *kind, const char *path,
                           const char *expected, const char *actual, const char *problem);

#endif
