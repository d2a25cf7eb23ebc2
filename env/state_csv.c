/*
 * CompilerGym's state CSV: columns benchmark, reward, walltime and commandline, where the
 * commandline is `opt -flag -flag input.bc -o output.bc`. Reading maps each legacy flag to the
 * pass action space (LLVM 19 names) and keeps the flags that have no LLVM 19 action in a list,
 * because such a row cannot be replayed exactly. Fields follow Python's csv module: quoted when
 * they contain a comma, quote or newline, with quotes doubled.
 */
#include "cgym/state.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "env/error_internal.h"

enum { COLUMN_BENCHMARK, COLUMN_REWARD, COLUMN_WALLTIME, COLUMN_COMMANDLINE, COLUMN_COUNT };
static const char *const column_names[COLUMN_COUNT] = {"benchmark", "reward", "walltime",
                                                       "commandline"};

static const char commandline_suffix[] = " input.bc -o output.bc";

/* Fields longer than this are rejected: a commandline of every action many times over fits. */
#define FIELD_MAX_BYTES ((size_t)16 << 20)

void cgym_csv_rows_free(cgym_csv_row *rows, size_t row_count) {
  if (!rows) return;
  for (size_t i = 0; i < row_count; i++) {
    cgym_state_free(rows[i].state);
    for (size_t j = 0; j < rows[i].unmapped_count; j++) free(rows[i].unmapped[j]);
    free(rows[i].unmapped);
  }
  free(rows);
}

/* Reads one field starting at *cursor into a malloc'ed string and advances past its separator.
 * *row_end is set when the field ended its row. */
static int read_field(const char **cursor, char **field, int *row_end, size_t line) {
  const char *p = *cursor;
  size_t length = 0, capacity = 64;
  char *text = malloc(capacity);
  int quoted = *p == '"';

  if (!text) return cgym_error_set(CGYM_ENOMEM, "out of memory reading a CSV field");
  if (quoted) p++;
  for (;; p++) {
    if (quoted && *p == '"' && p[1] == '"') p++;
    else if (quoted && *p == '"') { quoted = 0; p++; break; }
    else if (!quoted && (*p == ',' || *p == '\n' || *p == '\r' || *p == '\0')) break;
    else if (quoted && *p == '\0') {
      free(text);
      return cgym_error_set(CGYM_EFORMAT, "line %zu of the CSV ends inside a quoted field", line);
    }
    if (length + 2 > capacity) {
      char *grown = capacity < FIELD_MAX_BYTES ? realloc(text, capacity *= 2) : NULL;
      if (!grown) {
        free(text);
        return cgym_error_set(CGYM_ELIMIT, "a field on line %zu of the CSV exceeds %zu bytes",
                              line, FIELD_MAX_BYTES);
      }
      text = grown;
    }
    text[length++] = *p;
  }
  text[length] = '\0';

  if (*p == '\r') p++;
  *row_end = *p != ',';
  if (*p == ',' || *p == '\n') p++;
  else if (*p != '\0') {
    free(text);
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the CSV has text after a quoted field",
                          line);
  }
  *cursor = p;
  *field = text;
  return CGYM_OK;
}

/* Reads one row of up to COLUMN_COUNT fields; extra fields are an error. */
static int read_row(const char **cursor, char *fields[COLUMN_COUNT], size_t *count, size_t line) {
  int row_end = 0;
  *count = 0;
  while (!row_end) {
    char *field = NULL;
    int rc = read_field(cursor, &field, &row_end, line);
    if (rc != CGYM_OK || *count == COLUMN_COUNT) {
      free(field);
      for (size_t i = 0; i < *count; i++) free(fields[i]);
      *count = 0;
      if (rc != CGYM_OK) return rc;
      return cgym_error_set(CGYM_EFORMAT, "line %zu of the CSV has more than %d fields", line,
                            COLUMN_COUNT);
    }
    fields[(*count)++] = field;
  }
  return CGYM_OK;
}

/* Sets order[i] to the column of field i when the row is a header; returns 1 for a header. */
static int read_header(char *fields[COLUMN_COUNT], size_t count, int order[COLUMN_COUNT]) {
  int found[COLUMN_COUNT];

  for (size_t i = 0; i < count; i++) {
    found[i] = -1;
    for (int c = 0; c < COLUMN_COUNT; c++)
      if (strcasecmp(fields[i], column_names[c]) == 0) found[i] = c;
    if (found[i] < 0) return 0;
  }
  memcpy(order, found, count * sizeof found[0]);
  return 1;
}

static int add_unmapped(cgym_csv_row *row, const char *flag) {
  char **grown = realloc(row->unmapped, (row->unmapped_count + 1) * sizeof *grown);
  if (!grown) return cgym_error_set(CGYM_ENOMEM, "out of memory listing unmapped flags");
  row->unmapped = grown;
  if (!(row->unmapped[row->unmapped_count] = strdup(flag)))
    return cgym_error_set(CGYM_ENOMEM, "out of memory listing unmapped flags");
  row->unmapped_count++;
  return CGYM_OK;
}

static int add_action(cgym_state *state, const char *name) {
  cgym_state_step *grown = realloc(state->steps, (state->step_count + 1) * sizeof *grown);
  if (!grown) return cgym_error_set(CGYM_ENOMEM, "out of memory reading a commandline");
  state->steps = grown;
  state->steps[state->step_count] = (cgym_state_step){strdup(name), NULL, CGYM_STEP_MODULE, 0};
  if (!state->steps[state->step_count].action)
    return cgym_error_set(CGYM_ENOMEM, "out of memory reading a commandline");
  state->step_count++;
  return CGYM_OK;
}

/* Maps each flag of `opt FLAGS input.bc -o output.bc` to an action or the unmapped list. */
static int read_commandline(cgym_csv_row *row, char *commandline, size_t line) {
  const cgym_action_space *space = cgym_action_space_passes();
  size_t length = strlen(commandline), suffix = strlen(commandline_suffix);

  if (strncmp(commandline, "opt ", 4) != 0 || length < 4 + suffix - 1 ||
      strcmp(commandline + length - suffix, commandline_suffix) != 0)
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the CSV: expected a commandline "
                          "'opt ... input.bc -o output.bc', got '%.80s'", line, commandline);
  commandline[length - suffix] = '\0';
  char *flags = length - suffix >= 4 ? commandline + 4 : commandline + length - suffix;

  for (char *flag = strtok(flags, " \t"); flag; flag = strtok(NULL, " \t")) {
    size_t index;
    int rc = cgym_action_space_find(space, flag, &index);
    if (rc == CGYM_OK) rc = add_action(row->state, cgym_action_space_get(space, index)->name);
    else if (rc == CGYM_ENOTFOUND) rc = add_unmapped(row, flag);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

/* Parses a number column; empty means absent. */
static int read_number(const char *text, double *value, int *present, size_t line) {
  char *end = NULL;
  *present = *text != '\0';
  if (!*present) return CGYM_OK;
  *value = strtod(text, &end);
  if (*end != '\0')
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the CSV: expected a number, got '%.40s'",
                          line, text);
  return CGYM_OK;
}

static int fill_row(cgym_csv_row *row, char *fields[COLUMN_COUNT], const int order[COLUMN_COUNT],
                    size_t count, size_t line) {
  char *columns[COLUMN_COUNT] = {NULL};
  int present = 0;

  for (size_t i = 0; i < count; i++) columns[order[i]] = fields[i];
  if (!columns[COLUMN_BENCHMARK] || !columns[COLUMN_COMMANDLINE])
    return cgym_error_set(CGYM_EFORMAT, "line %zu of the CSV lacks a benchmark or commandline",
                          line);

  row->state = calloc(1, sizeof *row->state);
  if (!row->state) return cgym_error_set(CGYM_ENOMEM, "out of memory reading the CSV");
  row->state->benchmark = strdup(columns[COLUMN_BENCHMARK]);
  row->state->action_space = strdup(cgym_action_space_id(cgym_action_space_passes()));
  if (!row->state->benchmark || !row->state->action_space)
    return cgym_error_set(CGYM_ENOMEM, "out of memory reading the CSV");

  int rc = CGYM_OK;
  if (columns[COLUMN_REWARD])
    rc = read_number(columns[COLUMN_REWARD], &row->reward, &row->has_reward, line);
  if (rc == CGYM_OK && columns[COLUMN_WALLTIME])
    rc = read_number(columns[COLUMN_WALLTIME], &row->walltime, &present, line);
  if (rc == CGYM_OK) rc = read_commandline(row, columns[COLUMN_COMMANDLINE], line);
  return rc;
}

static void free_fields(char *fields[COLUMN_COUNT], size_t count) {
  for (size_t i = 0; i < count; i++) free(fields[i]);
}

/* Reads every row after the optional header into *rows. */
static int read_rows(const char *text, cgym_csv_row **rows, size_t *row_count) {
  int order[COLUMN_COUNT] = {COLUMN_BENCHMARK, COLUMN_REWARD, COLUMN_WALLTIME,
                             COLUMN_COMMANDLINE};
  const char *cursor = text;

  for (size_t line = 1; *cursor; line++) {
    char *fields[COLUMN_COUNT];
    size_t count = 0;
    int rc = read_row(&cursor, fields, &count, line);
    if (rc != CGYM_OK) return rc;
    int skip = (count == 1 && fields[0][0] == '\0') || (line == 1 && read_header(fields, count, order));
    if (!skip) {
      cgym_csv_row *grown = realloc(*rows, (*row_count + 1) * sizeof *grown);
      if (grown) {
        *rows = grown;
        memset(&grown[*row_count], 0, sizeof grown[0]);
        (*row_count)++;
        rc = fill_row(&grown[*row_count - 1], fields, order, count, line);
      } else {
        rc = cgym_error_set(CGYM_ENOMEM, "out of memory reading the CSV");
      }
    }
    free_fields(fields, count);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int cgym_state_csv_read(cgym_csv_row **rows, size_t *row_count, const char *text) {
  if (!rows || !row_count || !text)
    return cgym_error_set(CGYM_EINVAL, "cgym_state_csv_read: rows, row_count and text must not be "
                          "NULL");
  *rows = NULL;
  *row_count = 0;
  if (strlen(text) > CGYM_STATE_TEXT_MAX_BYTES)
    return cgym_error_set(CGYM_ELIMIT, "the CSV has more than the maximum of %zu bytes",
                          CGYM_STATE_TEXT_MAX_BYTES);

  int rc = read_rows(text, rows, row_count);
  if (rc != CGYM_OK) {
    cgym_csv_rows_free(*rows, *row_count);
    *rows = NULL;
    *row_count = 0;
  }
  return rc;
}

/* Writes value as a CSV field, quoted when it needs to be; returns the bytes written. */
static size_t write_field(char *out, const char *value) {
  size_t length = 0;
  int quote = strpbrk(value, ",\"\n\r") != NULL;

  if (quote) out[length++] = '"';
  for (const char *c = value; *c; c++) {
    if (*c == '"') out[length++] = '"';
    out[length++] = *c;
  }
  if (quote) out[length++] = '"';
  return length;
}

/* Returns the legacy flag of each step, or fails naming the first step that has none. */
static int legacy_flags(const cgym_state *state, const char **flags, size_t *length) {
  const cgym_action_space *space = cgym_action_space_passes();
  for (size_t i = 0; i < state->step_count; i++) {
    size_t index;
    const cgym_state_step *step = &state->steps[i];
    if (step->kind != CGYM_STEP_MODULE)
      return cgym_error_set(CGYM_EINVAL, "step %zu ('%s' on %s %zu) acts on one %s, which a "
                            "CompilerGym commandline cannot express", i + 1, step->action,
                            step->kind == CGYM_STEP_FUNCTION ? "function" : "loop", step->target,
                            step->kind == CGYM_STEP_FUNCTION ? "function" : "loop");
    if (!step->action || cgym_action_space_find(space, step->action, &index) != CGYM_OK ||
        !(flags[i] = cgym_action_space_get(space, index)->legacy_flag))
      return cgym_error_set(CGYM_EINVAL, "step %zu ('%s') has no CompilerGym flag, so the state "
                            "cannot be written as a CompilerGym commandline", i + 1,
                            step->action ? step->action : step->pipeline);
    *length += strlen(flags[i]) + 1;
  }
  return CGYM_OK;
}

int cgym_state_csv_write(char **out, const cgym_state *state, int has_reward, double reward,
                         double walltime) {
  if (!out || !state || !state->benchmark || !state->action_space)
    return cgym_error_set(CGYM_EINVAL, "cgym_state_csv_write: out and a complete state are "
                          "required");
  *out = NULL;
  if (strcmp(state->action_space, cgym_action_space_id(cgym_action_space_passes())) != 0)
    return cgym_error_set(CGYM_EINVAL, "only states of %s can be written as CompilerGym "
                          "commandlines, not %s", cgym_action_space_id(cgym_action_space_passes()),
                          state->action_space);

  size_t flags_length = 0;
  const char **flags = calloc(state->step_count + 1, sizeof *flags);
  if (!flags) return cgym_error_set(CGYM_ENOMEM, "out of memory writing a CSV row");
  int rc = legacy_flags(state, flags, &flags_length);
  if (rc != CGYM_OK) {
    free(flags);
    return rc;
  }

  /* Quoting at most doubles a field; 128 bytes cover the header and both numbers. */
  size_t size = 2 * (strlen(state->benchmark) + flags_length + sizeof commandline_suffix + 8) + 128;
  char *text = malloc(size), *commandline = malloc(flags_length + sizeof commandline_suffix + 8);
  if (!text || !commandline) {
    free(flags);
    free(text);
    free(commandline);
    return cgym_error_set(CGYM_ENOMEM, "out of memory writing a CSV row");
  }

  size_t used = (size_t)sprintf(commandline, "opt ");
  for (size_t i = 0; i < state->step_count; i++)
    used += (size_t)sprintf(commandline + used, "%s%s", i ? " " : "", flags[i]);
  sprintf(commandline + used, "%s", commandline_suffix);

  size_t length = (size_t)sprintf(text, "benchmark,reward,walltime,commandline\n");
  length += write_field(text + length, state->benchmark);
  if (has_reward) length += (size_t)sprintf(text + length, ",%.17g,%.17g,", reward, walltime);
  else length += (size_t)sprintf(text + length, ",,%.17g,", walltime);
  length += write_field(text + length, commandline);
  sprintf(text + length, "\n");

  free(flags);
  free(commandline);
  *out = text;
  return CGYM_OK;
}
