/* Stream sockets: the pipe benches over one connection, a Unix-domain
 * socket at DIR/sock or TCP on 127.0.0.1 (an ephemeral port), both with
 * TCP_NODELAY for TCP. The parent listens and accepts, the child
 * connects. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bench.h"

union sock_addr {
    struct sockaddr sa;
    struct sockaddr_un un;
    struct sockaddr_in in;
};

/* The listening socket and the address a client connects to. */
static int sock_listen(const struct bench_args *a, int tcp, union sock_addr *addr, socklen_t *len) {
    memset(addr, 0, sizeof *addr);
    const int fd = socket(tcp ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
    if(fd < 0) {
        perror("socket");
        return -1;
    }
    if(tcp) {
        addr->in.sin_family = AF_INET;
        addr->in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr->in.sin_port = 0;
        *len = sizeof addr->in;
    } else {
        addr->un.sun_family = AF_UNIX;
        snprintf(addr->un.sun_path, sizeof addr->un.sun_path, "%s/sock", a->dir);
        *len = sizeof addr->un;
    }
    if(bind(fd, &addr->sa, *len) != 0 || listen(fd, 1) != 0 ||
       getsockname(fd, &addr->sa, len) != 0) {
        perror("bind");
        close(fd);
        return -1;
    }
    return fd;
}

static void sock_nodelay(int fd, int tcp) {
    const int one = 1;
    if(tcp) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int sock_run(const struct bench_args *a, int tcp, int tput) {
    union sock_addr addr;
    socklen_t len;
    const int l = sock_listen(a, tcp, &addr, &len);
    if(l < 0) return -1;
    const pid_t pid = bench_fork();
    if(pid < 0) {
        close(l);
        return -1;
    }
    if(pid == 0) {
        close(l);
        const int fd = socket(tcp ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
        if(fd < 0 || connect(fd, &addr.sa, len) != 0) _exit(1);
        sock_nodelay(fd, tcp);
        if(tput) bench_stream_tput_child(fd, fd, a);
        else     bench_stream_lat_child(fd, fd, a);
        _exit(0);
    }
    int r = -1;
    const int fd = accept(l, NULL, NULL);
    close(l);
    if(fd < 0) {
        perror("accept");
    } else {
        sock_nodelay(fd, tcp);
        r = tput ? bench_stream_tput_parent(fd, fd, a) : bench_stream_lat_parent(fd, fd, a);
        close(fd); // the child sees end of file
    }
    if(bench_wait(pid) != 0) r = -1;
    if(!tcp) unlink(addr.un.sun_path);
    return r;
}

int bench_unix_lat(const struct bench_args *a) { return sock_run(a, 0, 0); }
int bench_unix_tput(const struct bench_args *a) { return sock_run(a, 0, 1); }
int bench_tcp_lat(const struct bench_args *a) { return sock_run(a, 1, 0); }
int bench_tcp_tput(const struct bench_args *a) { return sock_run(a, 1, 1); }
