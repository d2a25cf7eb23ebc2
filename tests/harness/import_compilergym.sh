#!/usr/bin/env bash
# cgym import on CompilerGym state CSVs. Rows on csmith-v0 seeds, and on the default suite when
# $CGYM_TEST_MIRROR names a folder of its archives, are replayed with real legacy flags. Other
# rows have a flag with no LLVM 19 action, a suite that is not available offline or an empty
# commandline. Further cases: a CSV without a header on stdin, the leaderboard's clipping of
# rewards at 0, a failed replay, malformed CSVs, and the signed manifests verified and replayed.
source "$(dirname "$0")/lib.sh"

mirror=${CGYM_TEST_MIRROR:-}
if [ -n "$mirror" ] && [ ! -d "$mirror" ]; then mirror=""; fi
"$cgym" keygen --key "$work/signing.key" >/dev/null

# Row 1 is the sequence CompilerGym's greedy search found on cbench-v1/crc32. The CSV is named
# relative to $work, as the tables show it.
cd "$work" || exit 1
csv=leaderboard.csv
cat >"$csv" <<'EOF'
benchmark,reward,walltime,commandline
generator://csmith-v0/1,1.0,0.5,opt -sroa -gvn -simplifycfg -instcombine input.bc -o output.bc
generator://csmith-v0/2,0.95,1.25,opt -mem2reg -loop-reroll -instcombine input.bc -o output.bc
benchmark://cbench-v1/qsort,1.136,10.0,opt -sroa -gvn input.bc -o output.bc
generator://csmith-v0/1,0.5,0,opt  input.bc -o output.bc
EOF
if [ -n "$mirror" ]; then
  echo '"benchmark://default/cjson",1.1,2.5,"opt -sroa -gvn -simplifycfg input.bc -o output.bc"' \
    >>"$csv"
fi

expect_exit 0 "import with a header" -- "$cgym" import "$csv" --out "$work/imp" \
  --key "$work/signing.key" --offline ${mirror:+--mirror "$mirror"}
expect_contains "$out" "| leaderboard.csv | 1 | generator://csmith-v0/1 | replayed | 1.0000 |" \
  "mapped flags are replayed"
expect_contains "$out" "| leaderboard.csv | 2 | generator://csmith-v0/2 | partial | 0.9500 |" \
  "a row with an unmapped flag is replayed without it"
expect_contains "$err" "flag -loop-reroll has no LLVM 19 action and was skipped" \
  "the unmapped flag is reported"
expect_contains "$out" \
  "| leaderboard.csv | 3 | benchmark://cbench-v1/qsort | not_available | 1.1360 | n/a |" \
  "the cbench row is not available offline"
expect_contains "$err" "leaderboard.csv row 3 (benchmark://cbench-v1/qsort): not_available: " \
  "the row is reported with its reason"
expect_contains "$err" "suite cbench-v1" "the reason names the suite"
expect_contains "$out" \
  "| leaderboard.csv | 4 | generator://csmith-v0/1 | replayed | 0.5000 | 0.0000 | -0.5000 |" \
  "an empty commandline gives LLVM 19 reward 0"
published_rows=4 exact_rows=2
if [ -n "$mirror" ]; then published_rows=5 exact_rows=3; fi
expect_contains "$out" "| rows with a published reward | $published_rows |" \
  "the leaderboard geomean covers every published reward"
expect_contains "$out" "| replayed rows, every flag mapped | $exact_rows |" \
  "the exact geomean leaves out partial rows"
for file in comparison.json comparison.md csmith-v0/results.json csmith-v0/results.md \
  csmith-v0/manifest.dsse.json; do
  if [ -f "$work/imp/$file" ]; then ok; else fail "output $file is missing"; fi
done
expect_no_temporary_files "$work/imp" "import outputs"
comparison=$(cat "$work/imp/comparison.json")
expect_contains "$comparison" '"unmapped_flags": [
        "-loop-reroll"
      ]' "comparison.json lists the unmapped flag"
expect_contains "$comparison" '"llvm19_reward": 0.0' "comparison.json holds the LLVM 19 reward"
expect_contains "$(cat "$work/imp/csmith-v0/results.json")" '"agent": "compilergym-import"' \
  "episodes are recorded under the import agent"

# The manifest records the CSV's SHA-256 and replays on LLVM 19.
manifest=$work/imp/csmith-v0/manifest.dsse.json
predicate=$(sed 's/.*"payload":"\([^"]*\)".*/\1/' "$manifest" | base64 -d)
expect_contains "$predicate" "\"sha256\":\"$(sha256sum "$csv" | cut -d' ' -f1)\"" \
  "the predicate records the CSV's SHA-256"
expect_contains "$predicate" '"format":"compilergym-state-csv"' "the predicate has an import object"
expect_exit 0 "verify the import" -- "$cgym" verify "$manifest" --key "$work/signing.key.pub"
expect_exit 0 "verify --replay the import" -- "$cgym" verify "$manifest" \
  --key "$work/signing.key.pub" --replay --offline
expect_contains "$out" "replay matched: 3 of 3 episodes replayed, 0 differ" "csmith replay summary"
if [ -n "$mirror" ]; then
  expect_exit 0 "verify --replay the default suite" -- "$cgym" verify \
    "$work/imp/default/manifest.dsse.json" --key "$work/signing.key.pub" --replay --offline \
    --mirror "$mirror"
  expect_contains "$out" "replay matched: 1 of 1 episodes replayed, 0 differ" \
    "default replay summary"
fi

# No header, from stdin: a negative published reward clips the leaderboard geomean to 0, and
# rows naming a malformed URI or a benchmark the suite lacks are reported, not fatal.
headerless='generator://csmith-v0/1,1.0,0.5,opt -sroa input.bc -o output.bc
generator://csmith-v0/1,-0.5,0.5,opt -gvn input.bc -o output.bc
qsort,1.0,1,opt -sroa input.bc -o output.bc
benchmark://default/no-such-program,1.0,1,opt -sroa input.bc -o output.bc'
expect_exit 0 "import without a header from stdin" -- bash -c \
  "printf '%s\n' \"\$1\" | \"$cgym\" import - --out \"$work/stdin\" --offline" _ "$headerless"
expect_contains "$out" "| - | 1 | generator://csmith-v0/1 | replayed |" "first row read as data"
expect_contains "$out" "| rows with a published reward | 4 | 0.0000 |" \
  "a negative reward clips the geomean to 0"
expect_contains "$err" "malformed benchmark URI 'qsort'" "a URI without a suite is reported"
expect_contains "$err" "benchmark 'no-such-program' not found in suite default" \
  "an unknown benchmark of a known suite is reported"
if [ ! -e "$work/stdin/csmith-v0/manifest.dsse.json" ]; then ok; else
  fail "a manifest was written without --key"
fi

# A suite whose archives are missing offline: its rows are not available, the import goes on.
mkdir -p "$work/empty-mirror"
printf '%s\n' 'benchmark://default/cjson,1.0,1,opt -sroa input.bc -o output.bc' \
  'generator://csmith-v0/1,1.0,1,opt -sroa input.bc -o output.bc' >"$work/offline.csv"
expect_exit 0 "import with a suite that cannot be prepared" -- "$cgym" import \
  "$work/offline.csv" --out "$work/offline" --offline --mirror "$work/empty-mirror" \
  --cache "$work/empty-cache"
expect_contains "$err" "preparing suite default failed" "the prepare failure is the reason"
expect_contains "$err" "1 replayed, 0 partial, 1 not available" "the csmith row still replays"

# A replay that fails is reported with the worker's status. AddressSanitizer builds do not apply
# the memory limit, so there the row replays and only the exit code is checked.
printf '%s\n' 'generator://csmith-v0/1,1.0,1,opt -sroa input.bc -o output.bc' >"$work/small.csv"
expect_exit 0 "import with a 1 MiB memory limit" -- "$cgym" import "$work/small.csv" \
  --out "$work/no-memory" --offline --memory-limit 1
if [[ "$err" != *"1 replayed,"* ]]; then
  expect_contains "$err" "small.csv row 1 (generator://csmith-v0/1): replay_failed: replay " \
    "the failed replay is reported"
  expect_contains "$err" "0 replayed, 0 partial, 0 not available, 1 replay failed" \
    "the failure is counted"
fi

# Malformed CSVs are rejected with the file and line.
cat >"$work/bad-number.csv" <<'EOF'
benchmark,reward,walltime,commandline
generator://csmith-v0/1,1.0,0.5,opt input.bc -o output.bc
generator://csmith-v0/1,high,0.5,opt input.bc -o output.bc
EOF
expect_exit 4 "a reward that is not a number" -- "$cgym" import "$work/bad-number.csv" \
  --out "$work/bad"
expect_contains "$err" "bad-number.csv: line 3 of the CSV: expected a number, got 'high'" \
  "the message names the file and line"
printf 'generator://csmith-v0/1,1.0,0.5,clang -O2 x.c\n' >"$work/bad-commandline.csv"
expect_exit 4 "a commandline that is not opt" -- "$cgym" import "$work/bad-commandline.csv" \
  --out "$work/bad"
expect_contains "$err" "line 1 of the CSV: expected a commandline" "commandline message"
cat >"$work/bad-quote.csv" <<'EOF'
benchmark,reward,walltime,commandline
"generator://csmith-v0/1,1.0,0.5,opt input.bc -o output.bc
EOF
expect_exit 4 "an unterminated quote" -- "$cgym" import "$work/bad-quote.csv" --out "$work/bad"
expect_contains "$err" "ends inside a quoted field" "quote message"
printf 'benchmark,reward,walltime,commandline\n' >"$work/header-only.csv"
expect_exit 4 "a CSV with no rows" -- "$cgym" import "$work/header-only.csv" --out "$work/bad"
expect_contains "$err" "no result rows" "empty CSV message"

# Usage errors.
expect_exit 2 "no CSV" -- "$cgym" import --out "$work/bad"
expect_exit 2 "a missing CSV" -- "$cgym" import "$work/none.csv" --out "$work/bad"
expect_contains "$err" "not found" "missing CSV message"
expect_exit 2 "stdin twice" -- "$cgym" import - - --out "$work/bad"
expect_exit 2 "invalid --jobs" -- "$cgym" import "$csv" --jobs 0
finish
