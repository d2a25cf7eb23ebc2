#ifndef CGYM_ENV_SUGGEST_INTERNAL_H
#define CGYM_ENV_SUGGEST_INTERNAL_H

/* "Did you mean" suggestions for unknown names (actions, observation and reward spaces). */

#include <stddef.h>

/* Returns the name of entry index in table. */
typedef const char *(*cgym_name_at)(const void *table, size_t index);

/* Returns the candidate closest to name by edit distance, or NULL when even the closest needs more
 * than a third of its letters changed (at least 2), because such a guess misleads more than it
 * helps. The result points into the table. */
const char *cgym_suggest_name(const char *name, cgym_name_at name_at, const void *table,
                              size_t count);

#endif
