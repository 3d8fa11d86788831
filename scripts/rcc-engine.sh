#!/usr/bin/env bash
# Run the real RCC as a `holobench run` engine: adapts the RCC peer's driver (rcc-drop-main,
# upstream gzip; rcc-drop-fork, the zstd fork; built beside the project, never part of it) to the
# engine templates. RCC keeps its hololib under ROBOCORP_HOME, lifts only its stage directory
# (ROBOCORP_HOME/holotree/<identity>) and restores beside it; this script maps that onto
# holobench's {tree} {library} {target} {identity}.
#
#   rcc-engine.sh main|fork lift    TREE LIBRARY IDENTITY   # once per scenario, not timed
#   rcc-engine.sh main|fork restore LIBRARY TARGET          # timed
#
# lift: LIBRARY becomes a ROBOCORP_HOME; TREE is copied into RCC's stage with IDENTITY (the name
# relocations hold in TREE, as long as RCC's 24-character identity) replaced by RCC's identity,
# then RCC's own Record lifts it (without __pycache__, *.pyc, .git, …; adding identity.yaml); the
# stage is removed; the catalog path is printed last.
# restore: RCC's own RestoreTo into LIBRARY/holotree/<basename of TARGET> (RCC restores only
# beside its stage, rewriting its identity to that name), then a rename to TARGET (same
# filesystem). Bash start, the rename and removing a stale .meta are inside the timing: a few ms.
#
# Binaries: $RCC_PEER_BIN/rcc-drop-<flavor>, else rcc-drop-<flavor> on PATH.
# Example (see README "The real RCC as a peer"):
#   holobench run --rcc-excludes --engine-file engines.json   # with "lift"/"restore" templates calling this script
set -euo pipefail

usage() { echo "usage: $0 main|fork lift TREE LIBRARY IDENTITY | main|fork restore LIBRARY TARGET" >&2; exit 2; }
[ $# -ge 2 ] || usage
flavor=$1 command=$2
case $flavor in main|fork) ;; *) usage ;; esac
if [ -n "${RCC_PEER_BIN:-}" ]; then bin=$RCC_PEER_BIN/rcc-drop-$flavor; else bin=$(command -v "rcc-drop-$flavor" || true); fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "rcc-engine: rcc-drop-$flavor not found (set RCC_PEER_BIN to the directory holding it, or put it on PATH)" >&2
  exit 2
fi

case $command in
lift)
  [ $# -eq 5 ] || usage
  tree=$3 library=$4 identity=$5
  export ROBOCORP_HOME=$library
  info=$("$bin" info)
  field() { printf '%s\n' "$info" | sed -n "s/^  \"$1\": \"\(.*\)\",\{0,1\}$/\1/p"; }
  rcc_identity=$(field identity) stage=$(field stage)
  if [ "${#identity}" -ne "${#rcc_identity}" ]; then
    echo "rcc-engine: the tree's identity \"$identity\" must be as long as RCC's ($rcc_identity, ${#rcc_identity} characters): RCC rewrites only its own identity, in place" >&2
    exit 2
  fi
  case $identity in *[!A-Za-z0-9_-]*) echo "rcc-engine: identity \"$identity\" must be letters, digits, _ and -" >&2; exit 2 ;; esac
  rm -rf "$stage"
  mkdir -p "$stage"
  cp -a "$tree/." "$stage/"
  # Relocations: what held the tree's identity holds RCC's, which RCC's lift then records.
  { LC_ALL=C grep -rlZF -- "$identity" "$stage" || true; } | LC_ALL=C xargs -0 -r sed -i "s/$identity/$rcc_identity/g"
  printf 'holobench rcc-engine %s\n' "$identity" >"$library/blueprint.txt"
  catalog=$("$bin" --silent lift "$library/blueprint.txt" | tail -n 1)
  rm -rf "$stage"
  echo "$catalog"
  ;;
restore)
  [ $# -eq 4 ] || usage
  library=$3 target=$4
  export ROBOCORP_HOME=$library
  label=${target##*/}
  rm -f "$library/holotree/$label.meta"
  "$bin" --silent restore "$library/blueprint.txt" "$label" >/dev/null
  mv -T "$library/holotree/$label" "$target"
  ;;
*) usage ;;
esac
