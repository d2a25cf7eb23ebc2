#ifndef CGYM_SPACES_H
#define CGYM_SPACES_H

/*
 * Descriptions of the observation and reward spaces, so that a front end can build its own space
 * objects (a Gymnasium Box, a string space) without hard-coding cgym's tables. Every description
 * and every string in it is static and owned by the library; never free them.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kind of value a space holds. */
typedef enum cgym_space_type {
  CGYM_SPACE_INT64 = 0,        /* one int64_t */
  CGYM_SPACE_DOUBLE = 1,       /* one double (every reward space) */
  CGYM_SPACE_INT64_VECTOR = 2, /* `shape` int64_t values */
  CGYM_SPACE_DOUBLE_VECTOR = 3,/* `shape` double values */
  CGYM_SPACE_STRING = 4,       /* NUL-terminated text of any length */
  CGYM_SPACE_BYTES = 5,        /* a byte sequence of any length */
} cgym_space_type;

/* One observation or reward space. */
typedef struct cgym_space {
  const char *name;        /* e.g. "InstCount"; unique among spaces of its kind */
  const char *description; /* one sentence */
  cgym_space_type type;
  size_t shape;            /* element count of a vector space; 1 for a scalar; 0 for strings and bytes */
  double low, high;        /* bounds of every element; -INFINITY or INFINITY when unbounded; both 0
                            * for strings and bytes */
  int deterministic;       /* 1 when the same state always gives the same value */
  int platform_dependent;  /* 1 when the value can differ between hosts for the same state */
  const char *const *element_names; /* `shape` names of a vector's elements, or NULL */
} cgym_space;

/* Returns the number of observation spaces. Indices 0 to count-1 are stable within a version. */
size_t cgym_observation_space_count(void);

/* Returns observation space `index`, or NULL when index >= cgym_observation_space_count(). */
const cgym_space *cgym_observation_space_get(size_t index);

/* Looks up an observation space by name and stores it in *out. Errors: CGYM_EINVAL for NULL or
 * empty arguments, CGYM_ENOTFOUND with a "did you mean" suggestion when one is close. */
int cgym_observation_space_find(const cgym_space **out, const char *name);

/* Returns the number of reward spaces. */
size_t cgym_reward_space_count(void);

/* Returns reward space `index`, or NULL when index >= cgym_reward_space_count(). */
const cgym_space *cgym_reward_space_get(size_t index);

/* Looks up a reward space by name and stores it in *out. Errors as cgym_observation_space_find. */
int cgym_reward_space_find(const cgym_space **out, const char *name);

#ifdef __cplusplus
}
#endif

#endif
