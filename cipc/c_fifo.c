// The fifo_reader and fifo_writer programs, compiled from c_reference (never a copy).
#include "../c_reference/fifo.c"
