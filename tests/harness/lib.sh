# Helpers for the command-line tests; sourced by each test script.
# Every check prints what failed; the script ends with "N passed, N failed" and its exit status.
set -u
passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/cgym-cli-test-XXXXXX")
export CGYM_CACHE=$work/cache
trap 'rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND, keeping stdout/stderr in $out/$err.
expect_exit() {
  local code=$1 description=$2
  shift 3
  "$@" >"$work/stdout" 2>"$work/stderr"
  local status=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
  if [ "$status" -eq "$code" ]; then ok; else
    fail "$description: exit $status, expected $code; stderr: $err"
  fi
}

# expect_contains TEXT FRAGMENT DESCRIPTION
expect_contains() {
  if [[ "$1" == *"$2"* ]]; then ok; else fail "$3: '$2' not in: $1"; fi
}

# expect_no_temporary_files DIR DESCRIPTION: nothing named *.tmp* or .tmp* below DIR.
expect_no_temporary_files() {
  local found
  found=$(find "$1" -name '*.tmp*' -o -name '.tmp*' 2>/dev/null | head -5)
  if [ -z "$found" ]; then ok; else fail "$2: temporary files left: $found"; fi
}

# serve_mirror DIR: starts the loopback HTTP server ($CGYM_TEST_HTTPD) on DIR and sets $url to
# its base URL; the server is stopped when the script exits.
serve_mirror() {
  local httpd=${CGYM_TEST_HTTPD:?CGYM_TEST_HTTPD must name the loopback HTTP server}
  "$httpd" "$1" "$work/port" &
  server=$!
  trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$work/port")"
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

cgym=${CGYM_BIN:?CGYM_BIN must name the cgym program}
