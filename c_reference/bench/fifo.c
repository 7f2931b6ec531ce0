/* FIFO: the pipe benches over two named pipes in the run's directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

/* Make DIR/up and DIR/down; the parent opens up for writing first, the
 * child up for reading first, so that neither open waits forever. */
static int fifo_make(const struct bench_args *a, char up[PATH_MAX], char down[PATH_MAX]) {
    snprintf(up, PATH_MAX, "%s/up", a->dir);
    snprintf(down, PATH_MAX, "%s/down", a->dir);
    if(mkfifo(up, 0600) != 0 || mkfifo(down, 0600) != 0) {
        perror("mkfifo");
        return -1;
    }
    return 0;
}

static int fifo_run(const struct bench_args *a, int tput) {
    char up[PATH_MAX], down[PATH_MAX];
    if(fifo_make(a, up, down) != 0) return -1;
    const pid_t pid = bench_fork();
    if(pid < 0) return -1;
    if(pid == 0) {
        const int rfd = open(up, O_RDONLY);
        const int wfd = open(down, O_WRONLY);
        if(rfd < 0 || wfd < 0) _exit(1);
        if(tput) bench_stream_tput_child(rfd, wfd, a);
        else     bench_stream_lat_child(rfd, wfd, a);
        _exit(0);
    }
    int r = -1;
    const int wfd = open(up, O_WRONLY);
    const int rfd = wfd < 0 ? -1 : open(down, O_RDONLY);
    if(wfd < 0 || rfd < 0) perror("open");
    else if(tput) r = bench_stream_tput_parent(wfd, rfd, a);
    else          r = bench_stream_lat_parent(wfd, rfd, a);
    if(wfd >= 0) close(wfd);
    if(rfd >= 0) close(rfd);
    if(bench_wait(pid) != 0) r = -1;
    unlink(up);
    unlink(down);
    return r;
}

int bench_fifo_lat(const struct bench_args *a) { return fifo_run(a, 0); }
int bench_fifo_tput(const struct bench_args *a) { return fifo_run(a, 1); }
