#!/usr/bin/env bash
# Issue 7's load benchmark, one command: builds Release, runs a bare minimal-API baseline and the
# service as real processes on 127.0.0.1 pinned to one core, drives each with wrk from the other
# core, and prints the service beside the baseline with ratios.
#   bench/run.sh            full run (a few minutes; every wrk run at most 20 s)
#   bench/run.sh --smoke    seconds-long runs, only proves the script still works (no thresholds)
# Env: BENCH_SERVER_CPU (default 0), BENCH_LOAD_CPU (default 1), BENCH_DURATION (s, default 8),
# BENCH_WARM (s of warm-up per server, default 10), BENCH_ONLY=accept (only the 32-connection
# accept run, service beside baseline: about a minute, for measuring one change at a time), BENCH_OTLP=1 (also measures the accept path
# with OpenTelemetry export on, every delivery sampled, to a stand-in collector; about 40 s more).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SMOKE=0; [[ "${1:-}" == "--smoke" ]] && SMOKE=1
SERVER_CPU=${BENCH_SERVER_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}
DURATION=${BENCH_DURATION:-8}
DRAIN_EVENTS=40000
# Every server is warmed up before it is measured, long enough for the JIT's tier-up to land
# under a saturated core (it took 20-30 s before the service set CallCountingDelayMs to 0).
WARM=${BENCH_WARM:-10}
# Enough distinct warm-up deliveries that the warm-up exercises the insert and dispatch paths, not
# mostly the duplicate path (the service accepts a few thousand a second).
WARM_POOL=$(( WARM * 4000 ))
(( SMOKE )) && { DURATION=1; DRAIN_EVENTS=2000; WARM=1; WARM_POOL=3000; }
(( DURATION <= 20 )) || { echo "BENCH_DURATION is at most 20 s" >&2; exit 2; }

if ! command -v wrk >/dev/null; then
  SUDO=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  $SUDO apt-get install -y wrk >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y wrk >/dev/null; }
fi

echo "building Release..." >&2
for project in src/ZoomWebhooks bench/Baseline bench/Benchmarks; do
  dotnet build -c Release --nologo -v quiet "$project" >/dev/null
done
SERVICE=src/ZoomWebhooks/bin/Release/net10.0/ZoomWebhooks.dll
BASELINE=bench/Baseline/bin/Release/net10.0/ZoomWebhooks.Baseline.dll
TOOL=bench/Benchmarks/bin/Release/net10.0/ZoomWebhooks.Benchmarks.dll

WORK=$(mktemp -d /tmp/zoomwebhooks-bench.XXXXXX)
SERVER_PID=""
SINK_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; [[ -n "$SINK_PID" ]] && kill "$SINK_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
# Random per run and never logged: the service only needs a token of Zoom's shape.
# (od reads exactly 13 bytes: a pipe closed early would fail the script under pipefail.)
SECRET=$(od -An -N13 -tx1 /dev/urandom | tr -d ' \n')
CLK_TCK=$(getconf CLK_TCK)
declare -A R

# A port nothing listens on, below Linux's ephemeral range (32768 up): one inside it can be held by
# a client socket of the run before (the mixed load's 64 connections), and the server then fails
# to bind. One something listens on would pass start_server's probe for the wrong process.
free_port() {
  local port
  while port=$((20000 + RANDOM % 12000)); (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do :; done
  echo "$port"
}

start_server() { # name dll(+args, no spaces in paths) db log-level [NAME=value ...]
  local port; port=$(free_port)
  URL="http://127.0.0.1:$port/webhooks/zoom"
  env "${@:5}" ASPNETCORE_ENVIRONMENT=Production Zoom__ActiveEnvironment=Production \
  Zoom__Environments__Production__SecretToken="$SECRET" ConnectionStrings__Inbox="Data Source=$3" \
  Serilog__MinimumLevel__Default="$4" \
    taskset -c "$SERVER_CPU" dotnet $2 --urls "http://127.0.0.1:$port" >"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$1 did not start; its log:" >&2; cat "$WORK/$1.log" >&2; exit 1
}

stop_server() { # name: keeps its peak RSS (MB)
  R[$1.rss]=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

requests() { # file count tag [--bad-signature]
  dotnet "$TOOL" requests --out "$1" --count "$2" --tag "$3" --secret "$SECRET" ${4:-}
}

load() { # key connections seconds request-file [pause-ms]: wrk from the other core
  local before after line
  before=$(cpu_ticks)
  line=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"$3"s --timeout 5s -s bench/accept.lua "$URL" -- "$4" ${5:-} | grep '^BENCH')
  after=$(cpu_ticks)
  for field in $line; do [[ $field == *=* ]] && R[$1.${field%%=*}]=${field#*=}; done
  R[$1.rps]=$(awk -v n="${R[$1.requests]}" -v s="${R[$1.seconds]}" 'BEGIN {printf "%.0f", n / s}')
  R[$1.cpu]=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="${R[$1.requests]}" 'BEGIN {printf "%.0f", t * 1e6 / hz / n}')
}

# A measured run starts with the warm-up's events all dispatched, so it measures itself.
# The watcher prints empty_after=-1 when its patience ran out.
settle() {
  [[ $(dotnet "$TOOL" backlog --db "$1" --seconds 0 --patience 60) != *empty_after=-1* ]] ||
    { echo "the warm-up's backlog was not dispatched within 60 s (is the machine busy?)" >&2; exit 1; }
}

inbox_rows() { dotnet "$TOOL" count --db "$1" | sed 's/rows=\([0-9]*\).*/\1/'; }

accepted() { # key db rows-before: events/s counted in the inbox, not from HTTP answers
  R[$1.events]=$(( $(inbox_rows "$2") - $3 ))
  R[$1.eps]=$(awk -v n="${R[$1.events]}" -v s="${R[$1.seconds]}" 'BEGIN {printf "%.0f", n / s}')
}

echo "baseline..." >&2
requests "$WORK/baseline.req" 2000 base
start_server baseline "$BASELINE" "$WORK/none.db" Warning
load warm 32 "$WARM" "$WORK/baseline.req"
load b32 32 "$DURATION" "$WORK/baseline.req"
ONLY=${BENCH_ONLY:-}
[[ -z "$ONLY" || "$ONLY" == accept ]] || { echo "BENCH_ONLY is accept or unset" >&2; exit 2; }
[[ -n "$ONLY" ]] || load b1 1 "$DURATION" "$WORK/baseline.req"
stop_server baseline

# Every accepted request must be new: size each pool to what the baseline managed (the service
# cannot outrun it by much) so that no request id or body comes round twice.
pool() { awk -v r="$1" -v s="$DURATION" 'BEGIN {printf "%d", r * s * 1.3 + 1000}'; }

echo "service (Serilog Warning)..." >&2
DB="$WORK/inbox.db"
start_server service "$SERVICE" "$DB" Warning
requests "$WORK/warm.req" "$WARM_POOL" warm
load warm 32 "$WARM" "$WORK/warm.req"
settle "$DB"
requests "$WORK/s32.req" "$(pool "${R[b32.rps]}")" s32
rows=$(inbox_rows "$DB"); load s32 32 "$DURATION" "$WORK/s32.req"; accepted s32 "$DB" "$rows"
R[s32.backlog]=$(dotnet "$TOOL" count --db "$DB" | sed 's/.*pending=//')
if [[ "$ONLY" == accept ]]; then
  stop_server service
  ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }
  echo
  echo "accept only; $(uptime | sed 's/.*load/load/')"
  printf '| %s | %s | %s |\n' measure baseline service "---" "---:" "---:" \
    "accepted events/s, 32 conn" "${R[b32.rps]}" "${R[s32.eps]} ($(awk -v a="${R[s32.eps]}" -v b="${R[b32.rps]}" 'BEGIN {printf "%.2fx", a / b}'))" \
    "p50 / p99 ms, 32 conn" "$(ms "${R[b32.p50]}") / $(ms "${R[b32.p99]}")" "$(ms "${R[s32.p50]}") / $(ms "${R[s32.p99]}")" \
    "server CPU us per request, 32 conn" "${R[b32.cpu]}" "${R[s32.cpu]}" \
    "peak RSS MB" "${R[baseline.rss]}" "${R[service.rss]}"
  echo "s32: answers=${R[s32.requests]} new rows=${R[s32.events]} non-2xx=${R[s32.non2xx]} pending after=${R[s32.backlog]}"
  exit 0
fi
requests "$WORK/s1.req" "$(pool "${R[b1.rps]}")" s1
rows=$(inbox_rows "$DB"); load s1 1 "$DURATION" "$WORK/s1.req"; accepted s1 "$DB" "$rows"
# Zoom's retries: the same ids and bodies again, freshly in tolerance, all already stored.
head -n "$(( R[s32.events] < 20000 ? R[s32.events] : 20000 ))" "$WORK/s32.req" >"$WORK/dup.req"
rows=$(inbox_rows "$DB"); load dup 32 "$DURATION" "$WORK/dup.req"; accepted dup "$DB" "$rows"
requests "$WORK/bad.req" 2000 bad --bad-signature
load bad 32 "$DURATION" "$WORK/bad.req"
stop_server service

if [[ "${BENCH_OTLP:-0}" == 1 ]]; then
  # The same accept runs with export on: the baseline app doubles as the OTLP/HTTP collector, on
  # wrk's core so that it takes nothing from the server's.
  echo "service (Serilog Warning, OpenTelemetry export on)..." >&2
  sink_port=$(free_port)
  ASPNETCORE_ENVIRONMENT=Production taskset -c "$LOAD_CPU" dotnet "$BASELINE" --urls "http://127.0.0.1:$sink_port" >"$WORK/sink.log" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 200); do (echo >"/dev/tcp/127.0.0.1/$sink_port") 2>/dev/null && break; sleep 0.1; done
  DB="$WORK/inbox-otlp.db"
  start_server otlp "$SERVICE" "$DB" Warning OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  requests "$WORK/warm.req" "$WARM_POOL" warmo
  load warm 32 "$WARM" "$WORK/warm.req"
  settle "$DB"
  requests "$WORK/o32.req" "$(pool "${R[b32.rps]}")" o32
  rows=$(inbox_rows "$DB"); load o32 32 "$DURATION" "$WORK/o32.req"; accepted o32 "$DB" "$rows"
  requests "$WORK/o1.req" "$(pool "${R[b1.rps]}")" o1
  rows=$(inbox_rows "$DB"); load o1 1 "$DURATION" "$WORK/o1.req"; accepted o1 "$DB" "$rows"
  stop_server otlp
  # Exports the collector answered, traces and metrics: proof the export ran.
  R[otlp.exports]=$(exec 3<>"/dev/tcp/127.0.0.1/$sink_port"; printf 'GET /v1/exports HTTP/1.0\r\nHost: x\r\n\r\n' >&3; tail -n 1 <&3)
  kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true; SINK_PID=""
fi

echo "service (Serilog Information, the shipped default)..." >&2
DB="$WORK/inbox-info.db"
start_server service-info "$SERVICE" "$DB" Information
requests "$WORK/warm.req" "$WARM_POOL" warmi
load warm 32 "$WARM" "$WORK/warm.req"
settle "$DB"
requests "$WORK/i32.req" "$(pool "${R[b32.rps]}")" i32
rows=$(inbox_rows "$DB"); load i32 32 "$DURATION" "$WORK/i32.req"; accepted i32 "$DB" "$rows"
stop_server service-info

# Half the accept capacity just measured, sustained, with whole meetings (every shipped handler,
# per-meeting order) in which one delivery in 20 is a Zoom retry of an earlier one: the dispatcher must keep up, so the backlog,
# sampled every 2 s, stays flat and empties within moments of the load stopping.
MIXED_SECONDS=$(( SMOKE ? 4 : 20 ))
MIXED_CONNECTIONS=64
R[mixed.target]=$(( R[s32.eps] / 2 ))
# wrk paces per connection: c connections each waiting p ms make about c * 1000 / (p + latency)
# requests/s. Many connections with long pauses keep the latency's share small; 2 ms stands for it.
pause=$(awk -v c=$MIXED_CONNECTIONS -v r="${R[mixed.target]}" 'BEGIN {p = c * 1000 / (r > 0 ? r : 1) - 2; printf "%d", p < 1 ? 1 : p}')
echo "mixed load at half capacity (${R[mixed.target]}/s for $MIXED_SECONDS s)..." >&2
DB="$WORK/inbox-mixed.db"
start_server mixed "$SERVICE" "$DB" Warning
requests "$WORK/warm.req" "$WARM_POOL" warmm --mix
load warm 32 "$WARM" "$WORK/warm.req"
# Calibration: 3 s at the first guess shows the real latency under this load; the pause then
# makes up for it, so the measured run gets close to the rate asked.
requests "$WORK/calibrate.req" $(( R[mixed.target] * 4 + 1000 )) calibrate --mix
load calibrate "$MIXED_CONNECTIONS" 3 "$WORK/calibrate.req" "$pause"
pause=$(awk -v c=$MIXED_CONNECTIONS -v r="${R[mixed.target]}" -v got="${R[calibrate.rps]}" -v p="$pause" \
  'BEGIN {latency = c * 1000 / (got > 0 ? got : 1) - p; q = c * 1000 / (r > 0 ? r : 1) - latency; printf "%d", q < 1 ? 1 : q}')
requests "$WORK/mixed.req" $(( R[mixed.target] * MIXED_SECONDS * 13 / 10 + 1000 )) mixed --mix
settle "$DB"
rows=$(inbox_rows "$DB")
taskset -c "$LOAD_CPU" dotnet "$TOOL" backlog --db "$DB" --seconds "$MIXED_SECONDS" --patience 0 >"$WORK/backlog" &
watcher=$!
load mixed "$MIXED_CONNECTIONS" "$MIXED_SECONDS" "$WORK/mixed.req" "$pause"
# Timed from the moment wrk returns, the watcher's start-up included: if anything, too long.
stopped=$(date +%s%N)
empty=$(dotnet "$TOOL" backlog --db "$DB" --seconds 0 | sed 's/.*empty_after=//')
R[mixed.empty]=$(awk -v e="$empty" -v t=$(( $(date +%s%N) - stopped )) 'BEGIN {if (e < 0) print -1; else printf "%.1f", t / 1e9}')
accepted mixed "$DB" "$rows"
wait "$watcher"
R[mixed.samples]=$(grep '^BACKLOG' "$WORK/backlog" | sed 's/.*samples=\([^ ]*\).*/\1/')
stop_server mixed

drain() { # key events prefill-flags [NAME=value ...]: a fresh pre-filled inbox, emptied by the service's dispatcher
  local db="$WORK/inbox-$1.db" line
  dotnet "$TOOL" prefill --db "$db" --count "$2" $3
  start_server "$1" "$SERVICE" "$db" Warning "${@:4}"
  line=$(dotnet "$TOOL" drain --db "$db" --count "$2" --seconds $(( SMOKE ? 5 : 20 )))
  R[$1.rate]=$(sed 's/.*rate=\([0-9]*\).*/\1/' <<<"$line")
  R[$1.steady]=$(sed 's/.*steady=//' <<<"$line")
  stop_server "$1"
}

echo "dispatcher drain ($DRAIN_EVENTS pre-filled events)..." >&2
drain drain "$DRAIN_EVENTS" ""
drain drain16 "$DRAIN_EVENTS" "" Inbox__BatchSize=16 Inbox__Concurrency=4
# One meeting's 10,000 joins: by participant (the default) 10,000 ordering keys; by meeting
# (Inbox:Ordering=Meeting, the order before issue 15) one event at a time.
ONE_MEETING=$(( SMOKE ? 500 : 10000 ))
# The one-meeting drains' yardstick: as many events, spread over as many meetings. A fresh process
# spends its first seconds on JIT tier-up, so a drain of 10,000 is slower than one of 40,000 for
# that alone, one meeting or many.
drain drain10k "$ONE_MEETING" ""
drain drain1 "$ONE_MEETING" --one-meeting
drain drain1m "$ONE_MEETING" "--one-meeting --ordering Meeting" Inbox__Ordering=Meeting

storm() { # key dll(+args) [NAME=value ...]: the one-webinar storm against a fresh inbox, after a small one to warm up
  local db="$WORK/inbox-$1.db" line field
  start_server "$1" "$2" "$db" Warning "${@:3}"
  taskset -c "$LOAD_CPU" dotnet "$TOOL" storm --url "$URL" --secret "$SECRET" --db "$db" --participants $(( STORM / 5 )) --patience 60 --tag "warm$1" >/dev/null
  line=$(taskset -c "$LOAD_CPU" dotnet "$TOOL" storm --url "$URL" --secret "$SECRET" --db "$db" --participants "$STORM" --patience "$STORM_PATIENCE" --tag "$1" | grep '^STORM')
  for field in $line; do [[ $field == *=* ]] && R[$1.${field%%=*}]=${field#*=}; done
  stop_server "$1"
}

# The one-webinar storm: 10,000 people join one webinar, then all leave, posted over 32
# connections; events/s and the lag from receipt to handled, with the shipped handlers and with
# a 20 ms handler (one calling another service) at the default concurrency.
STORM=$(( SMOKE ? 500 : 10000 ))
STORM_PATIENCE=$(( SMOKE ? 20 : 120 ))
echo "one-webinar storm ($STORM participants join, then leave)..." >&2
storm storm "$SERVICE"
storm storm20 "$TOOL serve" BENCH_HANDLER_MS=20

bash bench/report.sh "$(declare -p R)" "$SERVER_CPU" "$LOAD_CPU" "$DURATION"
