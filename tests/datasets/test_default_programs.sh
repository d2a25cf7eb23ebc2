#!/usr/bin/env bash
# The default suite's programs run against their run specs: the pinned archives in
# $CGYM_TEST_MIRROR are served by the loopback HTTP server into an empty cache, every benchmark
# is built, compiled to an executable and run, and each must match its expected exit status,
# stdout and output files. Then a wrong module given with --bitcode must be reported. Prints the
# time of the fetch and of the runs.
source "$(dirname "$0")/../harness/lib.sh"

mirror=${CGYM_TEST_MIRROR:-}
if [ -z "$mirror" ] || [ ! -d "$mirror" ]; then
  echo "skipped: CGYM_TEST_MIRROR is not set to a folder; scripts/test.sh fills it with scripts/debian-mirror.sh"
  exit 77
fi
serve_mirror "$mirror"
mkdir -p "$work/tmp"

start=$(date +%s.%N)
expect_exit 0 "fetch the default suite from the loopback server" -- "$cgym" suites fetch default \
  --mirror "$url" --offline --format json
fetched=$(date +%s.%N)
count=$(grep -c '"uri": "benchmark://default/' <<<"$out")
[ "$count" -ge 20 ] && ok || fail "expected at least 20 benchmarks, fetched $count"

expect_exit 0 "every program matches its run spec" -- "$cgym" suites run default \
  --mirror "$url" --offline --work-dir "$work/tmp"
ran=$(date +%s.%N)
ok_lines=$(grep -c ' ok ' <<<"$out")
[ "$ok_lines" -eq "$count" ] && ok || fail "expected $count programs ok, $ok_lines are: $out"
expect_contains "$err" "$count of $count programs match their run spec" "summary line"
if [ -z "$(ls -A "$work/tmp")" ]; then ok; else fail "temporary folders left: $(ls "$work/tmp")"; fi

# JSON lines: one object per benchmark with its status.
expect_exit 0 "run two benchmarks as JSON" -- "$cgym" suites run default --benchmark bzip2 \
  --benchmark lua51 --format json --mirror "$url" --offline
[ "$(grep -c '"status":"ok"' <<<"$out")" -eq 2 ] && ok || fail "two JSON lines with status ok: $out"

# Another program's module is caught by bzip2's run spec: exit code 3 and both digests.
cjson_bitcode=$("$cgym" suites benchmarks default --mirror "$url" --format json 2>/dev/null |
  grep -A5 '"name": "cjson"' | sed -n 's/.*"path": "\(.*\)".*/\1/p' | head -1)
expect_exit 3 "bzip2's run spec rejects the cjson module" -- "$cgym" suites run default \
  --benchmark bzip2 --bitcode "$cjson_bitcode" --mirror "$url" --offline
expect_contains "$out" "wrong_output" "status of the wrong module"
expect_contains "$out" "expected SHA-256 d4b442283e085497c528c0122c7ec64bf12aac422b3faff57b97de3378b7a7a4" \
  "the expected digest is bzip2's compressed sample"
expect_exit 2 "--bitcode needs one --benchmark" -- "$cgym" suites run default \
  --bitcode "$cjson_bitcode"

expect_no_temporary_files "$CGYM_CACHE" "cache after the runs"
awk -v start="$start" -v fetched="$fetched" -v ran="$ran" 'BEGIN {
  printf "fetch and build into an empty cache: %.1f s; suites run default: %.1f s\n",
         fetched - start, ran - fetched }'
finish
