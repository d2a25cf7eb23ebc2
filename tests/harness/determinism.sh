#!/usr/bin/env bash
# Two runs with the same seed give identical results and manifest predicates, apart from wall
# times, timestamps and host details; a run with another seed gives other random episodes.
source "$(dirname "$0")/lib.sh"
compare=${CGYM_BUILD_DIR:?}/tests/harness/run_compare

"$cgym" keygen --key "$work/signing.key" >/dev/null
run() { # run OUT SEED JOBS
  expect_exit 0 "run into $1" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-3 \
    --agent oz,random,greedy --episodes 2 --seed "$2" --jobs "$3" --out "$1" \
    --key "$work/signing.key" --episode-length 30 --patience 10 --max-steps 8 --quiet
}

run "$work/a" 7 2
run "$work/b" 7 1
expect_exit 0 "same seed, other job count" -- "$compare" "$work/a" "$work/b"

run "$work/c" 8 2
expect_exit 1 "other seed" -- "$compare" "$work/a" "$work/c"
expect_contains "$err" "results.json differ" "another seed changes the random episodes"

episodes=$(grep -c '"agent"' "$work/a/results.json")
[ "$episodes" -eq 18 ] && ok || fail "expected 18 episodes (3 benchmarks x 3 agents x 2), found $episodes"
failures=$(grep -c '"status": "ok"' "$work/a/results.json")
[ "$failures" -eq 18 ] && ok || fail "expected every episode ok, $failures of 18 are"
finish
