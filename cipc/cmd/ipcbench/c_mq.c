// c_reference/bench/mq.c, compiled here (never a copy).
#include "../../../c_reference/bench/mq.c"
