#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds with warnings as errors, fills the
# archive mirror that the loopback download tests serve, extracts CompilerGym's crc32 bitcode for
# the check against CompilerGym's vectors, installs the Python package into a
# virtual environment and runs its tests, runs every CTest test, then rebuilds with
# AddressSanitizer and UndefinedBehaviorSanitizer and runs the unit tests again.
#
# Environment: CGYM_TEST_MIRROR (archive folder, default build/test-mirror), SKIP_SANITIZERS=1
# to leave out the sanitizer pass.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

export CGYM_TEST_MIRROR=${CGYM_TEST_MIRROR:-$root/build/test-mirror}
CGYM_BIN=$root/build/cgym "$root/scripts/debian-mirror.sh" "$CGYM_TEST_MIRROR" default

# CompilerGym's crc32 bitcode, from the compiler-gym wheel, for the check of cgym's observations
# against CompilerGym's published vectors; with CGYM_REQUIRE_REFERENCE_DATA=1 that test fails
# instead of skipping when the file is missing.
reference_data=$root/build/test-data
"$root/scripts/compilergym-reference.sh" "$reference_data"
export CGYM_REQUIRE_REFERENCE_DATA=1

# The Python package and its tests run in a virtual environment under build/venv, which the
# CTest entry python_tests then reuses.
"$root/scripts/python-tests.sh"

ctest --test-dir "$root/build" --output-on-failure --timeout 1500 -j 2

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  BUILD_DIR=$root/build-asan "$root/scripts/build.sh" -DCGYM_SANITIZE=ON \
    -DCGYM_REFERENCE_DATA_DIR="$reference_data"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir "$root/build-asan" --output-on-failure --timeout 1500 -j 2 -L unit
fi
