#!/usr/bin/env bash
# The production-like stack on loopback (docs/deployment.md, "The stack on one machine"):
#   PostgreSQL, Redis (Debian's redis-server), moto in server mode as the S3 API,
#   two gunicorn app servers behind nginx (TLS, fail-over), and the task worker.
#
#   scripts/stack.sh run     bring it up, print the addresses, wait for Ctrl-C, tear down
#   scripts/stack.sh smoke   bring it up, run the smoke test (tests/smoke), tear down
#   scripts/stack.sh bench   bring it up, measure throughput through nginx, tear down
#
# Ports (all on 127.0.0.1): nginx 8180 (https), gunicorn 8181 and 8182, Redis 6390,
# moto 5090, PostgreSQL 54339 when the stack starts its own. STACK_DATABASE_URL points the
# stack at an existing PostgreSQL database instead (it is dropped and created afresh).
# Everything the stack writes lives in one temporary directory, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-run}
PY="$ROOT/.venv/bin/python"

NGINX_PORT=8180
APP_PORTS=(8181 8182)
REDIS_PORT=6390
MOTO_PORT=5090
PG_PORT=54339

say() { echo "== stack [${SECONDS}s]: $*"; }
die() { echo "stack: $*" >&2; exit 1; }

[ -x "$PY" ] || die "缺少 .venv：请先运行 make setup"
for port in $NGINX_PORT "${APP_PORTS[@]}" $REDIS_PORT $MOTO_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "端口 $port 已被占用：请先停止占用它的进程（可能是上一次未关闭的 stack）"
    fi
done

# --- packages: Debian's servers, moto from PyPI ---------------------------------------------
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [ -z "${STACK_DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]} (needs root)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
    # Debian starts the packaged services; the stack runs its own copies.
    for service in redis-server nginx; do
        systemctl stop "$service" >/dev/null 2>&1 || service "$service" stop >/dev/null 2>&1 || true
    done
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if ! "$PY" -c "import moto.server" 2>/dev/null; then
    say "pip install -r requirements-stack.txt"
    "$PY" -m pip install --quiet --require-hashes -r requirements-stack.txt
fi

# --- the temporary directory and teardown ---------------------------------------------------
STACK_DIR=$(mktemp -d /tmp/yujing-stack.XXXXXX)
chmod 755 "$STACK_DIR"
mkdir -p "$STACK_DIR"/{redis,mail,static,logs,run,tls,nginx/tmp}
chmod 777 "$STACK_DIR/nginx/tmp"
PIDS=()
PG_STARTED=""
teardown() {
    set +e
    say "teardown"
    [ -f "$STACK_DIR/run/nginx.pid" ] && "$NGINX" -p "$STACK_DIR/nginx" -c "$STACK_DIR/nginx/nginx.conf" -s stop 2>/dev/null
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    done
    [ -f "$STACK_DIR/run/redis.pid" ] && kill "$(cat "$STACK_DIR/run/redis.pid")" 2>/dev/null
    if [ -n "$PG_STARTED" ]; then
        su postgres -c "$PGBIN/pg_ctl -D $STACK_DIR/pg -m fast stop" >/dev/null 2>&1
    fi
    sleep 0.3
    rm -rf "$STACK_DIR"
}
trap teardown EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for NAME URL-or-port [seconds]
    local name=$1 target=$2 limit=${3:-30}
    for _ in $(seq $((limit * 10))); do
        if [[ $target == http* ]]; then
            curl -sk -o /dev/null "$target" && return 0
        elif (exec 3<>"/dev/tcp/127.0.0.1/$target") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    for log in "$STACK_DIR"/logs/*; do echo "--- $log"; tail -n 30 "$log"; done >&2
    die "$name 未能启动"
}

# --- PostgreSQL -------------------------------------------------------------------------------
if [ -n "${STACK_DATABASE_URL:-}" ]; then
    DATABASE_URL=$STACK_DATABASE_URL
    say "PostgreSQL: recreating ${DATABASE_URL##*/}"
    "$PY" - "$DATABASE_URL" <<'PYEOF'
import sys
import psycopg
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
with psycopg.connect(sys.argv[1].replace(f"/{name}", "/postgres"), autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PYEOF
else
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    mkdir -p "$STACK_DIR/pg" && chown postgres "$STACK_DIR/pg"
    say "PostgreSQL on $PG_PORT"
    su postgres -c "$PGBIN/initdb -D $STACK_DIR/pg -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >/dev/null
    su postgres -c "$PGBIN/pg_ctl -D $STACK_DIR/pg -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l $STACK_DIR/pg/log -w start" >/dev/null
    PG_STARTED=1
    su postgres -c "$PGBIN/createdb -h 127.0.0.1 -p $PG_PORT yujing_stack"
    DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/yujing_stack"
fi

# --- Redis, moto ------------------------------------------------------------------------------
say "Redis on $REDIS_PORT"
redis-server --port $REDIS_PORT --bind 127.0.0.1 --dir "$STACK_DIR/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$STACK_DIR/run/redis.pid" --logfile "$STACK_DIR/logs/redis.log"
say "moto (S3 API) on $MOTO_PORT"
"$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p $MOTO_PORT >"$STACK_DIR/logs/moto.log" 2>&1 &
PIDS+=($!)
wait_for Redis $REDIS_PORT
wait_for moto "http://127.0.0.1:$MOTO_PORT/moto-api/" 60

# --- the application's environment (docs/deployment.md lists every variable) -----------------
ENV_FILE="$STACK_DIR/env"
cat >"$ENV_FILE" <<EOF
DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY=$(openssl rand -hex 32)
DATABASE_URL=$DATABASE_URL
DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
DJANGO_CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$NGINX_PORT
WAGTAILADMIN_BASE_URL=https://127.0.0.1:$NGINX_PORT
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
AWS_S3_ENDPOINT_URL=http://127.0.0.1:$MOTO_PORT
AWS_ACCESS_KEY_ID=stack
AWS_SECRET_ACCESS_KEY=stack-secret
AWS_STORAGE_BUCKET_NAME=yujing-media
AWS_PRIVATE_BUCKET_NAME=yujing-private
DJANGO_STATIC_ROOT=$STACK_DIR/static
DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
EMAIL_FILE_PATH=$STACK_DIR/mail
DJANGO_SUPERUSER_USERNAME=stackadmin
DJANGO_SUPERUSER_EMAIL=stackadmin@example.com
DJANGO_SUPERUSER_PASSWORD=stack-admin-$(openssl rand -hex 6)
EOF
set -a; . "$ENV_FILE"; set +a
"$PY" - <<'PYEOF'
import os
import boto3
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1")
for bucket in (os.environ["AWS_STORAGE_BUCKET_NAME"], os.environ["AWS_PRIVATE_BUCKET_NAME"]):
    s3.create_bucket(Bucket=bucket)
PYEOF

say "migrate, then collectstatic and the superuser"
"$PY" manage.py migrate --noinput >"$STACK_DIR/logs/migrate.log"
"$PY" manage.py collectstatic --noinput >"$STACK_DIR/logs/collectstatic.log" &
static_pid=$!
"$PY" manage.py createsuperuser --noinput >/dev/null
HAS_WORKER=""
HAS_SCHEDULER=""
"$PY" manage.py help db_worker >/dev/null 2>&1 && HAS_WORKER=1
"$PY" manage.py help run_scheduler >/dev/null 2>&1 && HAS_SCHEDULER=1
wait $static_pid

# --- app servers, worker, nginx ---------------------------------------------------------------
for i in 0 1; do
    name=$([ $i = 0 ] && echo a || echo b)
    say "gunicorn $name on ${APP_PORTS[$i]}"
    "$ROOT/.venv/bin/gunicorn" config.wsgi:application --bind "127.0.0.1:${APP_PORTS[$i]}" \
        --workers 2 --timeout 60 --graceful-timeout 3 --pid "$STACK_DIR/run/app-$name.pid" \
        >"$STACK_DIR/logs/app-$name.log" 2>&1 &
    PIDS+=($!)
done
WORKER="no"
if [ -n "$HAS_WORKER" ]; then
    say "worker (manage.py db_worker)"
    "$PY" manage.py db_worker >"$STACK_DIR/logs/worker.log" 2>&1 &
    PIDS+=($!)
    echo $! >"$STACK_DIR/run/worker.pid"
    WORKER="yes"
    if [ -n "$HAS_SCHEDULER" ]; then
        say "scheduler (manage.py run_scheduler)"
        "$PY" manage.py run_scheduler >"$STACK_DIR/logs/scheduler.log" 2>&1 &
        PIDS+=($!)
    fi
else
    say "no task worker: this build has no 'manage.py db_worker' (tasks run inside the request)"
fi

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$STACK_DIR/tls/key.pem" -out "$STACK_DIR/tls/cert.pem" >/dev/null 2>&1
sed -e "s#__LISTEN__#127.0.0.1:$NGINX_PORT#" -e "s#__TLS_CERT__#$STACK_DIR/tls/cert.pem#" \
    -e "s#__TLS_KEY__#$STACK_DIR/tls/key.pem#" deploy/nginx/yujing.conf >"$STACK_DIR/nginx/yujing.conf"
cat >"$STACK_DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $STACK_DIR/run/nginx.pid;
error_log $STACK_DIR/logs/nginx-error.log warn;
events { worker_connections 256; }
http {
    access_log $STACK_DIR/logs/nginx-access.log;
    client_body_temp_path $STACK_DIR/nginx/tmp/body;
    proxy_temp_path $STACK_DIR/nginx/tmp/proxy;
    fastcgi_temp_path $STACK_DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $STACK_DIR/nginx/tmp/uwsgi;
    scgi_temp_path $STACK_DIR/nginx/tmp/scgi;
    include $STACK_DIR/nginx/yujing.conf;
}
EOF
say "nginx on https://127.0.0.1:$NGINX_PORT"
"$NGINX" -p "$STACK_DIR/nginx" -c "$STACK_DIR/nginx/nginx.conf"
wait_for "gunicorn a" "http://127.0.0.1:${APP_PORTS[0]}/health/" 60
wait_for "gunicorn b" "http://127.0.0.1:${APP_PORTS[1]}/health/" 60
wait_for nginx $NGINX_PORT

export SMOKE_BASE_URL="https://127.0.0.1:$NGINX_PORT" SMOKE_STACK_DIR="$STACK_DIR" SMOKE_WORKER="$WORKER"
case "$MODE" in
    smoke)
        say "smoke test"
        "$ROOT/.venv/bin/pytest" tests/smoke -v --basetemp "$STACK_DIR/pytest"
        ;;
    bench)
        say "throughput through nginx (scripts/stack_bench.py)"
        "$PY" scripts/stack_bench.py
        ;;
    run)
        say "up: https://127.0.0.1:$NGINX_PORT/admin/ (self-signed certificate)"
        say "superuser $DJANGO_SUPERUSER_USERNAME / $DJANGO_SUPERUSER_PASSWORD; logs in $STACK_DIR/logs; Ctrl-C stops"
        while true; do sleep 3600; done
        ;;
    *) die "用法：scripts/stack.sh run|smoke|bench" ;;
esac
