#!/usr/bin/env bash
# Fills OUT_DIR with the archives of a cgym suite, taken from Debian's source packages.
#
# Usage: scripts/debian-mirror.sh OUT_DIR [SUITE]     (SUITE defaults to "default")
#
# Debian ships each program's pristine upstream release as the orig tarball of its source
# package. `$CGYM_BIN suites debian-sources SUITE` lists them as lines
# "DEBIAN_SOURCE ORIG_FILE ARCHIVE_FILE SHA256". The script downloads each source package with
# apt-get, checks the orig tarball's SHA-256 and stores it as OUT_DIR/ARCHIVE_FILE, because
# that is the name cgym's mirror option looks for. Files already present with the right digest are skipped.
#
# The deb-src entries are derived at run time from the machine's own apt sources and written to
# a private apt configuration folder, so the system's apt configuration stays untouched.
#
# Environment: CGYM_BIN  path of the cgym program (required)
# Exit status: 0 when every archive is present and verified, 1 when any package failed, 2 for
# usage errors.
set -euo pipefail

die_usage() {
  echo "usage: $0 OUT_DIR [SUITE]  (with CGYM_BIN set to the cgym program)" >&2
  exit 2
}

log() { echo "debian-mirror: $*" >&2; }

sha256_of() { sha256sum "$1" | cut -d ' ' -f 1; }

# Writes deb-src versions of the system's deb entries into folder $1: deb822 stanzas from
# /etc/apt/sources.list.d/*.sources with "Types: deb-src", and one-line entries from
# /etc/apt/sources.list and /etc/apt/sources.list.d/*.list with "deb-src".
write_source_entries() {
  local parts="$1" file
  : >"$parts/cgym.list"
  : >"$parts/cgym.sources"
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$file" ]] || continue
    sed -n -E 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$file" >>"$parts/cgym.list"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] || continue
    # Keeps stanzas whose Types include deb, and rewrites that field to deb-src.
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:[^\n]*(^|[[:space:]])deb([[:space:]]|$|\n)/ {
           sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print
         }' "$file" >>"$parts/cgym.sources"
  done
  if [[ ! -s "$parts/cgym.list" && ! -s "$parts/cgym.sources" ]]; then
    log "no deb entries found in /etc/apt/sources.list or /etc/apt/sources.list.d"
    return 1
  fi
}

# Moves ORIG_FILE of package $1 from the scratch folder into OUT_DIR/ARCHIVE_FILE once its
# digest matches. Returns 1 with a message naming the package otherwise.
store_orig() {
  local package="$1" orig="$2" archive="$3" expected="$4" scratch="$5" actual
  if [[ ! -f "$scratch/$orig" ]]; then
    log "$package: apt-get source did not download $orig (found: $(ls "$scratch" | tr '\n' ' '))"
    return 1
  fi
  actual="$(sha256_of "$scratch/$orig")"
  if [[ "$actual" != "$expected" ]]; then
    log "$package: $orig has SHA-256 $actual, expected $expected"
    return 1
  fi
  cp "$scratch/$orig" "$OUT_DIR/.tmp-$archive"
  mv "$OUT_DIR/.tmp-$archive" "$OUT_DIR/$archive"
  log "$package: stored $archive"
}

[[ $# -ge 1 && $# -le 2 ]] || die_usage
OUT_DIR="$1"
SUITE="${2:-default}"
[[ -n "${CGYM_BIN:-}" ]] || die_usage
mkdir -p "$OUT_DIR"

listing="$("$CGYM_BIN" suites debian-sources "$SUITE")" || {
  log "$CGYM_BIN suites debian-sources $SUITE failed"
  exit 1
}

# Archives still missing, as lines of the listing.
needed=()
while read -r package orig archive sha256; do
  [[ -n "${package:-}" ]] || continue
  if [[ -f "$OUT_DIR/$archive" && "$(sha256_of "$OUT_DIR/$archive")" == "$sha256" ]]; then
    log "$package: $archive already present"
    continue
  fi
  needed+=("$package $orig $archive $sha256")
done <<<"$listing"
[[ ${#needed[@]} -gt 0 ]] || exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial" "$work/cache/archives/partial"
write_source_entries "$work/parts"
apt_options=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/parts"
             -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
log "updating the private source package lists"
apt-get "${apt_options[@]}" update >&2

failed=0
for line in "${needed[@]}"; do
  read -r package orig archive sha256 <<<"$line"
  scratch="$work/source-$package"
  mkdir -p "$scratch"
  # The orig tarball is all that is needed: when another file of the source package fails to
  # download, a verified orig still counts.
  if ! (cd "$scratch" && apt-get "${apt_options[@]}" source --download-only "$package" >&2); then
    log "$package: apt-get source reported an error; checking whether $orig arrived"
  fi
  store_orig "$package" "$orig" "$archive" "$sha256" "$scratch" || failed=1
done
exit "$failed"
