#!/usr/bin/env bash
# Tests scripts/debian-mirror.sh without the network: a fake apt-get in PATH plays the Debian
# archive, and a suite written here names one source package. Checks that the script stores a
# verified orig under the archive's name, skips it on the next run, and fails naming the package
# when the digest is wrong.
set -uo pipefail

script="$CGYM_SOURCE_DIR/scripts/debian-mirror.sh"
lister="${CGYM_TEST_DEBIAN_SOURCES:?the test needs CGYM_TEST_DEBIAN_SOURCES}"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

if ! grep -qsE '^[[:space:]]*(deb[[:space:]]|Types:.*deb)' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
  echo "skipped: this machine has no apt deb entries to derive deb-src entries from"
  exit 77
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/out"
printf 'pristine upstream release\n' >"$work/good.orig"
printf 'something else\n' >"$work/bad.orig"
sha="$(sha256sum "$work/good.orig" | cut -d ' ' -f 1)"

cat >"$work/suite.json" <<JSON
{
  "schema": "cgym-suite/v1", "name": "fake", "version": "1",
  "archives": [{"id": "fake", "file": "fake-1.0.tar.gz", "sha256": "$sha",
                "debian": {"source": "fakepkg", "orig": "fakepkg_1.0.orig.tar.gz"}}],
  "benchmarks": [{"name": "fake", "archive": "fake", "root": "fake-1.0", "sources": ["a.c"],
                  "license": "MIT"}]
}
JSON

# The fake apt-get logs its arguments, checks the private deb-src entries on update, and
# "downloads" $FAKE_ORIG as the orig tarball on source.
cat >"$work/bin/apt-get" <<'FAKE'
#!/usr/bin/env bash
echo "$*" >>"$FAKE_LOG"
parts=""
for argument in "$@"; do
  case "$argument" in Dir::Etc::SourceParts=*) parts="${argument#*=}" ;; esac
done
case " $* " in
  *" update "*) cat "$parts"/* | grep -q 'deb-src' || { echo "no deb-src entry" >&2; exit 1; } ;;
  *" source "*) cp "$FAKE_ORIG" fakepkg_1.0.orig.tar.gz ;;
esac
FAKE
chmod +x "$work/bin/apt-get"

run() {
  PATH="$work/bin:$PATH" CGYM_BIN="$lister" FAKE_LOG="$work/apt.log" FAKE_ORIG="$1" \
    bash "$script" "$work/out" "$work/suite.json" 2>"$work/stderr"
}

# A verified orig is stored under the archive's file name.
run "$work/good.orig" || fail "first run exited with $?: $(cat "$work/stderr")"
[[ -f "$work/out/fake-1.0.tar.gz" ]] || fail "fake-1.0.tar.gz was not stored"
[[ "$(sha256sum "$work/out/fake-1.0.tar.gz" | cut -d ' ' -f 1)" == "$sha" ]] \
  || fail "stored file has another digest"
grep -q 'Dir::Etc::SourceList=/dev/null' "$work/apt.log" || fail "apt-get used the system sources"
grep -q 'source --download-only fakepkg' "$work/apt.log" || fail "apt-get source was not called"

# A second run finds the file and does not call apt-get.
: >"$work/apt.log"
run "$work/bad.orig" || fail "second run exited with $?: $(cat "$work/stderr")"
[[ ! -s "$work/apt.log" ]] || fail "apt-get was called although the file was present"
grep -q 'already present' "$work/stderr" || fail "the skip was not reported"

# A wrong digest fails and names the package and both digests.
rm "$work/out/fake-1.0.tar.gz"
run "$work/bad.orig" && fail "a wrong digest was accepted"
grep -q 'fakepkg' "$work/stderr" || fail "the failure does not name the package"
grep -q "expected $sha" "$work/stderr" || fail "the failure does not name the expected digest"
[[ ! -e "$work/out/fake-1.0.tar.gz" ]] || fail "a file with a wrong digest was stored"
[[ -z "$(ls -A "$work/out")" ]] || fail "files were left in the output folder: $(ls -A "$work/out")"

# Usage errors exit with 2.
bash "$script" 2>/dev/null
[[ $? -eq 2 ]] || fail "a missing OUT_DIR did not exit with 2"

echo "$failures failed"
[[ $failures -eq 0 ]]
