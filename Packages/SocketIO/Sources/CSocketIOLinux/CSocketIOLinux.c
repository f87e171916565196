// Header-only: see include/CSocketIOLinux.h.
