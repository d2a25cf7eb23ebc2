#!/usr/bin/env bash
# Bad input through the cgym command line: each case checks the exit code from the documented
# table, that the message names the value, and that no partial file is left behind.
source "$(dirname "$0")/lib.sh"

# Real modules that no one here wrote: llvm-stress output from a fixed seed.
llvm_bin=$(llvm-config-19 --bindir)
"$llvm_bin/llvm-stress" --seed=11 --size=300 -o "$work/stress.ll"
"$llvm_bin/llvm-as" "$work/stress.ll" -o "$work/good.bc"

# ---- Commands and options ----------------------------------------------------------------------
expect_exit 2 "no command" -- "$cgym"
expect_exit 2 "unknown command" -- "$cgym" frobnicate
expect_contains "$err" "unknown command 'frobnicate'" "unknown command message"
expect_exit 0 "help" -- "$cgym" help run
expect_contains "$out" "--seed" "help lists options"

expect_exit 2 "invalid seed" -- "$cgym" run --seed abc --out "$work/o"
expect_contains "$err" "invalid value 'abc' for --seed" "invalid seed message"
expect_exit 2 "zero jobs" -- "$cgym" run --jobs 0 --out "$work/o"
expect_exit 2 "bad seed range" -- "$cgym" run --generator-seeds 9-3 --out "$work/o"
expect_contains "$err" "invalid --generator-seeds '9-3'" "seed range message"

# ---- Unknown suite, agent and action -----------------------------------------------------------
expect_exit 2 "unknown suite" -- "$cgym" run --suite nosuchsuite --out "$work/o1"
expect_contains "$err" "nosuchsuite" "unknown suite message names the value"
expect_contains "$err" "default" "unknown suite message lists the built-in suites"
[ ! -e "$work/o1/results.json" ] && ok || fail "unknown suite left results.json"

expect_exit 2 "unknown agent" -- "$cgym" run --agent oz,nosuchagent --out "$work/o2"
expect_contains "$err" "nosuchagent" "unknown agent message names the value"
expect_contains "$err" "greedy" "unknown agent message lists the agents"
expect_exit 2 "repeated agent" -- "$cgym" run --agent oz,oz --out "$work/o2"

expect_exit 2 "unknown action" -- "$cgym" apply "$work/good.bc" --actions gvn,instcombin
expect_contains "$err" "instcombin" "unknown action message names the value"
expect_contains "$err" "did you mean 'instcombine'" "unknown action suggestion"
expect_exit 2 "dropped action" -- "$cgym" apply "$work/good.bc" --actions -loop-unswitch
expect_contains "$err" "simple-loop-unswitch" "dropped action message gives the replacement"

# ---- Modules -----------------------------------------------------------------------------------
expect_exit 0 "apply on a real module" -- "$cgym" apply "$work/good.bc" --actions mem2reg,gvn,-simplifycfg
expect_contains "$out" "instructions: " "apply prints the count"

# Finer steps in apply: --list shows the indices that @function and @loop take, --output writes
# the module, and bad items are usage errors.
expect_exit 0 "apply --list functions --output" -- "$cgym" apply "$work/good.bc" \
  --actions mem2reg,gvn@function:0 --list functions --output "$work/applied.bc"
expect_contains "$out" 'functions: [{"index":0' "apply lists the functions as JSON"
[ -s "$work/applied.bc" ] && ok || fail "apply --output wrote no bitcode"
expect_exit 0 "apply the written module" -- "$cgym" apply "$work/applied.bc"
expect_exit 2 "function index out of range" -- "$cgym" apply "$work/good.bc" \
  --actions gvn@function:999
expect_contains "$err" "function 999 does not exist" "the index is named"
expect_contains "$err" "--list functions" "the message says how to list the functions"
expect_exit 2 "index overflow" -- "$cgym" apply "$work/good.bc" \
  --actions gvn@function:99999999999999999999999
expect_contains "$err" "got '99999999999999999999999'" "the overflowing index is quoted"
expect_exit 2 "bad finer syntax" -- "$cgym" apply "$work/good.bc" --actions gvn@func:1
expect_exit 2 "unknown unroll factor" -- "$cgym" apply "$work/good.bc" --actions unroll-5@loop:0
expect_contains "$err" "unroll-2, unroll-3" "the factors are listed"
expect_exit 2 "unknown --list" -- "$cgym" apply "$work/good.bc" --list blocks

head -c 700 "$work/good.bc" >"$work/truncated.bc"
expect_exit 4 "truncated bitcode" -- "$cgym" apply "$work/truncated.bc" --actions gvn
expect_contains "$err" "truncated.bc" "truncated bitcode message names the file"
cp "$work/good.bc" "$work/flipped.bc"
printf '\x00' | dd of="$work/flipped.bc" bs=1 seek=2 conv=notrunc status=none
expect_exit 4 "corrupt bitcode magic" -- "$cgym" apply "$work/flipped.bc" --actions gvn
expect_contains "$err" "flipped.bc" "corrupt bitcode message names the file"
expect_exit 2 "missing module" -- "$cgym" apply "$work/missing.bc" --actions gvn
expect_contains "$err" "missing.bc" "missing module message names the file"

mkdir -p "$work/module-folder"
expect_exit 2 "folder as module" -- "$cgym" apply "$work/module-folder" --actions gvn
expect_contains "$err" "'$work/module-folder' is a folder" "folder message names the path"
expect_contains "$err" "a module file is expected" "folder message says a file is expected"

: >"$work/empty.ll"
expect_exit 4 "empty module" -- "$cgym" apply "$work/empty.ll" --actions gvn
expect_contains "$err" "empty.ll" "empty module message names the file"
expect_contains "$err" "is empty (0 bytes)" "empty module message says why"
[ -z "$out" ] && ok || fail "empty module printed measurements: $out"

# LLVM's parse error quotes the first line of the file, here a terminal title, a clear-screen
# sequence, a C1 control (U+009B) and bytes that are not UTF-8.
printf '\033]0;owned\007\033[2J\302\23331m\377\376\001\n' >"$work/binary.ll"
expect_exit 4 "binary module" -- "$cgym" apply "$work/binary.ll" --actions gvn
expect_contains "$err" "binary.ll" "binary module message names the file"
expect_contains "$err" '\x1b]0;owned\x07\x1b[2J\xc2\x9b31m\xff\xfe\x01' \
  "binary module message escapes the control bytes"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f-\xff]' "$work/stderr"; then
  fail "binary module message contains raw control or non-ASCII bytes"
else ok; fi
expect_no_temporary_files "$work" "bad modules"

# ---- Suite definition files --------------------------------------------------------------------
mkdir -p "$work/mirror"
printf 'int main(void) { return 0; }\n' >"$work/src.c"
tar -C "$work" -czf "$work/mirror/hello.tar.gz" src.c
sum=$(sha256sum "$work/mirror/hello.tar.gz" | cut -d' ' -f1)
wrong=0000000000000000000000000000000000000000000000000000000000000000

write_suite() { # write_suite FILE SHA256 [ACTIONS_JSON]
  cat >"$1" <<JSON
{
  "schema": "cgym-suite/v1",
  "name": "clitest",
  "version": "1",
  "description": "command-line test suite",
  "license": "test data",
  ${3:+\"actions\": $3,}
  "archives": [{"id": "hello", "file": "hello.tar.gz", "urls": [], "sha256": "$2"}],
  "benchmarks": [{"name": "hello", "archive": "hello", "root": ".", "sources": ["src.c"],
                  "license": "test data"}]
}
JSON
}

write_suite "$work/unknown-pass.json" "$sum" '["gvn", "nosuchpass"]'
expect_exit 2 "unknown pass in a suite file" -- "$cgym" run --suite "$work/unknown-pass.json" \
  --mirror "$work/mirror" --offline --agent oz --out "$work/o3"
expect_contains "$err" "nosuchpass" "unknown pass message names the pass"
expect_contains "$err" "unknown-pass.json" "unknown pass message names the file"

write_suite "$work/wrong-sum.json" "$wrong"
expect_exit 4 "wrong SHA-256" -- "$cgym" run --suite "$work/wrong-sum.json" \
  --mirror "$work/mirror" --offline --agent oz --out "$work/o4"
expect_contains "$err" "$wrong" "checksum message gives the expected digest"
expect_contains "$err" "$sum" "checksum message gives the actual digest"
expect_no_temporary_files "$CGYM_CACHE" "wrong SHA-256"
[ ! -e "$work/o4/results.json" ] && ok || fail "wrong SHA-256 left results.json"

head -c 60 "$work/mirror/hello.tar.gz" >"$work/mirror/cut.tar.gz"
cut_sum=$(sha256sum "$work/mirror/cut.tar.gz" | cut -d' ' -f1)
write_suite "$work/truncated.json" "$cut_sum"
sed -i 's/"hello.tar.gz"/"cut.tar.gz"/' "$work/truncated.json"
expect_exit 4 "truncated archive" -- "$cgym" run --suite "$work/truncated.json" \
  --mirror "$work/mirror" --offline --agent oz --out "$work/o5"
expect_contains "$err" "cut.tar.gz" "truncated archive message names the file"
expect_no_temporary_files "$CGYM_CACHE" "truncated archive"

mkdir -p "$work/evil/inner"
cp "$work/src.c" "$work/evil/inner/src.c"
tar -C "$work/evil/inner" -P --transform 's,^src.c,../escape.c,' -czf "$work/mirror/dotdot.tar.gz" src.c
dotdot_sum=$(sha256sum "$work/mirror/dotdot.tar.gz" | cut -d' ' -f1)
write_suite "$work/dotdot.json" "$dotdot_sum"
sed -i 's/"hello.tar.gz"/"dotdot.tar.gz"/' "$work/dotdot.json"
expect_exit 4 "entry with ../" -- "$cgym" run --suite "$work/dotdot.json" \
  --mirror "$work/mirror" --offline --agent oz --out "$work/o6"
expect_contains "$err" "../escape.c" "dot-dot message names the entry"
[ ! -e "$CGYM_CACHE/escape.c" ] && ok || fail "dot-dot entry escaped the extraction folder"
expect_no_temporary_files "$CGYM_CACHE" "entry with ../"

ln -s /etc/passwd "$work/evil/link"
tar -C "$work/evil" -czf "$work/mirror/link.tar.gz" link inner/src.c
link_sum=$(sha256sum "$work/mirror/link.tar.gz" | cut -d' ' -f1)
write_suite "$work/link.json" "$link_sum"
sed -i 's/"hello.tar.gz"/"link.tar.gz"/' "$work/link.json"
expect_exit 4 "link pointing outside" -- "$cgym" run --suite "$work/link.json" \
  --mirror "$work/mirror" --offline --agent oz --out "$work/o7"
expect_contains "$err" "link" "link message names the entry"
expect_no_temporary_files "$CGYM_CACHE" "link pointing outside"

# ---- Keys and manifests ------------------------------------------------------------------------
expect_exit 0 "keygen" -- "$cgym" keygen --key "$work/keys/a.key"
expect_exit 0 "second keygen" -- "$cgym" keygen --key "$work/keys/b.key"
[ "$(stat -c %a "$work/keys/a.key")" = 600 ] && ok || fail "private key mode is not 0600"
expect_exit 2 "keygen over an existing key" -- "$cgym" keygen --key "$work/keys/a.key"
expect_contains "$err" "a.key" "keygen refusal names the file"

expect_exit 0 "signed run" -- "$cgym" run --suite csmith-v0 \
  --generator-seeds 1-1 --agent oz --out "$work/run" --key "$work/keys/a.key" --quiet
expect_exit 0 "verify" -- "$cgym" verify "$work/run/manifest.dsse.json" --key "$work/keys/a.key.pub"
expect_contains "$out" "2 subjects match" "verify reports the subjects"

expect_exit 3 "wrong key" -- "$cgym" verify "$work/run/manifest.dsse.json" --key "$work/keys/b.key.pub"
expect_contains "$err" "b.key.pub" "wrong key message names the key file"

expect_exit 2 "missing public key" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/keys/missing.key.pub"
expect_contains "$err" "$work/keys/missing.key.pub not found" "missing key message names the file"
expect_contains "$err" "'cgym keygen --key $work/keys/missing.key'" \
  "missing key message gives the keygen command"
printf 'not a key\n' >"$work/keys/garbage.pub"
expect_exit 4 "malformed public key" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/keys/garbage.pub"
expect_contains "$err" "garbage.pub is not a PEM public key" "malformed key message names the file"
expect_contains "$err" "'cgym keygen --key FILE'" "malformed key message says where keys come from"
: >"$work/keys/empty.pub"
expect_exit 4 "empty public key" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/keys/empty.pub"
expect_exit 4 "private key to verify" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/keys/a.key"
expect_exit 2 "missing key after a good one" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/keys/a.key.pub" --key "$work/keys/missing.key.pub"
[ -z "$out" ] && ok || fail "a missing second key still printed a verification: $out"
expect_exit 2 "missing manifest" -- "$cgym" verify "$work/run/missing.dsse.json" \
  --key "$work/keys/a.key.pub"
expect_contains "$err" "missing.dsse.json not found" "missing manifest message names the file"
expect_exit 2 "run folder as manifest" -- "$cgym" verify "$work/run" --key "$work/keys/a.key.pub"
expect_contains "$err" "$work/run/manifest.dsse.json" "folder message gives the manifest path"
expect_exit 2 "missing private key to sign" -- "$cgym" sign "$work/run/manifest.dsse.json" \
  --key "$work/keys/missing.key"
expect_contains "$err" "'cgym keygen --key $work/keys/missing.key'" \
  "missing private key message gives the keygen command"
expect_no_temporary_files "$work/keys" "bad key files"
expect_no_temporary_files "$work/run" "bad key files"

cp "$work/run/manifest.dsse.json" "$work/run/original.json"
size=$(stat -c %s "$work/run/manifest.dsse.json")
middle=$((size / 2))
byte=$(dd if="$work/run/manifest.dsse.json" bs=1 skip=$middle count=1 status=none)
replacement=A
[ "$byte" = A ] && replacement=B
printf '%s' "$replacement" | dd of="$work/run/manifest.dsse.json" bs=1 seek=$middle conv=notrunc status=none
expect_exit 3 "flipped byte in the manifest" -- "$cgym" verify "$work/run/manifest.dsse.json" \
  --key "$work/keys/a.key.pub"
expect_contains "$err" "FAILED" "flipped byte is reported"
cp "$work/run/original.json" "$work/run/manifest.dsse.json"

printf ' ' >>"$work/run/results.md"
expect_exit 3 "changed subject" -- "$cgym" verify "$work/run/manifest.dsse.json" --key "$work/keys/a.key.pub"
expect_contains "$err" "results.md" "changed subject message names the file"
expect_exit 3 "co-signing changed results" -- "$cgym" sign "$work/run/manifest.dsse.json" \
  --key "$work/keys/b.key"
expect_contains "$err" "results.md" "co-signing refusal names the changed file"
cmp -s "$work/run/original.json" "$work/run/manifest.dsse.json" && ok ||
  fail "a refused co-signature changed the manifest"

# ---- Comparing unsigned runs -------------------------------------------------------------------
# Output problems are found before any episode runs.
: >"$work/out-file"
expect_exit 2 "run --out names a file" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-1 \
  --agent oz --out "$work/out-file" --quiet
expect_contains "$err" "is not a folder" "the message says --out must be a folder"
expect_exit 2 "run --key missing" -- "$cgym" run --suite csmith-v0 --generator-seeds 1-1 \
  --agent oz --out "$work/keyless" --key "$work/no-such.key" --quiet
expect_contains "$err" "cgym keygen --key $work/no-such.key" "the message says how to make the key"
[ ! -e "$work/keyless/results.json" ] && ok || fail "a run with a missing key ran its episodes"

# csmith writes platform.info into its working folder; cgym must not leave it in the caller's.
mkdir -p "$work/caller"
(cd "$work/caller" && "$cgym" run --suite csmith-v0 --generator-seeds 1-1 --agent oz \
  --out "$work/caller-run" --quiet >/dev/null 2>&1)
[ ! -e "$work/caller/platform.info" ] && ok || fail "csmith left platform.info in the caller's folder"

expect_exit 0 "unsigned run" -- "$cgym" run --suite csmith-v0 \
  --generator-seeds 1-1 --agent oz --out "$work/unsigned" --quiet
[ ! -e "$work/unsigned/manifest.dsse.json" ] && ok || fail "an unsigned run wrote a manifest"
expect_exit 0 "compare an unsigned folder" -- "$cgym" compare "$work/unsigned" "$work/run"
expect_contains "$out" "A = $work/unsigned/results.json (seed 0, suite csmith-v0; UNSIGNED" \
  "unsigned run is marked in the table"
expect_contains "$out" "B = $work/run/manifest.dsse.json (seed 0, suite csmith-v0)" \
  "signed run is read from its manifest"
expect_contains "$out" "generator://csmith-v0/1  oz" "unsigned run has its rows"
expect_exit 0 "unsigned run as JSON" -- "$cgym" compare "$work/unsigned/results.json" "$work/run" \
  --export-json -
expect_contains "$out" '"signed": false' "JSON marks the unsigned run"
expect_contains "$out" '"signed": true' "JSON marks the signed run"

mkdir -p "$work/other-unsigned"
sed 's/"suite_sha256": "[0-9a-f]*"/"suite_sha256": "'"$wrong"'"/' "$work/unsigned/results.json" \
  >"$work/other-unsigned/results.json"
expect_exit 4 "unsigned run on another suite" -- "$cgym" compare "$work/unsigned" \
  "$work/other-unsigned"
expect_contains "$err" "suite.definition_digest.sha256 differs" "unsigned runs are checked too"
mkdir -p "$work/not-a-run"
expect_exit 2 "folder without results" -- "$cgym" compare "$work/not-a-run"
expect_contains "$err" "not-a-run has neither manifest.dsse.json nor results.json" \
  "folder without results message names the folder"
expect_no_temporary_files "$work/unsigned" "compare"

# suites run: usage errors are found before anything is fetched or built.
expect_exit 2 "suites run on a generator suite" -- "$cgym" suites run csmith-v0
expect_contains "$err" "no benchmark with a run spec" "a suite without run specs is named"
expect_exit 2 "suites run --bitcode without --benchmark" -- "$cgym" suites run default \
  --bitcode "$work/none.bc"
expect_contains "$err" "exactly one --benchmark" "--bitcode names what it needs"
expect_exit 2 "suites run --format xml" -- "$cgym" suites run default --format xml
expect_exit 2 "suites run of an unknown benchmark" -- "$cgym" suites run default \
  --benchmark no-such-program --bitcode "$work/none.bc"
expect_contains "$err" "no-such-program" "the unknown benchmark is named"

finish
