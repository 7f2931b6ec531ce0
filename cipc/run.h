#ifndef CIPC_RUN_H
#define CIPC_RUN_H

/* cipc_run calls program(argc, argv), stores the errno it left in *err,
 * flushes stdio, and _exits in a child that the program forked. */
int cipc_run(int (*program)(int, char **), int argc, char **argv, int *err);

#endif
