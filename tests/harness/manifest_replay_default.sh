#!/usr/bin/env bash
# verify --replay on the default suite of real programs, built offline from the pinned archives
# in $CGYM_TEST_MIRROR, with the oz and random agents. Prints the time the replay took.
source "$(dirname "$0")/lib.sh"

mirror=${CGYM_TEST_MIRROR:-}
if [ -z "$mirror" ] || [ ! -d "$mirror" ]; then
  echo "skipped: CGYM_TEST_MIRROR is not set to a folder of the default suite's archives"
  exit 77
fi

"$cgym" keygen --key "$work/signing.key" >/dev/null
# The first eight programs of the default suite keep the replay short.
expect_exit 0 "run on the default suite" -- "$cgym" run --suite default --agent oz,random \
  --benchmarks bzip2,lz4,tree,ncompress,xxhsum,md2html,cjson,figlet \
  --seed 1 --out "$work/run" --key "$work/signing.key" --mirror "$mirror" --offline \
  --episode-length 20 --patience 8 --quiet
expect_exit 0 "verify --replay" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/signing.key.pub" --replay --mirror "$mirror" --offline
expect_contains "$out" "16 of 16 episodes replayed, 0 differ" "replay summary"
echo "$out" | tail -1
finish
