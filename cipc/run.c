#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "run.h"

int cipc_run(int (*program)(int, char **), int argc, char **argv, int *err) {
    const pid_t self = getpid();
    errno = 0;
    const int status = program(argc, argv);
    *err = errno;
    fflush(NULL); // os.Exit in Go does not flush C's stdio
    if(getpid() != self) {
        // The child of a fork() inside the program: the Go runtime did not
        // come along (its other threads are gone), so it must never return
        // into Go.
        _exit(status);
    }
    return status;
}
