/* ipcbench_main: the command line of both C forms (see bench.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct bench_entry {
    const char *name;
    int (*run)(const struct bench_args *);
    long size; /* the default SIZE */
};

static const struct bench_entry bench_table[] = {
    {"pipe-lat", bench_pipe_lat, 64},
    {"pipe-tput", bench_pipe_tput, 65536},
    {"pipe-byte", bench_pipe_byte, 65536},
    {"fifo-lat", bench_fifo_lat, 64},
    {"fifo-tput", bench_fifo_tput, 65536},
    {"mq-lat", bench_mq_lat, 64},
    {"mq-tput", bench_mq_tput, 8192},
    {"unix-lat", bench_unix_lat, 64},
    {"unix-tput", bench_unix_tput, 65536},
    {"tcp-lat", bench_tcp_lat, 64},
    {"tcp-tput", bench_tcp_tput, 65536},
    {"shmsem-lat", bench_shmsem_lat, 64},
    {"shmsem-tput", bench_shmsem_tput, 65536},
    {"shmspin-lat", bench_shmspin_lat, 64},
    {"shmspin-tput", bench_shmspin_tput, 65536},
    {"shm-copy", bench_shm_copy, 1 << 20},
    {"call", bench_call, 0},
    {"syscall", bench_syscall, 1},
    {"syscall-raw", bench_syscall, 1}, /* in C the same call; Go's form skips the runtime's bookkeeping */
};

int ipcbench_main(int argc, char **argv) {
    if(argc != 7) {
        fprintf(stderr, "usage: ipcbench BENCH ITERS SIZE CPU DIR TOKEN\n");
        return 2;
    }
    const struct bench_entry *e = NULL;
    for(size_t i = 0; i < sizeof bench_table / sizeof bench_table[0]; i++) {
        if(strcmp(argv[1], bench_table[i].name) == 0) e = &bench_table[i];
    }
    if(e == NULL) {
        fprintf(stderr, "ipcbench: unknown bench %s\n", argv[1]);
        return 2;
    }
    struct bench_args a = {
        .name = e->name,
        .iters = atol(argv[2]),
        .size = atol(argv[3]),
        .cpu = atoi(argv[4]),
        .dir = argv[5],
        .token = argv[6],
    };
    if(a.size <= 0) a.size = e->size;
    if(a.iters <= 0) {
        fprintf(stderr, "ipcbench: ITERS must be positive\n");
        return 2;
    }
    if(bench_pin(a.cpu) != 0) return 1;
    if(bench_threads() != 0) return 1;
    const int r = e->run(&a);
    fflush(NULL);
    return r == 0 ? 0 : 1;
}
