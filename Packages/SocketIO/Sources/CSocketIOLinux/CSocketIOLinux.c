// accept4 and pipe2 are GNU extensions; everything else is header-only, in include/CSocketIOLinux.h.
#ifdef __linux__
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#include "CSocketIOLinux.h"

int csocketio_accept_cloexec(int listener) { return accept4(listener, NULL, NULL, SOCK_CLOEXEC); }

int csocketio_pipe_cloexec(int descriptors[2]) { return pipe2(descriptors, O_CLOEXEC | O_NONBLOCK); }
#endif
