/* shm_writer and shm_reader: the notes' "Shared Memory" section, which has a
 * heading and nothing else, filled in the notes' style. The writer puts a
 * message into a 100-byte shared-memory object and waits until a reader has
 * read it; the reader prints it. The two meet at a named POSIX semaphore of
 * the object's name (SYNC.md says why). */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "programs.h"

#define SHM_SIZE 100 // the region: 100 bytes of text

/* The object's name: "/shared_memory", or IPC_NAME. The semaphore has the
 * same name (its file is /dev/shm/sem.NAME, the object's /dev/shm/NAME). */
static const char *shm_object_name(void) {
    const char *env = getenv("IPC_NAME");
    return env != NULL ? env : "/shared_memory";
}

/* A call of the writer failed: remove what it created (the object when fd is
 * open, and the semaphore), keeping that call's errno for the exit status. */
static int shm_writer_fail(const char *name, sem_t *done, int fd) {
    const int err = errno;
    if(fd >= 0) {
        close(fd);
        shm_unlink(name);
    }
    sem_close(done);
    sem_unlink(name);
    errno = err;
    return EXIT_FAILURE;
}

// steps: shm_writer
/* The writer: creates the semaphore, then the object, copies the message in
 * with its NUL, and removes both once a reader has posted the semaphore. */
int shm_writer_main(int argc, char **argv) {
    const char* name = shm_object_name();
    const char* msg = argc > 1 ? argv[1] : "Hello World";

    // The reader posts this once it has read the region. Created first and
    // with O_EXCL: whoever finds the object finds the semaphore, and a
    // semaphore left by an earlier writer (with a token in it) is refused.
    sem_t* done = sem_open(name, O_CREAT | O_EXCL, 0600, 0); // step 1: sem-open
    if(done == SEM_FAILED) return EXIT_FAILURE;

    const int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600); // step 2: shm-open
    if(fd < 0) return shm_writer_fail(name, done, -1);

    if(ftruncate(fd, SHM_SIZE) != 0) return shm_writer_fail(name, done, fd); // step 3: ftruncate

    char* region = mmap(NULL, SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); // step 4: mmap
    if(region == MAP_FAILED) return shm_writer_fail(name, done, fd);

    // The message and its NUL; a message of 100 bytes or more is cut to 99,
    // so that the region always holds a C string.
    snprintf(region, SHM_SIZE, "%s", msg); // step 5: copy

    printf("waiting for a reader\n"); // step 6: ready
    fflush(stdout); // the ready line: a reader may start now; step 7: flush

    if(sem_wait(done) != 0) return shm_writer_fail(name, done, fd); // step 8: wait

    munmap(region, SHM_SIZE); // step 9: munmap
    close(fd); // step 10: close
    shm_unlink(name); // step 11: shm-unlink
    sem_close(done); // step 12: sem-close
    sem_unlink(name); // step 13: sem-unlink
    return 0;
}

// steps: shm_reader
/* The reader: copies the region out, tells the writer, prints the text. */
int shm_reader_main(int argc, char **argv) {
    (void)argc; (void)argv; // the reader takes no arguments

    const char* name = shm_object_name();
    const int fd = shm_open(name, O_RDWR, 0); // step 1: shm-open
    if(fd < 0) return EXIT_FAILURE; // no writer: ENOENT

    // O_RDWR as the spec has it; the mapping is read-only, the reader never
    // writes the region.
    const char* region = mmap(NULL, SHM_SIZE, PROT_READ, MAP_SHARED, fd, 0); // step 2: mmap
    if(region == MAP_FAILED) return EXIT_FAILURE;

    char buffer[SHM_SIZE];
    memcpy(buffer, region, SHM_SIZE); // step 3: copy

    sem_t* done = sem_open(name, 0); // step 4: sem-open
    if(done == SEM_FAILED) return EXIT_FAILURE;
    if(sem_post(done) != 0) return EXIT_FAILURE; // the writer may remove the object now; step 5: sem-post
    sem_close(done); // step 6: sem-close

    munmap((void*)region, SHM_SIZE); // step 7: munmap
    close(fd); // step 8: close

    printf("%.*s\n", SHM_SIZE, buffer); // up to the NUL, or all 100 bytes without one; step 9: print
    return 0;
}
