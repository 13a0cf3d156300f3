#!/usr/bin/env bash
# run-agent.sh [SECONDS] [RATE] [BURST]: agent-lite's resident memory and CPU while a simulated build in a
# throw-away network namespace makes RATE connections per second for SECONDS, each from a new curl process (so the
# process table sees an exec, a fork and an exit per connection too); then BURST short connections from one bash
# loop as fast as it goes. Reports RSS (peak and at the end), CPU as % of one core, and how many connections reached
# the (stand-in) gateway attributed. Needs root, python3 and a built gateway/target/tollgate.jar.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
secs="${1:-30}" rate="${2:-100}" burst="${3:-10000}"
source "$root/dev-env.sh"
java_bin="$(tollgate_java)"
jar="$root/gateway/target/tollgate.jar"
[[ -f "$jar" ]] || { echo "run-agent.sh: build $jar first (./dev build)" >&2; exit 2; }
ns="agbench-$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns delete "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" python3 "$here/agent-sink.py" 9901 & pids+=($!)
ip netns exec "$ns" python3 "$here/agent-sink.py" 8080 & pids+=($!)
sleep 1
# The launcher's JVM options for `tollgate agent` (see ../../tollgate).
ip netns exec "$ns" "$root/tollgate" agent run --gateway http://127.0.0.1:9901 --token bench \
  2> "/tmp/$ns-agent.log" & agent=$!; pids+=($agent)
for _ in $(seq 100); do grep -q "agent-lite running" "/tmp/$ns-agent.log" 2>/dev/null && break; sleep 0.2; done
grep "agent-lite" "/tmp/$ns-agent.log" | head -5
java_pid="$(pgrep -P "$agent" java || echo "$agent")"
ticks() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$java_pid/status"; }
hz="$(getconf CLK_TCK)"
sleep 2
rss_idle="$(rss)"
idle_ticks="$(ticks)"; sleep 10
idle_cpu="$(awk -v t="$(( $(ticks) - idle_ticks ))" -v hz="$hz" 'BEGIN {printf "%.2f", 100 * t / hz / 10}')"
total=$((secs * rate))
load() {
  # One shell in the namespace starts a tenth of RATE curl processes every 100 ms.
  ip netns exec "$ns" bash -c "for ((i = 0; i < $1; i++)); do
    curl -s -o /dev/null --max-time 5 http://127.0.0.1:8080/ &
    if ((i % ($rate / 10) == $rate / 10 - 1)); then sleep 0.1; fi
  done; wait"
}
load $((10 * rate)) # warm-up (the JIT), not measured
start_ticks="$(ticks)" start="$(date +%s.%N)" peak="$rss_idle"
( while sleep 1; do rss >> "/tmp/$ns-rss"; done ) & sampler=$!; pids+=($sampler)
load "$total"
wait_end="$(date +%s.%N)"
kill "$sampler" 2>/dev/null || true
peak="$(sort -n "/tmp/$ns-rss" | tail -1)"
sleep 1
cpu="$(awk -v t="$(( $(ticks) - start_ticks ))" -v hz="$hz" -v s="$start" -v e="$wait_end" \
  'BEGIN {printf "%.2f", 100 * t / hz / (e - s)}')"
made_rate="$(awk -v n="$total" -v s="$start" -v e="$wait_end" 'BEGIN {printf "%.0f", n / (e - s)}')"
rss_after_load="$(rss)"
seen="$(ip netns exec "$ns" curl -s http://127.0.0.1:9901/count)"
ip netns exec "$ns" bash -c "for i in \$(seq $burst); do exec 3<>/dev/tcp/127.0.0.1/8080; exec 3>&-; done" 2>/dev/null || true
sleep 2
after="$(ip netns exec "$ns" curl -s http://127.0.0.1:9901/count)"
rss_end="$(rss)"
python3 - "$seen" "$after" <<PY
import json, sys
seen = json.loads(sys.argv[1]); after = json.loads(sys.argv[2])
load = $total
got = after.get("connections:8080", 0) - 10 * $rate
print(f"attributed after the paced load: {seen.get('connections:8080', 0)} of {load + 10 * $rate} (with the warm-up)")
print(f"load: {load} curl processes at ~{$made_rate}/s for {$secs} s (target {$rate}/s), then {$burst} short connections from one bash loop")
print(f"agent RSS: idle {$rss_idle / 1024:.1f} MiB, peak during load {$peak / 1024:.1f} MiB, after load {$rss_after_load / 1024:.1f} MiB, after burst {$rss_end / 1024:.1f} MiB")
print(f"agent CPU: idle {$idle_cpu} %, during the measured load {$cpu} % of one core")
print(f"connections to the target reported attributed: {got} of {load + $burst} ({100 * got / (load + $burst):.2f} %)")
PY
