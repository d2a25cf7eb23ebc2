/*
 * The text form of an episode state (cgym/state.h): writing and parsing.
 */
#include "cgym/state.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

/* Version 2 adds function and loop steps; states without them keep version 1, so readers of
 * version 1 still read them. */
static const char header[] = "cgym-state 1";
static const char header_v2[] = "cgym-state 2";

/* A growing string; on allocation failure `failed` is set and later appends do nothing. */
typedef struct {
  char *text;
  size_t length, capacity;
  int failed;
} buffer;

static void append(buffer *out, const char *key, const char *value) {
  size_t need = strlen(key) + 1 + strlen(value) + 2;
  if (out->failed) return;
  if (out->length + need > out->capacity) {
    size_t capacity = 2 * (out->length + need) + 256;
    char *grown = realloc(out->text, capacity);
    if (!grown) {
      out->failed = 1;
      return;
    }
    out->text = grown;
    out->capacity = capacity;
  }
  out->length += (size_t)snprintf(out->text + out->length, out->capacity - out->length, "%s%s%s\n",
                                  key, *key ? " " : "", value);
}

static int check_line(const char *field, const char *value) {
  if (!value) return cgym_error_set(CGYM_EINVAL, "the state's %s is missing", field);
  if (strchr(value, '\n'))
    return cgym_error_set(CGYM_EINVAL, "the state's %s '%s' contains a newline, which the text "
                          "form cannot hold", field, value);
  return CGYM_OK;
}

static int check_fields(const cgym_state *state) {
  int rc = check_line("benchmark", state->benchmark);
  if (rc == CGYM_OK) rc = check_line("action space", state->action_space);
  for (size_t i = 0; i < state->step_count && rc == CGYM_OK; i++) {
    const cgym_state_step *step = &state->steps[i];
    if (step->kind != CGYM_STEP_MODULE && (!step->action || strchr(step->action, ' ') ||
                                           step->kind > CGYM_STEP_LOOP))
      return cgym_error_set(CGYM_EINVAL, "step %zu of the state is a function or loop step "
                            "without a one-word action name", i + 1);
    rc = check_line(step->action ? "action" : "pipeline",
                    step->action ? step->action : step->pipeline);
  }
  return rc;
}

static int has_finer_steps(const cgym_state *state) {
  for (size_t i = 0; i < state->step_count; i++)
    if (state->steps[i].kind != CGYM_STEP_MODULE) return 1;
  return 0;
}

/* Appends a function or loop step: "function INDEX NAME" or "loop INDEX NAME". */
static void append_finer(buffer *out, const cgym_state_step *step) {
  char value[64];
  size_t length = strlen(step->action) + sizeof value;
  char *line = malloc(length);
  if (!line) {
    out->failed = 1;
    return;
  }
  snprintf(value, sizeof value, "%zu", step->target);
  snprintf(line, length, "%s %s", value, step->action);
  append(out, step->kind == CGYM_STEP_FUNCTION ? "function" : "loop", line);
  free(line);
}

int cgym_state_format(char **out, const cgym_state *state) {
  buffer text = {0};

  if (!out || !state) return cgym_error_set(CGYM_EINVAL, "cgym_state_format: out and state must "
                                            "not be NULL");
  *out = NULL;
  int rc = check_fields(state);
  if (rc != CGYM_OK) return rc;

  append(&text, "", has_finer_steps(state) ? header_v2 : header);
  append(&text, "benchmark", state->benchmark);
  append(&text, "sha256", state->sha256[0] ? state->sha256 : "-");
  append(&text, "action-space", state->action_space);
  for (size_t i = 0; i < state->step_count; i++) {
    const cgym_state_step *step = &state->steps[i];
    if (step->kind != CGYM_STEP_MODULE) append_finer(&text, step);
    else append(&text, step->action ? "action" : "pipeline",
                step->action ? step->action : step->pipeline);
  }
  if (text.failed || !text.text) {
    free(text.text);
    return cgym_error_set(CGYM_ENOMEM, "out of memory writing a state of %zu steps",
                          state->step_count);
  }
  *out = text.text;
  return CGYM_OK;
}

/* Stores the value after "key " in *value when line starts with it; returns 1 on a match. */
static int match(const char *line, const char *key, const char **value) {
  size_t length = strlen(key);
  if (strncmp(line, key, length) != 0 || line[length] != ' ') return 0;
  *value = line + length + 1;
  return 1;
}

static int is_sha256(const char *text) {
  if (strlen(text) != 64) return 0;
  for (const char *c = text; *c; c++)
    if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return 0;
  return 1;
}

/* Parses "INDEX NAME" of a function or loop step into the step. */
static int parse_finer(cgym_state_step *step, const char *value, size_t number) {
  char *end = NULL;
  if (*value < '0' || *value > '9')
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the state: expected an index and an action "
                          "name after the step kind, got '%.80s'", number, value);
  unsigned long long target = strtoull(value, &end, 10);
  if (*end != ' ' || !end[1] || strchr(end + 1, ' ') || target > SIZE_MAX)
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the state: expected an index and an action "
                          "name after the step kind, got '%.80s'", number, value);
  step->target = (size_t)target;
  step->action = strdup(end + 1);
  return step->action ? CGYM_OK : CGYM_ENOMEM;
}

/* Parses one line after the header into the state; version is 1 or 2. */
static int parse_line(cgym_state *state, const char *line, size_t number, size_t *capacity,
                      int version) {
  const char *value;

  if (match(line, "benchmark", &value) && !state->benchmark) {
    state->benchmark = strdup(value);
    return state->benchmark ? CGYM_OK : CGYM_ENOMEM;
  }
  if (match(line, "action-space", &value) && !state->action_space) {
    state->action_space = strdup(value);
    return state->action_space ? CGYM_OK : CGYM_ENOMEM;
  }
  if (match(line, "sha256", &value) && (strcmp(value, "-") == 0 || is_sha256(value))) {
    snprintf(state->sha256, sizeof state->sha256, "%s", strcmp(value, "-") == 0 ? "" : value);
    return CGYM_OK;
  }

  cgym_step_kind kind = CGYM_STEP_MODULE;
  int is_action = match(line, "action", &value);
  if (!is_action && version >= 2) {
    if (match(line, "function", &value)) kind = CGYM_STEP_FUNCTION;
    else if (match(line, "loop", &value)) kind = CGYM_STEP_LOOP;
  }
  if (!is_action && kind == CGYM_STEP_MODULE && !match(line, "pipeline", &value))
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the state is not a known item: '%.80s'",
                          number, line);
  if (state->step_count == *capacity) {
    size_t grown_capacity = *capacity ? 2 * *capacity : 64;
    cgym_state_step *grown = realloc(state->steps, grown_capacity * sizeof *grown);
    if (!grown) return CGYM_ENOMEM;
    state->steps = grown;
    *capacity = grown_capacity;
  }
  cgym_state_step *step = &state->steps[state->step_count];
  *step = (cgym_state_step){NULL, NULL, kind, 0};
  if (kind != CGYM_STEP_MODULE) {
    int rc = parse_finer(step, value, number);
    if (rc == CGYM_OK) state->step_count++;
    return rc;
  }
  char *copy = strdup(value);
  if (!copy) return CGYM_ENOMEM;
  if (is_action) step->action = copy;
  else step->pipeline = copy;
  state->step_count++;
  return CGYM_OK;
}

static int parse_lines(cgym_state *state, char *text) {
  size_t number = 0, capacity = 0;
  int version = 1;
  char *line = text;

  while (*line) {
    char *end = strchr(line, '\n');
    if (end) *end = '\0';
    number++;
    int rc = CGYM_OK;
    if (number > 1) rc = parse_line(state, line, number, &capacity, version);
    else if (strcmp(line, header_v2) == 0) version = 2;
    else if (strcmp(line, header) != 0)
      rc = cgym_error_set(CGYM_EFORMAT, "expected '%s' or '%s' on line 1 of a state", header,
                          header_v2);
    if (rc == CGYM_ENOMEM) return cgym_error_set(CGYM_ENOMEM, "out of memory parsing a state");
    if (rc != CGYM_OK) return rc;
    if (!end) break;
    line = end + 1;
  }
  if (!state->benchmark || !state->action_space)
    return cgym_error_set(CGYM_EFORMAT, "the state has no %s line",
                          state->benchmark ? "action-space" : "benchmark");
  return CGYM_OK;
}

int cgym_state_parse(cgym_state **out, const char *text) {
  if (!out || !text) return cgym_error_set(CGYM_EINVAL, "cgym_state_parse: out and text must not "
                                           "be NULL");
  *out = NULL;
  size_t length = strlen(text);
  if (length > CGYM_STATE_TEXT_MAX_BYTES)
    return cgym_error_set(CGYM_ELIMIT, "the state text has %zu bytes, more than the maximum of "
                          "%zu", length, CGYM_STATE_TEXT_MAX_BYTES);

  cgym_state *state = calloc(1, sizeof *state);
  char *copy = strdup(text);
  int rc = state && copy ? parse_lines(state, copy)
                         : cgym_error_set(CGYM_ENOMEM, "out of memory parsing a state");
  free(copy);
  if (rc != CGYM_OK) {
    cgym_state_free(state);
    return rc;
  }
  *out = state;
  return CGYM_OK;
}
