#!/usr/bin/env bash
# Signed manifests end to end on csmith-v0 programs: verify with one key and with a required set
# of keys, co-signing, a changed subject, replay of every episode (and forged manifests that only
# replay finds), a schema version 1 manifest, compare with its refusal of runs on another suite
# checksum, and reproduce.
source "$(dirname "$0")/lib.sh"
edit=${CGYM_BUILD_DIR:?}/tests/harness/manifest_edit

"$cgym" keygen --key "$work/alice.key" >/dev/null
"$cgym" keygen --key "$work/bob.key" >/dev/null
"$cgym" keygen --key "$work/mallory.key" >/dev/null
expect_exit 0 "run" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-3 --agent oz,random \
  --seed 5 --out "$work/a" --key "$work/alice.key" --episode-length 20 --patience 8 --quiet
manifest=$work/a/manifest.dsse.json

# Signature and keys.
expect_exit 0 "verify with the signing key" -- "$cgym" verify "$manifest" --key "$work/alice.key.pub"
expect_exit 3 "verify with a wrong key" -- "$cgym" verify "$manifest" --key "$work/mallory.key.pub"
expect_contains "$err" "does not verify with key" "wrong key message"
expect_exit 2 "verify without --key" -- "$cgym" verify "$manifest"
expect_exit 2 "verify with a missing key file" -- "$cgym" verify "$manifest" --key "$work/none.pub"
expect_contains "$err" "none.pub not found" "missing key file message"

# Co-signing and required key sets.
expect_exit 3 "bob has not signed yet" -- "$cgym" verify "$manifest" --key "$work/alice.key.pub" \
  --key "$work/bob.key.pub"
expect_exit 0 "bob co-signs" -- "$cgym" sign "$manifest" --key "$work/bob.key"
expect_exit 0 "both keys required" -- "$cgym" verify "$manifest" --key "$work/alice.key.pub" \
  --key "$work/bob.key.pub"
expect_exit 2 "bob signs twice" -- "$cgym" sign "$manifest" --key "$work/bob.key"
expect_contains "$err" "already signed by key" "second co-signature message"
expect_exit 3 "a third key is required but absent" -- "$cgym" verify "$manifest" \
  --key "$work/alice.key.pub" --key "$work/bob.key.pub" --key "$work/mallory.key.pub"

# Replay of the real run.
expect_exit 0 "verify --replay" -- "$cgym" verify "$manifest" --key "$work/alice.key.pub" --replay \
  --offline
expect_contains "$out" "replay matched: 6 of 6 episodes replayed, 0 differ" "replay summary"

# A changed subject.
cp -r "$work/a" "$work/subject"
echo "edited" >>"$work/subject/results.md"
expect_exit 3 "changed results.md" -- "$cgym" verify "$work/subject/manifest.dsse.json" \
  --key "$work/alice.key.pub"
expect_contains "$err" "subject results.md does not match" "changed subject message"

# Counts edited and signed again with the right key: the signature holds, the replay does not.
cp -r "$work/a" "$work/counts"
"$edit" "$work/counts/manifest.dsse.json" "$work/alice.key" counts 1
expect_exit 0 "forged counts pass the signature" -- "$cgym" verify \
  "$work/counts/manifest.dsse.json" --key "$work/alice.key.pub"
expect_exit 3 "forged counts fail the replay" -- "$cgym" verify \
  "$work/counts/manifest.dsse.json" --key "$work/alice.key.pub" --replay --offline
expect_contains "$out" "episode 1 (" "the differing episode is named"
expect_contains "$out" "C_final recorded" "the differing count is named"
expect_contains "$out" "1 differ" "only the forged episode differs"

# A truncated action list, signed again: the final state differs.
cp -r "$work/a" "$work/truncated"
"$edit" "$work/truncated/manifest.dsse.json" "$work/alice.key" truncate 0
expect_exit 3 "truncated action list fails the replay" -- "$cgym" verify \
  "$work/truncated/manifest.dsse.json" --key "$work/alice.key.pub" --replay --offline
expect_contains "$out" "episode 0 (" "the truncated episode is named"
expect_contains "$out" "final bitcode sha256 recorded" "the final state differs"

# A manifest of schema version 1 still verifies and replays from results.json.
cp -r "$work/a" "$work/schema1"
"$edit" "$work/schema1/manifest.dsse.json" "$work/alice.key" schema1
expect_exit 0 "schema 1 replay" -- "$cgym" verify "$work/schema1/manifest.dsse.json" \
  --key "$work/alice.key.pub" --replay --offline
expect_contains "$out" "6 of 6 episodes replayed, 0 differ" "schema 1 replay summary"
expect_exit 0 "schema 1 in compare" -- "$cgym" compare "$work/schema1" "$work/a"

# Compare: a second seed is comparable; another suite checksum is refused.
expect_exit 0 "second run" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-3 \
  --agent oz,random --seed 6 --out "$work/b" --key "$work/alice.key" --episode-length 20 \
  --patience 8 --quiet
expect_exit 0 "compare two seeds" -- "$cgym" compare "$work/a" "$work/b" \
  --export-markdown "$work/cmp.md" --export-csv "$work/cmp.csv" --export-json "$work/cmp.json" \
  --export-latex "$work/cmp.tex"
expect_contains "$out" "A C_Oz/C_final" "terminal header"
expect_contains "$out" "geomean" "geometric mean rows"
expect_contains "$out" "spread" "spread column"
expect_contains "$(cat "$work/cmp.md")" "| benchmark | agent |" "Markdown export"
expect_contains "$(cat "$work/cmp.csv")" "benchmark,agent,A C_Oz/C_final" "CSV export"
expect_contains "$(cat "$work/cmp.json")" "\"comparable\": true" "JSON export"
expect_contains "$(cat "$work/cmp.tex")" "\\begin{tabular}" "LaTeX export"
expect_exit 0 "JSON to stdout" -- "$cgym" compare "$work/a" "$work/b" --export-json -
expect_contains "$out" "\"rows\"" "JSON on stdout"

cp -r "$work/b" "$work/other-suite"
"$edit" "$work/other-suite/manifest.dsse.json" "$work/alice.key" suite \
  0000000000000000000000000000000000000000000000000000000000000000
expect_exit 4 "compare on another suite checksum" -- "$cgym" compare "$work/a" "$work/other-suite"
expect_contains "$err" "suite.definition_digest.sha256 differs" "the differing field is named"
expect_exit 0 "compare --force" -- "$cgym" compare "$work/a" "$work/other-suite" --force
expect_contains "$out" "NOT COMPARABLE" "the forced table says so"

# Reproduce re-runs the plan and finds the same episodes.
expect_exit 0 "reproduce" -- "$cgym" reproduce "$manifest" --key "$work/bob.key" \
  --out "$work/again" --offline
expect_contains "$err" "identical: 0 of 6 episodes differ" "reproduce summary"
expect_exit 0 "the reproduction verifies" -- "$cgym" verify "$work/again/manifest.dsse.json" \
  --key "$work/bob.key.pub"
finish
