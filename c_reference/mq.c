/* mq_server and mq_client: the client-server example that the notes'
 * "Message Queue" section links to, written fresh in the notes' style. The
 * server creates the queue and prints every message it receives until the
 * message "quit"; a client sends one message. */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "programs.h"

/* The example hard-codes the queue name "/csba1316"; IPC_NAME may replace it. */
static const char *mq_queue_name(void) {
    const char *env = getenv("IPC_NAME");
    return env != NULL ? env : "/csba1316";
}

/* The example's message: a struct holding the text. */
struct mq_message {
    char msg[64];
};

// steps: mq_server

/* The server: creates the queue, prints each message, stops after "quit". */
int mq_server_main(int argc, char **argv) {
    (void)argc; (void)argv; // the server takes no arguments

    const char* name = mq_queue_name(); // the example: "/csba1316"
    struct mq_attr attr;
    attr.mq_flags = 0;
    attr.mq_maxmsg = 10;
    attr.mq_msgsize = 128;
    attr.mq_curmsgs = 0;

    const mqd_t mq = mq_open(name, O_CREAT | O_RDONLY, 0600, &attr); // step 1: mq-open
    if(mq == (mqd_t)-1) {
        perror("mq_open()");
        return EXIT_FAILURE;
    }

    printf("server shuts down on message \"quit\"\n"); // step 2: ready
    printf("\n");
    fflush(stdout); // the ready line: a client may start now

    char buffer[128 + 1]; // the example received 128 bytes into its 64-byte struct (an overflow): 128 and a NUL
    for(;;) {
        const ssize_t n = mq_receive(mq, buffer, 128, NULL); // step 3: receive
        if(n == -1) {
            perror("ERROR-> mq_recieve()\n");
            break;
        }
        buffer[n] = '\0'; // a message need not hold a NUL (the example's clients always send one)
        printf("%s\n", buffer); // step 4: print known:stdio-buffer-lost-on-kill
        if(strcmp(buffer, "quit") == 0) break;
    }

    mq_close(mq); // step 5: close
    mq_unlink(name); // step 6: unlink
    return 0;
}

// steps: mq_client

/* A client: sends its argument as one message of the example's struct. */
int mq_client_main(int argc, char **argv) {
    if(argc != 2) {
        printf("usage: ./client <message>\n");
        return EXIT_FAILURE;
    }

    const char* name = mq_queue_name(); // the example: "/csba1316"
    const mqd_t mq = mq_open(name, O_WRONLY); // step 1: mq-open
    if(mq == (mqd_t)-1) {
        perror("mq_open()");
        return EXIT_FAILURE;
    }

    struct mq_message message = {0}; // zeroed: all 64 bytes are sent, those after the NUL too
    snprintf(message.msg, sizeof message.msg, "%s", argv[1]);
    printf("you sent: %s\n", message.msg); // step 2: print

    if(mq_send(mq, (const char*)&message, sizeof message, 1) == -1) { // step 3: send
        perror("ERROR-> mq_send()");
    }

    mq_close(mq); // step 4: close
    return 0;
}
