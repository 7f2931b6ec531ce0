//go:build ignore

/* The plain C form: bin/bench/ipcbench. The build constraint above keeps
 * this main() out of package cbench (cgo). */
#include "bench.h"

int main(int argc, char **argv) {
    return ipcbench_main(argc, argv);
}
