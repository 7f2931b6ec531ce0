/* The plain C form: bin/bench/ipcbench. */
#include "bench.h"

int main(int argc, char **argv) {
    return ipcbench_main(argc, argv);
}
