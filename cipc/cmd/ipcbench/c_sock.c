// c_reference/bench/sock.c, compiled here (never a copy).
#include "../../../c_reference/bench/sock.c"
