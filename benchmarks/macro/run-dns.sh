#!/usr/bin/env bash
# Macro benchmark: the runner's DNS through the gateway's dns-firewall vs unbound with the same allow/block lists.
# Usage (as root, from anywhere): benchmarks/macro/run-dns.sh [--seconds 5] [--reps 3] [--clients 10] [--threads 1]
#                                                            [--outstanding 100]
# Installs dnsperf and unbound with apt if they are missing (the unbound package's own service is not used), builds
# the jars if they are missing (REBUILD=1 forces a build), prints a Markdown table and writes it to
# benchmarks/results/<date>-dns.md. See benchmarks/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [[ "$(id -u)" != 0 ]]; then
    echo "run-dns.sh: needs root (network namespaces, nftables)" >&2
    exit 1
fi
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for tool in dig ip nft; do
    command -v "$tool" >/dev/null || { echo "run-dns.sh: $tool is missing" >&2; exit 1; }
done
missing=()
command -v dnsperf >/dev/null || missing+=(dnsperf)
command -v unbound >/dev/null || missing+=(unbound)
if (( ${#missing[@]} )); then
    echo "run-dns.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
fi

bench_jar="$root/benchmarks/target/benchmarks.jar"
gateway_jar="$root/gateway/target/tollgate.jar"
if [[ "${REBUILD:-0}" == 1 || ! -f "$bench_jar" || ! -f "$gateway_jar" ]]; then
    echo "run-dns.sh: building gateway and benchmarks jars" >&2
    mvn -q -B -o -pl benchmarks -am package -DskipTests >&2 || mvn -q -B -pl benchmarks -am package -DskipTests >&2
fi

# the gateway's commit, for the report (TOLLGATE_REV overrides, e.g. when built from an exported tree)
rev="${TOLLGATE_REV:-$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)}"

exec "$java" --enable-native-access=ALL-UNNAMED -cp "$bench_jar" io.tollgate.bench.macro.DnsBenchmark \
    --gateway-jar "$gateway_jar" --results-dir "$root/benchmarks/results" \
    --gateway-revision "$rev" "$@"
