#!/usr/bin/env bash
# Times 20 steps in cgym against 20 separate opt-19 runs of the same passes on the same module,
# with hyperfine, on two csmith programs of different size. cgym parses once, runs each pass
# in-process and hashes the result; the opt-19 chain parses and writes bitcode at every step.
#
#   bench/steps.sh [APPLY_COMMAND] [OUTPUT_DIR]
#
# APPLY_COMMAND (default $CGYM_APPLY, else build/bench/apply_actions) is a program, optionally
# with a subcommand, that accepts `MODULE --actions a,b,c`: for example "build/cgym apply" or
# build/bench/apply_actions. OUTPUT_DIR (default bench/results) receives one Markdown and one
# JSON export per module. Needs csmith, clang-19, opt-19, hyperfine and jq.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
apply="${1:-${CGYM_APPLY:-$here/../build/bench/apply_actions}}"
out_dir="${2:-$here/results}"
read -r apply_program _ <<< "$apply"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in csmith clang-19 opt-19 hyperfine jq; do
  command -v "$tool" > /dev/null || { echo "steps.sh: $tool is not installed" >&2; exit 2; }
done
[ -x "$apply_program" ] || {
  echo "steps.sh: $apply_program is not an executable; build it first" >&2
  exit 2
}
mkdir -p "$out_dir"

# Twenty actions of the space, fixed so that runs compare; names are cgym names, pipelines are
# what cgym passes to LLVMRunPasses for them.
names=(mem2reg sroa early-cse instcombine simplifycfg gvn licm loop-rotate indvars loop-unroll
       sccp dce adce jump-threading correlated-propagation reassociate dse memcpyopt inline
       globaldce)
pipelines=(mem2reg sroa early-cse "instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>"
           simplifycfg gvn "loop-mssa(licm<allowspeculation>)" loop-rotate indvars loop-unroll
           sccp dce adce jump-threading correlated-propagation reassociate dse memcpyopt inline
           globaldce)

# csmith 2.3.0 is deterministic per seed: seed 8 gives about 2,500 instructions, seed 11 about
# 23,000 (counts after loading, LLVM 19.1.7).
make_module() {
  csmith --seed "$1" > "$work/csmith-$1.c"
  clang-19 -O1 -Xclang -disable-llvm-passes -emit-llvm -c -I/usr/include/csmith -w \
    "$work/csmith-$1.c" -o "$work/csmith-$1.bc"
}

# Writes a script that runs opt-19 once per pass, each on the previous run's output.
write_opt_chain() {
  local module="$1" script="$2" input="$1"
  echo "set -e" > "$script"
  for i in "${!pipelines[@]}"; do
    echo "opt-19 -passes='${pipelines[$i]}' '$input' -o '$work/step-$i.bc'" >> "$script"
    input="$work/step-$i.bc"
  done
}

actions="$(IFS=,; echo "${names[*]}")"
for seed in 8 11; do
  make_module "$seed"
  module="$work/csmith-$seed.bc"
  write_opt_chain "$module" "$work/opt-chain-$seed.sh"
  $apply "$module" --actions "$actions"

  hyperfine --warmup 2 --runs 10 \
    --export-markdown "$out_dir/steps-csmith-$seed.md" \
    --export-json "$out_dir/steps-csmith-$seed.json" \
    -n "cgym 20 steps (csmith seed $seed)" "$apply '$module' --actions $actions" \
    -n "opt-19 x20 (csmith seed $seed)" "bash '$work/opt-chain-$seed.sh'"

  jq -r --arg seed "$seed" '"csmith seed \($seed): opt-19 chain / cgym = " +
      ((.results[1].mean / .results[0].mean) * 100 | round / 100 | tostring)' \
    "$out_dir/steps-csmith-$seed.json"
done
