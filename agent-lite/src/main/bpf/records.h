// Ring-buffer record layouts shared with io.tollgate.agent.bpf.RecordDecoder (keep both in step).
#pragma once

#define RECORD_EXEC 1
#define RECORD_FORK 2
#define RECORD_EXIT 3
#define RECORD_CONNECT 4
#define RECORD_TLS_WRITE 5
#define RECORD_TLS_SOCKET 6
#define RECORD_LIBRARY_OPEN 7
#define RECORD_UDP_SEND 8
#define RECORD_H2_FRAME 9

#define LIBRARY_OPENSSL 1
#define LIBRARY_GNUTLS 2

#define FILENAME_MAX_LEN 256
#define ARGS_MAX_LEN 512
#define TLS_CAPTURE 4096
#define PATH_CAPTURE 256

#define RING_SIZE (512 * 1024) // bytes of the one ring buffer (a power of two)
#define WAKEUP_AT (RING_SIZE / 4) // waiting bytes that wake the agent before its next scheduled collection

struct tuple {            // 40 bytes
    __u16 family;
    __u16 protocol;
    __u16 sport;          // host order
    __u16 dport;          // host order
    __u8 saddr[16];       // IPv4 in the first 4 bytes
    __u8 daddr[16];
};

struct exec_record {      // type 1
    __u32 type;
    __u32 pid;
    __u32 ppid;
    __u32 args_len;
    __u64 start_ns;
    __u64 cgroup_id;
    char filename[FILENAME_MAX_LEN];
    char args[ARGS_MAX_LEN];
};

struct fork_record {      // type 2
    __u32 type;
    __u32 pid;
    __u32 ppid;
    __u32 pad;
    __u64 start_ns;
};

struct exit_record {      // type 3
    __u32 type;
    __u32 pid;
};

struct connect_record {   // type 4
    __u32 type;
    __u32 pid;
    __u32 ppid;
    __u32 established;
    struct tuple tuple;
};

#define H2_NONE 0         // not an HTTP/2 session the kernel side follows (or the whole write was captured)
#define H2_SYNCED 1       // the frames past the capture were walked: none belongs to a header block
#define H2_LOST 2         // a header block (HEADERS/CONTINUATION) lay past the capture, or too many frames

struct tls_write_record { // type 5
    __u32 type;
    __u32 pid;
    __u64 session;
    __u64 total_len;
    __u32 captured;
    __u8 library;
    __u8 h2;              // H2_*: the frame position at the end of a write longer than the capture
    __u8 h2_fill;         // bytes of a frame header the write ended inside (0-8), in h2_header
    __u8 pad;
    __u32 h2_to_header;   // payload bytes of the current frame still to come after this write
    __u32 pad2;
    __u8 h2_header[8];
    __u8 data[TLS_CAPTURE];
};

struct tls_socket_record { // type 6
    __u32 type;
    __u32 pid;
    __u64 session;
    struct tuple tuple;
};

struct library_open_record { // type 7: a process opened a TLS library file (the loader does, before mapping it)
    __u32 type;
    __u32 pid;
    char path[PATH_CAPTURE];
    __u32 dev;            // the file as the kernel numbers it (the key of the known_libraries map)
    __u32 pad;
    __u64 ino;
};

struct udp_send_record {  // type 8: a process sent a datagram on a UDP flow (once per flow and window)
    __u32 type;
    __u32 pid;
    __u32 ppid;
    __u32 pad;
    struct tuple tuple;
};

struct h2_frame_record {  // type 9: a whole HEADERS/CONTINUATION frame past the capture of the write just before it
    __u32 type;
    __u32 pid;
    __u64 session;
    __u32 length;         // header (9 bytes) and payload
    __u32 pad;
    __u8 data[TLS_CAPTURE];
};
