/* The cost of a call: a C function call (which cgo calls from Go, and Go
 * calls a Go function for), and a system call: write(2) of one byte to
 * /dev/null, the one-byte loop's write. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static volatile int bench_call_sink;

__attribute__((noinline)) int bench_nop(int x) {
    __asm__ volatile("");
    return x + 1;
}

int bench_call(const struct bench_args *a) {
    int x = 0;
    for(long i = 0; i < bench_warmup(a->iters); i++) x = bench_nop(x);
    const long long t0 = bench_now_ns();
    for(long i = 0; i < a->iters; i++) x = bench_nop(x);
    const long long t1 = bench_now_ns();
    bench_call_sink = x;
    bench_report_call(a->iters, t1 - t0);
    return 0;
}

int bench_syscall(const struct bench_args *a) {
    const int fd = open("/dev/null", O_WRONLY);
    if(fd < 0) {
        perror("open");
        return -1;
    }
    char c = 'x';
    for(long i = 0; i < bench_warmup(a->iters); i++) if(write(fd, &c, 1) < 0) {} // result unused (_FORTIFY_SOURCE warns on a bare write)
    const long long t0 = bench_now_ns();
    for(long i = 0; i < a->iters; i++) {
        if(write(fd, &c, 1) != 1) {
            perror("write");
            close(fd);
            return -1;
        }
    }
    const long long t1 = bench_now_ns();
    close(fd);
    bench_report_call(a->iters, t1 - t0);
    return 0;
}
