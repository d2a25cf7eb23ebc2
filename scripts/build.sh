#!/usr/bin/env bash
# Configures and builds cgym into BUILD_DIR (default: build) with warnings as errors.
# Extra arguments go to cmake, for example -DCGYM_SANITIZE=ON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCGYM_WERROR=ON "$@" >/dev/null
ninja -C "$build_dir"
