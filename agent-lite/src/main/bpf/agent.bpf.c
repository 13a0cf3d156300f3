// agent-lite's kernel side: process lifecycle, outbound TCP connects and the plaintext of TLS writes.
// Every record goes to one ring buffer; the Java agent (io.tollgate.agent) decodes the layouts in records.h.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "records.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

// Slot 0: the network namespace inode to watch, 0 = every namespace. Written by the agent before attaching.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} netns_filter SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, RING_SIZE);
} records SEC(".maps");

// Slot 0: records lost because the ring buffer was full, of every kind (the agent reads and reports it).
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} dropped SEC(".maps");

static __always_inline void *reserve_record(__u64 size) {
    void *r = bpf_ringbuf_reserve(&records, size, 0);
    if (!r) {
        __u32 zero = 0;
        __u64 *lost = bpf_map_lookup_elem(&dropped, &zero);
        if (lost)
            __sync_fetch_and_add(lost, 1);
    }
    return r;
}

// Records are committed without waking the agent, which collects them every few milliseconds (a wake-up per record
// cost it more than handling the record); only a ring filling past WAKEUP_AT wakes it at once, so a burst does not
// overflow the ring while it sleeps.
static __always_inline __u64 wakeup_flag(void) {
    return bpf_ringbuf_query(&records, BPF_RB_AVAIL_DATA) >= WAKEUP_AT ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

// Sockets between SYN_SENT (process context, no source port yet) and the next state (port known).
struct pending_connect {
    __u32 pid;
    __u32 ppid;
};
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, struct pending_connect);
} connecting SEC(".maps");

// Thread -> TLS session it is writing, until the thread's next socket write names the socket.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, __u64);
    __type(value, __u64);
} writing_session SEC(".maps");

// (tgid, session) pairs whose socket was already reported.
struct session_key {
    __u64 session;
    __u32 pid;
    __u32 pad;
};
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, struct session_key);
    __type(value, __u8);
} reported_session SEC(".maps");

static __always_inline __u32 watched_netns(void) {
    __u32 zero = 0;
    __u32 *ns = bpf_map_lookup_elem(&netns_filter, &zero);
    return ns ? *ns : 0;
}

static __always_inline __u32 task_netns(struct task_struct *task) {
    return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

static __always_inline bool task_watched(struct task_struct *task) {
    __u32 want = watched_netns();
    return want == 0 || task_netns(task) == want;
}

static __always_inline bool sock_watched(const struct sock *sk) {
    __u32 want = watched_netns();
    return want == 0 || BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) == want;
}

static __always_inline void fill_tuple(struct tuple *t, const struct sock *sk) {
    t->family = BPF_CORE_READ(sk, __sk_common.skc_family);
    t->protocol = BPF_CORE_READ(sk, sk_protocol);
    t->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
    t->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    if (t->family == AF_INET6) {
        BPF_CORE_READ_INTO(&t->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
        BPF_CORE_READ_INTO(&t->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
    } else {
        BPF_CORE_READ_INTO(&t->saddr, sk, __sk_common.skc_rcv_saddr);
        BPF_CORE_READ_INTO(&t->daddr, sk, __sk_common.skc_daddr);
    }
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
    if (!task_watched(p))
        return 0;
    struct exec_record *r = reserve_record(sizeof(*r));
    if (!r)
        return 0;
    r->type = RECORD_EXEC;
    r->pid = BPF_CORE_READ(p, tgid);
    r->ppid = BPF_CORE_READ(p, real_parent, tgid);
    r->start_ns = BPF_CORE_READ(p, start_time);
    r->cgroup_id = bpf_get_current_cgroup_id();
    bpf_probe_read_kernel_str(r->filename, sizeof(r->filename), BPF_CORE_READ(bprm, filename));
    unsigned long start = BPF_CORE_READ(p, mm, arg_start);
    unsigned long end = BPF_CORE_READ(p, mm, arg_end);
    __u32 len = end > start ? end - start : 0;
    if (len > ARGS_MAX_LEN - 1)
        len = ARGS_MAX_LEN - 1;
    len &= ARGS_MAX_LEN - 1; // the verifier wants a mask, not only the comparison
    r->args_len = len;
    if (bpf_probe_read_user(r->args, len, (void *)start) != 0)
        r->args_len = 0;
    bpf_ringbuf_submit(r, wakeup_flag());
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child) {
    if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid) || !task_watched(child))
        return 0;
    struct fork_record *r = reserve_record(sizeof(*r));
    if (!r)
        return 0;
    r->type = RECORD_FORK;
    r->pid = BPF_CORE_READ(child, tgid);
    r->ppid = BPF_CORE_READ(parent, tgid);
    r->start_ns = BPF_CORE_READ(child, start_time);
    bpf_ringbuf_submit(r, wakeup_flag());
    return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p) {
    if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid))
        return 0;
    // The exiting task may already have dropped its namespaces; the agent ignores pids it never saw.
    if (BPF_CORE_READ(p, nsproxy) && !task_watched(p))
        return 0;
    struct exit_record *r = reserve_record(sizeof(*r));
    if (!r)
        return 0;
    r->type = RECORD_EXIT;
    r->pid = BPF_CORE_READ(p, tgid);
    bpf_ringbuf_submit(r, wakeup_flag());
    return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_sock_state, const struct sock *sk, const int oldstate, const int newstate) {
    if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
        return 0;
    __u64 key = (__u64)sk;
    if (newstate == TCP_SYN_SENT) {
        if (!sock_watched(sk))
            return 0;
        struct task_struct *task = bpf_get_current_task_btf();
        struct pending_connect pc = {
            .pid = BPF_CORE_READ(task, tgid),
            .ppid = BPF_CORE_READ(task, real_parent, tgid),
        };
        bpf_map_update_elem(&connecting, &key, &pc, BPF_ANY);
        return 0;
    }
    if (oldstate != TCP_SYN_SENT)
        return 0;
    struct pending_connect *pc = bpf_map_lookup_elem(&connecting, &key);
    if (!pc)
        return 0;
    struct connect_record *r = reserve_record(sizeof(*r));
    if (r) {
        r->type = RECORD_CONNECT;
        r->pid = pc->pid;
        r->ppid = pc->ppid;
        r->established = newstate == TCP_ESTABLISHED;
        fill_tuple(&r->tuple, sk);
        bpf_ringbuf_submit(r, wakeup_flag());
    }
    bpf_map_delete_elem(&connecting, &key);
    return 0;
}

// HTTP/2 sessions (their first write seen started with the client preface): where the next frame header starts, so
// a write longer than the capture can be walked frame by frame and the user side keeps frame sync past it.
struct h2_sync {
    __u32 to_header;      // bytes before the next frame header starts
    __u32 fill;           // bytes of a frame header seen at the end of the previous write
    __u8 header[16];
    __u64 copy_at;        // during a walk: the header block frame past the capture to copy (offset, length)
    __u32 copy_len;
    __u32 pad;
};
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct session_key);
    __type(value, struct h2_sync);
} h2_sessions SEC(".maps");

#define H2_PREFACE_LEN 24
#define H2_MAX_FRAMES 64
#define H2_HEADERS 0x1
#define H2_CONTINUATION 0x9

static __always_inline bool is_h2_preface(const __u8 *d) {
    const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    for (int i = 0; i < H2_PREFACE_LEN; i++) {
        if (d[i] != (__u8)preface[i])
            return false;
    }
    return true;
}

static __always_inline bool header_block(__u8 type) {
    return type == H2_HEADERS || type == H2_CONTINUATION;
}

// A header block frame wholly past the capture of write r (and inside the write): copied into a record of its own,
// which the ring buffer delivers right after r (reserved later). False when it cannot be.
static __always_inline bool copy_h2_frame(struct tls_write_record *r, const __u8 *src, __u32 size) {
    if (size > TLS_CAPTURE - 1)
        return false;
    struct h2_frame_record *f = reserve_record(sizeof(*f));
    if (!f)
        return false;
    __u32 n = size;
    barrier_var(n); // keep the mask below: the verifier needs it on the register that is passed
    n &= TLS_CAPTURE - 1;
    if (bpf_probe_read_user(f->data, n, src) != 0) {
        bpf_ringbuf_discard(f, BPF_RB_NO_WAKEUP);
        return false;
    }
    f->type = RECORD_H2_FRAME;
    f->pid = r->pid;
    f->session = r->session;
    f->length = n;
    f->pad = 0;
    bpf_ringbuf_submit(f, wakeup_flag());
    return true;
}

// Walks the frame headers of one write of a followed HTTP/2 session (bounded) and leaves in the record where the
// write ended: inside which frame payload, or inside which frame header. Header block frames wholly past the
// capture are copied (one per write); any other header block bytes past the capture lose sync.
static __always_inline void walk_h2(struct h2_sync *st, struct tls_write_record *r, const __u8 *buf, __u64 len) {
    __u64 pos = 0;
    __u8 state = H2_SYNCED;
    if (st->fill > 0) {
        for (int i = 0; i < 9; i++) {
            if (st->fill >= 9 || pos >= len)
                break;
            bpf_probe_read_user(&st->header[st->fill & 15], 1, buf + pos);
            st->fill++;
            pos++;
        }
        if (st->fill >= 9) {
            st->to_header = ((__u32)st->header[0] << 16) | ((__u32)st->header[1] << 8) | st->header[2];
            st->fill = 0;
            if (header_block(st->header[3]) && pos + st->to_header > r->captured)
                state = H2_LOST;
        }
    }
    int frames = 0;
    st->copy_len = 0;
    for (; frames < H2_MAX_FRAMES; frames++) {
        if (pos >= len || st->fill > 0)
            break;
        if (st->to_header >= len - pos) {
            st->to_header -= len - pos;
            pos = len;
            break;
        }
        pos += st->to_header;
        st->to_header = 0;
        if (pos + 9 > len) {
            for (int i = 0; i < 8; i++) {
                if (pos >= len)
                    break;
                bpf_probe_read_user(&st->header[i & 15], 1, buf + pos);
                st->fill++;
                pos++;
            }
            break;
        }
        __u8 h[9];
        if (bpf_probe_read_user(h, sizeof(h), buf + pos) != 0) {
            state = H2_LOST;
            break;
        }
        __u32 length = ((__u32)h[0] << 16) | ((__u32)h[1] << 8) | h[2];
        if (header_block(h[3]) && pos + 9 + length > r->captured) {
            if (pos >= r->captured && pos + 9 + length <= len && st->copy_len == 0) {
                st->copy_at = pos;
                st->copy_len = 9 + length;
            } else {
                state = H2_LOST;
            }
        }
        pos += 9;
        st->to_header = length;
    }
    if (pos < len)
        state = H2_LOST; // more frames than the bound: the position is unknown from here on
    if (st->copy_len > 0 && state != H2_LOST && !copy_h2_frame(r, buf + st->copy_at, st->copy_len))
        state = H2_LOST;
    r->h2 = state;
    r->h2_to_header = st->to_header;
    r->h2_fill = st->fill;
    __builtin_memcpy(r->h2_header, st->header, sizeof(r->h2_header));
}

static __always_inline int capture_tls_write(void *session, const void *buf, __u64 len, __u8 library) {
    struct task_struct *task = bpf_get_current_task_btf();
    if (!task_watched(task) || len == 0)
        return 0;
    struct tls_write_record *r = reserve_record(sizeof(*r));
    if (!r)
        return 0;
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    r->type = RECORD_TLS_WRITE;
    r->library = library;
    r->pid = pid_tgid >> 32;
    r->session = (__u64)session;
    r->total_len = len;
    __u32 n = len > TLS_CAPTURE - 1 ? TLS_CAPTURE - 1 : len;
    n &= TLS_CAPTURE - 1;
    r->captured = n;
    if (bpf_probe_read_user(r->data, n, buf) != 0)
        r->captured = 0;
    r->h2 = H2_NONE;
    r->h2_fill = 0;
    r->h2_to_header = 0;

    struct session_key sk = {.session = (__u64)session, .pid = pid_tgid >> 32};
    struct h2_sync *st = NULL;
    if (r->captured >= H2_PREFACE_LEN && is_h2_preface(r->data)) {
        // a new session (a session pointer can be reused): frames start after the preface
        struct h2_sync fresh = {.to_header = H2_PREFACE_LEN};
        bpf_map_update_elem(&h2_sessions, &sk, &fresh, BPF_ANY);
    }
    st = bpf_map_lookup_elem(&h2_sessions, &sk);
    if (st) {
        walk_h2(st, r, (const __u8 *)buf, len);
        if (r->h2 == H2_LOST)
            bpf_map_delete_elem(&h2_sessions, &sk);
        if (len <= n)
            r->h2 = H2_NONE; // the user side saw every byte itself
    }
    bpf_ringbuf_submit(r, wakeup_flag());

    if (!bpf_map_lookup_elem(&reported_session, &sk)) {
        __u64 s = (__u64)session;
        bpf_map_update_elem(&writing_session, &pid_tgid, &s, BPF_ANY);
    }
    return 0;
}

SEC("uprobe")
int BPF_KPROBE(openssl_write, void *ssl, const void *buf, int num) {
    return num > 0 ? capture_tls_write(ssl, buf, num, LIBRARY_OPENSSL) : 0;
}

SEC("uprobe")
int BPF_KPROBE(openssl_write_ex, void *ssl, const void *buf, size_t num) {
    return capture_tls_write(ssl, buf, num, LIBRARY_OPENSSL);
}

SEC("uprobe")
int BPF_KPROBE(gnutls_record_send, void *session, const void *data, size_t len) {
    return capture_tls_write(session, data, len, LIBRARY_GNUTLS);
}

// The socket behind a file descriptor of the task (the caller checks it is one: a socket's protocol and family).
static __always_inline struct sock *sock_of_fd(struct task_struct *task, int fd) {
    struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
    unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
    if (fd < 0 || (unsigned int)fd >= max)
        return NULL;
    struct file *file = NULL;
    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    if (!file)
        return NULL;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    if (!sock)
        return NULL;
    return BPF_CORE_READ(sock, sk);
}

// The first socket write of a thread that is inside a TLS write names the session's socket.
static __always_inline void name_session_socket(int fd) {
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u64 *session = bpf_map_lookup_elem(&writing_session, &pid_tgid);
    if (!session)
        return;
    __u64 s = *session;
    bpf_map_delete_elem(&writing_session, &pid_tgid);
    struct sock *sk = sock_of_fd(bpf_get_current_task_btf(), fd);
    if (!sk)
        return;
    __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if ((family != AF_INET && family != AF_INET6) || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
        return;
    struct tls_socket_record *r = reserve_record(sizeof(*r));
    if (!r)
        return;
    r->type = RECORD_TLS_SOCKET;
    r->pid = pid_tgid >> 32;
    r->session = s;
    fill_tuple(&r->tuple, sk);
    bpf_ringbuf_submit(r, wakeup_flag());
    struct session_key key = {.session = s, .pid = pid_tgid >> 32};
    __u8 one = 1;
    bpf_map_update_elem(&reported_session, &key, &one, BPF_ANY);
}

struct syscall_enter {
    unsigned long long unused;
    long nr;
    unsigned long args[6];
};

SEC("tracepoint/syscalls/sys_enter_write")
int on_write(struct syscall_enter *ctx) { name_session_socket((int)ctx->args[0]); return 0; }

SEC("tracepoint/syscalls/sys_enter_writev")
int on_writev(struct syscall_enter *ctx) { name_session_socket((int)ctx->args[0]); return 0; }

SEC("tracepoint/syscalls/sys_enter_sendto")
int on_sendto(struct syscall_enter *ctx) { name_session_socket((int)ctx->args[0]); return 0; }

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int on_sendmsg(struct syscall_enter *ctx) { name_session_socket((int)ctx->args[0]); return 0; }

// A TLS library being opened (by the dynamic loader or dlopen) by a watched process: the agent attaches the write
// uprobes to that file before the process can use it, so copies loaded after the agent started are covered too.
// The name is matched when the call starts, the file (device and inode) is known when it returns.
static __always_inline bool ends_with(const char *s, __u32 len, const char *suffix, __u32 suffix_len) {
    if (len < suffix_len + 1 || len > PATH_CAPTURE)
        return false;
    __u32 at = (len - 1 - suffix_len) & (PATH_CAPTURE - 1);
    for (__u32 i = 0; i < 16; i++) {
        if (i >= suffix_len)
            break;
        if (s[(at + i) & (PATH_CAPTURE - 1)] != suffix[i])
            return false;
    }
    return at == 0 || s[(at - 1) & (PATH_CAPTURE - 1)] == '/';
}

// Library files the agent has attached the uprobes to (or tried to), as the kernel numbers them: opening one of them
// again is not reported, so the many processes that load the system's libssl cost the agent nothing.
struct file_id {
    __u64 ino;
    __u32 dev;
    __u32 pad;
};
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 512);
    __type(key, struct file_id);
    __type(value, __u8);
} known_libraries SEC(".maps");

struct library_path {
    char path[PATH_CAPTURE];
};
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct library_path);
} path_scratch SEC(".maps");

// Threads inside an openat of a TLS library name, until the call returns and the opened file is known.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, __u64);
    __type(value, struct library_path);
} opening_library SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(struct syscall_enter *ctx) {
    struct task_struct *task = bpf_get_current_task_btf();
    if (!task_watched(task))
        return 0;
    __u32 zero = 0;
    struct library_path *p = bpf_map_lookup_elem(&path_scratch, &zero);
    if (!p)
        return 0;
    long n = bpf_probe_read_user_str(p->path, sizeof(p->path), (const char *)ctx->args[1]);
    if (n <= 0 || !(ends_with(p->path, n, "libssl.so.3", 11) || ends_with(p->path, n, "libgnutls.so.30", 15)))
        return 0;
    __u64 thread = bpf_get_current_pid_tgid();
    bpf_map_update_elem(&opening_library, &thread, p, BPF_ANY);
    return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int on_openat_exit(struct trace_event_raw_sys_exit *ctx) {
    __u64 thread = bpf_get_current_pid_tgid();
    struct library_path *p = bpf_map_lookup_elem(&opening_library, &thread);
    if (!p)
        return 0;
    long fd = ctx->ret;
    struct task_struct *task = bpf_get_current_task_btf();
    struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
    unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
    struct file *file = NULL;
    if (fd >= 0 && fd < max)
        bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    if (!file) { // the loader tries several directories: only an open that found the file counts
        bpf_map_delete_elem(&opening_library, &thread);
        return 0;
    }
    struct file_id id = {.ino = BPF_CORE_READ(file, f_inode, i_ino), .dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev)};
    if (bpf_map_lookup_elem(&known_libraries, &id)) {
        bpf_map_delete_elem(&opening_library, &thread);
        return 0;
    }
    struct library_open_record *r = reserve_record(sizeof(*r));
    if (r) {
        r->type = RECORD_LIBRARY_OPEN;
        r->pid = thread >> 32;
        bpf_probe_read_kernel(r->path, sizeof(r->path), p->path);
        r->dev = id.dev;
        r->pad = 0;
        r->ino = id.ino;
        // a new library: wake the agent now, the process is about to map it and may soon write through it
        bpf_ringbuf_submit(r, BPF_RB_FORCE_WAKEUP);
    }
    bpf_map_delete_elem(&opening_library, &thread);
    return 0;
}

// UDP: the sendto/sendmsg/sendmmsg system calls name the process behind a UDP socket (before the datagram exists);
// the datagram leaving through a device (net_dev_queue, where its addresses and ports are final, also the source
// address routing chose for an unbound socket) is reported once per process and flow within UDP_WINDOW_NS, so a
// DNS-heavy or QUIC build does not flood the ring buffer. Records the ring buffer cannot take are counted in
// `dropped` (as every record kind is). The owner is checked against the socket's inode, so a freed and reused socket pointer is not trusted.
#define UDP_WINDOW_NS (60ULL * 1000000000ULL)

struct udp_owner {
    __u32 pid;
    __u32 ppid;
    __u64 ino;
};
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, struct udp_owner);
} udp_owners SEC(".maps");

struct udp_flow {
    struct tuple tuple;
    __u32 pid;
    __u32 pad;
};
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, struct udp_flow);
    __type(value, __u64);
} udp_flows SEC(".maps");

static __always_inline __u64 socket_inode(struct sock *sk) {
    return BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
}

static __always_inline void note_udp_sender(int fd) {
    struct task_struct *task = bpf_get_current_task_btf();
    if (!task_watched(task))
        return;
    struct sock *sk = sock_of_fd(task, fd);
    if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP)
        return;
    __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (family != AF_INET && family != AF_INET6)
        return;
    __u64 key = (__u64)sk;
    __u32 pid = bpf_get_current_pid_tgid() >> 32;
    __u64 ino = socket_inode(sk);
    struct udp_owner *known = bpf_map_lookup_elem(&udp_owners, &key);
    if (known && known->pid == pid && known->ino == ino)
        return;
    struct udp_owner owner = {.pid = pid, .ppid = BPF_CORE_READ(task, real_parent, tgid), .ino = ino};
    bpf_map_update_elem(&udp_owners, &key, &owner, BPF_ANY);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int on_udp_sendto(struct syscall_enter *ctx) { note_udp_sender((int)ctx->args[0]); return 0; }

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int on_udp_sendmsg(struct syscall_enter *ctx) { note_udp_sender((int)ctx->args[0]); return 0; }

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int on_udp_sendmmsg(struct syscall_enter *ctx) { note_udp_sender((int)ctx->args[0]); return 0; }

// A connected UDP socket can be written with write/writev (Go's resolver does): any descriptor, so only a socket's
// inode mode lets it through before its struct socket is read.
#define S_IFMT 00170000
#define S_IFSOCK 0140000

static __always_inline void note_udp_writer(int fd) {
    struct task_struct *task = bpf_get_current_task_btf();
    if (!task_watched(task))
        return;
    struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
    unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
    if (fd < 0 || (unsigned int)fd >= max)
        return;
    struct file *file = NULL;
    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
        return;
    note_udp_sender(fd);
}

SEC("tracepoint/syscalls/sys_enter_write")
int on_udp_write(struct syscall_enter *ctx) { note_udp_writer((int)ctx->args[0]); return 0; }

SEC("tracepoint/syscalls/sys_enter_writev")
int on_udp_writev(struct syscall_enter *ctx) { note_udp_writer((int)ctx->args[0]); return 0; }

SEC("tp_btf/net_dev_queue")
int BPF_PROG(on_net_dev_queue, struct sk_buff *skb) {
    struct sock *sk = BPF_CORE_READ(skb, sk);
    if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP || !sock_watched(sk))
        return 0;
    __u64 key = (__u64)sk;
    struct udp_owner *owner = bpf_map_lookup_elem(&udp_owners, &key);
    if (!owner || owner->ino != socket_inode(sk))
        return 0;
    unsigned char *head = BPF_CORE_READ(skb, head);
    __u16 network = BPF_CORE_READ(skb, network_header);
    __u16 transport = BPF_CORE_READ(skb, transport_header);
    struct udp_flow flow = {.pid = owner->pid};
    __u8 first = 0;
    bpf_probe_read_kernel(&first, 1, head + network);
    if (first >> 4 == 4) {
        struct iphdr ip;
        if (bpf_probe_read_kernel(&ip, sizeof(ip), head + network) != 0 || ip.protocol != IPPROTO_UDP)
            return 0;
        flow.tuple.family = AF_INET;
        __builtin_memcpy(flow.tuple.saddr, &ip.saddr, 4);
        __builtin_memcpy(flow.tuple.daddr, &ip.daddr, 4);
    } else if (first >> 4 == 6) {
        struct ipv6hdr ip6;
        if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + network) != 0 || ip6.nexthdr != IPPROTO_UDP)
            return 0;
        flow.tuple.family = AF_INET6;
        __builtin_memcpy(flow.tuple.saddr, &ip6.saddr, 16);
        __builtin_memcpy(flow.tuple.daddr, &ip6.daddr, 16);
    } else {
        return 0;
    }
    struct udphdr udp;
    if (bpf_probe_read_kernel(&udp, sizeof(udp), head + transport) != 0)
        return 0;
    flow.tuple.protocol = IPPROTO_UDP;
    flow.tuple.sport = bpf_ntohs(udp.source);
    flow.tuple.dport = bpf_ntohs(udp.dest);
    __u64 now = bpf_ktime_get_ns();
    __u64 *last = bpf_map_lookup_elem(&udp_flows, &flow);
    if (last && now - *last < UDP_WINDOW_NS)
        return 0;
    struct udp_send_record *r = reserve_record(sizeof(*r));
    if (!r)
        return 0; // the flow is not marked reported: its next datagram tries again
    bpf_map_update_elem(&udp_flows, &flow, &now, BPF_ANY);
    r->type = RECORD_UDP_SEND;
    r->pid = owner->pid;
    r->ppid = owner->ppid;
    r->pad = 0;
    r->tuple = flow.tuple;
    bpf_ringbuf_submit(r, wakeup_flag());
    return 0;
}
