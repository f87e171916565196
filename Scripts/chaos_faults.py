#!/usr/bin/env python3
"""Fault scenarios for pool-proxy (and twemproxy's nutcracker as a peer), under open-loop load, against real
redis-servers. Run it through Scripts/chaos:

    Scripts/chaos faults [--scenario NAME]... [--quick] [--peer nutcracker] [--json FILE|-] [--markdown]

Each scenario: three redis-servers (AOF, appendfsync always) behind one proxy pool (ketama, fnv1a_64,
auto_eject_hosts, timeout 500 ms); an open-loop writer sends SETs of unique keys `chaos:<scenario>:<n>` (and
some GETs) at a fixed rate over a pool of connections, one request in flight per connection; after a healthy
warm-up the fault hits backend 1 (or the proxy), lasts a while, and is removed; then every acknowledged write is
read back directly from the redis-servers. The definitions of the figures are in docs/RELIABILITY.md.

Exits non-zero when any pool-proxy run has a hung request, a lost acknowledged write, a wrong reply, a reset client
connection, or does not recover (for the SIGTERM scenario: does not drain, exit 0 and refuse new connections).
Timings, and errors on the healthy backends, are reported, never judged.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chaos_lib  # noqa: E402
from chaos_lib import LOOPBACK, FaultRelay, Ketama, NetworkNamespace, RedisServer, RespClient  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ["kill", "pause", "blackhole", "close-after-n", "netns-cut", "sigterm"]
DESCRIPTIONS = {
    "kill": "backend SIGKILLed, restarted on the same port",
    "pause": "backend SIGSTOPped longer than the timeout, then SIGCONT",
    "blackhole": "backend accepts connections, never answers",
    "close-after-n": "backend closes every connection after N commands",
    "netns-cut": "backend's network-namespace link set down, then up",
    "sigterm": "proxy receives SIGTERM under load (drain)",
}
TIMEOUT_MS = 500
FAST_MS = 50  # a reply within this is "fast": the request did not wait for the timeout
CLOSE_AFTER = 50
SERVER_NAMES = ["chaos-0", "chaos-1", "chaos-2"]
VICTIM = 1
ERROR_KINDS = ("error", "closed", "connect", "hung", "wrong")
# Holds its server for ARGV[2] microseconds, then sets KEYS[1] to ARGV[1].
SLOW_SCRIPT = """
local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start >= tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1])
return 'OK'
"""


# MARK: - Configuration of the proxy under test


def pool_yaml(listen_port, servers):
    lines = [
        "chaos:",
        f"  listen: {LOOPBACK}:{listen_port}",
        "  hash: fnv1a_64",
        "  distribution: ketama",
        "  redis: true",
        f"  timeout: {TIMEOUT_MS}",
        "  auto_eject_hosts: true",
        "  server_failure_limit: 2",
        "  server_retry_timeout: 1000",
        "  server_connections: 1",
        "  preconnect: true",
        "  servers:",
    ]
    lines += [f"   - {host}:{port}:1 {name}" for (host, port), name in zip(servers, SERVER_NAMES)]
    return "\n".join(lines) + "\n"


class Proxy:
    """pool-proxy or nutcracker, with the same nutcracker.yml."""

    def __init__(self, kind, binary, workdir, servers, grace_seconds):
        self.kind = kind
        self.port = chaos_lib.free_port()
        self.config = os.path.join(workdir, f"{kind}.yml")
        with open(self.config, "w") as handle:
            handle.write(pool_yaml(self.port, servers))
        self.log = os.path.join(workdir, f"{kind}.log")
        if kind == "pool-proxy":
            command = [binary, "--config", self.config, "--grace-period", str(grace_seconds)]
        else:
            command = [binary, "-c", self.config, "-s", str(chaos_lib.free_port()), "-a", LOOPBACK,
                       "-o", self.log, "-v", "5"]
        self.process = chaos_lib.register_process(subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=open(self.log, "a"), stderr=subprocess.STDOUT))
        chaos_lib.wait_for_ping(LOOPBACK, self.port, process=self.process, log=self.log)


# MARK: - Open-loop load


class Request:
    __slots__ = ("n", "key", "op", "value", "scheduled", "sent", "done", "kind", "text", "affected", "landed")

    def __init__(self, n, key, op, value, scheduled, affected):
        self.n, self.key, self.op, self.value = n, key, op, value
        self.scheduled, self.affected = scheduled, affected
        self.sent = None  # when its bytes were written
        self.done = None
        self.kind = None  # ok | error | closed | connect | hung
        self.text = None
        self.landed = None  # the backend a SET's key was found on afterwards

    @property
    def latency(self):
        return None if self.done is None else self.done - self.scheduled


class Connection:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.buffer = bytearray()
        self.replies = 0

    async def call(self, payload):
        self.writer.write(payload)
        while True:
            end = chaos_lib.resp_end(self.buffer)
            if end >= 0:
                reply = bytes(self.buffer[:end])
                del self.buffer[:end]
                self.replies += 1
                return reply
            data = await self.reader.read(65536)
            if not data:
                raise ConnectionError("connection closed before the reply")
            self.buffer += data

    def close(self):
        try:
            self.writer.close()
        except Exception:
            pass


class Load:
    """An open-loop writer: request n is due at start + n / rate, whatever happened to earlier ones. Each takes an
    idle connection, or opens one (up to `max_connections`), or waits for one; its latency counts from when it
    was due, so queueing in the client is not hidden."""

    def __init__(self, scenario, port, rate, ring, hung_after, max_connections=400):
        self.scenario, self.port, self.rate, self.ring = scenario, port, rate, ring
        self.hung_after = hung_after
        self.max_connections = max_connections
        self.idle = []
        self.open_count = 0
        self.waiters = []
        self.requests = []
        self.acked = []
        self.tasks = set()
        # Connections the proxy reset: a reset can destroy replies the client has received and not yet read.
        self.resets = 0
        # Resets of connections that never got a reply: when the proxy closes its listening socket (SIGTERM), the
        # kernel resets connections still waiting in the accept backlog; the proxy never saw them.
        self.unaccepted_resets = 0
        self.random = random.Random(7)

    async def acquire(self):
        while True:
            if self.idle:
                return self.idle.pop()
            if self.open_count < self.max_connections:
                self.open_count += 1
                try:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(LOOPBACK, self.port), 2)
                    return Connection(reader, writer)
                except Exception:
                    self.open_count -= 1
                    self.wake()
                    raise
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            await waiter

    def release(self, connection, reusable):
        if reusable:
            self.idle.append(connection)
        else:
            connection.close()
            self.open_count -= 1
        self.wake()

    def wake(self):
        while self.waiters:
            waiter = self.waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    def make_request(self, tag, scheduled, stream=""):
        """A SET of a new unique key, or (one time in five) a GET of a key already acknowledged."""
        if self.acked and self.random.random() < 0.2:
            source = self.acked[self.random.randrange(len(self.acked))]
            request = Request(tag, source.key, "GET", source.value, scheduled, source.affected)
        else:
            # A varied tail: fnv1a_64 (32-bit, prime 0x1b3) barely moves the high bits for keys that differ only
            # in their last few characters, so `chaos:x:1`, `chaos:x:2`, ... would all land on one server.
            key = f"chaos:{self.scenario}:{stream}{tag}:{self.random.getrandbits(32):08x}"
            value = f"v{stream}{tag}-{self.random.getrandbits(32):08x}"
            request = Request(tag, key, "SET", value, scheduled, self.ring.server(key) == VICTIM)
        self.requests.append(request)
        return request

    def payload(self, request):
        if request.op == "SET":
            return chaos_lib.encode_command("SET", request.key, request.value)
        return chaos_lib.encode_command("GET", request.key)

    def complete(self, request, reply):
        """Classifies a reply. A reply that cannot be this request's (not +OK for a SET; another key's value for a
        GET) is `wrong`: replies matched to the wrong requests."""
        request.done = time.monotonic()
        if reply.startswith(b"-"):
            request.kind, request.text = "error", reply[1:].decode(errors="replace").strip()
        elif request.op == "SET":
            if reply == b"+OK\r\n":
                request.kind = "ok"
                self.acked.append(request)
            else:
                request.kind, request.text = "wrong", f"SET answered {reply[:60]!r}"
        else:
            value = chaos_lib.decode_reply(reply)
            if value is None or value == request.value.encode():
                request.kind = "ok"  # nil: the key was written to a server it does not live on while ejected
            else:
                request.kind, request.text = "wrong", f"GET answered {reply[:60]!r}"

    async def one(self, request):
        try:
            connection = await self.acquire()
        except Exception as error:
            request.done, request.kind, request.text = time.monotonic(), "connect", str(error) or type(error).__name__
            return
        reusable = False
        request.sent = time.monotonic()
        try:
            reply = await asyncio.wait_for(connection.call(self.payload(request)), self.hung_after)
            self.complete(request, reply)
            reusable = request.kind != "wrong"
        except asyncio.TimeoutError:
            request.done, request.kind = time.monotonic(), "hung"
        except (ConnectionError, OSError) as error:
            request.done, request.kind, request.text = time.monotonic(), "closed", str(error)
            if isinstance(error, ConnectionResetError):
                if connection.replies == 0:
                    self.unaccepted_resets += 1
                else:
                    self.resets += 1
        finally:
            self.release(connection, reusable)

    async def pipelined(self, index, duration, rate):
        """One connection that pipelines requests at `rate` without waiting for replies, matched first in, first out:
        at any moment several requests are in flight on it, as with a pipelining client."""
        loop = asyncio.get_running_loop()
        end = loop.time() + duration
        try:
            reader, writer = await asyncio.open_connection(LOOPBACK, self.port)
        except OSError:
            return
        connection = Connection(reader, writer)
        outstanding = []
        closed = asyncio.Event()

        async def read_replies():
            try:
                while True:
                    chunk = await reader.read(65536)
                    if not chunk:
                        break
                    connection.buffer += chunk
                    while outstanding:
                        end_offset = chaos_lib.resp_end(connection.buffer)
                        if end_offset < 0:
                            break
                        reply = bytes(connection.buffer[:end_offset])
                        del connection.buffer[:end_offset]
                        self.complete(outstanding.pop(0), reply)
            except OSError as error:
                self.resets += isinstance(error, ConnectionResetError)
                if os.environ.get("CHAOS_DEBUG"):
                    print(f"  stream {index}: {error!r}", file=sys.stderr)
            if os.environ.get("CHAOS_DEBUG"):
                print(f"  stream {index}: closed with {len(outstanding)} outstanding, {len(connection.buffer)} bytes "
                      f"unparsed, at {time.monotonic():.3f}", file=sys.stderr)
            now = time.monotonic()
            for request in outstanding:
                request.done, request.kind, request.text = now, "closed", "connection closed before the reply"
            outstanding.clear()
            closed.set()

        reading = asyncio.create_task(read_replies())
        n = 0
        start = loop.time()
        while loop.time() < end and not closed.is_set():
            due = start + n / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if closed.is_set() or writer.transport.is_closing():
                break
            request = self.make_request(n, time.monotonic(), stream=f"p{index}:")
            outstanding.append(request)
            request.sent = request.scheduled
            try:
                writer.write(self.payload(request))
            except Exception:
                break
            n += 1
        try:
            await asyncio.wait_for(closed.wait(), self.hung_after) if outstanding else None
        except asyncio.TimeoutError:
            for request in outstanding:
                request.done, request.kind = time.monotonic(), "hung"
        reading.cancel()
        connection.close()

    async def run(self, duration):
        loop = asyncio.get_running_loop()
        start = loop.time()
        monotonic_offset = time.monotonic() - start
        n = 0
        while n / self.rate < duration:
            delay = start + n / self.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            n_due = n
            # Catch up on everything already due in one go, so a busy loop does not slow the offered rate.
            while start + n / self.rate <= loop.time() and n - n_due < 200 and n / self.rate < duration:
                request = self.make_request(n, start + n / self.rate + monotonic_offset)
                task = asyncio.create_task(self.one(request))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
                n += 1
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=self.hung_after + 5)
        for connection in self.idle:
            connection.close()


# MARK: - Scenarios


class Scenario:
    def __init__(self, name, proxy_kind, binary, quick, rate, workdir):
        self.name, self.proxy_kind, self.binary, self.quick, self.rate = name, proxy_kind, binary, quick, rate
        self.workdir = os.path.join(workdir, f"{proxy_kind}-{name}")
        os.makedirs(self.workdir)
        self.warmup, self.fault_length, self.recovery = (1.5, 3.0, 5.0) if quick else (3.0, 10.0, 15.0)
        if name == "sigterm":
            self.fault_length, self.recovery = (3.0, 0.0) if quick else (6.0, 0.0)
        self.grace_seconds = 5
        self.notes = []
        self.ring = Ketama(SERVER_NAMES)
        self.netns = None
        self.relay = None

    def start_backends(self):
        self.redis = []
        for index in range(3):
            if index == VICTIM and self.name == "netns-cut":
                self.netns = NetworkNamespace()
                server = RedisServer(self.workdir, f"redis-{index}", host=self.netns.ns_ip, netns=self.netns.name)
            else:
                server = RedisServer(self.workdir, f"redis-{index}")
            self.redis.append(server)
        addresses = [server.address for server in self.redis]
        if self.name in ("blackhole", "close-after-n"):
            mode = "blackhole" if self.name == "blackhole" else "closeafter"
            self.relay = FaultRelay(addresses[VICTIM], mode, CLOSE_AFTER)
            addresses[VICTIM] = (LOOPBACK, self.relay.port)
        return addresses

    def inject(self):
        victim = self.redis[VICTIM]
        if self.name == "kill":
            victim.kill()
        elif self.name == "pause":
            victim.signal(signal.SIGSTOP)
        elif self.name in ("blackhole", "close-after-n"):
            self.relay.fault(True)
        elif self.name == "netns-cut":
            self.netns.cut()
        elif self.name == "sigterm":
            self.proxy.process.send_signal(signal.SIGTERM)

    def remove(self):
        victim = self.redis[VICTIM]
        if self.name == "kill":
            victim.restart()  # returns once the new server answers PING directly
        elif self.name == "pause":
            victim.signal(signal.SIGCONT)
        elif self.name in ("blackhole", "close-after-n"):
            self.relay.fault(False)
        elif self.name == "netns-cut":
            self.netns.restore(victim.port)

    async def drive(self, load):
        await asyncio.sleep(self.warmup)
        if self.name == "sigterm":
            await self.start_slow_writes(load)
        self.t_inject = time.monotonic()
        if os.environ.get("CHAOS_DEBUG"):
            print(f"  inject at {self.t_inject:.3f}", file=sys.stderr)
        await asyncio.to_thread(self.inject)
        if self.name == "sigterm":
            exited = asyncio.create_task(asyncio.to_thread(self.proxy.process.wait))
            exited.add_done_callback(lambda _: setattr(self, "exit_after", time.monotonic() - self.t_inject))
            await self.watch_drain()
            return
        await asyncio.sleep(self.fault_length)
        await asyncio.to_thread(self.remove)
        self.t_remove = time.monotonic()

    async def start_slow_writes(self, load):
        """Just before the SIGTERM: one slow write per backend (a script that holds the server for 300 ms), so that
        they, and every request queued behind them, are certainly in flight when the signal lands."""
        keys, n = {}, 0
        while len(keys) < len(SERVER_NAMES):
            key = f"chaos:{self.name}:slow:{n}:{n * 2654435761 % 2**32:08x}"
            keys.setdefault(self.ring.server(key), key)
            n += 1

        async def slow(key):
            request = Request(key, key, "SET", f"slow-{key}", time.monotonic(), True)
            load.requests.append(request)
            try:
                reader, writer = await asyncio.open_connection(LOOPBACK, self.proxy.port)
            except OSError as error:
                request.done, request.kind, request.text = time.monotonic(), "connect", str(error)
                return
            connection = Connection(reader, writer)
            request.sent = time.monotonic()
            try:
                reply = await asyncio.wait_for(
                    connection.call(chaos_lib.encode_command("EVAL", SLOW_SCRIPT, 1, key, request.value, 300_000)),
                    load.hung_after)
                request.done = time.monotonic()
                if reply.startswith(b"-"):
                    request.kind, request.text = "error", reply[1:].decode(errors="replace").strip()
                else:
                    request.kind = "ok"
                    load.acked.append(request)
            except asyncio.TimeoutError:
                request.done, request.kind = time.monotonic(), "hung"
            except (ConnectionError, OSError) as error:
                request.done, request.kind, request.text = time.monotonic(), "closed", str(error)
            connection.close()

        for key in keys.values():
            task = asyncio.create_task(slow(key))
            load.tasks.add(task)
            task.add_done_callback(load.tasks.discard)
        await asyncio.sleep(0.05)

    async def watch_drain(self):
        """After SIGTERM: new connections must be refused, and the proxy must exit 0 within its grace period."""
        await asyncio.sleep(0.2)
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(LOOPBACK, self.proxy.port), 1)
            # Accepted: it must at least not serve us.
            writer.write(chaos_lib.encode_command("PING"))
            try:
                data = await asyncio.wait_for(reader.read(100), 1)
                self.refused = not data.startswith(b"+PONG")
            except asyncio.TimeoutError:
                self.refused = False
            writer.close()
        except (OSError, asyncio.TimeoutError):
            self.refused = True
        deadline = self.t_inject + self.grace_seconds + 3
        while self.proxy.process.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)  # the waiting thread's callback records exit_after
        self.exit_code = self.proxy.process.poll()
        if self.exit_code is None:
            self.exit_after = None
            self.proxy.process.kill()  # it did not drain in time; this also ends the thread waiting for it

    async def run_load(self):
        hung_after = 5 * TIMEOUT_MS / 1000 + 2
        load = Load(self.name, self.proxy.port, self.rate, self.ring, hung_after)
        duration = self.warmup + self.fault_length + self.recovery
        # A quarter of the rate comes from pipelining clients: several of their requests are in flight on one
        # connection at once, so replies must be matched in order across timeouts, closes and drains.
        load.rate = self.rate * 3 / 4
        streams = [load.pipelined(index, duration, self.rate / 16) for index in range(4)]
        await asyncio.gather(load.run(duration), self.drive(load), *streams)
        return load

    def run(self):
        self.t_inject = self.t_remove = self.exit_after = None
        addresses = self.start_backends()
        self.proxy = Proxy(self.proxy_kind, self.binary, self.workdir, addresses, self.grace_seconds)
        started = time.monotonic()
        load = asyncio.run(self.run_load())
        self.wall = time.monotonic() - started
        self.read_back(load)
        result = self.analyse(load)
        self.stop()
        return result

    def stop(self):
        for process in [self.proxy.process] + [server.process for server in self.redis] + (
                [self.relay.process] if self.relay else []):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self.netns:
            self.netns.remove()

    def read_back(self, load):
        """Finds each acknowledged SET on the redis-servers themselves: on any of them, as an ejected server's keys
        go to the others meanwhile."""
        for server in self.redis:
            if server.process.poll() is not None:
                raise RuntimeError(f"redis-server {server.address} is not running for the read-back")
        pending = {request.key: request for request in load.acked}
        for index, server in enumerate(self.redis):
            client = RespClient(*server.address, timeout=30)
            keys = list(pending)
            for start in range(0, len(keys), 1000):
                chunk = keys[start:start + 1000]
                values = client.call("MGET", *chunk)
                for key, value in zip(chunk, values):
                    if value is not None and value.decode() == pending[key].value:
                        pending[key].landed = index
            client.close()
        self.lost = [request for request in load.acked if request.landed is None]

    # MARK: - Figures

    def analyse(self, load):
        requests = load.requests
        errors = [r for r in requests if r.kind in ERROR_KINDS]
        healthy_errors = [r for r in errors if not r.affected] if self.name != "sigterm" else []
        hung = [r for r in requests if r.kind == "hung" or r.kind is None]
        result = {
            "scenario": self.name,
            "proxy": self.proxy_kind,
            "description": DESCRIPTIONS[self.name],
            "quick": self.quick,
            "rate": self.rate,
            "requests": len(requests),
            "acked_writes": len(load.acked),
            "errors": len(errors),
            "errors_by_kind": {kind: sum(1 for r in errors if r.kind == kind) for kind in ERROR_KINDS},
            "errors_on_healthy_backends": len(healthy_errors),
            "hung": len(hung),
            "lost_acked_writes": len(self.lost),
            "wrong_replies": sum(1 for r in requests if r.kind == "wrong"),
            # A reset of a connection the proxy never accepted is a refusal while its listener closes (SIGTERM);
            # anywhere else it counts as a reset like any other.
            "connection_resets": load.resets + (0 if self.name == "sigterm" else load.unaccepted_resets),
            "unaccepted_resets": load.unaccepted_resets,
            "fail_fast_ms": None,
            "recover_ms": None,
            "recovered": None,
            "max_latency_ms": round(max((r.latency for r in requests if r.latency), default=0) * 1000),
            "sample_errors": sorted({(r.text or r.kind)[:120] for r in errors})[:6],
            "notes": self.notes,
        }
        t0 = self.t_inject
        fast = FAST_MS / 1000
        # Fail fast: the first request to the affected backend, due after the fault began, that came back within
        # 50 ms without reaching that backend: an error, or (after an ejection) a write stored on another server.
        affected = [r for r in requests if r.affected and r.scheduled >= t0
                    and (self.t_remove is None or r.scheduled < self.t_remove)]
        if self.name == "sigterm":
            affected = [r for r in requests if r.scheduled >= t0]
        for r in affected:
            if r.latency is not None and r.latency < fast and (
                    r.kind in ERROR_KINDS or (r.op == "SET" and r.kind == "ok" and r.landed not in (None, VICTIM))):
                result["fail_fast_ms"] = round((r.scheduled - t0) * 1000)
                break
        if self.name == "sigterm":
            result["refused_new_connections"] = self.refused
            result["exit_code"] = self.exit_code
            result["exit_after_ms"] = None if self.exit_after is None else round(self.exit_after * 1000)
            # In flight at the SIGTERM: written before it, not answered before it. Each must still be answered.
            in_flight = [r for r in requests if r.sent is not None and r.sent < t0 and (r.done is None or r.done >= t0)]
            dropped = [r for r in in_flight if r.kind != "ok"]
            if os.environ.get("CHAOS_DEBUG"):
                for r in dropped:
                    print(f"  dropped {r.n} {r.key} sent={1000 * (r.sent - t0):.1f}ms "
                          f"done={1000 * (r.done - t0):.1f}ms "
                          f"{r.kind} {r.text}", file=sys.stderr)
            result["in_flight_at_sigterm"] = len(in_flight)
            result["dropped_in_flight"] = len(dropped)
            result["closed_after_sigterm"] = sum(1 for r in requests if r.kind == "closed" and r.sent is not None
                                                 and r.sent >= t0)
            result["recovered"] = (self.exit_code == 0 and self.refused and not dropped
                                   and self.exit_after is not None and self.exit_after <= self.grace_seconds + 1)
            return result
        # Recovery: from the fault's removal to the first write, due after it, stored on the affected backend
        # itself, after which no affected request came back with an error. (Errors of other keys are counted apart:
        # on a machine stalled for longer than the timeout they happen, and say nothing about this backend.)
        t1 = self.t_remove
        last_error = max((r.scheduled for r in errors if r.affected), default=None)
        for r in requests:
            if (r.scheduled >= t1 and r.op == "SET" and r.affected and r.landed == VICTIM
                    and (last_error is None or r.scheduled > last_error)):
                result["recover_ms"] = round((r.scheduled - t1) * 1000)
                result["recovered"] = True
                break
        else:
            result["recovered"] = False
        result["errors_after_removal"] = sum(1 for r in errors if r.scheduled >= t1 and r.affected)
        if os.environ.get("CHAOS_DEBUG"):
            for r in errors:
                if r.scheduled >= t1:
                    print(f"  after removal +{1000 * (r.scheduled - t1):.0f} ms: {r.kind} {r.text}", file=sys.stderr)
        return result


def passed(result):
    """The verdict. Errors on healthy backends are reported, not judged: a machine that stalls the proxy or a
    redis-server for longer than the 500 ms timeout makes requests to any backend time out, rightly."""
    return (result["hung"] == 0 and result["lost_acked_writes"] == 0 and result["wrong_replies"] == 0
            and result["connection_resets"] == 0 and bool(result["recovered"]))


# MARK: - Output


def fmt_ms(value):
    return "-" if value is None else f"{value}"


def summary_line(result):
    line = (f"{result['proxy']:<10} {result['scenario']:<14} requests={result['requests']} "
            f"acked={result['acked_writes']} fail_fast_ms={fmt_ms(result['fail_fast_ms'])} ")
    if result["scenario"] == "sigterm":
        line += (f"exit={result['exit_code']} exit_after_ms={fmt_ms(result['exit_after_ms'])} "
                 f"refused_new={result['refused_new_connections']} in_flight={result['in_flight_at_sigterm']} "
                 f"dropped_in_flight={result['dropped_in_flight']} backlog_resets={result['unaccepted_resets']} ")
    else:
        line += f"recover_ms={fmt_ms(result['recover_ms'])} "
    line += (f"errors={result['errors']} healthy_errors={result['errors_on_healthy_backends']} "
             f"hung={result['hung']} lost={result['lost_acked_writes']} wrong={result['wrong_replies']} "
             f"resets={result['connection_resets']} "
             f"max_latency_ms={result['max_latency_ms']}")
    return line


def figures(result):
    """One proxy's cell of the table in docs/RELIABILITY.md."""
    if result is None:
        return "not run"
    if "error" in result:
        return f"could not run: {result['error']}"
    cell = f"fail fast {fmt_ms(result['fail_fast_ms'])} ms; "
    if result["scenario"] == "sigterm":
        exit_code = result["exit_code"]
        exit_text = "killed by SIGTERM" if exit_code is not None and exit_code < 0 else f"exit {exit_code}"
        cell += (f"{exit_text} after {fmt_ms(result['exit_after_ms'])} ms; in flight at SIGTERM "
                 f"{result['in_flight_at_sigterm']}, dropped {result['dropped_in_flight']}; new connections "
                 f"{'refused' if result['refused_new_connections'] else 'ACCEPTED'}; ")
    else:
        recovered = f"{result['recover_ms']} ms" if result["recovered"] else "NOT RECOVERED"
        cell += f"recover {recovered}; "
    healthy = ("" if result["scenario"] == "sigterm"
               else f" ({result['errors_on_healthy_backends']} on healthy backends)")
    cell += (f"errors {result['errors']} of {result['requests']}{healthy}; hung {result['hung']}; "
             f"lost acked {result['lost_acked_writes']} of {result['acked_writes']}")
    if result.get("wrong_replies") or result.get("connection_resets"):
        cell += f"; wrong replies {result['wrong_replies']}; resets {result['connection_resets']}"
    return cell


def markdown_table(document):
    rows = ["| Scenario | pool-proxy | nutcracker (twemproxy 0.5.0) | Reproduce |", "|---|---|---|---|"]
    results = document["results"]
    for name in SCENARIOS:
        ours = next((r for r in results if r["scenario"] == name and r["proxy"] == "pool-proxy"), None)
        if ours is None:
            continue
        peer = next((r for r in results if r["scenario"] == name and r["proxy"] == "nutcracker"), None)
        command = f"`Scripts/chaos faults --scenario {name} --peer nutcracker{' --quick' if document['quick'] else ''}`"
        rows.append(f"| {name}: {DESCRIPTIONS[name]} | {figures(ours)} | {figures(peer)} | {command} |")
    return "\n".join(rows)


def main(argv):
    parser = argparse.ArgumentParser(prog="Scripts/chaos faults", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS,
                        help="run only this scenario (repeatable); all six by default")
    parser.add_argument("--quick", action="store_true", help="the short CI version (about 10 s per scenario)")
    parser.add_argument("--peer", action="append", choices=["nutcracker"], default=[],
                        help="also run the scenarios against this peer")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE ('-' for stdout)")
    parser.add_argument("--rate", type=int, default=None, help="requests per second (default 800)")
    parser.add_argument("--markdown", action="store_true", help="print the table for docs/RELIABILITY.md at the end")
    parser.add_argument("--table-from", metavar="FILE",
                        help="print the table from the JSON of an earlier run, and exit")
    parser.add_argument("--pool-proxy", default=os.environ.get("POOL_PROXY_BIN"), help="the pool-proxy binary")
    parser.add_argument("--nutcracker", default=shutil.which("nutcracker") or "/usr/sbin/nutcracker")
    args = parser.parse_args(argv)
    if args.table_from:
        with open(args.table_from) as handle:
            print(markdown_table(json.load(handle)))
        return 0
    if not args.pool_proxy:
        parser.error("--pool-proxy or POOL_PROXY_BIN is required")
    scenarios = args.scenario or SCENARIOS
    rate = args.rate or 800
    chaos_lib.install_cleanup()
    if "netns-cut" in scenarios and not NetworkNamespace.available():
        print("chaos: skipping netns-cut: needs root and `ip netns`", file=sys.stderr)
        scenarios = [s for s in scenarios if s != "netns-cut"]
    workdir = chaos_lib.make_workdir()
    proxies = [("pool-proxy", args.pool_proxy)] + [(peer, args.nutcracker) for peer in args.peer]
    results = []
    failures = []
    for name in scenarios:
        for kind, binary in proxies:
            scenario = Scenario(name, kind, binary, args.quick, rate, workdir)
            try:
                result = scenario.run()
            except Exception as error:
                result = {"scenario": name, "proxy": kind, "error": f"{type(error).__name__}: {error}"}
                print(f"{kind:<10} {name:<14} FAILED TO RUN: {result['error']}", flush=True)
                scenario_cleanup(scenario)
                if kind == "pool-proxy":
                    failures.append(f"{kind} {name}: did not run")
                results.append(result)
                continue
            result["passed"] = passed(result)
            results.append(result)
            print(summary_line(result), flush=True)
            if result["errors"]:
                print(f"{'':<25} sample errors: {result['sample_errors']}", flush=True)
            if result["errors_on_healthy_backends"]:
                print(f"{'':<25} warning: {result['errors_on_healthy_backends']} errors on healthy backends (an "
                      "overloaded machine?)", flush=True)
            if kind == "pool-proxy" and not result["passed"]:
                failures.append(f"{kind} {name}: hung={result['hung']} lost={result['lost_acked_writes']} "
                                f"wrong={result['wrong_replies']} resets={result['connection_resets']} "
                                f"recovered={result['recovered']}")
    document = {"quick": args.quick, "rate": rate, "timeout_ms": TIMEOUT_MS, "results": results}
    if args.markdown:
        print(markdown_table(document))
    if args.json:
        text = json.dumps(document, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as handle:
                handle.write(text + "\n")
    if failures:
        print("chaos faults: FAILED\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("chaos faults: passed (no hung request, no lost acknowledged write, no wrong reply, no reset, every fault "
          "recovered)")
    return 0


def scenario_cleanup(scenario):
    try:
        if getattr(scenario, "proxy", None) is not None and hasattr(scenario, "redis"):
            scenario.stop()
        elif scenario.netns:
            scenario.netns.remove()
    except Exception:
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
