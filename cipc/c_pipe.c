// The pipe program, compiled from c_reference (never a copy).
#include "../c_reference/pipe.c"
