# shellcheck shell=bash
#
# scripts/lib/platform.sh: what the local Sprocket platform (stacks/sprocket, environment `local`) needs
# outside the swarm, for scripts/quickstart (sourced after common.sh, never executed):
#
#   ensure_platform_postgres   Debian's PostgreSQL cluster on 127.0.0.1:5432 with TLS, as the managed
#                              database: an admin role `sprocket_admin` that is not a superuser (as
#                              DigitalOcean's doadmin), whose password is the local secret
#                              POSTGRES_PASSWORD, and its database `defaultdb`
#   ensure_platform_moto       moto_server on 127.0.0.1:9000, as the S3-compatible object store
#   platform_sprocketctl ARGS  sprocketctl on the Sprocket stack's local environment, with the
#                              platform's key files and the Vault passphrase
#   seed_platform_secrets      a development value for every person-owned secret not set yet
#
# Where things live (all outside any git work tree, mode 0600 for keys):
#   $SPROCKET_PLATFORM_HOME (default /var/lib/sprocket-local): the state folder, the local key file,
#   the Vault key file, the Vault passphrase file, moto's log and pid.

SPROCKET_PLATFORM_STACK="$SPROCKET_ROOT/stacks/sprocket"
SPROCKET_PLATFORM_ENV=local
SPROCKET_PLATFORM_HOME="${SPROCKET_PLATFORM_HOME:-/var/lib/sprocket-local}"
SPROCKET_PLATFORM_PG_PORT=5432
SPROCKET_PLATFORM_S3_PORT=9000

# The environment every sprocketctl call of the platform gets: its own state, keys and passphrase.
platform_environment() {
    local home="$SPROCKET_PLATFORM_HOME"
    mkdir -p "$home" && chmod 0700 "$home"
    if [[ ! -s "$home/vault-passphrase" ]]; then
        # The passphrase that seals OpenBao's unseal keys and root token in the key file. It sits beside
        # the key file only because this is a one-machine development platform: on a real server keep it
        # elsewhere (a person's password manager), see docs/openbao.md.
        (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n=' >"$home/vault-passphrase")
    fi
    export SPROCKET_STATE_DIR="$home/state"
    export SPROCKET_KEY_FILE="$home/secrets.key"
    export SPROCKET_VAULT_KEY_FILE="$home/vault-keys"
    SPROCKET_VAULT_PASSPHRASE="$(cat "$home/vault-passphrase")"
    export SPROCKET_VAULT_PASSPHRASE
    export SPROCKET_STAND_INS="$SPROCKET_PLATFORM_STACK/standins.yaml"
}

# platform_sprocketctl ARGS...: run sprocketctl on the Sprocket stack's local environment.
platform_sprocketctl() {
    "$sprocketctl" "$@" -f "$SPROCKET_PLATFORM_STACK" --env "$SPROCKET_PLATFORM_ENV"
}

_pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/pg_ctl" ]] && printf '%s\n' "$dir"
    done | sort -V | tail -n 1
}

_pg_answers() { timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SPROCKET_PLATFORM_PG_PORT" 2>/dev/null; }

# ensure_platform_postgres: the cluster answers on 127.0.0.1:5432 (Debian's `main` cluster, started by
# hand: no systemd here), and `sprocket_admin` exists with the password of the local secret
# POSTGRES_PASSWORD (seed_platform_secrets sets it first).
ensure_platform_postgres() {
    ensure_packages postgresql
    local bin cluster version
    bin="$(_pg_bin)"
    [[ -n "$bin" ]] || die "postgresql is installed but no /usr/lib/postgresql/*/bin/pg_ctl exists"
    version="$(basename "$(dirname "$bin")")"
    if ! _pg_answers; then
        cluster="$(pg_lsclusters --no-header 2>/dev/null | awk -v v="$version" '$1 == v { print $2; exit }')"
        if [[ -z "$cluster" ]]; then
            log_info "creating PostgreSQL cluster $version/main"
            pg_createcluster "$version" main >/dev/null || die "pg_createcluster $version main failed"
            cluster=main
        fi
        log_info "starting PostgreSQL $version/$cluster on 127.0.0.1:$SPROCKET_PLATFORM_PG_PORT"
        pg_ctlcluster "$version" "$cluster" start || die "pg_ctlcluster $version $cluster start failed (see /var/log/postgresql/)"
        local waited=0
        until _pg_answers; do
            ((waited >= 30)) && die "PostgreSQL does not answer on 127.0.0.1:$SPROCKET_PLATFORM_PG_PORT after 30 s"
            sleep 1
            waited=$((waited + 1))
        done
    fi
    # A managed database speaks TLS (the spec asks `sslmode: require`): Debian's snakeoil certificate.
    if [[ "$(runuser -u postgres -- psql -At -p "$SPROCKET_PLATFORM_PG_PORT" -d postgres -c 'show ssl' 2>/dev/null)" != on ]]; then
        ensure_packages ssl-cert
        [[ -f /etc/ssl/private/ssl-cert-snakeoil.key ]] || make-ssl-cert generate-default-snakeoil --force-overwrite
        cluster="$(pg_lsclusters --no-header | awk -v p="$SPROCKET_PLATFORM_PG_PORT" '$3 == p { print $1 "/" $2; exit }')"
        [[ -n "$cluster" ]] || die "no Debian PostgreSQL cluster listens on port $SPROCKET_PLATFORM_PG_PORT (pg_lsclusters); cannot turn TLS on"
        log_info "turning TLS on for PostgreSQL $cluster (Debian's snakeoil certificate)"
        pg_conftool "${cluster%/*}" "${cluster#*/}" set ssl on
        pg_conftool "${cluster%/*}" "${cluster#*/}" set ssl_cert_file /etc/ssl/certs/ssl-cert-snakeoil.pem
        pg_conftool "${cluster%/*}" "${cluster#*/}" set ssl_key_file /etc/ssl/private/ssl-cert-snakeoil.key
        pg_ctlcluster "${cluster%/*}" "${cluster#*/}" restart || die "pg_ctlcluster $cluster restart failed (see /var/log/postgresql/)"
    fi
    local password
    password="$(platform_sprocketctl secrets get POSTGRES_PASSWORD --reveal 2>/dev/null)" \
        || die "the local secret POSTGRES_PASSWORD is not set (seed_platform_secrets sets it)"
    # The password reaches psql on stdin (a psql variable), never on a command line.
    runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -v "password=$password" -p "$SPROCKET_PLATFORM_PG_PORT" -d postgres >/dev/null <<'SQL' \
        || die "could not create or update the role sprocket_admin"
SELECT 'CREATE ROLE sprocket_admin LOGIN CREATEDB CREATEROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sprocket_admin') \gexec
ALTER ROLE sprocket_admin LOGIN CREATEDB CREATEROLE NOSUPERUSER PASSWORD :'password';
SELECT 'CREATE DATABASE defaultdb OWNER sprocket_admin' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'defaultdb') \gexec
SQL
    log_info "PostgreSQL answers on 127.0.0.1:$SPROCKET_PLATFORM_PG_PORT; admin role sprocket_admin (not a superuser)"
}

# ensure_platform_moto: moto_server answering on 127.0.0.1:9000. moto keeps buckets in memory: after
# a restart of it, the next `up` creates them again.
ensure_platform_moto() {
    local url="http://127.0.0.1:$SPROCKET_PLATFORM_S3_PORT/"
    if http_get "$url" 3 >/dev/null 2>&1; then
        log_info "moto_server answers on $url"
        return 0
    fi
    local moto
    moto="$(ensure_moto_binary)"
    log_info "starting moto_server on 127.0.0.1:$SPROCKET_PLATFORM_S3_PORT (log: $SPROCKET_PLATFORM_HOME/moto.log)"
    setsid nohup "$moto" -H 127.0.0.1 -p "$SPROCKET_PLATFORM_S3_PORT" >>"$SPROCKET_PLATFORM_HOME/moto.log" 2>&1 </dev/null &
    echo $! >"$SPROCKET_PLATFORM_HOME/moto.pid"
    disown || true
    local waited=0
    until http_get "$url" 3 >/dev/null 2>&1; do
        ((waited >= 60)) && { tail -n 20 "$SPROCKET_PLATFORM_HOME/moto.log" >&2; die "moto_server does not answer on $url"; }
        sleep 1
        waited=$((waited + 1))
    done
}

# seed_platform_secrets: every person-owned secret of the local environment that is not set yet gets a
# random development value (the names come from `secrets list --json`; values go in on stdin).
seed_platform_secrets() {
    local names name count=0
    names="$(platform_sprocketctl secrets list --json | python3 -c '
import json, sys
for row in json.load(sys.stdin):
    if not row.get("isSet"):
        print(row["name"])
')" || die "sprocketctl secrets list failed"
    for name in $names; do
        head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | platform_sprocketctl secrets set "$name" >/dev/null \
            || die "sprocketctl secrets set $name failed"
        count=$((count + 1))
    done
    log_info "local secrets: $count development value(s) set now, the others kept (sprocketctl secrets list -f stacks/sprocket --env local)"
}
