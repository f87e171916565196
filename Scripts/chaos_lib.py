"""Shared helpers for Scripts/chaos: processes, RESP, twemproxy's ketama, network namespaces, a fault relay.

Everything listens on free loopback ports (or inside a private network namespace), and every process or
namespace made here is registered and removed on exit, whatever the exit: only what this module started is
ever signalled.

Run as a program, it is the fault relay (see `relay_main`):
    python3 Scripts/chaos_lib.py relay LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT MODE [N]
"""

import asyncio
import atexit
import bisect
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

LOOPBACK = "127.0.0.1"

# MARK: - Cleanup registry

_processes = []  # subprocess.Popen objects started here
_cleanups = []  # callables, run last-in first-out


def register_process(process):
    _processes.append(process)
    return process


def register_cleanup(function):
    _cleanups.append(function)
    return function


def cleanup_all():
    for process in _processes:
        if process.poll() is None:
            try:
                # A process stopped with SIGSTOP would not act on SIGTERM until continued.
                os.kill(process.pid, signal.SIGCONT)
                process.terminate()
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 5
    for process in _processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _processes.clear()
    while _cleanups:
        function = _cleanups.pop()
        try:
            function()
        except Exception as error:  # keep cleaning the rest
            print(f"chaos: cleanup failed: {error}", file=sys.stderr)


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def install_cleanup():
    atexit.register(cleanup_all)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def make_workdir(prefix="chaos."):
    path = tempfile.mkdtemp(prefix=prefix)
    register_cleanup(lambda: shutil.rmtree(path, ignore_errors=True))
    return path


# MARK: - RESP


def resp_end(buf, pos=0):
    """The end offset of the one complete RESP2/RESP3 value at `pos`, or -1 while it is incomplete."""
    stack = 1  # values still to read
    n = len(buf)
    while stack:
        if pos >= n:
            return -1
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return -1
        kind = buf[pos : pos + 1]
        stack -= 1
        if kind in (b"$", b"!", b"="):
            length = int(buf[pos + 1 : line_end])
            if length < 0:
                pos = line_end + 2
            else:
                pos = line_end + 2 + length + 2
                if pos > n:
                    return -1
        elif kind in (b"*", b"~", b">"):
            count = int(buf[pos + 1 : line_end])
            stack += max(count, 0)
            pos = line_end + 2
        elif kind in (b"%", b"|"):
            count = int(buf[pos + 1 : line_end])
            stack += 2 * count
            if kind == b"|":
                stack += 1  # attributes precede the value they describe
            pos = line_end + 2
        else:  # + - : _ , # ( and inline commands: one line
            pos = line_end + 2
    return pos


def encode_command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        elif isinstance(arg, int):
            arg = str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


def decode_reply(raw):
    """A complete RESP2 reply as Python values: str for simple strings, RespError, int, bytes, None, list."""
    value, _ = _decode(raw, 0)
    return value


class RespError(Exception):
    pass


def _decode(raw, pos):
    line_end = raw.find(b"\r\n", pos)
    kind, line = raw[pos : pos + 1], raw[pos + 1 : line_end]
    after = line_end + 2
    if kind == b"+":
        return line.decode(), after
    if kind == b"-":
        return RespError(line.decode(errors="replace")), after
    if kind == b":":
        return int(line), after
    if kind == b"$":
        length = int(line)
        if length < 0:
            return None, after
        return bytes(raw[after : after + length]), after + length + 2
    if kind == b"*":
        count = int(line)
        if count < 0:
            return None, after
        items = []
        for _ in range(count):
            item, after = _decode(raw, after)
            items.append(item)
        return items, after
    raise ValueError(f"unexpected RESP type {kind!r}")


class RespClient:
    """A blocking client for set-up and read-back: pipelined commands, replies decoded."""

    def __init__(self, host, port, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = bytearray()

    def close(self):
        self.sock.close()

    def pipeline(self, commands):
        self.sock.sendall(b"".join(encode_command(*command) for command in commands))
        replies = []
        while len(replies) < len(commands):
            end = resp_end(self.buffer)
            if end < 0:
                data = self.sock.recv(1 << 20)
                if not data:
                    raise ConnectionError("connection closed")
                self.buffer += data
                continue
            replies.append(decode_reply(bytes(self.buffer[:end])))
            del self.buffer[:end]
        return replies

    def call(self, *args):
        return self.pipeline([args])[0]


def ping(host, port, timeout=0.5):
    try:
        client = RespClient(host, port, timeout=timeout)
        try:
            return client.call("PING") == "PONG"
        finally:
            client.close()
    except (OSError, ConnectionError, ValueError):
        return False


def wait_for_ping(host, port, timeout=20.0, process=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ping(host, port):
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.02)
    tail = ""
    if log and os.path.exists(log):
        with open(log, errors="replace") as handle:
            tail = "".join(handle.readlines()[-15:])
    raise RuntimeError(f"nothing answered PING on {host}:{port}\n{tail}")


# MARK: - twemproxy's ketama (fnv1a_64, 160 points per server)


def fnv1a_64(key):
    """twemproxy's hash_fnv1a_64: FNV-1a with the 64-bit constants, computed in 32 bits."""
    value = 0x84222325
    for byte in key:
        value ^= byte if byte < 0x80 else byte | 0xFFFFFF00  # C's signed char, widened
        value = (value * 0x1B3) & 0xFFFFFFFF
    return value


class Ketama:
    """Where twemproxy (and pool-proxy) place a key among `names` (the `servers:` names), all live."""

    def __init__(self, names, weights=None):
        weights = weights or [1] * len(names)
        total = sum(weights)
        points = []
        for index, (name, weight) in enumerate(zip(names, weights)):
            per_server = int(weight / total * 160 / 4 * len(names) + 0.0000000001) * 4
            for pointer in range(1, per_server // 4 + 1):
                digest = hashlib.md5(f"{name}-{pointer - 1}".encode()).digest()
                for x in range(4):
                    value = int.from_bytes(digest[x * 4 : x * 4 + 4], "little")
                    points.append((value, index))
        points.sort()
        self.values = [value for value, _ in points]
        self.servers = [server for _, server in points]

    def server(self, key):
        if isinstance(key, str):
            key = key.encode()
        index = bisect.bisect_left(self.values, fnv1a_64(key))
        return self.servers[index % len(self.servers)]


# MARK: - Processes


class RedisServer:
    """A real redis-server on a free port, appending every write to its AOF and fsyncing it before the reply, so
    that a SIGKILL loses no acknowledged write. With `netns`, it runs inside that namespace on `host`."""

    def __init__(self, workdir, name, host=LOOPBACK, port=None, netns=None):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.host = host
        self.port = port or free_port()
        self.netns = netns
        self.log = os.path.join(self.dir, "redis.log")
        self.process = None
        self.start()

    def start(self):
        command = [
            "redis-server", "--port", str(self.port), "--bind", self.host, "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", self.dir, "--logfile", self.log,
            "--protected-mode", "no",
        ]
        if self.netns:
            command = ["ip", "netns", "exec", self.netns] + command
        self.process = register_process(subprocess.Popen(command, stdin=subprocess.DEVNULL))
        wait_for_ping(self.host, self.port, process=self.process, log=self.log)

    def signal(self, signum):
        if self.process.poll() is None:
            os.kill(self.process.pid, signum)

    def kill(self):
        self.signal(signal.SIGKILL)
        self.process.wait()

    def restart(self):
        self.start()

    @property
    def address(self):
        return (self.host, self.port)


class FaultRelay:
    """A TCP relay in front of a redis-server that misbehaves on demand: `python3 chaos_lib.py relay ...`.
    SIGUSR1 turns the fault on, SIGUSR2 off. Modes:
      blackhole  connections stop being answered (requests are swallowed, never reach the server), and new
                 connections are accepted and never answered; once black, a connection stays black
      closeafter every connection is closed after relaying N more commands and their replies
    """

    def __init__(self, upstream, mode, count=0):
        self.port = free_port()
        command = [sys.executable, os.path.abspath(__file__), "relay", str(self.port), upstream[0],
                   str(upstream[1]), mode, str(count)]
        self.process = register_process(subprocess.Popen(command, stdin=subprocess.DEVNULL))
        wait_for_ping(LOOPBACK, self.port, process=self.process)

    def fault(self, on):
        os.kill(self.process.pid, signal.SIGUSR1 if on else signal.SIGUSR2)


def run(command, check=True):
    return subprocess.run(command, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class NetworkNamespace:
    """A private namespace joined to the host by a veth pair in 10.213.X.0/30: the host end is .1, the
    namespace end .2. `cut()` and `restore()` set the host end down and up. Removed on exit."""

    def __init__(self):
        pid = os.getpid()
        self.name = f"chaos{pid}"
        self.host_link = f"chv{pid % 100000}h"
        self.peer_link = f"chv{pid % 100000}n"
        subnet = 4 * (pid % 64)
        third = 100 + (pid // 64) % 150
        self.host_ip = f"10.213.{third}.{subnet + 1}"
        self.ns_ip = f"10.213.{third}.{subnet + 2}"
        register_cleanup(self.remove)
        run(["ip", "netns", "add", self.name])
        run(["ip", "link", "add", self.host_link, "type", "veth", "peer", "name", self.peer_link])
        run(["ip", "link", "set", self.peer_link, "netns", self.name])
        run(["ip", "addr", "add", f"{self.host_ip}/30", "dev", self.host_link])
        run(["ip", "link", "set", self.host_link, "up"])
        run(["ip", "netns", "exec", self.name, "ip", "addr", "add", f"{self.ns_ip}/30", "dev", self.peer_link])
        run(["ip", "netns", "exec", self.name, "ip", "link", "set", self.peer_link, "up"])
        run(["ip", "netns", "exec", self.name, "ip", "link", "set", "lo", "up"])

    def cut(self):
        run(["ip", "link", "set", self.host_link, "down"])

    def restore(self, probe_port):
        run(["ip", "link", "set", self.host_link, "up"])
        # The link needs a moment for carrier and its route; wait until a TCP connect through it succeeds.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.ns_ip, probe_port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.01)

    def remove(self):
        run(["ip", "link", "del", self.host_link], check=False)
        run(["ip", "netns", "del", self.name], check=False)

    @staticmethod
    def available():
        if os.geteuid() != 0 or shutil.which("ip") is None:
            return False
        probe = f"chaosprobe{os.getpid()}"
        if run(["ip", "netns", "add", probe], check=False).returncode != 0:
            return False
        run(["ip", "netns", "del", probe], check=False)
        return True


# MARK: - The fault relay (a child process)


class _Relay:
    def __init__(self, upstream_host, upstream_port, mode, count):
        self.upstream = (upstream_host, upstream_port)
        self.mode = mode
        self.count = count
        self.fault = False
        self.connections = set()

    def set_fault(self, on):
        self.fault = on
        if on:
            for connection in list(self.connections):
                connection.fault_started()

    async def handle(self, reader, writer):
        connection = _RelayConnection(self, reader, writer)
        self.connections.add(connection)
        try:
            await connection.run()
        finally:
            self.connections.discard(connection)


class _RelayConnection:
    def __init__(self, relay, reader, writer):
        self.relay = relay
        self.reader = reader
        self.writer = writer
        self.black = False
        self.budget = None  # commands still to relay before closing, under closeafter
        self.in_flight = 0  # commands relayed and not yet answered
        self.upstream_writer = None
        self.closing = False

    def fault_started(self):
        if self.relay.mode == "blackhole":
            self.black = True
        elif self.relay.mode == "closeafter" and self.budget is None:
            self.budget = self.relay.count

    async def run(self):
        if self.relay.fault:
            self.fault_started()
        if self.black:
            await self._swallow()
            return
        try:
            upstream_reader, self.upstream_writer = await asyncio.open_connection(*self.relay.upstream)
        except OSError:
            self.writer.close()
            return
        down = asyncio.create_task(self._downstream(upstream_reader))
        try:
            await self._upstream()
        finally:
            if not self.closing:
                down.cancel()
            try:
                await asyncio.wait_for(down, 10)
            except (asyncio.CancelledError, asyncio.TimeoutError, OSError):
                pass
            self.upstream_writer.close()
            self.writer.close()

    async def _swallow(self):
        while await self.reader.read(65536):
            pass
        self.writer.close()

    async def _upstream(self):
        buffer = bytearray()
        while True:
            data = await self.reader.read(65536)
            if not data:
                return
            if self.black:
                continue
            buffer += data
            forward = 0
            while True:
                end = resp_end(buffer, forward)
                if end < 0:
                    break
                if self.budget is not None:
                    if self.budget == 0:
                        break
                    self.budget -= 1
                self.in_flight += 1
                forward = end
            if forward:
                self.upstream_writer.write(bytes(buffer[:forward]))
                del buffer[:forward]
            if self.budget == 0:
                # Everything after the budget is dropped: this connection is about to close.
                buffer.clear()
                self.closing = True
                while True:  # the downstream task closes both ends once the last reply is relayed
                    if not await self.reader.read(65536):
                        return

    async def _downstream(self, upstream_reader):
        buffer = bytearray()
        while True:
            data = await upstream_reader.read(65536)
            if not data:
                self.writer.close()
                return
            buffer += data
            forward = 0
            while True:
                end = resp_end(buffer, forward)
                if end < 0:
                    break
                forward = end
                self.in_flight -= 1
            if forward:
                self.writer.write(bytes(buffer[:forward]))
                del buffer[:forward]
            if self.budget == 0 and self.in_flight == 0:
                await self.writer.drain()
                self.writer.close()
                self.upstream_writer.close()
                return


def relay_main(argv):
    listen_port, host, port, mode = int(argv[0]), argv[1], int(argv[2]), argv[3]
    count = int(argv[4]) if len(argv) > 4 else 0
    relay = _Relay(host, port, mode, count)

    async def main():
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGUSR1, relay.set_fault, True)
        loop.add_signal_handler(signal.SIGUSR2, relay.set_fault, False)
        server = await asyncio.start_server(relay.handle, LOOPBACK, listen_port)
        async with server:
            await server.serve_forever()

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    asyncio.run(main())


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "relay":
        relay_main(sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
