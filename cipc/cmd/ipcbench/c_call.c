// c_reference/bench/call.c, compiled here (never a copy).
#include "../../../c_reference/bench/call.c"
