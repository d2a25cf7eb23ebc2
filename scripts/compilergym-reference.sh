#!/usr/bin/env bash
# Extracts CompilerGym's own cBench crc32 bitcode (written by LLVM 10) into OUT_DIR, so tests can
# check cgym's observations and rewards against the vectors that CompilerGym's tests publish for
# that module. The bitcode ships inside the compiler-gym 0.2.5 wheel on PyPI, which pip downloads
# by package name; both the wheel and the extracted file are checked against pinned SHA-256s.
#
# Usage: scripts/compilergym-reference.sh OUT_DIR
# Environment: PYTHON (default python3), used to create a virtual environment for pip under
#   OUT_DIR/venv when OUT_DIR/venv does not exist yet.
# Exit status: 0 when OUT_DIR/cbench-v1-crc32.bc is present and verified, 1 when the download or
#   a check failed, 2 for usage errors.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
out=$1
wheel_name=compiler_gym-0.2.5-py3-none-manylinux2014_x86_64.whl
wheel_sha256=49a335c925ccc493c2e1b801867986982f0c7dd500041775fa6b3247b1d54ccf
member=compiler_gym-0.2.5.data/purelib/compiler_gym/third_party/cbench/cbench-v1/crc32.bc
crc32_sha256=eeeed82c639e34d923d8c03491236f1f579a6c186cb7e4658c9f6c5c34dc60d5
target=$out/cbench-v1-crc32.bc

sha256_of() { sha256sum "$1" | cut -d ' ' -f 1; }

mkdir -p "$out"
if [ -f "$target" ] && [ "$(sha256_of "$target")" = "$crc32_sha256" ]; then
  exit 0
fi

if [ ! -x "$out/venv/bin/pip" ]; then
  "${PYTHON:-python3}" -m venv "$out/venv"
fi
downloads=$(mktemp -d "$out/download.XXXXXX")
trap 'rm -rf "$downloads"' EXIT
# The wheel is pure Python apart from bundled service programs, so pip picks this file on any
# x86-64 Linux; --no-deps keeps CompilerGym's own dependencies out.
"$out/venv/bin/pip" download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
  --python-version 3.8 -d "$downloads" compiler-gym==0.2.5

actual=$(sha256_of "$downloads/$wheel_name")
if [ "$actual" != "$wheel_sha256" ]; then
  echo "compilergym-reference: $wheel_name has SHA-256 $actual, expected $wheel_sha256" >&2
  exit 1
fi
"$out/venv/bin/python" - "$downloads/$wheel_name" "$member" "$downloads/crc32.bc" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    data = wheel.read(sys.argv[2])
with open(sys.argv[3], "wb") as output:
    output.write(data)
PY
actual=$(sha256_of "$downloads/crc32.bc")
if [ "$actual" != "$crc32_sha256" ]; then
  echo "compilergym-reference: crc32.bc has SHA-256 $actual, expected $crc32_sha256" >&2
  exit 1
fi
mv "$downloads/crc32.bc" "$target"
