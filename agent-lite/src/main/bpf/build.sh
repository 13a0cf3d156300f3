#!/usr/bin/env bash
# Compiles agent.bpf.c (CO-RE) into the agent's resources. Run by the Maven build (exec-maven-plugin):
#   build.sh SOURCE_DIR WORK_DIR OUTPUT_FILE
set -euo pipefail
src="$1" work="$2" out="$3"
for tool in clang bpftool; do
  command -v "$tool" >/dev/null || { echo "agent-lite build: $tool is missing; install clang, llvm, bpftool and libbpf-dev (./dev does)" >&2; exit 2; }
done
[[ -r /usr/include/bpf/bpf_helpers.h ]] || { echo "agent-lite build: libbpf headers are missing; install libbpf-dev" >&2; exit 2; }
[[ -r /sys/kernel/btf/vmlinux ]] || { echo "agent-lite build: /sys/kernel/btf/vmlinux is missing; build on a kernel with BTF (CONFIG_DEBUG_INFO_BTF)" >&2; exit 2; }
mkdir -p "$work" "$(dirname "$out")"
if [[ ! -s "$work/vmlinux.h" ]]; then
  bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h.tmp"
  mv "$work/vmlinux.h.tmp" "$work/vmlinux.h"
fi
clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I"$work" -I"$src" -c "$src/agent.bpf.c" -o "$out"
llvm-strip -g "$out" 2>/dev/null || true
