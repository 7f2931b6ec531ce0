// c_reference/bench/ipcbench.c, compiled here (never a copy).
#include "../../../c_reference/bench/ipcbench.c"
