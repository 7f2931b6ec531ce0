// c_reference/bench/common.c, compiled here (never a copy).
#include "../../../c_reference/bench/common.c"
