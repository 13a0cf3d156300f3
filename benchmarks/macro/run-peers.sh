#!/usr/bin/env bash
# Macro benchmark: the gateway vs nginx (stream + ssl_preread) and HAProxy (req.ssl_sni) with the same allowlist, and
# the direct route: bulk TLS downloads, new TLS connections per second (h2load), setup latency (curl), memory with
# idle relayed connections, in one run.
# Usage (as root, from anywhere): benchmarks/macro/run-peers.sh [--size-mib 256] [--reps 3] [--streams 16]
#                                 [--connections 5000] [--clients 32] [--handshakes 200] [--warmup-connections 15000]
#                                 [--idle 8000] [--workloads all|bulk,connections,latency,idle]
# TOLLGATE_BENCH_GATEWAY_JVM_OPTS adds JVM options to the gateway, e.g. a JFR recording:
#   TOLLGATE_BENCH_GATEWAY_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile"
# Installs nginx (with its stream module), haproxy, h2load and tcpdump with apt if missing, builds the jars if they are
# missing (REBUILD=1 forces a build), prints Markdown tables and writes them to benchmarks/results/<date>-peers.md.
# See benchmarks/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [[ "$(id -u)" != 0 ]]; then
    echo "run-peers.sh: needs root (network namespaces, nftables)" >&2
    exit 1
fi
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for tool in curl ip nft ss; do
    command -v "$tool" >/dev/null || { echo "run-peers.sh: $tool is missing" >&2; exit 1; }
done
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
[[ -f /usr/lib/nginx/modules/ngx_stream_module.so ]] || missing+=(libnginx-mod-stream)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v tcpdump >/dev/null || missing+=(tcpdump)
if (( ${#missing[@]} )); then
    echo "run-peers.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
fi

bench_jar="$root/benchmarks/target/benchmarks.jar"
gateway_jar="$root/gateway/target/tollgate.jar"
if [[ "${REBUILD:-0}" == 1 || ! -f "$bench_jar" || ! -f "$gateway_jar" ]]; then
    echo "run-peers.sh: building gateway and benchmarks jars" >&2
    mvn -q -B -o -pl benchmarks -am package -DskipTests >&2 || mvn -q -B -pl benchmarks -am package -DskipTests >&2
fi

# the gateway's commit, for the report (TOLLGATE_REV overrides, e.g. when built from an exported tree)
rev="${TOLLGATE_REV:-$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)}"

exec "$java" --enable-native-access=ALL-UNNAMED -cp "$bench_jar" io.tollgate.bench.macro.PeerBenchmark \
    --gateway-jar "$gateway_jar" --results-dir "$root/benchmarks/results" \
    --gateway-revision "$rev" "$@"
