/* The side channel of the thin mains (not part of the notes). */
#ifndef IPCPARITY_REPORT_H
#define IPCPARITY_REPORT_H

/* ipc_exit returns status unchanged. When status is not 0 and errno is set,
 * it first writes {"errno":N} as one line to the descriptor named by
 * IPCPARITY_REPORT_FD, if that is set: the errno of the call that made the
 * program fail, without touching stdout or stderr. */
int ipc_exit(int status);

#endif
