// The Linux interfaces SocketIO needs that Swift's Glibc module does not export: epoll, accept4 and pipe2, for the
// listener's parking lot, and malloc_trim, to hand memory freed by parked clients back to the system.
#ifndef C_SOCKETIO_LINUX_H
#define C_SOCKETIO_LINUX_H

#ifdef __linux__
#include <malloc.h>
#include <sys/epoll.h>

static inline int csocketio_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/// Accepts a client whose descriptor is close-on-exec from the start: set afterwards, a child process started by
/// another thread in between would inherit the socket and keep the connection open after the lot closes it.
/// In CSocketIOLinux.c: accept4 needs _GNU_SOURCE, which this header, shared with Swift's Glibc module, must not set.
int csocketio_accept_cloexec(int listener);

/// A non-blocking, close-on-exec pipe, for the same reason.
int csocketio_pipe_cloexec(int descriptors[2]);

/// Registers or re-arms `fd` for one readability or hang-up report, tagged with `fd` itself.
static inline int csocketio_epoll_watch(int epoll, int fd, int add, int oneShot) {
    struct epoll_event event;
    event.events = EPOLLIN | EPOLLRDHUP | (oneShot ? EPOLLONESHOT : 0);
    event.data.u64 = (unsigned long long)(unsigned int)fd;
    return epoll_ctl(epoll, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

static inline int csocketio_epoll_forget(int epoll, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(epoll, EPOLL_CTL_DEL, fd, &event);
}

/// Waits up to `timeoutMilliseconds` and writes the descriptors reported ready into `ready`.
static inline int csocketio_epoll_wait(int epoll, int *ready, int capacity, int timeoutMilliseconds) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll, events, capacity, timeoutMilliseconds);
    for (int index = 0; index < count; index++) ready[index] = (int)events[index].data.u64;
    return count;
}

static inline int csocketio_malloc_trim(void) { return malloc_trim(0); }
#endif

#endif
