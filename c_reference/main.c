//go:build ignore

/* The thin main() of every program: built with -DPROGRAM=pipe_main and so on.
 * The build constraint above keeps it out of package creference (cgo). */
#include "programs.h"
#include "report.h"

int main(int argc, char **argv) {
    return ipc_exit(PROGRAM(argc, argv));
}
