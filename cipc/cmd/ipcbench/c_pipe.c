// c_reference/bench/pipe.c, compiled here (never a copy).
#include "../../../c_reference/bench/pipe.c"
