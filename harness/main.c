/*
 * The cgym command line: dispatches to one subcommand per concept.
 */
#include <stdio.h>
#include <string.h>

#include "cgym/version.h"
#include "harness/cli.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
  const char *usage;
} command;

static const command commands[] = {
    {"run", cgym_cmd_run, "run agents on every benchmark of a suite and sign the results",
     "usage: cgym run [options]\n"
     "  -s, --suite NAME|FILE|DIR built-in suite, suite definition file or folder of .c/.ll/.bc files\n"
     "                            (default: default)\n"
     "  -a, --agent LIST          comma-separated agents (default: oz,random,greedy)\n"
     "  -S, --seed N              run seed, 0 to 2^63-1; every random choice derives from it (default: 0)\n"
     "  -o, --out DIR             output folder (default: cgym-results)\n"
     "  -k, --key FILE            Ed25519 private key: sign DIR/manifest.dsse.json\n"
     "  -e, --episodes N          episodes per benchmark and agent (default: 1)\n"
     "  -j, --jobs N              episodes run at once (default: online CPUs)\n"
     "      --benchmarks LIST     only these benchmark names of the suite\n"
     "      --episode-length N    random: maximum steps per episode (default: 50)\n"
     "      --patience N          random: stop after N steps without a new best (default: 20)\n"
     "      --max-steps N         greedy: maximum steps (default: 60)\n"
     "      --timeout SECONDS     wall-clock limit per episode, 0 for none (default: 900)\n"
     "      --memory-limit MIB    address-space limit per episode, 0 for none (default: 4096)\n"
     "      --mirror DIR|URL      look for archives here before their upstream URLs\n"
     "      --cache DIR           cache folder (default: $CGYM_CACHE or ~/.cache/cgym)\n"
     "      --offline             use only the cache and the mirror\n"
     "      --generator-seeds A-B generator suites: seeds A to B inclusive\n"
     "  -q, --quiet               no progress output; episodes that fail are still reported\n"
     "  Progress goes to stderr. When it is not a terminal (a log), cgym writes a line per\n"
     "  finished episode, at most one a second, and a line about the longest-running episode\n"
     "  after CGYM_PROGRESS_INTERVAL seconds without one (default: 30)\n"},
    {"keygen", cgym_cmd_keygen, "create an Ed25519 key pair for signing manifests",
     "usage: cgym keygen --key FILE [--force]\n"
     "  writes the private key to FILE (mode 0600) and the public key to FILE.pub;\n"
     "  --force overwrites existing files\n"},
    {"verify", cgym_cmd_verify, "verify a signed manifest and its result files, offline",
     "usage: cgym verify MANIFEST --key PUBLIC_KEY [--key PUBLIC_KEY...] [--replay] [options]\n"
     "  checks that every key given signed MANIFEST (Ed25519) and the SHA-256 of every subject\n"
     "  file next to it\n"
     "  -k, --key FILE            public key that must have signed; repeat to require several\n"
     "  -r, --replay              re-run every episode and compare counts and bitcode SHA-256\n"
     "  -j, --jobs N              replays run at once (default: online CPUs)\n"
     "      --suite NAME|FILE     suite to replay on (default: the one the manifest names)\n"
     "      --mirror DIR|URL      look for archives here before their upstream URLs\n"
     "      --cache DIR           cache folder (default: $CGYM_CACHE or ~/.cache/cgym)\n"
     "      --offline             use only the cache and the mirror\n"
     "      --timeout SECONDS     wall-clock limit per replayed episode, 0 for none (default: 900)\n"},
    {"sign", cgym_cmd_sign, "add a signature to an existing manifest (co-sign)",
     "usage: cgym sign MANIFEST --key PRIVATE_KEY\n"
     "  adds an Ed25519 signature by the key; the signatures already there stay valid.\n"
     "  The result files must match the manifest; check the signatures and replay first with\n"
     "  'cgym verify MANIFEST --key PUBLIC_KEY --replay'.\n"},
    {"compare", cgym_cmd_compare, "compare runs side by side per benchmark and agent",
     "usage: cgym compare RUN [RUN...] [options]\n"
     "  RUN is a run folder or its manifest; signatures are not checked (use cgym verify).\n"
     "  A folder without a manifest (a run made without --key) is read from its results.json\n"
     "  and marked UNSIGNED (\"signed\": false in JSON)\n"
     "  columns per run: C_Oz/C_final (geometric mean over episodes), reward (mean of\n"
     "  (C0 - C_final) / max(C0 - C_Oz, 1)), removed % (of C0), wall s (mean per episode);\n"
     "  spread is max - min of C_Oz/C_final across the runs\n"
     "      --export-markdown FILE  also write Markdown; - for stdout\n"
     "      --export-csv FILE       also write CSV; - for stdout\n"
     "      --export-json FILE      also write JSON; - for stdout\n"
     "      --export-latex FILE     also write a LaTeX tabular; - for stdout\n"
     "  -f, --force                 print the table even when the runs are not comparable\n"},
    {"reproduce", cgym_cmd_reproduce, "re-run the plan of a manifest and compare the results",
     "usage: cgym reproduce MANIFEST --key PRIVATE_KEY [options]\n"
     "  -o, --out DIR             output folder (default: cgym-reproduced)\n"
     "  -k, --key FILE            Ed25519 private key that signs DIR/manifest.dsse.json\n"
     "  -j, --jobs N              episodes run at once (default: online CPUs)\n"
     "  -m, --export-markdown FILE  also write the comparison as Markdown; - for stdout\n"
     "      --mirror DIR|URL      look for archives here before their upstream URLs\n"
     "      --cache DIR           cache folder (default: $CGYM_CACHE or ~/.cache/cgym)\n"
     "      --offline             use only the cache and the mirror\n"},
    {"import", cgym_cmd_import, "replay CompilerGym result CSVs on LLVM 19 and compare rewards",
     "usage: cgym import CSV [CSV...] [options]\n"
     "  CSV is a CompilerGym state CSV (benchmark,reward,walltime,commandline; header optional);\n"
     "  - reads stdin. Rows are replayed per suite into DIR/SUITE (results.json, results.md and,\n"
     "  with --key, manifest.dsse.json); DIR/comparison.md and DIR/comparison.json set each\n"
     "  published reward beside the LLVM 19 reward (C0 - C_final) / max(C0 - C_Oz, 1)\n"
     "  -o, --out DIR             output folder (default: cgym-import)\n"
     "  -k, --key FILE            Ed25519 private key: sign one manifest per suite\n"
     "  -j, --jobs N              replays run at once (default: online CPUs)\n"
     "      --timeout SECONDS     wall-clock limit per replay, 0 for none (default: 900)\n"
     "      --memory-limit MIB    address-space limit per replay, 0 for none (default: 4096)\n"
     "      --mirror DIR|URL      look for archives here before their upstream URLs\n"
     "      --cache DIR           cache folder (default: $CGYM_CACHE or ~/.cache/cgym)\n"
     "      --offline             use only the cache and the mirror\n"
     "  -q, --quiet               no progress and no table; rows not replayed are still reported\n"},
    {"apply", cgym_cmd_apply, "run a list of actions on one module and print the measurements",
     "usage: cgym apply MODULE [--actions ITEM[,ITEM...]] [--list functions|loops]\n"
     "                  [--output FILE]\n"
     "  MODULE is LLVM bitcode or textual IR. An ITEM is an action of the pass space (LLVM 19\n"
     "  pass name or CompilerGym flag), NAME@function:INDEX (an action of the function space on\n"
     "  one function) or unroll-N@loop:INDEX (one loop unrolled N times); `cgym actions SPACE`\n"
     "  lists the spaces. --list prints the functions or loops (JSON) after the actions, whose\n"
     "  indices @function and @loop take; --output writes the resulting bitcode to FILE\n"},
    {"suites", cgym_cmd_suites, "list, inspect, fetch, verify and remove benchmark suites",
     "usage: cgym suites list [--all] [--format table|json]   (--all: deprecated suites too)\n"
     "       cgym suites info SUITE [--format table|json]\n"
     "       cgym suites fetch SUITE [--mirror DIR|URL] [--cache DIR] [--offline] [--format ...]\n"
     "       cgym suites benchmarks SUITE [--mirror DIR|URL] [--cache DIR] [--format ...]\n"
     "         (fetch and benchmarks list the as-built and -Oz instruction counts, SHA-256\n"
     "          and exclusions)\n"
     "       cgym suites verify [SUITE] [--cache DIR] [--format ...]   re-hash the cache\n"
     "       cgym suites remove SUITE [--cache DIR]\n"
     "       cgym suites debian-sources SUITE   Debian source packages carrying the archives\n"
     "       cgym suites run SUITE [--benchmark NAME]... [--bitcode FILE] [--format table|json]\n"
     "                          [--mirror DIR|URL] [--cache DIR] [--offline] [--work-dir DIR]\n"
     "         build each benchmark's bitcode (-O0), run it on its inputs and compare exit\n"
     "         status, stdout and output files with its run spec; one line per benchmark;\n"
     "         --bitcode FILE checks another module (one --benchmark); --work-dir DIR holds\n"
     "         the temporary folders (default: $TMPDIR or /tmp); exit code 3 when any\n"
     "         program does not match\n"},
    {"agents", cgym_cmd_agents, "list the baseline agents", "usage: cgym agents\n"},
    {"actions", cgym_cmd_actions, "list an action space (the pass space and its dropped passes by "
     "default)", "usage: cgym actions [passes|functions|loops|pipelines]\n"},
};

static const size_t command_count = sizeof commands / sizeof commands[0];

static const char exit_codes[] =
    "exit codes:\n"
    "  0  success\n"
    "  1  runtime failure (I/O, download, build, LLVM)\n"
    "  2  usage error: invalid option, unknown suite, agent, action or missing file\n"
    "  3  verification failed: signature, key or subject digest does not match, or a\n"
    "     program run by 'suites run' does not match its run spec\n"
    "  4  input rejected: checksum mismatch, unsafe or corrupt archive, invalid or empty\n"
    "     module, malformed definition or key file\n";

static void print_help(FILE *out) {
  fprintf(out, "cgym %s (LLVM %s): the LLVM 19 optimizer as a reproducible playground\n\n",
          CGYM_VERSION, CGYM_LLVM_VERSION);
  fputs("usage: cgym COMMAND [options]\n\ncommands:\n", out);
  for (size_t i = 0; i < command_count; i++) {
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  }
  fprintf(out, "  %-8s %s\n  %-8s %s\n\n", "help", "show the options of a command", "version",
          "print versions");
  fputs(exit_codes, out);
}

static const command *find_command(const char *name) {
  for (size_t i = 0; i < command_count; i++) {
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_help(stderr);
    return CGYM_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    const command *topic = argc > 2 ? find_command(argv[2]) : NULL;
    if (topic) fputs(topic->usage, stdout);
    else print_help(stdout);
    return CGYM_EXIT_OK;
  }
  if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
    printf("cgym %s (commit %s)\nLLVM %s\n", CGYM_VERSION, CGYM_GIT_COMMIT, CGYM_LLVM_VERSION);
    return CGYM_EXIT_OK;
  }
  const command *selected = find_command(name);
  if (!selected) {
    fprintf(stderr, "cgym: unknown command '%s'\n\n", name);
    print_help(stderr);
    return CGYM_EXIT_USAGE;
  }
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(selected->usage, stdout);
      return CGYM_EXIT_OK;
    }
  }
  return selected->run(argc - 1, argv + 1);
}
