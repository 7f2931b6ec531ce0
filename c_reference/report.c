#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "report.h"

int ipc_exit(int status) {
    const int err = errno; /* before anything below can change it */
    const char *fd = getenv("IPCPARITY_REPORT_FD");
    if(status != 0 && err != 0 && fd != NULL) {
        char line[32];
        const int n = snprintf(line, sizeof line, "{\"errno\":%d}\n", err);
        if(write(atoi(fd), line, n) != n) { /* nobody to tell */ }
    }
    return status;
}
