#!/usr/bin/env bash
# Prints bench/run.sh's results as a Markdown table: service beside baseline, ratio, issue 7's target.
# Args: "$(declare -p R)" server-cpu load-cpu duration. Latencies arrive in microseconds.
set -euo pipefail
eval "$1"
ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2fx", a / b; else print "-"}'; }
# Flat: the last sample is no more than a second's worth of events above the first, and what was
# left emptied within 5 s of the load stopping.
steady() { awk -v s="$1" -v e="$2" -v r="${R[mixed.eps]}" 'BEGIN {n = split(s, a, ","); print (n > 0 && a[n] <= a[1] + r && e >= 0 && e <= 5) ? "steady" : "GROWING"}'; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }

echo
echo "$(nproc) cores; servers pinned to CPU $2, wrk (1 thread) to CPU $3; ${4} s per run; $(uptime | sed 's/.*load/load/')"
echo
row "measure" "baseline" "service" "ratio" "target"
row "---" "---:" "---:" "---:" "---"
row "accepted events/s, 32 conn" "${R[b32.rps]}" "${R[s32.eps]}" "$(ratio "${R[s32.eps]}" "${R[b32.rps]}")" ">= 0.5x"
row "p50 / p99 ms, 32 conn" "$(ms "${R[b32.p50]}") / $(ms "${R[b32.p99]}")" "$(ms "${R[s32.p50]}") / $(ms "${R[s32.p99]}")" \
  "$(ratio "${R[s32.p99]}" "${R[b32.p99]}") (p99)" "p99 <= 10 ms"
row "accepted events/s, 1 conn" "${R[b1.rps]}" "${R[s1.eps]}" "$(ratio "${R[s1.eps]}" "${R[b1.rps]}")" ""
row "p50 / p99 ms, 1 conn" "$(ms "${R[b1.p50]}") / $(ms "${R[b1.p99]}")" "$(ms "${R[s1.p50]}") / $(ms "${R[s1.p99]}")" \
  "$(ratio "${R[s1.p50]}" "${R[b1.p50]}") (p50)" "p50 <= 1 ms"
row "duplicates/s, 32 conn" "${R[b32.rps]}" "${R[dup.rps]}" "$(ratio "${R[dup.rps]}" "${R[b32.rps]}")" ">= 0.8x"
row "bad signatures/s (401), 32 conn" "${R[b32.rps]}" "${R[bad.rps]}" "$(ratio "${R[bad.rps]}" "${R[b32.rps]}")" ">= 0.9x"
row "server CPU us per request, 32 conn" "${R[b32.cpu]}" "${R[s32.cpu]}" "$(ratio "${R[s32.cpu]}" "${R[b32.cpu]}")" ""
row "server CPU us per duplicate / bad signature" "${R[b32.cpu]}" "${R[dup.cpu]} / ${R[bad.cpu]}" "" ""
row "peak RSS MB" "${R[baseline.rss]}" "${R[service.rss]}" "$(ratio "${R[service.rss]}" "${R[baseline.rss]}")" "<= 150 MB"
row "accepted events/s, 32 conn, Information logging" "${R[b32.rps]}" "${R[i32.eps]}" "$(ratio "${R[i32.eps]}" "${R[b32.rps]}")" ""
row "p50 / p99 ms, 32 conn, Information logging" "" "$(ms "${R[i32.p50]}") / $(ms "${R[i32.p99]}")" "" ""
if [[ -n "${R[o32.eps]:-}" ]]; then
  row "accepted events/s, 32 conn, OTLP export on (vs export off)" "${R[s32.eps]}" "${R[o32.eps]}" "$(ratio "${R[o32.eps]}" "${R[s32.eps]}")" ""
  row "p50 / p99 ms, 32 conn, OTLP export on (vs export off)" "$(ms "${R[s32.p50]}") / $(ms "${R[s32.p99]}")" "$(ms "${R[o32.p50]}") / $(ms "${R[o32.p99]}")" \
    "$(ratio "${R[o32.p99]}" "${R[s32.p99]}") (p99)" ""
  row "accepted events/s, 1 conn, OTLP export on (vs export off)" "${R[s1.eps]}" "${R[o1.eps]}" "$(ratio "${R[o1.eps]}" "${R[s1.eps]}")" ""
  row "p50 / p99 ms, 1 conn, OTLP export on (vs export off)" "$(ms "${R[s1.p50]}") / $(ms "${R[s1.p99]}")" "$(ms "${R[o1.p50]}") / $(ms "${R[o1.p99]}")" \
    "$(ratio "${R[o1.p50]}" "${R[s1.p50]}") (p50)" ""
  row "server CPU us per request, 32 conn, OTLP export on (vs export off)" "${R[s32.cpu]}" "${R[o32.cpu]}" "$(ratio "${R[o32.cpu]}" "${R[s32.cpu]}")" ""
  row "OTLP exports the collector answered" "-" "${R[otlp.exports]}" "" "> 0"
fi
row "dispatcher drain events/s (shipped handlers): all / second half" "-" "${R[drain.rate]} / ${R[drain.steady]}" "" ">= 5000"
row "dispatcher drain events/s, earlier defaults (Inbox:BatchSize 16, Concurrency 4)" "-" "${R[drain16.rate]} / ${R[drain16.steady]}" "" ""
row "dispatcher drain events/s, 10,000 events of as many meetings" "-" "${R[drain10k.rate]} / ${R[drain10k.steady]}" "" ""
row "dispatcher drain events/s, 10,000 participant events of one meeting" "-" "${R[drain1.rate]} / ${R[drain1.steady]}" \
  "$(ratio "${R[drain1.rate]}" "${R[drain10k.rate]}") of as many meetings ($(ratio "${R[drain1.rate]}" "${R[drain.rate]}") of the 40,000)" ">= 0.5x"
if [[ -n "${R[drain1m.rate]:-}" ]]; then
  row "the same, Inbox:Ordering=Meeting (one at a time)" "-" "${R[drain1m.rate]} / ${R[drain1m.steady]}" "$(ratio "${R[drain1m.rate]}" "${R[drain10k.rate]}") of as many meetings" ""
fi
row "one-webinar storm, shipped handlers: handled events/s / lag p50 / p99 ms" "-" "${R[storm.rate]} / ${R[storm.lag_p50]} / ${R[storm.lag_p99]}" "${R[storm.done]} of ${R[storm.events]} handled" ""
row "one-webinar storm, 20 ms handler, Concurrency 16: events/s / lag p50 / p99 ms" "-" "${R[storm20.rate]} / ${R[storm20.lag_p50]} / ${R[storm20.lag_p99]}" "${R[storm20.done]} of ${R[storm20.events]} handled" ""
row "pending right after the 32 conn run (of ${R[s32.events]} accepted)" "-" "${R[s32.backlog]}" "" ""
row "mixed load at half capacity: requests/s (${R[mixed.target]} asked) / new events/s" "-" "${R[mixed.rps]} / ${R[mixed.eps]}" "$(ratio "${R[mixed.rps]}" "${R[s32.eps]}") of capacity" "0.5x"
row "mixed load: backlog every 2 s / empty after load (s)" "-" "${R[mixed.samples]} / ${R[mixed.empty]}" "$(steady "${R[mixed.samples]}" "${R[mixed.empty]}")" "no growing backlog"
echo
# Answers that were not the expected 200 (401 on the forged run), and answers vs stored rows:
# more answers than new rows in an accept run would mean the request pool wrapped round.
for k in s32 s1 dup bad i32 mixed ${R[o32.eps]:+o32 o1}; do
  printf '%s: answers=%s new rows=%s non-2xx=%s socket errors=%s\n' "$k" "${R[$k.requests]}" "${R[$k.events]:--}" "${R[$k.non2xx]}" "${R[$k.socket_errors]}"
done
