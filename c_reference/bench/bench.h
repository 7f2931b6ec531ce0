/* ipcbench: latency and throughput of each IPC mechanism, in C.
 *
 * One run measures one figure between two processes (the parent, which
 * times, and a forked peer) and prints one line of key=value pairs. The
 * same functions run in the plain C binary (bin/bench/ipcbench) and, through
 * cgo, in a Go process (bin/cgo/ipcbench); goipc/cmd/ipcbench is the pure-Go
 * form of every function here, loop for loop.
 *
 *   ipcbench BENCH ITERS SIZE CPU DIR TOKEN
 *
 * ITERS: timed round trips, writes, bytes (one-byte loop) or calls; SIZE:
 * bytes per message (0: the bench's default); CPU: pin both processes to it
 * with sched_setaffinity (-1: do not pin); DIR: a private directory for
 * FIFOs and the Unix socket; TOKEN: unique to the run, part of every queue
 * and shared-memory name. */
#ifndef IPCBENCH_H
#define IPCBENCH_H

#include <stddef.h>
#include <sys/types.h>

struct bench_args {
    const char *name;
    long iters;
    long size;
    int cpu;
    const char *dir;
    const char *token;
};

/* The entry point of both C forms: argv as above. */
int ipcbench_main(int argc, char **argv);

/* The benches, one or more per mechanism file; 0 on success, -1 after a
 * perror. */
int bench_pipe_lat(const struct bench_args *a);
int bench_pipe_tput(const struct bench_args *a);
int bench_pipe_byte(const struct bench_args *a);
int bench_fifo_lat(const struct bench_args *a);
int bench_fifo_tput(const struct bench_args *a);
int bench_mq_lat(const struct bench_args *a);
int bench_mq_tput(const struct bench_args *a);
int bench_unix_lat(const struct bench_args *a);
int bench_unix_tput(const struct bench_args *a);
int bench_tcp_lat(const struct bench_args *a);
int bench_tcp_tput(const struct bench_args *a);
int bench_shmsem_lat(const struct bench_args *a);
int bench_shmsem_tput(const struct bench_args *a);
int bench_shmspin_lat(const struct bench_args *a);
int bench_shmspin_tput(const struct bench_args *a);
int bench_shm_copy(const struct bench_args *a);
int bench_call(const struct bench_args *a);
int bench_syscall(const struct bench_args *a);

/* A C function that does next to nothing, for the cost of a call. */
int bench_nop(int x);

/* Helpers of common.c. */
long long bench_now_ns(void);
int bench_pin(int cpu);
long bench_warmup(long iters);
ssize_t bench_read_full(int fd, void *buf, size_t n);
ssize_t bench_write_full(int fd, const void *buf, size_t n);
int bench_threads(void);
pid_t bench_fork(void);
int bench_wait(pid_t pid);
int bench_report_latency(long long *samples, long n);
void bench_report_throughput(long long bytes, long long ns);
void bench_report_call(long calls, long long ns);
/* The loops of the stream mechanisms (pipe, FIFO, sockets) on a descriptor
 * to write to and one to read from. */
int bench_stream_lat_parent(int wfd, int rfd, const struct bench_args *a);
void bench_stream_lat_child(int rfd, int wfd, const struct bench_args *a);
int bench_stream_tput_parent(int wfd, int rfd, const struct bench_args *a);
void bench_stream_tput_child(int rfd, int wfd, const struct bench_args *a);

#endif
