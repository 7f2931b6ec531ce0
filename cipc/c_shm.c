// The shared-memory programs, compiled from c_reference (never a copy).
#include "../c_reference/shm.c"
