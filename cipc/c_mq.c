// The message-queue programs, compiled from c_reference (never a copy).
#include "../c_reference/mq.c"
