/* sock_server and sock_client: the notes' empty section "Sockets (usecase:
 * Server - Clients)", written in the style of the message-queue pair. The
 * server listens on a stream socket, prints every message a client sends
 * and answers it, until the message "quit"; a client sends one message and
 * prints the server's answer.
 *
 * The address comes from IPC_NAME: "unix:PATH", a Unix-domain socket at
 * PATH relative to the working directory (the default is
 * "unix:server_socket"), or "tcp:A.B.C.D:PORT", TCP on that IPv4 address
 * (the tests use 127.0.0.1 only).
 *
 * A message is everything a client sends before it shuts down its sending
 * side: a stream socket keeps no message boundaries, so the end of the
 * stream is the end of the message. The server keeps the first 63 bytes and
 * a NUL (the queue pair's char msg[64]), reads and drops the rest, and
 * answers only once the whole message is in: a server that closed a
 * connection with bytes still unread would reset it, and the client could
 * lose the answer.
 *
 * Several clients at once: one process and poll(). The server polls the
 * listening socket and every connected client and serves whichever is
 * ready, so a slow client never holds up the others. A process per client
 * (fork after accept) was not chosen: the message "quit" reaching one child
 * would have to be passed on to the parent that owns the listening socket,
 * the children's lines would reach stdout through as many stdio buffers,
 * and Go cannot fork, so the pure-Go form could not follow the C call for
 * call (the pipe program shows what a Go "fork" costs). At most
 * SOCK_MAX_CLIENTS are served at once; while that many are connected the
 * server stops polling the listening socket and newcomers wait in its
 * backlog.
 *
 * Writes use send() with MSG_NOSIGNAL: a client that has gone makes the
 * send fail with EPIPE instead of killing the server with SIGPIPE, and the
 * C, cgo and Go forms then behave alike (a Go process ignores SIGPIPE on
 * descriptors other than 1 and 2). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "programs.h"

#define SOCK_MAX_CLIENTS 16 // clients served at once

/* The queue pair's message: a struct holding the text. */
struct sock_message {
    char msg[64];
};

/* A socket address of either kind. */
union sock_addr {
    struct sockaddr    sa;
    struct sockaddr_un un;
    struct sockaddr_in in;
};

/* sock_address fills addr and len from IPC_NAME. It returns -1 with errno
 * EINVAL for a name of neither form, ENOENT for an empty path and
 * ENAMETOOLONG for a path longer than 107 bytes, which sun_path (108 bytes)
 * cannot hold with its NUL. The path is checked, not cut with strncpy: a
 * cut path would bind a socket file other than the one the server removes
 * at the end. */
static int sock_address(union sock_addr *addr, socklen_t *len) {
    const char *name = getenv("IPC_NAME");
    if(name == NULL) name = "unix:server_socket";
    memset(addr, 0, sizeof *addr);

    if(strncmp(name, "unix:", 5) == 0) {
        const char *path = name + 5;
        if(*path == '\0') {
            errno = ENOENT;
            return -1;
        }
        if(strlen(path) >= sizeof addr->un.sun_path) {
            errno = ENAMETOOLONG;
            return -1;
        }
        addr->un.sun_family = AF_UNIX;
        strcpy(addr->un.sun_path, path);
        *len = sizeof addr->un;
        return 0;
    }

    if(strncmp(name, "tcp:", 4) == 0) {
        const char *host = name + 4;
        const char *colon = strrchr(host, ':');
        char ip[16]; // "255.255.255.255" and its NUL
        if(colon == NULL || (size_t)(colon - host) >= sizeof ip) {
            errno = EINVAL;
            return -1;
        }
        memcpy(ip, host, colon - host);
        ip[colon - host] = '\0';

        const char *digits = colon + 1;
        const size_t n = strlen(digits);
        if(n == 0 || n > 5 || strspn(digits, "0123456789") != n || atol(digits) > 65535) {
            errno = EINVAL;
            return -1;
        }
        if(inet_pton(AF_INET, ip, &addr->in.sin_addr) != 1) {
            errno = EINVAL;
            return -1;
        }
        addr->in.sin_family = AF_INET;
        addr->in.sin_port = htons((unsigned short)atol(digits));
        *len = sizeof addr->in;
        return 0;
    }

    errno = EINVAL;
    return -1;
}

/* The server removes its socket file (a TCP socket leaves no file). */
static void sock_remove(const union sock_addr *addr) {
    if(addr->sa.sa_family == AF_UNIX) unlink(addr->un.sun_path);
}

// steps: sock_server
/* The server: listens, prints each message and answers it, stops after
 * "quit". */
int sock_server_main(int argc, char **argv) {
    (void)argc; (void)argv; // the server takes no arguments

    union sock_addr addr;
    socklen_t addrlen;
    if(sock_address(&addr, &addrlen) != 0) { // step 1: address
        perror("IPC_NAME");
        return EXIT_FAILURE;
    }

    const int fd = socket(addr.sa.sa_family, SOCK_STREAM, 0); // step 2: socket
    if(fd == -1) {
        perror("socket()");
        return EXIT_FAILURE;
    }

    if(addr.sa.sa_family == AF_INET) {
        const int on = 1; // the port may be bound again while old connections are in TIME_WAIT
        if(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1) { // step 3: reuseaddr
            perror("setsockopt()");
            close(fd);
            return EXIT_FAILURE;
        }
    }

    if(bind(fd, &addr.sa, addrlen) == -1) { // step 4: bind
        perror("bind()"); // a socket file left behind: EADDRINUSE (it is not removed: it may be another server's)
        close(fd);
        return EXIT_FAILURE;
    }

    if(listen(fd, SOMAXCONN) == -1) { // step 5: listen
        perror("listen()");
        close(fd);
        sock_remove(&addr);
        return EXIT_FAILURE;
    }

    printf("server shuts down on message \"quit\"\n"); // step 6: ready
    printf("\n");
    fflush(stdout); // the ready line: a client may start now; step 7: flush

    // fds[0] is the listening socket, fds[1..] the clients; poll skips a
    // free slot, whose fd is -1.
    struct pollfd fds[1 + SOCK_MAX_CLIENTS];
    struct sock_message messages[1 + SOCK_MAX_CLIENTS];
    size_t lens[1 + SOCK_MAX_CLIENTS];
    for(int i = 0; i <= SOCK_MAX_CLIENTS; i++) {
        fds[i].fd = -1;
        fds[i].events = POLLIN;
        fds[i].revents = 0;
        lens[i] = 0;
    }
    fds[0].fd = fd;
    int clients = 0;
    int quit = 0;

    while(!quit) {
        fds[0].events = clients < SOCK_MAX_CLIENTS ? POLLIN : 0; // full: newcomers wait in the backlog
        if(poll(fds, 1 + SOCK_MAX_CLIENTS, -1) == -1) { // step 8: poll
            if(errno == EINTR) continue; // a signal came: poll again; step 9: eintr
            perror("poll()");
            break;
        }

        if(fds[0].revents & POLLIN) {
            const int client = accept(fd, NULL, NULL); // step 10: accept
            if(client == -1) {
                perror("accept()");
            } else {
                int i = 1;
                while(fds[i].fd != -1) i++; // there is a free slot: clients < SOCK_MAX_CLIENTS
                fds[i].fd = client;
                lens[i] = 0;
                clients++;
            }
        }

        // step 11: serve none: one process serves every client that poll finds ready
        for(int i = 1; i <= SOCK_MAX_CLIENTS && !quit; i++) {
            if(fds[i].fd == -1 || fds[i].revents == 0) continue;

            char buf[sizeof(struct sock_message)];
            const ssize_t n = recv(fds[i].fd, buf, sizeof buf, 0); // step 12: recv
            if(n > 0) {
                // keep what fits with the NUL, drop the rest: the message is
                // cut to 63 bytes, as the queue client's snprintf cuts it
                const size_t room = sizeof messages[i].msg - 1 - lens[i];
                const size_t keep = (size_t)n < room ? (size_t)n : room;
                memcpy(messages[i].msg + lens[i], buf, keep);
                lens[i] += keep;
                continue;
            }

            if(n == -1) {
                perror("recv()");
            } else if(lens[i] > 0) { // end of file: the message is complete
                messages[i].msg[lens[i]] = '\0';
                printf("%s\n", messages[i].msg); // step 13: print known:stdio-buffer-lost-on-kill

                char answer[128];
                snprintf(answer, sizeof answer, "received \"%s\"", messages[i].msg);
                if(send(fds[i].fd, answer, strlen(answer), MSG_NOSIGNAL) == -1) { // step 14: answer
                    perror("send()");
                }
                if(strncmp(messages[i].msg, "quit", 5) == 0) quit = 1; // step 15: quit
            } // else: the client left without a message; nothing to print or answer

            close(fds[i].fd); // step 16: close-client
            fds[i].fd = -1;
            clients--;
        }
    }

    for(int i = 1; i <= SOCK_MAX_CLIENTS; i++) {
        if(fds[i].fd != -1) close(fds[i].fd); // clients still connected get no answer
    }
    close(fd); // step 17: close
    sock_remove(&addr); // step 18: unlink
    return 0;
}

// steps: sock_client
/* A client: sends its argument as one message and prints the answer. */
int sock_client_main(int argc, char **argv) {
    if(argc != 2) { // step 1: usage
        printf("usage: ./client <message>\n");
        return EXIT_FAILURE;
    }

    union sock_addr addr;
    socklen_t addrlen;
    if(sock_address(&addr, &addrlen) != 0) { // step 2: address
        perror("IPC_NAME");
        return EXIT_FAILURE;
    }

    const int fd = socket(addr.sa.sa_family, SOCK_STREAM, 0); // step 3: socket
    if(fd == -1) {
        perror("socket()");
        return EXIT_FAILURE;
    }

    if(connect(fd, &addr.sa, addrlen) == -1) { // step 4: connect
        perror("connect()"); // no server: ENOENT for a path, ECONNREFUSED for a port or a socket file left behind
        close(fd);
        return EXIT_FAILURE;
    }

    printf("you sent: %s\n", argv[1]); // step 5: print
    if(send(fd, argv[1], strlen(argv[1]), MSG_NOSIGNAL) == -1) { // step 6: send
        perror("send()");
    }
    if(shutdown(fd, SHUT_WR) == -1) { // the end of the message; step 7: shutdown
        perror("shutdown()");
    }

    char answer[128] = {0};
    size_t len = 0;
    ssize_t n;
    while((n = recv(fd, answer + len, sizeof answer - 1 - len, 0)) > 0) { // step 8: recv
        len += (size_t)n; // once the buffer is full, recv asks for 0 bytes and returns 0
    }
    if(n == -1) {
        perror("recv()");
    }

    if(len > 0) printf("server answered: %s\n", answer); // step 9: answer
    else        printf("server closed the connection without an answer\n");

    close(fd); // step 10: close
    return 0;
}
