#!/usr/bin/env bash
# The main job from a fresh clone: installs what is missing, builds cgym, fetches the embedded
# default suite's pinned source archives, runs the oz, random and greedy agents on every program,
# prints the results table and verifies the signed manifest.
#
# Environment: OUT (output folder, default out/default), SEED (default 0), CGYM_CACHE (cache,
# default ~/.cache/cgym), CGYM_KEY (signing key, default ~/.config/cgym/signing.key; created
# when missing), CGYM_MIRROR (archive folder, default $CGYM_CACHE/mirror).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cgym=$root/build/cgym

cache=${CGYM_CACHE:-$HOME/.cache/cgym}
mirror=${CGYM_MIRROR:-$cache/mirror}
key=${CGYM_KEY:-$HOME/.config/cgym/signing.key}
out=${OUT:-$root/out/default}
seed=${SEED:-0}

# The archives come from Debian's source packages, whose orig tarballs are the upstream
# releases; cgym checks each against the SHA-256 pinned in the suite definition.
CGYM_BIN=$cgym "$root/scripts/debian-mirror.sh" "$mirror" default

if [ ! -f "$key" ]; then
  mkdir -p "$(dirname "$key")"
  "$cgym" keygen --key "$key"
fi

"$cgym" run --suite default --agent oz,random,greedy --seed "$seed" --out "$out" \
  --key "$key" --mirror "$mirror"
"$cgym" verify "$out/manifest.dsse.json" --key "$key.pub"
