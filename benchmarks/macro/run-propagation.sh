#!/usr/bin/env bash
# Policy propagation through the cluster: how long a push takes to be in force on every member.
# Usage (from anywhere, no root needed): benchmarks/macro/run-propagation.sh [members 3] [pushes 500]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
bench_jar="$root/benchmarks/target/benchmarks.jar"
if [[ "${REBUILD:-0}" == 1 || ! -f "$bench_jar" ]]; then
    echo "run-propagation.sh: building the benchmarks jar" >&2
    (cd "$root" && { mvn -q -B -o -pl benchmarks -am package -DskipTests >&2 || mvn -q -B -pl benchmarks -am package -DskipTests >&2; })
fi
exec "$java" --sun-misc-unsafe-memory-access=allow -Dhazelcast.logging.type=none -cp "$bench_jar" \
    io.tollgate.bench.cluster.PolicyPropagation "${1:-3}" "${2:-500}" "$root/benchmarks/results"
