#!/usr/bin/env bash
# run-agent.sh [SECONDS] [RATE] [BURST]: agent-lite's resident memory and CPU, started through the launcher
# (`tollgate agent run`, its JVM flags) in a throw-away network namespace with a stand-in for the gateway's endpoint:
#   0. warm-up: 10 x RATE curl processes, and HTTPS requests over HTTP/1.1 and HTTP/2 to an openssl s_server, so
#      every part of the agent (process table, connects, TLS capture, the HTTP/1 and HPACK parsers) is loaded;
#   1. RATE connections per second for SECONDS, each from a new curl process (an exec, a fork, an exit and a connect
#      per connection: what a build that runs many short tools costs);
#   2. RATE connections per second for SECONDS from one long-lived process (python3);
#   3. BURST short connections from one bash loop, as fast as it goes.
# Reports the agent's RSS (after start and its peak in the first 12 s, idle, peak over the phases, at the end, peak
# over the whole run; private and file-backed), its CPU per phase as % of
# one core and per connection, the rates reached, the load average, how many connections reached the stand-in
# gateway attributed, and the kernel records lost (ring buffer full). Needs root, python3, openssl, curl and a built
# agent (./dev build: agent-lite/target/tollgate-agent.jar, or gateway/target/tollgate.jar).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
secs="${1:-30}" rate="${2:-100}" burst="${3:-10000}"
[[ -f "$root/agent-lite/target/tollgate-agent.jar" || -f "$root/gateway/target/tollgate.jar" ]] \
  || { echo "run-agent.sh: build the agent first (./dev build)" >&2; exit 2; }
ns="agbench-$$"
work="$(mktemp -d /tmp/agbench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
in_ns() { ip netns exec "$ns" "$@"; }
ip netns add "$ns"
in_ns ip link set lo up
in_ns python3 "$here/agent-sink.py" 9901 & pids+=($!)
in_ns python3 "$here/agent-sink.py" 8080 & pids+=($!)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" \
  -out "$work/cert.pem" -days 1 -subj /CN=localhost 2>/dev/null
in_ns openssl s_server -quiet -accept 8443 -cert "$work/cert.pem" -key "$work/key.pem" -alpn h2,http/1.1 -www \
  >/dev/null 2>&1 & pids+=($!)
sleep 1
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
in_ns "$root/tollgate" agent run --gateway http://127.0.0.1:9901 --token bench 2> "$work/agent.log" & agent=$!
pids+=($agent)
for _ in $(seq 100); do grep -q "agent-lite running" "$work/agent.log" 2>/dev/null && break; sleep 0.2; done
grep "agent-lite" "$work/agent.log" | head -5
java_pid="$(pgrep -P "$agent" java || echo "$agent")"
hz="$(getconf CLK_TCK)"
ticks() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
rss_kib() { awk '/^Rss:/ {print $2}' "/proc/$java_pid/smaps_rollup"; }
anon_kib() { awk '/^Anonymous:/ {print $2}' "/proc/$java_pid/smaps_rollup"; }

curls() { # N curl processes, RATE a second
  in_ns bash -c "for ((i = 0; i < $1; i++)); do
    curl -s -o /dev/null --max-time 5 http://127.0.0.1:8080/ &
    if ((i % ($rate / 10) == $rate / 10 - 1)); then sleep 0.1; fi
  done; wait"
}
one_process() { # N connections from one python3 process, RATE a second
  in_ns python3 -c "
import socket, time
n, rate = $1, $rate
start = time.monotonic()
for i in range(n):
    s = socket.create_connection(('127.0.0.1', 8080)); s.close()
    wait = start + (i + 1) / rate - time.monotonic()
    if wait > 0: time.sleep(wait)"
}
# measure NAME COUNT COMMAND...: runs the command, prints the agent's CPU over it (and over SETTLE more seconds, in
# which the agent handles what a burst left; the rate is the command's alone)
measure() {
  local name="$1" count="$2"; shift 2
  local t0 s m e t1
  t0="$(ticks)"; s="$(date +%s.%N)"
  "$@" || true
  m="$(date +%s.%N)"; sleep "${settle:-0}"; e="$(date +%s.%N)"; t1="$(ticks)"
  awk -v n="$name" -v c="$count" -v t="$((t1 - t0))" -v hz="$hz" -v s="$s" -v m="$m" -v e="$e" \
    -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%-34s %6d conns at %5.0f/s: agent CPU %5.2f %% of one core, %.3f ms per connection (load %s)\n",
      n, c, c / (m - s), 100 * t / hz / (e - s), 1000 * t / hz / c, l}'
}

( while sleep 0.5; do rss_kib >> "$work/rss-start"; done ) 2>/dev/null & sampler=$!; pids+=($sampler)
( while sleep 0.5; do rss_kib >> "$work/rss-all"; done ) 2>/dev/null & all_sampler=$!; pids+=($all_sampler)
sleep 2
rss_start="$(rss_kib)"
t0="$(ticks)"; sleep 10
idle_cpu="$(awk -v t="$(( $(ticks) - t0 ))" -v hz="$hz" 'BEGIN {printf "%.2f", 100 * t / hz / 10}')"
rss_idle="$(rss_kib)" anon_idle="$(anon_kib)"
kill "$sampler"

curls $((10 * rate))
for i in $(seq 10); do
  in_ns curl -sk --http1.1 --max-time 2 -o /dev/null "https://localhost:8443/warm/h1/$i" || true
  in_ns curl -sk --http2 --max-time 2 -o /dev/null "https://localhost:8443/warm/h2/$i" || true
done
sleep 1
( while sleep 0.5; do rss_kib >> "$work/rss"; done ) 2>/dev/null & sampler=$!; pids+=($sampler)
total=$((secs * rate))
echo "phases (agent CPU: user + system of its JVM from /proc; load: 1-minute load average at the end of the phase):"
measure "1. new curl process per connection" "$total" curls "$total"
measure "2. one long-lived process" "$total" one_process "$total"
settle=1 measure "3. burst from one bash loop" "$burst" in_ns bash -c \
  "for i in \$(seq $burst); do exec 3<>/dev/tcp/127.0.0.1/8080; exec 3>&-; done" 2>/dev/null
sleep 2
kill "$sampler"
t0="$(ticks)"; sleep 10
kill "$all_sampler"
idle_after="$(awk -v t="$(( $(ticks) - t0 ))" -v hz="$hz" 'BEGIN {printf "%.2f", 100 * t / hz / 10}')"
rss_end="$(rss_kib)" anon_end="$(anon_kib)"
peak="$(sort -n "$work/rss" | tail -1)" peak_start="$(sort -n "$work/rss-start" | tail -1)"
peak_all="$(sort -n "$work/rss-all" | tail -1)"
counts="$(in_ns curl -s http://127.0.0.1:9901/count)"
kill "$java_pid"
for _ in $(seq 50); do grep -q "agent-lite stopped" "$work/agent.log" && break; sleep 0.1; done
python3 - "$counts" <<PY
import json, sys
counts = json.loads(sys.argv[1])
made = 10 * $rate + 2 * $total + $burst
got = counts.get("connections:8080", 0)
print(f"agent RSS: 2 s after start {$rss_start / 1024:.1f} MiB (peak in the first 12 s {$peak_start / 1024:.1f} MiB),"
      f" idle after 12 s {$rss_idle / 1024:.1f} MiB"
      f" ({$anon_idle / 1024:.1f} private anonymous), peak under load {$peak / 1024:.1f} MiB (sampled every 0.5 s"
      f" after the warm-up), at the end {$rss_end / 1024:.1f} MiB ({$anon_end / 1024:.1f} private anonymous, the rest"
      f" file-backed)")
print(f"agent RSS peak over the whole run (start, warm-up, load and 10 s after): {$peak_all / 1024:.1f} MiB")
print(f"agent CPU idle: {$idle_cpu} % of one core 2-12 s after start, {$idle_after} % in the 10 s after the phases")
print(f"connections reported attributed: {got} of {made} ({100 * got / made:.2f} %), https requests: {counts.get('https', 0)}")
print("load average at the start: $load_start, at the end: $(cut -d' ' -f1-3 /proc/loadavg)")
PY
grep -o "agent-lite stopped.*" "$work/agent.log" || echo "(the agent did not log its stop line)"
