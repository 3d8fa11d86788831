#!/usr/bin/env bash
# cow-scratch.sh — a scratch copy-on-write (reflink) filesystem on a loop-mounted sparse image.
#
# Usage:
#   scripts/cow-scratch.sh up <dir> [size]   make <dir> a reflink-capable mount (default size 1G)
#   scripts/cow-scratch.sh down <dir>        unmount <dir>, free its loop device, delete its image
#   scripts/cow-scratch.sh status <dir>      print the filesystem type if <dir> is up, else exit 1
#
# Why: ext4 and tmpfs cannot clone files (FICLONE / COPYFILE_FICLONE_FORCE fails with ENOTSUP), so
# reflink restores can only be tested and benchmarked on XFS (reflink=1) or btrfs. As root this
# script builds one on demand:
#   - the image is a sparse file beside the mount point, <parent>/.<name>.cow.img, so it takes
#     disk space only for what is written, and `down` finds it again from <dir> alone;
#   - XFS with reflink=1 is preferred; mkfs.xfs comes from Debian's xfsprogs, installed with
#     apt-get when missing; if XFS cannot be made or mounted, btrfs (btrfs-progs) is tried;
#   - after mounting, a real clone (`cp --reflink=always`) is made, so "up" means "clones work".
#
# Output: `up` and `status` print the filesystem type (xfs or btrfs) alone on stdout; every
# message goes to stderr. Both commands are idempotent: `up` on a dir that is already up, and
# `down` on a dir that is already down, succeed and say so. A stale image from a crashed run is
# detached and replaced. Concurrent invocations (parallel test workers) are serialised by a lock.
#
# Environment:
#   COW_SCRATCH_NO_INSTALL=1   never run apt-get; fail (exit 4) when no mkfs tool is installed
#   COW_SCRATCH_FS=xfs|btrfs   try only this filesystem
#
# Exit codes: 0 ok; 1 usage or bad argument; 2 not root; 3 loop devices unavailable;
#             4 no reflink filesystem could be made; 5 <dir> is busy with a mount that is not ours.
set -euo pipefail

PATH="$PATH:/usr/sbin:/sbin"
readonly PROG="cow-scratch"
readonly DEFAULT_SIZE="1G"

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { local code=$1; shift; say "error: $*"; exit "$code"; }

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 1
}

require_root() {
  [ "$(id -u)" = 0 ] || die 2 "must run as root (it formats an image, attaches a loop device and mounts it); uid is $(id -u)"
}

require_loop() {
  command -v losetup >/dev/null || die 3 "loop devices unavailable: losetup not found (install util-linux)"
  local out
  if ! out=$(losetup -f 2>&1); then
    die 3 "loop devices unavailable: 'losetup -f' failed: ${out:-no free loop device} (is /dev/loop-control present? $( [ -e /dev/loop-control ] && echo yes || echo no))"
  fi
}

# Absolute path of <dir> without requiring it to exist (realpath -m).
abs_dir() { realpath -m -- "$1"; }

image_for() { local d=$1; printf '%s/.%s.cow.img\n' "$(dirname -- "$d")" "$(basename -- "$d")"; }

# Serialise every up/down on this machine: loop allocation and apt-get do not like races.
take_lock() {
  local lockdir=/run/lock
  [ -d "$lockdir" ] && [ -w "$lockdir" ] || lockdir=${TMPDIR:-/tmp}
  exec 9>"$lockdir/holobench-cow-scratch.lock"
  flock -w 300 9 || die 1 "timed out waiting for the cow-scratch lock ($lockdir/holobench-cow-scratch.lock)"
}

# Loop devices whose backing file is $1 (also when that file was deleted while attached).
loops_backed_by() {
  local img=$1
  losetup -l -n --raw -O NAME,BACK-FILE 2>/dev/null |
    awk -v img="$img" '{ name=$1; $1=""; sub(/^ /, ""); gsub(/\\x20/, " ");
                         if ($0 == img || $0 == img " (deleted)") print name }'
}

mount_field() { findmnt -n -o "$1" --mountpoint "$2" 2>/dev/null | head -n 1; }

# Is <dir> mounted from a loop device backed by <img>?
is_ours() {
  local dir=$1 img=$2 src
  src=$(mount_field SOURCE "$dir")
  [ -n "$src" ] && loops_backed_by "$img" | grep -qxF -- "$src"
}

ensure_tool() {
  local tool=$1 pkg=$2
  command -v "$tool" >/dev/null && return 0
  if [ "${COW_SCRATCH_NO_INSTALL:-}" = 1 ]; then
    say "$tool not found and COW_SCRATCH_NO_INSTALL=1: not installing $pkg"
    return 1
  fi
  if ! command -v apt-get >/dev/null; then
    say "$tool not found and apt-get is unavailable: install $pkg by hand"
    return 1
  fi
  say "$tool not found: installing $pkg with apt-get"
  local apt=(apt-get -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends) out
  if ! out=$(DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "$pkg" </dev/null 2>&1); then
    say "apt-get install $pkg failed; refreshing package lists and retrying"
    DEBIAN_FRONTEND=noninteractive apt-get -qq update </dev/null >/dev/null 2>&1 || true
    if ! out=$(DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "$pkg" </dev/null 2>&1); then
      say "apt-get install $pkg failed:"; printf '%s\n' "$out" | tail -n 5 >&2
      return 1
    fi
  fi
  command -v "$tool" >/dev/null
}

# Unmount <dir> (retrying while busy, then lazily), then detach every loop device on <img>.
teardown() {
  local dir=$1 img=$2 _
  if mountpoint -q -- "$dir"; then
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      umount -- "$dir" 2>/dev/null && break
      sleep 0.3
    done
    if mountpoint -q -- "$dir"; then
      say "warning: $dir is busy (open files?): detaching it lazily; the loop device goes when the last user does"
      umount -l -- "$dir"
    fi
  fi
  local dev
  for dev in $(loops_backed_by "$img"); do
    losetup -d "$dev" 2>/dev/null || say "warning: could not detach $dev (backed by $img)"
  done
}

# Make, mount and check one filesystem type; on any failure undo everything and return 1.
try_fs() {
  local fs=$1 dir=$2 img=$3 size=$4 out
  case $fs in
    xfs)   ensure_tool mkfs.xfs xfsprogs || return 1 ;;
    btrfs) ensure_tool mkfs.btrfs btrfs-progs || return 1 ;;
    *) say "unknown filesystem '$fs'"; return 1 ;;
  esac
  rm -f -- "$img"
  truncate -s "$size" -- "$img" || { say "could not create the sparse image $img"; return 1; }
  case $fs in
    xfs)   out=$(mkfs.xfs -q -f -m reflink=1 -- "$img" 2>&1) ;;
    btrfs) out=$(mkfs.btrfs -q -f -- "$img" 2>&1) ;;
  esac || { say "mkfs.$fs failed: $(printf '%s\n' "$out" | head -n 1)"; rm -f -- "$img"; return 1; }
  if ! out=$(mount -t "$fs" -o loop -- "$img" "$dir" 2>&1); then
    say "mounting the $fs image failed: $out"
    teardown "$dir" "$img"; rm -f -- "$img"; return 1
  fi
  local probe="$dir/.cow-scratch-probe"
  if ! { printf 'probe\n' >"$probe" && sync -f "$probe" && cp --reflink=always -- "$probe" "$probe.clone"; } 2>/dev/null; then
    say "$fs mounted but a reflink clone failed there"
    teardown "$dir" "$img"; rm -f -- "$img"; return 1
  fi
  rm -f -- "$probe" "$probe.clone"
  return 0
}

cmd_up() {
  local dir img size=${2:-$DEFAULT_SIZE}
  dir=$(abs_dir "$1"); img=$(image_for "$dir")
  [[ $size =~ ^[0-9]+[KMGT]?$ ]] || die 1 "bad size '$size' (want e.g. 512M, 1G, 4G)"
  require_root
  require_loop
  take_lock

  if mountpoint -q -- "$dir"; then
    local fstype; fstype=$(mount_field FSTYPE "$dir")
    if is_ours "$dir" "$img"; then
      say "$dir is already up ($fstype on $img)"
      printf '%s\n' "$fstype"
      return 0
    fi
    die 5 "$dir is already a mount point ($fstype from $(mount_field SOURCE "$dir")) that cow-scratch did not make; refusing"
  fi
  mkdir -p -- "$dir"
  if [ -n "$(ls -A -- "$dir")" ]; then
    die 1 "$dir is not empty: mounting over it would hide its files; use an empty or new directory"
  fi
  if [ -e "$img" ] || [ -n "$(loops_backed_by "$img")" ]; then
    say "removing a stale image from an earlier run: $img"
    teardown "$dir" "$img"; rm -f -- "$img"
  fi

  local fs tried=()
  for fs in ${COW_SCRATCH_FS:-xfs btrfs}; do
    tried+=("$fs")
    if try_fs "$fs" "$dir" "$img" "$size"; then
      say "up: $dir is $fs with reflinks, on loop image $img ($size, sparse)"
      printf '%s\n' "$fs"
      return 0
    fi
  done
  die 4 "no reflink-capable filesystem could be made at $dir (tried: ${tried[*]})"
}

cmd_down() {
  local dir img
  dir=$(abs_dir "$1"); img=$(image_for "$dir")
  require_root
  take_lock
  if mountpoint -q -- "$dir" && ! is_ours "$dir" "$img"; then
    die 5 "$dir is mounted ($(mount_field FSTYPE "$dir") from $(mount_field SOURCE "$dir")) but not by cow-scratch; leaving it alone"
  fi
  if ! mountpoint -q -- "$dir" && [ ! -e "$img" ] && [ -z "$(loops_backed_by "$img")" ]; then
    say "$dir is already down (nothing mounted, no image)"
    return 0
  fi
  teardown "$dir" "$img"
  rm -f -- "$img"
  say "down: unmounted $dir and removed $img"
}

cmd_status() {
  local dir img
  dir=$(abs_dir "$1"); img=$(image_for "$dir")
  if mountpoint -q -- "$dir" && is_ours "$dir" "$img"; then
    mount_field FSTYPE "$dir"
    return 0
  fi
  say "$dir is not up"
  return 1
}

main() {
  [ $# -ge 2 ] || usage
  local cmd=$1; shift
  [ -n "$1" ] || usage
  case $cmd in
    up)     [ $# -le 2 ] || usage; cmd_up "$@" ;;
    down)   [ $# -eq 1 ] || usage; cmd_down "$1" ;;
    status) [ $# -eq 1 ] || usage; cmd_status "$1" ;;
    *) usage ;;
  esac
}

main "$@"
