/* fifo_reader and fifo_writer: the notes' "Named Pipes (FIFO)" section. The
 * reader creates the FIFO, waits in open() for a writer and copies the FIFO
 * to stdout one byte at a time; the writer opens the FIFO and writes the
 * message into it. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "programs.h"

/* The notes hard-code name = "named_pipe"; IPC_NAME may replace it. */
static const char *fifo_name(void) {
    const char *env = getenv("IPC_NAME");
    return env != NULL ? env : "named_pipe";
}

/* The notes hard-code msg = "Hello World"; argv[1] may replace it. */
static const char *fifo_message = "Hello World";

// steps: fifo_reader

/* Named Pipe API-Reader, as a function of its own (the notes: a fragment). */
int fifo_reader_main(int argc, char **argv) {
    (void)argc; (void)argv; // the reader takes no arguments

    const char* name = fifo_name(); // the notes: "named_pipe"
    const mode_t permission = S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH; // 644
    if(mkfifo(name, permission) != 0) return EXIT_FAILURE; // step 1: mkfifo

    const int fd = open(name, O_RDONLY); // step 2: open
    if(fd < 0) return EXIT_FAILURE;

    char buf;
    while(read(fd, &buf, 1) > 0) { // step 3: copy known:sigpipe-cgo-stdout
        if(write(STDOUT_FILENO, &buf, 1) < 0) {} // the notes: a bare write(), which _FORTIFY_SOURCE warns about
    }
    if(write(STDOUT_FILENO, "\n", 1) < 0) {} // the notes: a bare write(), which _FORTIFY_SOURCE warns about; step 4: newline

    close(fd); // step 5: close
    unlink(name); // step 6: unlink
    return 0; // the fragment ends here: the program returns 0
}

// steps: fifo_writer

/* Named Pipe API-Writer, as a function of its own (the notes: a fragment). */
int fifo_writer_main(int argc, char **argv) {
    if(argc > 1) fifo_message = argv[1];

    const char* name = fifo_name(); // the notes: "named_pipe"
    const int fd = open(name, O_WRONLY); // step 1: open
    if(fd < 0) return EXIT_FAILURE;

    const char* msg = fifo_message; // the notes: "Hello World"
    if(write(fd, msg, strlen(msg)) < 0) {} // the notes: a bare write(), which _FORTIFY_SOURCE warns about; step 2: write

    close(fd); // step 3: close
    return 0; // the fragment ends here: the program returns 0
}
