/* pipe: the notes' "Pipes" section. The parent writes a message into a pipe,
 * the forked child copies the pipe to stdout one byte at a time. */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "programs.h"

/* The notes hard-code the message in parent(); argv[1] may replace it. */
static const char *message = "Hello World!";

/* static: every program links into one cgo package (the notes: plain functions). */
// steps: pipe

static void parent(const int pipefd[2]) {
    close(pipefd[0]); // Close read-end; step 3: close-read

    const char* msg = message;
    if(write(pipefd[1], msg, strlen(msg)) < 0) {} // the notes: a bare write(), which _FORTIFY_SOURCE warns about; step 4: write
    close(pipefd[1]); // Close write-end; step 5: close-write
                      // -> reader will see EOF

    wait(NULL); // Wait for child (the notes lack this semicolon); step 6: wait
}

static void child(const int pipefd[2]) {
    close(pipefd[1]); // Close write-end; step 7: child-close-write

    char buf;
    while(read(pipefd[0], &buf, 1) > 0) { // step 8: copy
        if(write(STDOUT_FILENO, &buf, 1) < 0) {} // the notes: a bare write(), which _FORTIFY_SOURCE warns about
    }
    if(write(STDOUT_FILENO, "\n", 1) < 0) {} // the notes: a bare write(), which _FORTIFY_SOURCE warns about; step 9: newline

    close(pipefd[0]); // Close read-end too; step 10: child-close-read
}

/* The notes' main(void), taking the optional message. */
int pipe_main(int argc, char **argv) {
    if(argc > 1) message = argv[1];

    int pipefd[2]; // pipefd[0]: read-end
                   // pipefd[1]: write-end

    if(pipe(pipefd) != 0) return EXIT_FAILURE; // step 1: pipe

    const pid_t cpid = fork(); // step 2: fork known:fork
    if(cpid == -1) return EXIT_FAILURE;

    if(cpid == 0) child(pipefd);
    else          parent(pipefd);
    return 0; // the notes' main falls off its end, which returns 0
}
