// The sock_server and sock_client programs, compiled from c_reference (never a copy).
#include "../c_reference/sock.c"
