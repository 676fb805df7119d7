#!/usr/bin/env bash
# Runs the container image without a container engine: unpacks server/target/jib-image.tar into a
# root file system, starts its entrypoint there with chroot as the image's user, on PostgreSQL at
# 127.0.0.1:5432, and checks that /readyz answers, that a map runs on a worker JVM started from
# the image's class path, and that the image's pull-worker entry point joins a standalone profile
# and runs a map. Needs root (chroot, mount) and psql; skips otherwise.
#
#   deploy/image/smoke.sh [image.tar]
set -euo pipefail
cd "$(dirname "$0")/../.."
tar_file="${1:-server/target/jib-image.tar}"
if [[ $(id -u) -ne 0 ]] || ! command -v chroot >/dev/null || ! command -v psql >/dev/null \
    || ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "image smoke: skipped (needs root, chroot, psql and PostgreSQL on 127.0.0.1:5432)"
  exit 0
fi
[[ -f "$tar_file" ]] || { echo "image smoke: no $tar_file (./mvnw -Pimage package)" >&2; exit 1; }

work="$(mktemp -d)"
root="$work/rootfs"
db="quarry_smoke_$$"
pid=""
wpid=""
cleanup() {
  [[ -n "$wpid" ]] && kill "$wpid" 2>/dev/null && wait "$wpid" 2>/dev/null || true
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
  umount "$root/dev" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$root"
tar -xf "$tar_file" -C "$work"
config="$work/$(sed -n 's/.*"Config":"\([^"]*\)".*/\1/p' "$work/manifest.json")"
for layer in $(grep -o '"Layers":\[[^]]*\]' "$work/manifest.json" | grep -o '[^"]*\.tar[^"]*'); do
  tar -xf "$work/$layer" -C "$root" --numeric-owner --warning=no-unknown-keyword
done
user=$(grep -o '"User":"[^"]*"' "$config" | cut -d'"' -f4)
mapfile -t entrypoint < <(grep -o '"Entrypoint":\[[^]]*\]' "$config" | sed 's/.*\[//; s/\]$//' | tr ',' '\n' | tr -d '"')
mapfile -t image_env < <(grep -o '"Env":\[[^]]*\]' "$config" | sed 's/.*\[//; s/\]$//' | sed 's/","/\n/g' | tr -d '"')
path=$(printf '%s\n' "${image_env[@]}" | sed -n 's/^PATH=//p')
java_bin=""
IFS=: read -ra dirs <<< "$path"
for d in "${dirs[@]}"; do [[ -x "$root$d/${entrypoint[0]}" ]] && { java_bin="$d/${entrypoint[0]}"; break; }; done
[[ -n "$java_bin" ]] || { echo "image smoke: ${entrypoint[0]} not on the image's PATH ($path)" >&2; exit 1; }

mkdir -p "$root/proc" "$root/dev"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
psql -q -h 127.0.0.1 -U postgres -c "create database $db" >/dev/null

http=18480; grpc=18490; mgmt=18464
# The image carries no bubblewrap, so the local backend's sandbox is explicitly off here
# (trusted single-tenant mode, as in docker-compose.yml and the chart's values; README, Deploy).
env -i "${image_env[@]}" QUARRY_BIND_ADDRESS=127.0.0.1 QUARRY_MANAGEMENT_ADDRESS=127.0.0.1 \
  QUARRY_BACKEND_SANDBOX=none QUARRY_HTTP_PORT=$http QUARRY_GRPC_PORT=$grpc QUARRY_MANAGEMENT_PORT=$mgmt QUARRY_BACKEND_POOL_SIZE=1 \
  QUARRY_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" QUARRY_DB_USERNAME=postgres \
  "$(command -v chroot)" --userspec="$user" "$root" "$java_bin" "${entrypoint[@]:1}" > "$work/server.log" 2>&1 &
pid=$!

ready=""
for _ in $(seq 120); do
  if curl -sf "http://127.0.0.1:$http/readyz" >/dev/null; then ready=yes; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if [[ -z "$ready" ]]; then echo "image smoke: server did not become ready" >&2; tail -40 "$work/server.log" >&2; exit 1; fi

key=$(sed -n 's/^api_key=//p' "$root/var/lib/quarry/config")
job=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"function":"echo","inputs":[1,"two"]}' "http://127.0.0.1:$http/v1/jobs" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
results=$(curl -sf --max-time 120 -H "Authorization: Bearer $key" "http://127.0.0.1:$http/v1/jobs/$job/results")
if [[ $(grep -c '"state":"SUCCEEDED"' <<< "$results") -ne 2 ]]; then
  echo "image smoke: map failed: $results" >&2; tail -40 "$work/server.log" >&2; exit 1
fi
if ! ps -o user= -p "$pid" >/dev/null || [[ $(ps -o uid= -p "$pid" | tr -d ' ') -ne ${user%%:*} ]]; then
  echo "image smoke: server is not running as ${user%%:*}" >&2; exit 1
fi
# Read the whole scrape first: piped into `grep -q`, which stops at the first match, curl could
# fail writing the rest (exit 23), and under pipefail the check failed although the metric was there.
metrics=$(curl -sf "http://127.0.0.1:$mgmt/actuator/prometheus") \
  || { echo "image smoke: the management port did not answer the Prometheus scrape" >&2; exit 1; }
grep -q '^quarry_tasks' <<< "$metrics" \
  || { echo "image smoke: no quarry_tasks metric on the management port" >&2; exit 1; }
# The same image as a pull worker (its other entry point, used by standalone machines and the
# Kubernetes backend's pods): a standalone profile, a worker token, and the worker started in the
# chroot as the image's user; a map on that profile runs on it.
auth=(-H "Authorization: Bearer $key" -H 'Content-Type: application/json')
curl -sf -X PUT "${auth[@]}" -d '{"backend":"standalone"}' \
  "http://127.0.0.1:$http/v1/profiles/smoke-pull" >/dev/null
token=$(curl -sf "${auth[@]}" -d '{"name":"smoke","profile":"smoke-pull"}' \
  "http://127.0.0.1:$http/v1/worker-tokens" | grep -o '"secret":"[^"]*"' | cut -d'"' -f4)
[[ -n "$token" ]] || { echo "image smoke: no worker token" >&2; exit 1; }
printf '%s' "$token" > "$root/tmp/worker-token"
chown "${user%%:*}" "$root/tmp/worker-token"
chmod 0400 "$root/tmp/worker-token"
env -i "${image_env[@]}" "$(command -v chroot)" --userspec="$user" "$root" "$java_bin" \
  -cp @/app/jib-classpath-file dev.quarry.worker.pull.PullWorkerMain \
  --server "127.0.0.1:$grpc" --token-file /tmp/worker-token --slots 2 > "$work/worker.log" 2>&1 &
wpid=$!
job=$(curl -sf "${auth[@]}" -d '{"function":"echo","inputs":[3,"four"],"profile":"smoke-pull"}' \
  "http://127.0.0.1:$http/v1/jobs" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
results=$(curl -sf --max-time 120 -H "Authorization: Bearer $key" "http://127.0.0.1:$http/v1/jobs/$job/results")
if [[ $(grep -c '"state":"SUCCEEDED"' <<< "$results") -ne 2 ]]; then
  echo "image smoke: map on the image's pull worker failed: $results" >&2
  tail -40 "$work/worker.log" >&2; exit 1
fi
if [[ $(ps -o uid= -p "$wpid" | tr -d ' ') -ne ${user%%:*} ]]; then
  echo "image smoke: the pull worker is not running as ${user%%:*}" >&2; exit 1
fi
echo "image smoke: ok (server as uid ${user%%:*}, map of 2 on a worker JVM from the image's class path, map of 2 on the image's pull worker)"
