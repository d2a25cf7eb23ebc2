#!/usr/bin/env bash
# A suite that declares "actions" runs its agents on that subset only: results and manifest name
# the subset's id and hash, every recorded action is in the subset, verify --replay reproduces
# the episodes, and the full suite's run cannot be compared with it.
source "$(dirname "$0")/lib.sh"

cat >"$work/subset.json" <<'JSON'
{
  "schema": "cgym-suite/v1",
  "name": "csmith-subset",
  "version": "1",
  "description": "csmith programs with three passes",
  "actions": ["sroa", "-instcombine", "simplifycfg"],
  "generator": {"tool": "csmith", "first_seed": 1, "count": 2}
}
JSON
"$cgym" keygen --key "$work/signing.key" >/dev/null

expect_exit 0 "run on the subset" -- "$cgym" run --suite "$work/subset.json" \
  --agent random,greedy --seed 3 --out "$work/subset" --key "$work/signing.key" \
  --episode-length 12 --max-steps 6 --quiet
results=$work/subset/results.json
expect_contains "$(cat "$results")" '"llvm19-passes-v1/subset-' "results name the subset's id"

names=$(jq -r '.. | objects | select(has("pipeline")) | .name' "$results" | sort -u)
[ -n "$names" ] && ok || fail "the agents recorded no actions"
for name in $names; do
  case "$name" in
    sroa | instcombine | simplifycfg) ok ;;
    *) fail "action $name is not in the subset" ;;
  esac
done
id=$(jq -r '.run.action_space_id' "$results")
hash=$(jq -r '.run.action_space_hash' "$results")
[ ${#hash} -eq 64 ] && ok || fail "results.json has no action space hash: '$hash'"
[ "${id#llvm19-passes-v1/subset-}" = "${hash:0:12}" ] && ok ||
  fail "the subset id '$id' should end in the first 12 digits of its hash '$hash'"

expect_exit 0 "verify --replay of the subset run" -- "$cgym" verify \
  "$work/subset/manifest.dsse.json" --key "$work/signing.key.pub" --replay
expect_contains "$out$err" "0 differ" "every subset episode replays"

expect_exit 0 "run on the full space" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-2 \
  --agent random --seed 3 --out "$work/full" --key "$work/signing.key" --episode-length 12 \
  --quiet
expect_exit 4 "compare subset and full runs" -- "$cgym" compare "$work/subset" "$work/full"
expect_contains "$err" "subset-" "the refusal names the subset's id"

sed -i 's/"sroa", /"sroa", "sroa", /' "$work/subset.json"
expect_exit 2 "an action listed twice" -- "$cgym" run --suite "$work/subset.json" \
  --agent random --out "$work/twice" --quiet
expect_contains "$err" "appears twice" "the error names the repeated action"
finish
