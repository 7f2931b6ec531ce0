/* The reference programs, each a function with the signature of main().
 * main.c gives each its thin main(); cipc calls them through cgo. */
#ifndef IPCPARITY_PROGRAMS_H
#define IPCPARITY_PROGRAMS_H

int pipe_main(int argc, char **argv);
int fifo_reader_main(int argc, char **argv);
int fifo_writer_main(int argc, char **argv);
int mq_server_main(int argc, char **argv);
int mq_client_main(int argc, char **argv);
int sock_server_main(int argc, char **argv);
int sock_client_main(int argc, char **argv);
int shm_writer_main(int argc, char **argv);
int shm_reader_main(int argc, char **argv);

#endif
