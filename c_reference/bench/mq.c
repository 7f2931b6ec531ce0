/* POSIX message queues: round trips over two queues, and one-way
 * throughput of messages of SIZE bytes (8 KiB by default: within
 * /proc/sys/fs/mqueue/msgsize_max). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* Queues /TOKEN.up and /TOKEN.down, 10 messages of size bytes each. */
static int mq_make(const struct bench_args *a, char up[64], char down[64], mqd_t *qup, mqd_t *qdown) {
    struct mq_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = 10;
    attr.mq_msgsize = a->size;
    snprintf(up, 64, "/%s.up", a->token);
    snprintf(down, 64, "/%s.down", a->token);
    *qup = mq_open(up, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    if(*qup == (mqd_t)-1) {
        perror("mq_open");
        return -1;
    }
    *qdown = mq_open(down, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    if(*qdown == (mqd_t)-1) {
        perror("mq_open");
        mq_close(*qup);
        mq_unlink(up);
        return -1;
    }
    return 0;
}

static void mq_lat_child(mqd_t qup, mqd_t qdown, const struct bench_args *a) {
    char *buf = malloc((size_t)a->size);
    if(buf == NULL) return;
    for(;;) {
        const ssize_t n = mq_receive(qup, buf, (size_t)a->size, NULL);
        if(n <= 0) break; // an empty message ends the run
        if(mq_send(qdown, buf, (size_t)n, 0) != 0) break;
    }
    free(buf);
}

static int mq_lat_parent(mqd_t qup, mqd_t qdown, const struct bench_args *a) {
    const size_t size = (size_t)a->size;
    const long warm = bench_warmup(a->iters), total = warm + a->iters;
    char *msg = malloc(size), *buf = malloc(size);
    long long *samples = malloc(sizeof *samples * (size_t)a->iters);
    int r = -1;
    if(msg == NULL || buf == NULL || samples == NULL) {
        perror("malloc");
        goto out;
    }
    memset(msg, 'x', size);
    long long prev = bench_now_ns();
    for(long i = 0; i < total; i++) {
        if(mq_send(qup, msg, size, 0) != 0) {
            perror("mq_send");
            goto out;
        }
        if(mq_receive(qdown, buf, size, NULL) != (ssize_t)size) {
            perror("mq_receive");
            goto out;
        }
        const long long now = bench_now_ns();
        if(i >= warm) samples[i - warm] = now - prev;
        prev = now;
    }
    r = bench_report_latency(samples, a->iters);
out:
    mq_send(qup, "", 0, 0);
    free(msg);
    free(buf);
    free(samples);
    return r;
}

static void mq_tput_child(mqd_t qup, mqd_t qdown, const struct bench_args *a) {
    char *buf = malloc((size_t)a->size);
    if(buf == NULL) return;
    if(mq_send(qdown, "r", 1, 0) != 0) return;
    for(long i = 0; i < a->iters; i++) {
        if(mq_receive(qup, buf, (size_t)a->size, NULL) <= 0) break;
    }
    mq_send(qdown, "a", 1, 0);
    free(buf);
}

static int mq_tput_parent(mqd_t qup, mqd_t qdown, const struct bench_args *a) {
    const size_t size = (size_t)a->size;
    char *buf = malloc(size);
    if(buf == NULL) {
        perror("malloc");
        return -1;
    }
    memset(buf, 'x', size);
    if(mq_receive(qdown, buf, size, NULL) != 1) {
        perror("mq_receive ready");
        return -1;
    }
    const long long t0 = bench_now_ns();
    for(long i = 0; i < a->iters; i++) {
        if(mq_send(qup, buf, size, 0) != 0) {
            perror("mq_send");
            return -1;
        }
    }
    if(mq_receive(qdown, buf, size, NULL) != 1) {
        perror("mq_receive ack");
        return -1;
    }
    const long long t1 = bench_now_ns();
    bench_report_throughput((long long)a->iters * a->size, t1 - t0);
    free(buf);
    return 0;
}

static int mq_run(const struct bench_args *a, int tput) {
    char up[64], down[64];
    mqd_t qup, qdown;
    if(mq_make(a, up, down, &qup, &qdown) != 0) return -1;
    int r = -1;
    const pid_t pid = bench_fork();
    if(pid == 0) {
        if(tput) mq_tput_child(qup, qdown, a);
        else     mq_lat_child(qup, qdown, a);
        _exit(0);
    }
    if(pid > 0) {
        r = tput ? mq_tput_parent(qup, qdown, a) : mq_lat_parent(qup, qdown, a);
        if(bench_wait(pid) != 0) r = -1;
    }
    mq_close(qup);
    mq_close(qdown);
    mq_unlink(up);
    mq_unlink(down);
    return r;
}

int bench_mq_lat(const struct bench_args *a) { return mq_run(a, 0); }
int bench_mq_tput(const struct bench_args *a) { return mq_run(a, 1); }
