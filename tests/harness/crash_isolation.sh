#!/usr/bin/env bash
# An episode whose worker really dies inside LLVM (a pipeline that ends the process with an LLVM
# fatal error on one csmith program) is recorded with its status, exit code, pipeline and LLVM's
# message, and the run finishes every other episode.
source "$(dirname "$0")/lib.sh"

# The csmith seed whose module makes the test pipeline fail; the env tests pin the same seed.
fatal_seed=${CGYM_FATAL_SEED:?}
first=$((fatal_seed - 1))
last=$((fatal_seed + 1))

export CGYM_ENABLE_TEST_AGENTS=1
expect_exit 0 "run with a fatal episode" -- "$cgym" run --suite csmith-v0 \
  --generator-seeds "$first-$last" --agent oz,cgym-test-llvm-fatal-error --out "$work/run" --quiet
expect_contains "$err" "failed" "the fatal episode is reported on stderr"
results=$(cat "$work/run/results.json" 2>/dev/null)
expect_contains "$results" '"status": "failed"' "fatal episode status"
expect_contains "$results" "LLVM ERROR" "fatal episode keeps LLVM's message"
expect_contains "$results" '"failed_pipeline": "' "fatal episode names the pipeline"
ok_count=$(grep -c '"status": "ok"' "$work/run/results.json")
[ "$ok_count" -eq 5 ] && ok || fail "expected the other 5 episodes ok, $ok_count are"
expect_contains "$(cat "$work/run/results.md")" "failed" "results.md lists the failed episode"

unset CGYM_ENABLE_TEST_AGENTS
expect_exit 2 "test agent needs the switch" -- "$cgym" run --agent cgym-test-llvm-fatal-error --out "$work/x"
finish
