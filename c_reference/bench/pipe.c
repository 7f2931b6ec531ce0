/* pipe: round trips over two pipes, one-way throughput over one, and the
 * notes' one-byte copy loop (the child copies the pipe to stdout one byte
 * per read and write). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* Two pipes, up (parent to child) and down, and the forked child; in the
 * child, run() gets the ends it uses, then _exit. */
static int pipe_pair(int up[2], int down[2]) {
    if(pipe(up) != 0 || pipe(down) != 0) {
        perror("pipe");
        return -1;
    }
    return 0;
}

int bench_pipe_lat(const struct bench_args *a) {
    int up[2], down[2];
    if(pipe_pair(up, down) != 0) return -1;
    const pid_t pid = bench_fork();
    if(pid < 0) return -1;
    if(pid == 0) {
        close(up[1]);
        close(down[0]);
        bench_stream_lat_child(up[0], down[1], a);
        _exit(0);
    }
    close(up[0]);
    close(down[1]);
    int r = bench_stream_lat_parent(up[1], down[0], a);
    close(up[1]); // the child sees end of file
    close(down[0]);
    if(bench_wait(pid) != 0) r = -1;
    return r;
}

int bench_pipe_tput(const struct bench_args *a) {
    int up[2], down[2];
    if(pipe_pair(up, down) != 0) return -1;
    const pid_t pid = bench_fork();
    if(pid < 0) return -1;
    if(pid == 0) {
        close(up[1]);
        close(down[0]);
        bench_stream_tput_child(up[0], down[1], a);
        _exit(0);
    }
    close(up[0]);
    close(down[1]);
    int r = bench_stream_tput_parent(up[1], down[0], a);
    close(up[1]);
    close(down[0]);
    if(bench_wait(pid) != 0) r = -1;
    return r;
}

/* The notes' child(), with stdout on /dev/null, between a ready byte and
 * an acknowledgement on the down pipe. */
static void pipe_byte_child(int rfd, int ackfd) {
    const int null = open("/dev/null", O_WRONLY);
    if(null < 0 || dup2(null, STDOUT_FILENO) < 0) return;
    close(null);
    if(write(ackfd, "r", 1) != 1) return;

    char buf;
    while(read(rfd, &buf, 1) > 0) {
        if(write(STDOUT_FILENO, &buf, 1) < 0) {} // result unused, as in the notes (_FORTIFY_SOURCE warns on a bare write)
    }
    if(write(STDOUT_FILENO, "\n", 1) < 0) {} // result unused, as in the notes (_FORTIFY_SOURCE warns on a bare write)

    if(write(ackfd, "a", 1) < 0) {} // result unused, as in the notes (_FORTIFY_SOURCE warns on a bare write)
}

/* iters bytes, written in blocks of size; the figure is the child's copy
 * rate. */
int bench_pipe_byte(const struct bench_args *a) {
    int up[2], down[2];
    if(pipe_pair(up, down) != 0) return -1;
    const pid_t pid = bench_fork();
    if(pid < 0) return -1;
    if(pid == 0) {
        close(up[1]);
        close(down[0]);
        pipe_byte_child(up[0], down[1]);
        _exit(0);
    }
    close(up[0]);
    close(down[1]);
    char *buf = malloc((size_t)a->size);
    char c;
    int r = -1;
    if(buf == NULL) {
        perror("malloc");
        goto out;
    }
    memset(buf, 'x', (size_t)a->size);
    if(bench_read_full(down[0], &c, 1) != 1) {
        perror("read ready");
        goto out;
    }
    const long long t0 = bench_now_ns();
    for(long left = a->iters; left > 0; ) {
        const long n = left < a->size ? left : a->size;
        if(bench_write_full(up[1], buf, (size_t)n) != n) {
            perror("write");
            goto out;
        }
        left -= n;
    }
    close(up[1]);
    up[1] = -1;
    if(bench_read_full(down[0], &c, 1) != 1) {
        perror("read ack");
        goto out;
    }
    const long long t1 = bench_now_ns();
    bench_report_throughput(a->iters, t1 - t0);
    r = 0;
out:
    if(up[1] >= 0) close(up[1]);
    close(down[0]);
    free(buf);
    if(bench_wait(pid) != 0) r = -1;
    return r;
}
