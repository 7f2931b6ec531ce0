// c_reference/bench/shm.c, compiled here (never a copy).
#include "../../../c_reference/bench/shm.c"
