#!/usr/bin/env bash
# Two builds of the service, measured in turns (Linux: taskset, /proc): the accept run of bench/run.sh (32 connections,
# wrk on the other core, the dispatcher on as shipped) against an older revision and this tree,
# alternately, so that a machine whose speed drifts from minute to minute weighs on both alike.
# No baseline: it compares the service with itself.
#   bench/ab.sh <revision> [pairs]    e.g. bench/ab.sh HEAD~3 4   (default: 3 pairs)
# Prints one line per run: accepted events/s, p50 / p99 ms, server CPU us and bytes written
# (WAL, checkpoints, sockets: the process's write calls) per request, and the backlog left.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
REVISION=${1:?usage: bench/ab.sh <revision> [pairs]}
PAIRS=${2:-3}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}

WORK=$(mktemp -d /tmp/zoomwebhooks-ab.XXXXXX)
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null
  git worktree remove --force "$WORK/old" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: run bench/run.sh once, or apt-get install wrk" >&2; exit 2; }
echo "building this tree and $REVISION (Release)..." >&2
git worktree add --detach "$WORK/old" "$REVISION" >/dev/null 2>&1 || { echo "no such revision: $REVISION" >&2; exit 2; }
for tree in . "$WORK/old"; do
  dotnet build -c Release --nologo -v quiet "$tree/src/ZoomWebhooks" >/dev/null
done
dotnet build -c Release --nologo -v quiet bench/Benchmarks >/dev/null
TOOL=bench/Benchmarks/bin/Release/net10.0/ZoomWebhooks.Benchmarks.dll
CLK_TCK=$(getconf CLK_TCK)
# (od reads exactly 13 bytes: a pipe closed early would fail the script under pipefail.)
SECRET=$(od -An -N13 -tx1 /dev/urandom | tr -d ' \n')

run() { # name dll: a fresh service and inbox, warmed up and drained, then 8 s at 32 connections
  # Nothing listening on it, and below Linux's ephemeral ports (32768 up), which a client socket
  # of an earlier run may hold (as in bench/run.sh's free_port).
  local port db="$WORK/$1-$RANDOM.db" url line cpu0 cpu1 w0 w1 rows0 rows1 n s
  while port=$((20000 + RANDOM % 12000)); (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do :; done
  url="http://127.0.0.1:$port/webhooks/zoom"
  ASPNETCORE_ENVIRONMENT=Production Zoom__ActiveEnvironment=Production Zoom__Environments__Production__SecretToken="$SECRET" \
  ConnectionStrings__Inbox="Data Source=$db" Serilog__MinimumLevel__Default=Warning \
    taskset -c "$SERVER_CPU" dotnet "$2" --urls "http://127.0.0.1:$port" >"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$1 did not start; its log:" >&2; cat "$WORK/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  dotnet "$TOOL" requests --out "$WORK/warm.req" --count 40000 --tag "warm$RANDOM" --secret "$SECRET"
  dotnet "$TOOL" requests --out "$WORK/run.req" --count 60000 --tag "run$RANDOM" --secret "$SECRET"
  taskset -c "$LOAD_CPU" wrk -t1 -c32 -d10s --timeout 5s -s bench/accept.lua "$url" -- "$WORK/warm.req" >/dev/null
  [[ $(dotnet "$TOOL" backlog --db "$db" --seconds 0 --patience 60) != *empty_after=-1* ]] ||
    { echo "$1: the warm-up's backlog was not dispatched within 60 s" >&2; exit 1; }
  rows0=$(dotnet "$TOOL" count --db "$db" | sed 's/rows=\([0-9]*\).*/\1/')
  cpu0=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"); w0=$(awk '/^wchar/ {print $2}' "/proc/$SERVER_PID/io")
  line=$(taskset -c "$LOAD_CPU" wrk -t1 -c32 -d8s --timeout 5s -s bench/accept.lua "$url" -- "$WORK/run.req" | grep '^BENCH')
  cpu1=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"); w1=$(awk '/^wchar/ {print $2}' "/proc/$SERVER_PID/io")
  rows1=$(dotnet "$TOOL" count --db "$db")
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line"); s=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$line")
  awk -v name="$1" -v n="$n" -v s="$s" -v t=$((cpu1 - cpu0)) -v hz="$CLK_TCK" -v w=$((w1 - w0)) \
      -v new=$(( $(sed 's/rows=\([0-9]*\).*/\1/' <<<"$rows1") - rows0 )) -v pending="${rows1##*pending=}" \
      -v p50="$(sed 's/.*p50=\([0-9]*\).*/\1/' <<<"$line")" -v p99="$(sed 's/.*p99=\([0-9]*\).*/\1/' <<<"$line")" \
    'BEGIN {printf "| %s | %.0f | %.2f / %.2f | %.0f | %.0f | %s |\n", name, new / s, p50 / 1000, p99 / 1000, t * 1e6 / hz / n, w / n, pending}'
}

echo "accept runs, $PAIRS pairs; $(uptime | sed 's/.*load/load/')"
echo "| build | accepted events/s | p50 / p99 ms | server CPU us per request | bytes written per request | pending after |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
# ABBA: every other pair starts with this tree, so neither build always runs first.
for pair in $(seq "$PAIRS"); do
  if (( pair % 2 )); then
    run "$REVISION" "$WORK/old/src/ZoomWebhooks/bin/Release/net10.0/ZoomWebhooks.dll"
    run "this tree" src/ZoomWebhooks/bin/Release/net10.0/ZoomWebhooks.dll
  else
    run "this tree" src/ZoomWebhooks/bin/Release/net10.0/ZoomWebhooks.dll
    run "$REVISION" "$WORK/old/src/ZoomWebhooks/bin/Release/net10.0/ZoomWebhooks.dll"
  fi
done
echo "done; $(uptime | sed 's/.*load/load/')"
