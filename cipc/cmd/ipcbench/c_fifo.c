// c_reference/bench/fifo.c, compiled here (never a copy).
#include "../../../c_reference/bench/fifo.c"
