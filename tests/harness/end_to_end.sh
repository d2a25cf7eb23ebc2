#!/usr/bin/env bash
# The main job end to end on real programs, with the default suite's pinned archives served by a
# real HTTP server on loopback: download, SHA-256, extraction, build, the three agents in isolated
# workers, the results table and a signed manifest that verifies.
source "$(dirname "$0")/lib.sh"

mirror=${CGYM_TEST_MIRROR:-}
if [ -z "$mirror" ] || [ ! -d "$mirror" ]; then
  echo "CGYM_TEST_MIRROR is not set to a folder; scripts/test.sh fills it with scripts/debian-mirror.sh"
  exit 77
fi
serve_mirror "$mirror"

"$cgym" keygen --key "$work/signing.key" >/dev/null
# The first eight programs of the default suite keep the run short; test_default_programs runs
# every program of the suite.
first_eight=bzip2,lz4,tree,ncompress,xxhsum,md2html,cjson,figlet
expect_exit 0 "default suite from the loopback server" -- "$cgym" run --suite default \
  --benchmarks "$first_eight" --agent oz,random,greedy --seed 3 --out "$work/run" \
  --key "$work/signing.key" \
  --mirror "$url" --offline --max-steps 12 --episode-length 40
table=$(cat "$work/run/results.md" 2>/dev/null)
for program in bzip2 lz4 tree ncompress xxhsum md2html cjson figlet; do
  expect_contains "$table" "benchmark://default/$program" "table row for $program"
done
expect_contains "$out" "geomean" "the table is printed"
ok_count=$(grep -c '"status": "ok"' "$work/run/results.json")
[ "$ok_count" -eq 24 ] && ok || fail "expected 24 episodes ok, $ok_count are"

expect_exit 0 "verify" -- "$cgym" verify "$work/run/manifest.dsse.json" --key "$work/signing.key.pub"
# Every episode, greedy's included, replays to the same counts and bitcode digest.
expect_exit 0 "verify with replay" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/signing.key.pub" --replay --offline --mirror "$url"
expect_contains "$out" "0 differ" "replay reports no difference"
expect_no_temporary_files "$CGYM_CACHE" "cache after the run"
expect_no_temporary_files "$work/run" "run folder"

# oz lands exactly on C_Oz: its episode's final count equals the baseline.
oz_lines=$(grep -A12 '"agent": "oz"' "$work/run/results.json" | grep -E '"c_oz"|"c_final"' | awk '{print $2}' | tr -d ',' | paste - - | awk '$1 != $2' | wc -l)
[ "$oz_lines" -eq 0 ] && ok || fail "oz episodes whose final count is not C_Oz: $oz_lines"
finish
