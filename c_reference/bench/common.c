/* The helpers of every bench: clock, CPU pinning, full reads and writes,
 * the peer process, the result lines, and the loops that pipe, FIFO and
 * socket share. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

long long bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Pin the calling thread (the whole process, in C) to cpu; the peer forked
 * later inherits the mask. cpu < 0 leaves the placement to the kernel. */
int bench_pin(int cpu) {
    if(cpu < 0) return 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if(sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        return -1;
    }
    return 0;
}

/* Untimed round trips before the timed ones: a tenth, at least one. */
long bench_warmup(long iters) {
    return iters / 10 > 0 ? iters / 10 : 1;
}

/* Read exactly n bytes unless end of file or an error comes first; the
 * count read, or -1. */
ssize_t bench_read_full(int fd, void *buf, size_t n) {
    size_t got = 0;
    while(got < n) {
        const ssize_t r = read(fd, (char *)buf + got, n - got);
        if(r < 0) {
            if(errno == EINTR) continue;
            return -1;
        }
        if(r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

ssize_t bench_write_full(int fd, const void *buf, size_t n) {
    size_t put = 0;
    while(put < n) {
        const ssize_t r = write(fd, (const char *)buf + put, n - put);
        if(r < 0) {
            if(errno == EINTR) continue;
            return -1;
        }
        put += (size_t)r;
    }
    return (ssize_t)put;
}

static void *bench_idle_thread(void *arg) {
    (void)arg;
    for(;;) pause();
    return NULL;
}

/* Start IPCBENCH_THREADS idle threads (none when unset) that block every
 * signal and sleep for good: a process with threads, as every Go process
 * is, pays for them on each system call on a descriptor (the kernel takes
 * a reference on a descriptor table that is shared). Run so, the C gives
 * the floor that bench reports beside Go. */
int bench_threads(void) {
    const char *env = getenv("IPCBENCH_THREADS");
    const int n = env != NULL ? atoi(env) : 0;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for(int i = 0; i < n; i++) {
        pthread_t t;
        const int e = pthread_create(&t, NULL, bench_idle_thread, NULL);
        if(e != 0) {
            fprintf(stderr, "pthread_create: %s\n", strerror(e));
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            return -1;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}

/* fork with stdio flushed, so that the child's _exit loses nothing and
 * prints nothing twice; the child gets its idle threads (bench_threads),
 * which fork does not copy. */
pid_t bench_fork(void) {
    fflush(NULL);
    const pid_t pid = fork();
    if(pid < 0) perror("fork");
    if(pid == 0 && bench_threads() != 0) _exit(1);
    return pid;
}

/* Wait for the peer; 0 when it exited with status 0. */
int bench_wait(pid_t pid) {
    int status;
    while(waitpid(pid, &status, 0) < 0) {
        if(errno != EINTR) {
            perror("waitpid");
            return -1;
        }
    }
    if(!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "ipcbench: peer failed (status 0x%x)\n", status);
        return -1;
    }
    return 0;
}

static int bench_cmp_ll(const void *a, const void *b) {
    const long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample that at least p percent of all are
 * less than or equal to. */
static long long bench_percentile(const long long *sorted, long n, long p) {
    long i = (n * p + 99) / 100 - 1;
    if(i < 0) i = 0;
    return sorted[i];
}

int bench_report_latency(long long *samples, long n) {
    if(n <= 0) {
        fprintf(stderr, "ipcbench: no samples\n");
        return -1;
    }
    qsort(samples, (size_t)n, sizeof *samples, bench_cmp_ll);
    printf("n=%ld p50_ns=%lld p99_ns=%lld min_ns=%lld max_ns=%lld\n", n,
           bench_percentile(samples, n, 50), bench_percentile(samples, n, 99),
           samples[0], samples[n - 1]);
    return 0;
}

void bench_report_throughput(long long bytes, long long ns) {
    printf("bytes=%lld ns=%lld\n", bytes, ns);
}

void bench_report_call(long calls, long long ns) {
    printf("calls=%ld ns=%lld\n", calls, ns);
}

/* Round trips: write size bytes, read size bytes back; one sample each. */
int bench_stream_lat_parent(int wfd, int rfd, const struct bench_args *a) {
    const size_t size = (size_t)a->size;
    const long warm = bench_warmup(a->iters), total = warm + a->iters;
    char *msg = malloc(size), *buf = malloc(size);
    long long *samples = malloc(sizeof *samples * (size_t)a->iters);
    if(msg == NULL || buf == NULL || samples == NULL) {
        perror("malloc");
        return -1;
    }
    memset(msg, 'x', size);
    long long prev = bench_now_ns();
    for(long i = 0; i < total; i++) {
        if(bench_write_full(wfd, msg, size) != (ssize_t)size) {
            perror("write");
            return -1;
        }
        if(bench_read_full(rfd, buf, size) != (ssize_t)size) {
            perror("read");
            return -1;
        }
        const long long now = bench_now_ns();
        if(i >= warm) samples[i - warm] = now - prev;
        prev = now;
    }
    const int r = bench_report_latency(samples, a->iters);
    free(msg);
    free(buf);
    free(samples);
    return r;
}

/* The echo: until end of file, read size bytes and write them back. */
void bench_stream_lat_child(int rfd, int wfd, const struct bench_args *a) {
    const size_t size = (size_t)a->size;
    char *buf = malloc(size);
    if(buf == NULL) return;
    while(bench_read_full(rfd, buf, size) == (ssize_t)size) {
        if(bench_write_full(wfd, buf, size) != (ssize_t)size) break;
    }
    free(buf);
}

/* One way: wait for the peer's ready byte, write iters blocks of size
 * bytes, and stop the clock at the peer's acknowledgement of the last. */
int bench_stream_tput_parent(int wfd, int rfd, const struct bench_args *a) {
    const size_t size = (size_t)a->size;
    char *buf = malloc(size);
    char c;
    if(buf == NULL) {
        perror("malloc");
        return -1;
    }
    memset(buf, 'x', size);
    if(bench_read_full(rfd, &c, 1) != 1) {
        perror("read ready");
        return -1;
    }
    const long long t0 = bench_now_ns();
    for(long i = 0; i < a->iters; i++) {
        if(bench_write_full(wfd, buf, size) != (ssize_t)size) {
            perror("write");
            return -1;
        }
    }
    if(bench_read_full(rfd, &c, 1) != 1) {
        perror("read ack");
        return -1;
    }
    const long long t1 = bench_now_ns();
    bench_report_throughput((long long)a->iters * a->size, t1 - t0);
    free(buf);
    return 0;
}

void bench_stream_tput_child(int rfd, int wfd, const struct bench_args *a) {
    const size_t size = (size_t)a->size;
    const long long total = (long long)a->iters * a->size;
    char *buf = malloc(size);
    if(buf == NULL) return;
    if(bench_write_full(wfd, "r", 1) != 1) return;
    long long got = 0;
    while(got < total) {
        const ssize_t n = read(rfd, buf, size);
        if(n < 0 && errno == EINTR) continue;
        if(n <= 0) break;
        got += n;
    }
    bench_write_full(wfd, "a", 1);
    free(buf);
}
