#!/usr/bin/env bash
# Two runs with the same seed give identical results and manifest predicates, apart from wall
# times, timestamps and host details; a run with another seed gives other random episodes.
source "$(dirname "$0")/lib.sh"
compare=${CGYM_BUILD_DIR:?}/tests/harness/run_compare

"$cgym" keygen --key "$work/signing.key" >/dev/null
run() { # run OUT SEED JOBS [OPTION...]
  expect_exit 0 "run into $1" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-3 \
    --agent oz,random,greedy --episodes 2 --seed "$2" --jobs "$3" --out "$1" \
    --key "$work/signing.key" --episode-length 30 --patience 10 --max-steps 8 "${@:4}"
}

run "$work/a" 7 2 --quiet
run "$work/b" 7 1 --quiet
expect_exit 0 "same seed, other job count" -- "$compare" "$work/a" "$work/b"

# Progress goes to stderr only. Here stderr is a file, not a terminal, so a run without --quiet
# writes plain progress lines, and its results equal those of a quiet run.
small_run() { # small_run OUT [OPTION...]
  expect_exit 0 "small run into $1" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-1 \
    --agent oz,random --episodes 2 --seed 7 --jobs 2 --out "$1" --key "$work/signing.key" \
    --episode-length 30 --patience 10 "${@:2}"
}
small_run "$work/quiet" --quiet
CGYM_PROGRESS_INTERVAL=1 small_run "$work/progress"
expect_contains "$err" "[1/4] generator://csmith-v0/1 " "the first episode to end gets a line"
expect_contains "$err" "[4/4] generator://csmith-v0/1 " "the last episode gets a line"
[[ "$err" != *$'\r'* ]] && ok || fail "plain progress contains a carriage return: $err"
[[ "$err" != *$'\033'* ]] && ok || fail "plain progress contains an escape sequence: $err"
expect_exit 0 "progress leaves the results unchanged" -- "$compare" "$work/quiet" "$work/progress"

run "$work/c" 8 2 --quiet
expect_exit 1 "other seed" -- "$compare" "$work/a" "$work/c"
expect_contains "$err" "results.json differ" "another seed changes the random episodes"

episodes=$(grep -c '"agent"' "$work/a/results.json")
[ "$episodes" -eq 18 ] && ok || fail "expected 18 episodes (3 benchmarks x 3 agents x 2), found $episodes"
failures=$(grep -c '"status": "ok"' "$work/a/results.json")
[ "$failures" -eq 18 ] && ok || fail "expected every episode ok, $failures of 18 are"
finish
