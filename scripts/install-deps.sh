#!/usr/bin/env bash
# Installs the Debian 12 packages that cgym needs to build, test and benchmark, and nothing that
# is already there. Runs apt-get as root directly, otherwise through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  llvm-19-dev llvm-19 clang-19
  # C++ headers for poj104-v1 (bits/stdc++.h); clang-19 depends on them already.
  libstdc++-12-dev
  libcurl4-openssl-dev libarchive-dev libssl-dev libjansson-dev zlib1g-dev libzstd-dev
  libbz2-dev
  csmith libcsmith-dev hyperfine jq dpkg-dev
  clang-13
  python3-venv python3-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "install-deps: missing packages ${missing[*]}; run this script as root or install sudo" >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
