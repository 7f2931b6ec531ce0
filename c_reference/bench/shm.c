/* Shared memory: round trips and one-way throughput through a region that
 * both processes map (shm_open /TOKEN.shm), handed over with a pair of
 * process-shared semaphores inside the region, or with a pair of counters
 * that the waiting side spins on, yielding the CPU between looks (on one
 * CPU a pure spin would wait out the peer's whole time slice). And the
 * bandwidth of copying into such a region. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

/* The region: the two semaphores, the two counters, each on its own cache
 * line, and the data from the first page boundary. goipc/cmd/ipcbench uses
 * the same layout. */
#define SHM_FULL 0       /* sem_t: the parent's data is there */
#define SHM_FREE 64      /* sem_t: the child has taken it (or replied) */
#define SHM_SPIN_FULL 128 /* uint32_t counter, as SHM_FULL */
#define SHM_SPIN_FREE 192 /* uint32_t counter, as SHM_FREE */
#define SHM_DATA 4096

struct shm_region {
    char name[64];
    int fd;
    char *base;
    size_t len;
};

static int shm_make(const struct bench_args *a, size_t data, struct shm_region *r) {
    snprintf(r->name, sizeof r->name, "/%s.shm", a->token);
    r->len = SHM_DATA + data;
    r->fd = shm_open(r->name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if(r->fd < 0) {
        perror("shm_open");
        return -1;
    }
    if(ftruncate(r->fd, (off_t)r->len) != 0) {
        perror("ftruncate");
        goto fail;
    }
    r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if(r->base == MAP_FAILED) {
        perror("mmap");
        goto fail;
    }
    return 0;
fail:
    close(r->fd);
    shm_unlink(r->name);
    return -1;
}

static void shm_free_region(struct shm_region *r) {
    munmap(r->base, r->len);
    close(r->fd);
    shm_unlink(r->name);
}

static sem_t *shm_sem(struct shm_region *r, size_t off) { return (sem_t *)(r->base + off); }
static uint32_t *shm_ctr(struct shm_region *r, size_t off) { return (uint32_t *)(r->base + off); }

/* Spin on a counter until it holds want, yielding between looks.
 * Sequentially consistent, as Go's sync/atomic is. */
static void shm_spin_until(uint32_t *c, uint32_t want) {
    while(__atomic_load_n(c, __ATOMIC_SEQ_CST) != want) sched_yield();
}

static void shm_set(uint32_t *c, uint32_t v) { __atomic_store_n(c, v, __ATOMIC_SEQ_CST); }

/* Round trip i (from 1): the parent writes size bytes and signals full, the
 * child copies them out, writes them back and signals free. */
static void shm_lat_child(struct shm_region *r, const struct bench_args *a, int spin) {
    const size_t size = (size_t)a->size;
    const long total = bench_warmup(a->iters) + a->iters;
    char *buf = malloc(size), *data = r->base + SHM_DATA;
    if(buf == NULL) return;
    for(long i = 1; i <= total; i++) {
        if(spin) shm_spin_until(shm_ctr(r, SHM_SPIN_FULL), (uint32_t)i);
        else if(sem_wait(shm_sem(r, SHM_FULL)) != 0) break;
        memcpy(buf, data, size);
        memcpy(data, buf, size);
        if(spin) shm_set(shm_ctr(r, SHM_SPIN_FREE), (uint32_t)i);
        else sem_post(shm_sem(r, SHM_FREE));
    }
    free(buf);
}

static int shm_lat_parent(struct shm_region *r, const struct bench_args *a, int spin) {
    const size_t size = (size_t)a->size;
    const long warm = bench_warmup(a->iters), total = warm + a->iters;
    char *msg = malloc(size), *buf = malloc(size), *data = r->base + SHM_DATA;
    long long *samples = malloc(sizeof *samples * (size_t)a->iters);
    if(msg == NULL || buf == NULL || samples == NULL) {
        perror("malloc");
        return -1;
    }
    memset(msg, 'x', size);
    long long prev = bench_now_ns();
    for(long i = 1; i <= total; i++) {
        memcpy(data, msg, size);
        if(spin) {
            shm_set(shm_ctr(r, SHM_SPIN_FULL), (uint32_t)i);
            shm_spin_until(shm_ctr(r, SHM_SPIN_FREE), (uint32_t)i);
        } else if(sem_post(shm_sem(r, SHM_FULL)) != 0 || sem_wait(shm_sem(r, SHM_FREE)) != 0) {
            perror("sem_post/sem_wait");
            return -1;
        }
        memcpy(buf, data, size);
        const long long now = bench_now_ns();
        if(i > warm) samples[i - warm - 1] = now - prev;
        prev = now;
    }
    const int res = bench_report_latency(samples, a->iters);
    free(msg);
    free(buf);
    free(samples);
    return res;
}

/* Block i (from 1): the child signals free = 1 when it is ready; the
 * parent writes a block and signals full = i, the child copies it out and
 * signals free = i + 1. */
static void shm_tput_child(struct shm_region *r, const struct bench_args *a, int spin) {
    const size_t size = (size_t)a->size;
    char *buf = malloc(size), *data = r->base + SHM_DATA;
    if(buf == NULL) return;
    if(spin) shm_set(shm_ctr(r, SHM_SPIN_FREE), 1);
    else sem_post(shm_sem(r, SHM_FREE));
    for(long i = 1; i <= a->iters; i++) {
        if(spin) shm_spin_until(shm_ctr(r, SHM_SPIN_FULL), (uint32_t)i);
        else if(sem_wait(shm_sem(r, SHM_FULL)) != 0) break;
        memcpy(buf, data, size);
        if(spin) shm_set(shm_ctr(r, SHM_SPIN_FREE), (uint32_t)i + 1);
        else sem_post(shm_sem(r, SHM_FREE));
    }
    free(buf);
}

static int shm_tput_parent(struct shm_region *r, const struct bench_args *a, int spin) {
    const size_t size = (size_t)a->size;
    char *buf = malloc(size), *data = r->base + SHM_DATA;
    if(buf == NULL) {
        perror("malloc");
        return -1;
    }
    memset(buf, 'x', size);
    if(spin) shm_spin_until(shm_ctr(r, SHM_SPIN_FREE), 1);
    else if(sem_wait(shm_sem(r, SHM_FREE)) != 0) {
        perror("sem_wait");
        return -1;
    }
    const long long t0 = bench_now_ns();
    for(long i = 1; i <= a->iters; i++) {
        memcpy(data, buf, size);
        if(spin) {
            shm_set(shm_ctr(r, SHM_SPIN_FULL), (uint32_t)i);
            shm_spin_until(shm_ctr(r, SHM_SPIN_FREE), (uint32_t)i + 1);
        } else if(sem_post(shm_sem(r, SHM_FULL)) != 0 || sem_wait(shm_sem(r, SHM_FREE)) != 0) {
            perror("sem_post/sem_wait");
            return -1;
        }
    }
    const long long t1 = bench_now_ns();
    bench_report_throughput((long long)a->iters * a->size, t1 - t0);
    free(buf);
    return 0;
}

static int shm_run(const struct bench_args *a, int spin, int tput) {
    struct shm_region r;
    if(shm_make(a, (size_t)a->size, &r) != 0) return -1;
    if(!spin && (sem_init(shm_sem(&r, SHM_FULL), 1, 0) != 0 || sem_init(shm_sem(&r, SHM_FREE), 1, 0) != 0)) {
        perror("sem_init");
        shm_free_region(&r);
        return -1;
    }
    int res = -1;
    const pid_t pid = bench_fork();
    if(pid == 0) {
        if(tput) shm_tput_child(&r, a, spin);
        else     shm_lat_child(&r, a, spin);
        _exit(0);
    }
    if(pid > 0) {
        res = tput ? shm_tput_parent(&r, a, spin) : shm_lat_parent(&r, a, spin);
        if(bench_wait(pid) != 0) res = -1;
    }
    shm_free_region(&r);
    return res;
}

int bench_shmsem_lat(const struct bench_args *a) { return shm_run(a, 0, 0); }
int bench_shmsem_tput(const struct bench_args *a) { return shm_run(a, 0, 1); }
int bench_shmspin_lat(const struct bench_args *a) { return shm_run(a, 1, 0); }
int bench_shmspin_tput(const struct bench_args *a) { return shm_run(a, 1, 1); }

/* Copy bandwidth: iters copies of a size-byte buffer into a mapped
 * shared-memory region of size bytes, in one process. */
int bench_shm_copy(const struct bench_args *a) {
    struct shm_region r;
    if(shm_make(a, (size_t)a->size, &r) != 0) return -1;
    const size_t size = (size_t)a->size;
    char *src = malloc(size), *data = r.base + SHM_DATA;
    if(src == NULL) {
        perror("malloc");
        shm_free_region(&r);
        return -1;
    }
    memset(src, 'x', size);
    const long warm = bench_warmup(a->iters);
    for(long i = 0; i < warm; i++) {
        memcpy(data, src, size);
        __asm__ volatile("" ::: "memory");
    }
    const long long t0 = bench_now_ns();
    for(long i = 0; i < a->iters; i++) {
        memcpy(data, src, size);
        __asm__ volatile("" ::: "memory"); // every copy is done
    }
    const long long t1 = bench_now_ns();
    bench_report_throughput((long long)a->iters * a->size, t1 - t0);
    free(src);
    shm_free_region(&r);
    return 0;
}
