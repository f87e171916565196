#!/usr/bin/env python3
"""Load hardening for pool-proxy: 10,000 concurrent clients, and a long soak at a fraction of peak throughput.

Run through Scripts/chaos (`Scripts/chaos load ...`), or directly:
    python3 Scripts/chaos_load.py clients [--count 10000] [--duration 60] [--rate-per-client 0.5] [--rounds 2]
                                          [--peer nutcracker|none]
    python3 Scripts/chaos_load.py soak [--minutes 30] [--fraction 0.7] [--window 30]
    python3 Scripts/chaos_load.py --quick   # both, short (CI): 2,000 clients, 2 rounds of 15 s; a 60 s soak
Every subcommand takes --quick, --json FILE (`-` for standard output) and --keep-logs.

`clients` starts redis-server backends and pool-proxy on free loopback ports, then opens --count connections from
worker processes (asyncio), each trickling SET and GET of its own key at --rate-per-client requests per second and
checking every reply: a GET must return the value that client last wrote. It samples the proxy's RSS and open file
descriptors from /proc/PID throughout, and reports them idle, with every client connected, at the peak, and after
every client has gone. It does so --rounds times (connect, trickle, disconnect) against one proxy process. It fails
(exit 1) on any error, any connection not established, any client never served a verified GET, a proxy that dies or
does not exit 0 on SIGTERM, descriptors that do not return to the baseline, a peak above --max-kb-per-conn, or an
RSS (peak, and after disconnect) that grows by 5% or more from the first round to the last: memory taken
by the first round must be reused by the next, not added to.
`--peer nutcracker` runs the same against twemproxy with the same nutcracker.yml, for a figure beside ours.

`soak` measures the proxy's peak with pool-bench (closed loop), then drives pool-bench in open loop at --fraction of
it for --minutes, in back-to-back windows of --window seconds, with a few verifying clients beside it. Per window:
throughput, p50/p99 (corrected for coordinated omission), proxy RSS and descriptors. Verdict, after a warm-up of the
first 10% of the windows: RSS and descriptors (median of the first window after warm-up against the median of the
last) grow less than 5%, no errors, and p99 does not drift: the median p99 of the last third of the windows is under
1.5x that of the first third, or within 1 ms of it (an absolute floor, because a sub-millisecond p99 on a shared
machine moves by more than half with a neighbour's compile). The p99 judged is the service p99, from each request's
actual send; the corrected one (from its intended send) is printed beside it, but on a shared machine it mostly
measures how late a CPU-starved generator sent. With --quick the p99 check is reported, not enforced. Each window
is a new pool-bench process, so the proxy also sees --bench-clients connections open and close every window.
Requests pool-bench had not sent by a window's end, after falling behind its schedule on a starved CPU, are
reported (pool-bench's `unsent`), not judged; the verifying clients check every value throughout.

Nothing here gates on absolute speed. Binaries: $POOL_PROXY_BIN and $POOL_BENCH_BIN, or else
`swift build -c release --product pool-proxy` (and pool-bench) and `swift build -c release --show-bin-path`.
Every process started here is stopped on the way out, including by SIGTERM; children also get PR_SET_PDEATHSIG.
"""

import argparse
import asyncio
import ctypes
import json
import math
import multiprocessing
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PING = b"*1\r\n$4\r\nPING\r\n"
# Descriptors the proxy may hold beyond its baseline after every client left (a health-check reconnect, say).
FD_SLACK = 8


class RunFailed(Exception):
    """The run itself did not work: a binary is missing, a process would not start or died."""


# ---------------------------------------------------------------------------------------------------------------
# processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def ping(port, timeout=1.0):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(PING)
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def proc_status(pid):
    """VmRSS and VmHWM in KB, and the number of open descriptors, of a live process."""
    rss = hwm = None
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm, len(os.listdir(f"/proc/{pid}/fd"))


def cpu_seconds(pid):
    """User plus system CPU time of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class Process:
    """A server under test in its own session (Ctrl-C reaches only this script), its output in a log file."""

    def __init__(self, name, argv, port, log):
        self.name, self.argv, self.port, self.log = name, argv, port, log
        self.popen = None

    @property
    def pid(self):
        return self.popen.pid

    def start(self):
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RunFailed(f"{self.name} exited with {self.popen.returncode} at start\n{self.describe()}")
            if ping(self.port):
                return self
            time.sleep(0.05)
        raise RunFailed(f"{self.name} did not answer PING on :{self.port} within 30 s\n{self.describe()}")

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def describe(self, lines=30):
        try:
            with open(self.log, errors="replace") as log:
                tail = log.readlines()[-lines:]
        except OSError:
            tail = []
        state = "running" if self.alive() else f"exit status {self.popen.returncode if self.popen else 'n/a'}"
        return (f"  {self.name}: {' '.join(self.argv)}\n  {state}; last {len(tail)} lines of {self.log}:\n"
                + "".join("    " + line for line in tail))

    def stop(self, timeout=10):
        if not self.alive():
            return self.popen.returncode if self.popen else None
        self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            return "killed after SIGTERM timeout"


class Stack:
    """redis-server backends and the proxies under test, each on a free loopback port, stopped together."""

    def __init__(self, keep_logs):
        self.keep_logs = keep_logs
        self.work = tempfile.mkdtemp(prefix="chaos-load.")
        self.processes = []

    def __enter__(self):
        return self

    def __exit__(self, *_):
        for process in reversed(self.processes):
            process.stop()
        if self.keep_logs:
            print(f"logs kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def _start(self, process):
        self.processes.append(process)
        return process.start()

    def start_redis(self, index):
        port = free_port()
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", self.work, "--logfile", "", "--maxclients", "1000"]
        return self._start(Process(f"redis-server-{index}", argv, port, os.path.join(self.work, f"redis-{index}.log")))

    def write_config(self, name, listen_port, backends, client_connections):
        # Only twemproxy's keys: the very same file runs under nutcracker.
        path = os.path.join(self.work, f"{name}.yml")
        with open(path, "w") as f:
            f.write(nutcracker_yml(listen_port, backends, client_connections))
        return path

    def start_pool_proxy(self, binary, backends, client_connections, threads=None):
        port = free_port()
        conf = self.write_config("pool-proxy", port, backends, client_connections)
        argv = [binary, "--config", conf, "--grace-period", "2"]
        if threads:
            argv += ["--threads", str(threads)]
        return self._start(Process("pool-proxy", argv, port, os.path.join(self.work, "pool-proxy.log")))

    def start_nutcracker(self, backends, client_connections):
        port, stats = free_port(), free_port()
        conf = self.write_config("nutcracker", port, backends, client_connections)
        log = os.path.join(self.work, "nutcracker.log")
        argv = ["nutcracker", "-c", conf, "-p", os.path.join(self.work, "nutcracker.pid"), "-o", log,
                "-s", str(stats), "-a", "127.0.0.1"]
        return self._start(Process("nutcracker", argv, port, log))


def nutcracker_yml(listen_port, backends, client_connections):
    servers = "".join(f"   - 127.0.0.1:{b.port}:1\n" for b in backends)
    return ("load:\n"
            f"  listen: 127.0.0.1:{listen_port}\n"
            "  hash: fnv1a_64\n"
            "  distribution: ketama\n"
            "  redis: true\n"
            "  backlog: 4096\n"
            f"  client_connections: {client_connections}\n"
            "  server_connections: 1\n"
            "  auto_eject_hosts: false\n"
            "  servers:\n" + servers)


def complaints(log):
    # swift-log's StreamLogHandler writes "<timestamp> <level> <label>: ...".
    try:
        with open(log, errors="replace") as f:
            return [line.rstrip() for line in f
                    if line.split(" ", 2)[1:2] in (["warning"], ["error"], ["critical"])]
    except OSError:
        return []


def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def install_signal_handlers():
    # SIGTERM and SIGHUP unwind like Ctrl-C, so every `finally` and `with` stops what it started.
    def unwind(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, unwind)


def swift_binary(env_name, product, work):
    """The binary named by the environment, or a fresh release build, copied into `work`: a builder that relinks
    .build/release during a long run then changes nothing under test."""
    path = os.environ.get(env_name)
    if path:
        if not os.access(path, os.X_OK):
            raise RunFailed(f"${env_name}={path} is not an executable file")
        return private_copy(path, product, work)
    print(f"== swift build -c release --product {product} (set ${env_name} to skip)", flush=True)
    built = subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT)
    if built.returncode != 0:
        raise RunFailed(f"swift build -c release --product {product} failed ({built.returncode})")
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    return private_copy(os.path.join(bin_path, product), product, work)


def private_copy(path, product, work):
    copy = os.path.join(work, product)
    shutil.copy2(path, copy)
    version = subprocess.run([copy, "--version"], capture_output=True, text=True).stdout.splitlines()
    print(f"{product}: {path} ({version[0] if version else 'no --version'})", flush=True)
    return copy


class Sampler(threading.Thread):
    """Reads a process's RSS, high-water mark and descriptor count every `interval` seconds, tagged by phase."""

    def __init__(self, pid, interval):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = []  # (seconds since start, phase, rss_kb, hwm_kb, fds)
        self.phase = "start"
        self.started_at = time.monotonic()
        self._halt = threading.Event()

    def sample(self):
        try:
            rss, hwm, fds = proc_status(self.pid)
        except (OSError, ValueError):
            return None
        row = (time.monotonic() - self.started_at, self.phase, rss, hwm, fds)
        self.samples.append(row)
        return row

    def run(self):
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self):
        self._halt.set()
        self.join()

    def of(self, phase):
        return [s for s in self.samples if s[1] == phase]


# ---------------------------------------------------------------------------------------------------------------
# clients: many concurrent connections, each a slow trickle of verified SET/GET


class Tally:
    def __init__(self):
        self.requests = 0
        self.errors = 0
        self.messages = []
        self.latencies = []
        self.lags = []  # how late each request left against its schedule: the generator's own health

    def error(self, message):
        self.errors += 1
        if len(self.messages) < 10:
            self.messages.append(message)


def command(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        out.append(b"$%d\r\n%s\r\n" % (len(part), part))
    return b"".join(out)


def parse_reply(buffer):
    """The first RESP2 reply in `buffer` as (kind, payload, length), or None while it is incomplete.

    kind is '+', '-' or ':' with the line as payload, or '$' with the bytes (None for a nil)."""
    end = buffer.find(b"\r\n")
    if end < 0:
        return None
    kind, body = chr(buffer[0]), bytes(buffer[1:end])
    if kind != "$":
        return kind, body, end + 2
    length = int(body)
    if length < 0:
        return "$", None, end + 2
    if len(buffer) < end + 2 + length + 2:
        return None
    return "$", bytes(buffer[end + 2:end + 2 + length]), end + 4 + length


class LoadClient(asyncio.Protocol):
    """One client connection: a PING when connected, then SET and GET of its own key on a jittered schedule.

    Callbacks and one timer per client rather than a coroutine per request: a Python process then drives
    thousands of connections on a fraction of a core, so the generator is not what the latencies measure."""

    def __init__(self, worker, cid):
        self.worker, self.cid = worker, cid
        self.key = b"load:%s:%d" % (worker.run_tag, cid)
        self.transport = None
        self.buffer = bytearray()
        self.pending = None  # "PING", "SET" or "GET" while a request is in flight
        self.sent_at = 0.0
        self.value = self.next_value = None
        self.due = 0.0
        self.sequence = 0
        self.served = 0
        self.alive = False
        self.ready = worker.loop.create_future()  # resolved by the PING reply

    def connection_made(self, transport):
        self.transport = transport
        self.alive = True
        self.send("PING", PING)

    def send(self, kind, request):
        self.pending, self.sent_at = kind, self.worker.loop.time()
        self.transport.write(request)

    def fail(self, message):
        self.worker.tally.error(f"client {self.cid}: {message}")
        if self.alive:
            self.alive = False
            self.transport.abort()
        if not self.ready.done():
            self.ready.set_result(False)
        self.worker.finished(self)

    def connection_lost(self, exc):
        if self.alive and not self.worker.closing:
            self.fail(f"connection lost ({exc or 'closed by the server'}) while {self.pending or 'idle'}")
        self.alive = False

    def data_received(self, data):
        self.buffer += data
        while self.alive:
            try:
                reply = parse_reply(self.buffer)
            except ValueError:
                return self.fail(f"unparsable reply {bytes(self.buffer[:80])!r}")
            if reply is None:
                return
            del self.buffer[:reply[2]]
            self.reply(reply[0], reply[1])

    def reply(self, kind, body):
        pending, self.pending = self.pending, None
        if pending is None:
            return self.fail(f"unexpected reply {kind}{body!r}")
        worker = self.worker
        if pending == "PING":
            if (kind, body) != ("+", b"PONG"):
                return self.fail(f"PING answered {kind}{body!r}")
            self.ready.set_result(True)
            return
        worker.tally.latencies.append(worker.loop.time() - self.sent_at)
        worker.tally.requests += 1
        if pending == "SET":
            if (kind, body) != ("+", b"OK"):
                return self.fail(f"SET answered {kind}{body!r}")
            self.value = self.next_value
        elif (kind, body) != ("$", self.value):
            return self.fail(f"GET returned {kind}{body!r}, expected {self.value!r}")
        else:
            self.served += 1
        self.schedule(self.due + worker.period * worker.rng.uniform(0.5, 1.5))

    def schedule(self, due):
        self.due = due
        if due >= self.worker.end:
            return self.worker.finished(self)
        self.worker.loop.call_at(due, self.fire)

    def fire(self):
        if not self.alive:
            return
        self.worker.tally.lags.append(self.worker.loop.time() - self.due)
        if self.sequence % 2 == 0 or self.value is None:
            self.next_value = (b"%d:%d:%x:" % (self.cid, self.sequence, self.worker.rng.getrandbits(32))).ljust(
                self.worker.value_size, b"v")
            self.send("SET", command(b"SET", self.key, self.next_value))
        else:
            self.send("GET", command(b"GET", self.key))
        self.sequence += 1


class LoadWorker:
    """The clients of one load process, and what they tally."""

    def __init__(self, loop, port, rate, timeout, value_size, seed, run_tag):
        self.loop, self.port, self.timeout, self.value_size, self.run_tag = loop, port, timeout, value_size, run_tag
        self.period = 1.0 / rate
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.clients = []
        self.end = 0.0
        self.active = set()
        self.all_finished = None
        self.closing = False

    async def connect(self, cid, semaphore):
        async with semaphore:
            client = None
            try:
                _, client = await asyncio.wait_for(
                    self.loop.create_connection(lambda: LoadClient(self, cid), "127.0.0.1", self.port), self.timeout)
                self.clients.append(client)
                if not await asyncio.wait_for(asyncio.shield(client.ready), self.timeout):
                    return
            except (OSError, asyncio.TimeoutError) as error:
                self.tally.error(f"client {cid}: connect: {type(error).__name__}: {error}")
                if client is not None and client.alive:
                    client.alive = False
                    client.transport.abort()

    def start(self, duration):
        now = self.loop.time()
        self.end = now + duration
        self.all_finished = self.loop.create_future()
        self.active = {c for c in self.clients if c.alive}
        for client in list(self.active):
            client.schedule(now + self.rng.uniform(0, self.period))
        if not self.active:
            self.all_finished.set_result(None)

    def finished(self, client):
        self.active.discard(client)
        if not self.active and self.all_finished is not None and not self.all_finished.done():
            self.all_finished.set_result(None)

    async def watchdog(self):
        # One scan a second instead of a timer per request: a request unanswered for `timeout` is an error.
        while True:
            await asyncio.sleep(1.0)
            now = self.loop.time()
            for client in self.clients:
                if client.alive and client.pending and now - client.sent_at > self.timeout:
                    client.fail(f"{client.pending}: no reply within {self.timeout:.0f} s")


async def worker_main(pipe, port, first_cid, count, rate, timeout, value_size, connect_concurrency, seed, run_tag):
    loop = asyncio.get_running_loop()
    worker = LoadWorker(loop, port, rate, timeout, value_size, seed, run_tag)
    watchdog = loop.create_task(worker.watchdog())
    semaphore = asyncio.Semaphore(connect_concurrency)
    began = time.monotonic()
    await asyncio.gather(*(worker.connect(first_cid + i, semaphore) for i in range(count)))
    connected = sum(c.alive for c in worker.clients)
    pipe.send(("connected", {"connected": connected, "seconds": time.monotonic() - began,
                             "errors": worker.tally.errors, "messages": list(worker.tally.messages)}))
    message = await loop.run_in_executor(None, pipe.recv)
    if message[0] != "go":
        return
    cpu = time.process_time()
    worker.start(message[1])
    await worker.all_finished
    # Requests in flight at the end still get their replies (or the watchdog's verdict).
    while any(c.alive and c.pending for c in worker.clients):
        await asyncio.sleep(0.05)
    tally = worker.tally
    tally.latencies.sort()
    tally.lags.sort()
    pipe.send(("done", {"requests": tally.requests, "errors": tally.errors, "messages": tally.messages,
                        "connected_at_end": sum(c.alive for c in worker.clients),
                        "unserved": count - sum(1 for c in worker.clients if c.served > 0),
                        "cpu_seconds": time.process_time() - cpu, "latencies": tally.latencies,
                        "lag_p99": percentile(tally.lags, 99)}))
    await loop.run_in_executor(None, pipe.recv)  # "close"
    worker.closing = True
    watchdog.cancel()
    for client in worker.clients:
        if client.transport is not None:
            client.transport.close()
    await asyncio.sleep(0.5)
    pipe.send(("closed", {}))


def worker_entry(pipe, *args):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _die_with_parent()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        asyncio.run(worker_main(pipe, *args))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))]


def collect(pipes, expected, deadline):
    """One message of kind `expected` from every worker, or RunFailed naming the ones that did not answer."""
    out = [None] * len(pipes)
    while any(o is None for o in out):
        for i, pipe in enumerate(pipes):
            if out[i] is None and pipe.poll(0.1):
                try:
                    kind, body = pipe.recv()
                except EOFError:
                    raise RunFailed(f"load worker {i} died before '{expected}'")
                if kind != expected:
                    raise RunFailed(f"load worker {i} sent '{kind}', expected '{expected}'")
                out[i] = body
        if time.monotonic() > deadline:
            missing = [i for i, o in enumerate(out) if o is None]
            raise RunFailed(f"load workers {missing} did not report '{expected}' in time")
    return out


def settle(sampler, seconds):
    time.sleep(seconds)
    return sampler.sample()


def warm(target):
    # One request first, so the backend connections and first-use buffers are in the baseline.
    with socket.create_connection(("127.0.0.1", target.port), timeout=5) as s:
        s.sendall(command(b"SET", b"load:warm", b"1") + command(b"GET", b"load:warm"))
        reply = b""
        while not reply.endswith(b"$1\r\n1\r\n"):
            chunk = s.recv(256)
            if not chunk:
                raise RunFailed(f"{target.name} closed the warm-up connection after {reply!r}")
            reply += chunk


def run_round(target, args, sampler, round_index, baseline):
    """One round against a running proxy: connect every client, trickle, disconnect. Returns the round's report.

    `baseline` is the idle sample before the first round: KB per connection is measured from it, so a second round
    shows whether memory the first one took is reused (flat) or leaked (growing)."""
    tag = f"r{round_index}"
    sampler.phase = f"{tag}:idle"
    idle = settle(sampler, args.settle) if round_index else baseline
    context = multiprocessing.get_context("spawn")
    per_worker = [args.count // args.workers + (1 if i < args.count % args.workers else 0)
                  for i in range(args.workers)]
    run_tag = b"%x" % random.getrandbits(32)
    pipes, workers = [], []
    first = 0
    try:
        for i, n in enumerate(per_worker):
            parent_end, child_end = context.Pipe()
            worker = context.Process(target=worker_entry, daemon=True, args=(
                child_end, target.port, first, n, args.rate_per_client, args.op_timeout, args.value_size,
                args.connect_concurrency, args.seed + 100 * round_index + i, run_tag))
            worker.start()
            pipes.append(parent_end)
            workers.append(worker)
            first += n
        sampler.phase = f"{tag}:connecting"
        began = time.monotonic()
        connected = collect(pipes, "connected", began + 120 + args.count / 100)
        connect_seconds = time.monotonic() - began
        total_connected = sum(c["connected"] for c in connected)
        print(f"  round {round_index + 1}: connected {total_connected}/{args.count} in {connect_seconds:.1f} s",
              flush=True)
        sampler.phase = f"{tag}:connected"
        with_clients = settle(sampler, args.settle)
        sampler.phase = f"{tag}:trickle"
        cpu_start, trickle_start = cpu_seconds(target.pid), time.monotonic()
        for pipe in pipes:
            pipe.send(("go", args.duration))
        done = collect(pipes, "done", time.monotonic() + args.duration + args.op_timeout + 60)
        proxy_cpu = (cpu_seconds(target.pid) - cpu_start) / (time.monotonic() - trickle_start)
        sampler.phase = f"{tag}:closing"
        for pipe in pipes:
            pipe.send(("close",))
        collect(pipes, "closed", time.monotonic() + 60)
    finally:
        for worker in workers:
            worker.join(5)
            if worker.is_alive():
                worker.terminate()
                worker.join()
    sampler.phase = f"{tag}:after"
    # Wait for the proxy to see every close, then let it settle.
    deadline = time.monotonic() + 15
    after = sampler.sample()
    while after and after[4] > baseline[4] + FD_SLACK and time.monotonic() < deadline:
        time.sleep(0.5)
        after = sampler.sample()
    after = settle(sampler, args.settle) or after

    latencies = sorted(v for d in done for v in d["latencies"])
    round_samples = [s for s in sampler.samples if s[1].startswith(tag + ":")]
    trickle_samples = sampler.of(f"{tag}:trickle")
    peak_rss = max((s[2] for s in round_samples), default=None)
    requests = sum(d["requests"] for d in done)
    errors = sum(c["errors"] for c in connected) + sum(d["errors"] for d in done)
    messages = [m for c in connected for m in c["messages"]] + [m for d in done for m in d["messages"]]
    report = {
        "target": target.name,
        "round": round_index + 1,
        "clients": args.count,
        "connected": total_connected,
        "connect_seconds": round(connect_seconds, 2),
        "connected_at_end": sum(d["connected_at_end"] for d in done),
        "unserved": sum(d["unserved"] for d in done),  # never connected ones included
        "requests": requests,
        "requests_per_second": round(requests / args.duration, 1),
        "errors": errors,
        "error_messages": messages[:10],
        "latency_ms": {"p50": ms(percentile(latencies, 50)), "p99": ms(percentile(latencies, 99)),
                       "p999": ms(percentile(latencies, 99.9)), "max": ms(latencies[-1] if latencies else None)},
        "rss_kb": {"baseline": baseline[2], "idle": idle[2], "connected": with_clients[2],
                   "trickle_median": median_of(trickle_samples, 2), "peak_sampled": peak_rss,
                   "vm_hwm": after[3] if after else None, "after": after[2] if after else None},
        "fds": {"baseline": baseline[4], "idle": idle[4], "connected": with_clients[4],
                "peak": max((s[4] for s in round_samples), default=None), "after": after[4] if after else None},
        "cpu_during_trickle": round(proxy_cpu, 3),
        "generator_cpu": round(sum(d["cpu_seconds"] for d in done) / args.duration, 3),
        "generator_lag_p99_ms": ms(max((d["lag_p99"] or 0) for d in done)),
        "alive": target.alive(),
    }
    if total_connected:
        report["kb_per_connection"] = round((with_clients[2] - baseline[2]) / total_connected, 2)
        report["peak_kb_per_connection"] = round((peak_rss - baseline[2]) / total_connected, 2)
    return report


def run_clients_against(target, args, sampler):
    """Every round against one running proxy (pool-proxy or nutcracker); returns the rounds' reports."""
    print(f"\n== {target.name} (pid {target.pid}, :{target.port}): {args.count} clients, {args.rounds} round(s) of"
          f" {args.duration:.0f} s, {args.rate_per_client} req/s each, {args.workers} load processes", flush=True)
    warm(target)
    sampler.phase = "baseline"
    baseline = settle(sampler, args.settle)
    return [run_round(target, args, sampler, i, baseline) for i in range(args.rounds)]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 3)


def median_of(samples, column):
    values = [s[column] for s in samples if s[column] is not None]
    return statistics.median(values) if values else None


def judge_round(report, args):
    problems = []
    where = f"round {report['round']}: "
    if not report["alive"]:
        problems.append("died")
    if report["connected"] != report["clients"]:
        problems.append(f"{report['clients'] - report['connected']} connection(s) not established")
    if report["errors"]:
        problems.append(f"{report['errors']} error(s)")
    if report["unserved"]:
        problems.append(f"{report['unserved']} client(s) never served a verified GET")
    if report["connected_at_end"] != report["connected"]:
        problems.append(f"{report['connected'] - report['connected_at_end']} client(s) lost their connection")
    fds = report["fds"]
    if fds["after"] is None or fds["after"] > fds["baseline"] + FD_SLACK:
        problems.append(f"descriptors after disconnect {fds['after']} > baseline {fds['baseline']} + {FD_SLACK}")
    peak = report.get("peak_kb_per_connection")
    if peak is not None and args.max_kb_per_conn and peak > args.max_kb_per_conn:
        problems.append(f"peak RSS growth {peak} KB/connection > bound {args.max_kb_per_conn} KB")
    return [where + p for p in problems]


def judge_rounds(rounds, args):
    """Every round on its own, then the last round against the first: memory must be reused, not added to."""
    problems = [p for r in rounds for p in judge_round(r, args)]
    if len(rounds) > 1:
        # Peak against peak and after against after: "all connected" of round 1 is read before the first trickle
        # touched any buffer, so against round 2's it would count buffers reused, not added.
        for key in ("peak_sampled", "after"):
            first, last = rounds[0]["rss_kb"][key], rounds[-1]["rss_kb"][key]
            change = growth(first, last)
            if change is None or change >= args.max_growth:
                problems.append(f"RSS {key} grew {fmt_pct(change)} from round 1 to round {len(rounds)}"
                                f" (bound {args.max_growth:.0%})")
    return problems


def print_clients(reports):
    rows = [
        ("connections established", lambda r: f"{r['connected']:,} / {r['clients']:,} in {r['connect_seconds']} s"),
        ("requests (verified SET/GET)", lambda r: f"{r['requests']:,} ({r['requests_per_second']:,.0f}/s)"),
        ("errors", lambda r: f"{r['errors']}"),
        ("clients never served", lambda r: f"{r['unserved']}"),
        ("latency p50 / p99 / max ms", lambda r: "{p50} / {p99} / {max}".format(**r["latency_ms"])),
        ("proxy CPU during trickle", lambda r: f"{r['cpu_during_trickle'] * 100:.0f}% of a core"),
        ("load generator CPU / lag p99", lambda r: f"{r['generator_cpu'] * 100:.0f}% / {r['generator_lag_p99_ms']} ms"),
        ("RSS idle before the round (KB)", lambda r: f"{r['rss_kb']['idle']:,}"),
        ("RSS all connected (KB)", lambda r: f"{r['rss_kb']['connected']:,}"),
        ("RSS during trickle, median (KB)", lambda r: f"{r['rss_kb']['trickle_median']:,.0f}"),
        ("RSS peak sampled / VmHWM (KB)", lambda r: f"{r['rss_kb']['peak_sampled']:,} / {r['rss_kb']['vm_hwm']:,}"),
        ("RSS after disconnect (KB)", lambda r: f"{r['rss_kb']['after']:,}"),
        ("KB per connection (connected)", lambda r: f"{r.get('kb_per_connection', '-')}"),
        ("KB per connection (peak)", lambda r: f"{r.get('peak_kb_per_connection', '-')}"),
        ("fds idle / connected / after", lambda r: "{idle} / {connected} / {after}".format(**r["fds"])),
        ("verdict", lambda r: "PASS" if not judge_round(r, r["_args"]) else "FAIL"),
    ]
    header = ["", *[f"{r['target']} #{r['round']}" for r in reports]]
    lines = [[label, *[cell(r) for r in reports]] for label, cell in rows]
    print_table(header, lines)


def print_table(header, lines):
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines)]
    for cells in [header] + lines:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths))))


def clients(args):
    if args.quick:
        args.count = args.count or 2000
        args.duration = args.duration or 15
        args.settle = args.settle or 1.0
    args.settle = args.settle or 2.0
    args.count = args.count or 10000
    args.duration = args.duration or 60
    if args.duration * args.rate_per_client < 3:
        raise RunFailed("--duration x --rate-per-client must be at least 3, so that every client sets and gets")
    args.peer = args.peer or ("none" if args.quick else "nutcracker")
    args.workers = args.workers or max(1, min(4, math.ceil(args.count / 5000)))
    soft, hard = raise_fd_limit(args.count + 1000)
    if soft < args.count + 200:
        raise RunFailed(f"RLIMIT_NOFILE is {soft} (hard {hard}); {args.count} clients need {args.count + 200}:"
                        f" raise the hard limit (ulimit -Hn) or lower --count")
    reports, problems = [], []
    with Stack(args.keep_logs) as stack:
        binary = swift_binary("POOL_PROXY_BIN", "pool-proxy", stack.work)
        backends = [stack.start_redis(i) for i in range(args.backends)]
        targets = [("pool-proxy", lambda: stack.start_pool_proxy(binary, backends, args.count + 100, args.threads))]
        if args.peer == "nutcracker":
            if shutil.which("nutcracker") is None:
                raise RunFailed("--peer nutcracker: no nutcracker on PATH (Debian: apt-get install nutcracker)")
            targets.append(("nutcracker", lambda: stack.start_nutcracker(backends, args.count + 100)))
        print(f"backends: {', '.join(f'redis-server :{b.port}' for b in backends)}; RLIMIT_NOFILE {soft};"
              f" {os.cpu_count()} CPUs shared by the proxy, the backends and the load processes")
        for name, start in targets:
            target = start()
            sampler = Sampler(target.pid, args.sample_interval)
            sampler.sample()
            sampler.start()
            try:
                rounds = run_clients_against(target, args, sampler)
            finally:
                sampler.stop()
            report = {"target": name, "rounds": rounds, "log_complaints": complaints(target.log)[:20]}
            report["exit_status"] = target.stop()
            report["problems"] = judge_rounds(rounds, args)
            if name == "pool-proxy" and report["exit_status"] not in (0, None):
                report["problems"].append(f"exited with {report['exit_status']} on SIGTERM")
            report["samples"] = [list(s) for s in sampler.samples]
            if name == "pool-proxy":
                problems += [f"pool-proxy {p}" for p in report["problems"]]
                if report["problems"]:
                    print(target.describe(), file=sys.stderr)
            reports.append(report)

    print(f"\n{args.count:,} clients, {args.rate_per_client} req/s each (SET then GET of its own key, every reply"
          f" checked), {args.rounds} round(s) of {args.duration:.0f} s; RSS from /proc/PID/status, sampled every"
          f" {args.sample_interval} s; KB per connection from the idle baseline before round 1")
    print_clients([dict(r, _args=args) for report in reports for r in report["rounds"]])
    for report in reports:
        for r in report["rounds"]:
            for message in r["error_messages"]:
                print(f"  {report['target']} #{r['round']}: {message}")
        for line in report["log_complaints"][:10]:
            print(f"  {report['target']} log: {line}")
        if report["problems"]:
            gated = "" if report["target"] == "pool-proxy" else " (peer, not gated)"
            print(f"  {report['target']}{gated}: {'; '.join(report['problems'])}")
    if len(reports[0]["rounds"]) > 1:
        first, last = reports[0]["rounds"][0]["rss_kb"], reports[0]["rounds"][-1]["rss_kb"]
        print(f"pool-proxy round 1 -> {args.rounds}: RSS peak {first['peak_sampled']:,} -> {last['peak_sampled']:,} KB"
              f" ({fmt_pct(growth(first['peak_sampled'], last['peak_sampled']))}), after"
              f" {first['after']:,} -> {last['after']:,} KB ({fmt_pct(growth(first['after'], last['after']))});"
              f" bound {args.max_growth:.0%}")
    verdict = "PASS" if not problems else "FAIL"
    print(f"\nclients verdict: {verdict}" + ("" if not problems else ": " + "; ".join(problems)))
    document = {"scenario": "clients", "settings": settings_of(args), "verdict": verdict, "problems": problems,
                "reports": reports}
    return not problems, document


# ---------------------------------------------------------------------------------------------------------------
# soak: open-loop load at a fraction of the peak, sampled per window


class Verifier(threading.Thread):
    """A few blocking clients beside pool-bench that SET and GET their own keys and check every value."""

    def __init__(self, port, connections=4, period=0.05):
        super().__init__(daemon=True)
        self.port, self.connections, self.period = port, connections, period
        self.requests = self.errors = 0
        self.messages = []
        self._halt = threading.Event()

    def error(self, message):
        self.errors += 1
        if len(self.messages) < 10:
            self.messages.append(message)

    def run(self):
        socks = []
        try:
            for _ in range(self.connections):
                s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                socks.append((s, s.makefile("rb")))
        except OSError as error:
            self.error(f"verifier connect: {error}")
            return
        tag = random.getrandbits(32)
        n = 0
        while not self._halt.wait(self.period):
            s, f = socks[n % len(socks)]
            key = b"soak:verify:%x:%d" % (tag, n % 97)
            value = b"%d:%x" % (n, random.getrandbits(64))
            try:
                s.sendall(command(b"SET", key, value) + command(b"GET", key))
                first, second = f.readline(), f.readline()
                data = f.read(len(value) + 2) if second.startswith(b"$") and second != b"$-1\r\n" else b""
                self.requests += 2
                if first != b"+OK\r\n" or second != b"$%d\r\n" % len(value) or data != value + b"\r\n":
                    self.error(f"verifier: SET/GET of {key!r} answered {first!r} {second!r} {data!r}")
            except OSError as error:
                self.error(f"verifier: {type(error).__name__}: {error}")
                return
            n += 1
        for s, f in socks:
            f.close()
            s.close()

    def stop(self):
        self._halt.set()
        self.join(15)


def pool_bench(binary, port, work, name, args, duration, rate=None, warmup=None):
    out = os.path.join(work, f"{name}.json")
    argv = [binary, "run", "--server", f"127.0.0.1:{port}", "--clients", str(args.bench_clients),
            "--duration", f"{duration}s", "--json", out, "--quiet", "--seed", str(random.getrandbits(31))]
    if rate:
        argv += ["--rate", f"{rate:.0f}"]
    if warmup:
        argv += ["--warmup", f"{warmup}s"]
    if args.bench_threads:
        argv += ["--threads", str(args.bench_threads)]
    return argv, out


def read_bench(out, argv, proc_output):
    try:
        with open(out) as f:
            run = json.load(f)["runs"][0]
    except (OSError, ValueError, KeyError, IndexError) as error:
        raise RunFailed(f"`{' '.join(argv)}` left no JSON ({error})\n  output: {proc_output[-2000:]!r}")
    total = next(c for c in run["commands"] if c["name"] == "ALL")
    return {
        "ops_per_second": run["operationsPerSecond"],
        "operations": run["operations"],
        "errors": run["errors"],
        # Open loop: requests due before the window's end that pool-bench had not sent when it came, because it
        # fell behind its schedule (a starved CPU). Reported, not judged.
        "unsent": run.get("unsent", 0),
        "error_kinds": total["errors"],
        "p50_ms": total["latency"]["p50Microseconds"] / 1000,
        "p99_ms": total["latency"]["p99Microseconds"] / 1000,
        "max_ms": total["latency"]["maxMicroseconds"] / 1000,
        "p99_uncorrected_ms": (total.get("uncorrectedLatency") or total["latency"])["p99Microseconds"] / 1000,
    }


def run_bench(argv, out, timeout):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 and not os.path.exists(out):
        raise RunFailed(f"`{' '.join(argv)}` exited {result.returncode}\n  {result.stderr.strip()[-2000:]}")
    return read_bench(out, argv, result.stdout + result.stderr)


def growth(first, last):
    return None if not first else (last - first) / first


def soak(args):
    if args.quick:
        args.minutes = args.minutes or 1.0
        args.window = args.window or 10
        args.peak_seconds = args.peak_seconds or 5
        args.sample_interval = args.sample_interval or 1.0
    args.minutes = args.minutes or 30.0
    args.window = args.window or 30
    args.peak_seconds = args.peak_seconds or 15
    args.sample_interval = args.sample_interval or 3.0
    windows = max(3, round(args.minutes * 60 / args.window))
    warmup = max(1, math.ceil(windows * args.warmup_fraction))
    if windows - warmup < 3:
        raise RunFailed("too few windows after warm-up: raise --minutes or lower --window")
    raise_fd_limit(4096)
    problems, rows = [], []
    with Stack(args.keep_logs) as stack:
        proxy_bin = swift_binary("POOL_PROXY_BIN", "pool-proxy", stack.work)
        bench_bin = swift_binary("POOL_BENCH_BIN", "pool-bench", stack.work)
        backends = [stack.start_redis(i) for i in range(args.backends)]
        proxy = stack.start_pool_proxy(proxy_bin, backends, 1000, args.threads)
        print(f"pool-proxy pid {proxy.pid} :{proxy.port}; backends"
              f" {', '.join(str(b.port) for b in backends)}; {os.cpu_count()} CPUs shared by proxy, backends,"
              " pool-bench and any other work on the machine", flush=True)

        argv, out = pool_bench(bench_bin, proxy.port, stack.work, "peak", args, args.peak_seconds, warmup=2)
        peak = run_bench(argv, out, args.peak_seconds + 60)
        if peak["errors"]:
            problems.append(f"peak run: {peak['errors']} error(s) {peak['error_kinds']}")
        target_rate = max(1.0, args.fraction * peak["ops_per_second"])
        print(f"peak (closed loop, {args.bench_clients} connections, pipeline 1, {args.peak_seconds} s):"
              f" {peak['ops_per_second']:,.0f} ops/s, p99 {peak['p99_ms']:.3f} ms;"
              f" soak target {args.fraction:.0%} = {target_rate:,.0f} ops/s (open loop), {windows} windows of"
              f" {args.window} s, warm-up {warmup}", flush=True)

        verifier = Verifier(proxy.port)
        verifier.start()
        sampler = Sampler(proxy.pid, args.sample_interval)
        began = time.monotonic()
        print(f"\n{'win':>4} {'t(s)':>6} {'ops/s':>9} {'err':>4} {'p50c ms':>8} {'p99c ms':>8} {'p99 ms':>8}"
              f" {'RSS KB':>9} {'fds':>5} {'CPU%':>5} {'load':>5}\n"
              "  (p50c/p99c corrected: from each request's intended send time; p99: from its actual send;"
              " CPU%: the proxy's, 100 = one core; load: the machine's 1-minute load average)", flush=True)
        try:
            for index in range(windows):
                sampler.phase = f"w{index}"
                argv, out = pool_bench(bench_bin, proxy.port, stack.work, f"w{index}", args, args.window,
                                       rate=target_rate)
                log_path = os.path.join(stack.work, f"w{index}.out")
                with open(log_path, "w") as log:
                    bench = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                             preexec_fn=_die_with_parent)
                window_start = time.monotonic()
                cpu_start = cpu_seconds(proxy.pid)
                # Sample while the window's connections are up, not in the gaps between pool-bench runs.
                next_sample = window_start + min(1.0, args.sample_interval)
                while bench.poll() is None:
                    now = time.monotonic()
                    if now >= next_sample and now - window_start < args.window:
                        sampler.sample()
                        next_sample += args.sample_interval
                    if now - window_start > args.window + 120:
                        bench.kill()
                        bench.wait()
                        raise RunFailed(f"pool-bench window {index} hung\n{proxy.describe()}")
                    if not proxy.alive():
                        bench.kill()
                        bench.wait()
                        raise RunFailed(f"pool-proxy died in window {index}\n{proxy.describe()}")
                    time.sleep(0.1)
                with open(log_path, errors="replace") as log:
                    output = log.read()
                if bench.returncode != 0 and not os.path.exists(out):
                    raise RunFailed(f"`{' '.join(argv)}` exited {bench.returncode}\n  {output[-2000:]}")
                cpu = (cpu_seconds(proxy.pid) - cpu_start) / (time.monotonic() - window_start)
                row = read_bench(out, argv, output)
                window_samples = sampler.of(f"w{index}")
                row.update({"window": index, "t": round(time.monotonic() - began, 1),
                            "rss_kb": median_of(window_samples, 2), "fds": median_of(window_samples, 4),
                            "proxy_cpu": round(cpu, 3), "load_average": load_average(), "warmup": index < warmup})
                rows.append(row)
                print(f"{index:>4}{'*' if row['warmup'] else ' '}{row['t']:>6.0f} {row['ops_per_second']:>9,.0f}"
                      f" {row['errors']:>4} {row['p50_ms']:>8.3f} {row['p99_ms']:>8.3f}"
                      f" {row['p99_uncorrected_ms']:>8.3f} {row['rss_kb'] or 0:>9,.0f} {row['fds'] or 0:>5.0f}"
                      f" {row['proxy_cpu'] * 100:>5.0f} {row['load_average']:>5.1f}",
                      flush=True)
        finally:
            verifier.stop()
        proxy_complaints = complaints(proxy.log)
        exit_status = proxy.stop()

    measured = [r for r in rows if not r["warmup"]]
    third = max(1, len(measured) // 3)
    # Judged on the service p99 (from each request's actual send): on a shared machine the corrected p99 mostly
    # measures how late the starved generator sent. The corrected one is reported beside it.
    first_p99 = statistics.median(r["p99_uncorrected_ms"] for r in measured[:third])
    last_p99 = statistics.median(r["p99_uncorrected_ms"] for r in measured[-third:])
    first_p99c = statistics.median(r["p99_ms"] for r in measured[:third])
    last_p99c = statistics.median(r["p99_ms"] for r in measured[-third:])
    unsent = sum(r["unsent"] for r in rows)
    rss_growth = growth(measured[0]["rss_kb"], measured[-1]["rss_kb"])
    fd_growth = growth(measured[0]["fds"], measured[-1]["fds"])
    p99_drift = last_p99 > args.p99_ratio * first_p99 and last_p99 - first_p99 > args.p99_floor_ms
    bench_errors = sum(r["errors"] for r in rows)
    achieved = statistics.median(r["ops_per_second"] for r in measured)

    if bench_errors:
        kinds = {}
        for r in rows:
            for kind, n in r["error_kinds"].items():
                kinds[kind] = kinds.get(kind, 0) + n
        problems.append(f"pool-bench counted {bench_errors} error(s): {kinds}")
    if verifier.errors:
        problems.append(f"verifier: {verifier.errors} error(s): {verifier.messages[:3]}")
    if rss_growth is None or rss_growth >= args.max_growth:
        problems.append(f"RSS grew {fmt_pct(rss_growth)} (bound {args.max_growth:.0%})")
    if fd_growth is None or fd_growth >= args.max_growth:
        problems.append(f"descriptors grew {fmt_pct(fd_growth)} (bound {args.max_growth:.0%})")
    if exit_status not in (0, None):
        problems.append(f"pool-proxy exited with {exit_status} on SIGTERM")
    notes = []
    if p99_drift:
        message = (f"p99 drifted: last third {last_p99:.3f} ms vs first third {first_p99:.3f} ms"
                   f" (> {args.p99_ratio}x and > +{args.p99_floor_ms} ms)")
        (notes if args.quick else problems).append(message + (" (not enforced with --quick)" if args.quick else ""))

    print(f"\nsoak: {len(rows)} windows of {args.window} s ({len(rows) * args.window / 60:.1f} min), first {warmup}"
          f" warm-up (*); target {target_rate:,.0f} ops/s = {args.fraction:.0%} of peak {peak['ops_per_second']:,.0f};"
          f" achieved median {achieved:,.0f} ops/s")
    print_table(["", "first window after warm-up", "last window", "change", "bound"], [
        ["RSS (median, KB)", f"{measured[0]['rss_kb']:,.0f}", f"{measured[-1]['rss_kb']:,.0f}", fmt_pct(rss_growth),
         f"< {args.max_growth:.0%}"],
        ["open fds (median)", f"{measured[0]['fds']:.0f}", f"{measured[-1]['fds']:.0f}", fmt_pct(fd_growth),
         f"< {args.max_growth:.0%}"],
        [f"service p99 ms (median of {third} window(s): first vs last third)", f"{first_p99:.3f}",
         f"{last_p99:.3f}", f"{last_p99 / first_p99:.2f}x" if first_p99 else "-",
         f"< {args.p99_ratio}x or < +{args.p99_floor_ms} ms" + (" (reported only)" if args.quick else "")],
        ["corrected p99 ms (same windows)", f"{first_p99c:.3f}", f"{last_p99c:.3f}",
         f"{last_p99c / first_p99c:.2f}x" if first_p99c else "-", "reported only"],
    ])
    if unsent:
        behind = [r["window"] for r in rows if r["unsent"]]
        print(f"pool-bench fell behind its open-loop schedule in window(s) {behind} (corrected max up to"
              f" {max(r['max_ms'] for r in rows) / 1000:.1f} s): {unsent} request(s) due before a window's end"
              " were not sent; the machine, not the proxy, was saturated")
    print(f"errors: pool-bench {bench_errors}, verifier {verifier.errors} of {verifier.requests:,} verified requests")
    for line in proxy_complaints[:10]:
        print(f"  pool-proxy log: {line}")
    for note in notes:
        print(f"note: {note}")
    verdict = "PASS" if not problems else "FAIL"
    print(f"soak verdict: {verdict}" + ("" if not problems else ": " + "; ".join(problems)))
    document = {
        "scenario": "soak", "settings": settings_of(args), "verdict": verdict, "problems": problems, "notes": notes,
        "peak": peak, "target_rate": target_rate, "achieved_median_rate": achieved, "windows": rows,
        "warmup_windows": warmup, "rss_growth": rss_growth, "fd_growth": fd_growth,
        "p99_first_third_ms": first_p99, "p99_last_third_ms": last_p99, "p99_drift": p99_drift,
        "p99_corrected_first_third_ms": first_p99c, "p99_corrected_last_third_ms": last_p99c,
        "unsent": unsent,
        "verifier": {"requests": verifier.requests, "errors": verifier.errors, "messages": verifier.messages},
        "samples": [list(s) for s in sampler.samples], "log_complaints": proxy_complaints[:20],
        "exit_status": exit_status,
    }
    return not problems, document


def fmt_pct(value):
    return "-" if value is None else f"{value * 100:+.1f}%"


def settings_of(args):
    return {k: v for k, v in vars(args).items() if k not in ("func",)}


# ---------------------------------------------------------------------------------------------------------------
# command line


def add_common(p, top=False):
    # A subcommand's defaults would overwrite options given before it (`--json F clients`): only the top sets them.
    default = (lambda value: value) if top else (lambda _: argparse.SUPPRESS)
    p.add_argument("--quick", action="store_true", default=default(False), help="a short run for CI")
    p.add_argument("--json", default=default(None),
                   help="also write the results as JSON to this file ('-': JSON on standard output, tables on"
                        " standard error)")
    p.add_argument("--keep-logs", action="store_true", default=default(False),
                   help="keep the work directory with the servers' logs")
    p.add_argument("--backends", type=int, default=default(2), help="redis-server backends, ketama (default 2)")
    p.add_argument("--threads", type=int, default=default(None),
                   help="pool-proxy --threads (default: the proxy's, one per core)")


def parser():
    top = argparse.ArgumentParser(prog="chaos load", description=__doc__.splitlines()[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter,
                                  epilog="\n".join(__doc__.splitlines()[2:9]))
    add_common(top, top=True)
    sub = top.add_subparsers(dest="command")

    c = sub.add_parser("clients", help="many concurrent clients, each a slow trickle of verified SET/GET")
    add_common(c)
    c.add_argument("--count", type=int, help="client connections (default 10000; 2000 with --quick)")
    c.add_argument("--duration", type=float, help="seconds of trickle per round once all are connected (60; 15)")
    c.add_argument("--rate-per-client", type=float, default=0.5, help="requests per second per client (0.5)")
    c.add_argument("--workers", type=int, help="load processes (default: one per 5,000 clients, at most 4)")
    c.add_argument("--peer", choices=("nutcracker", "none"),
                   help="also run against this proxy (default nutcracker; none with --quick)")
    c.add_argument("--value-size", type=int, default=32, help="bytes per value (32)")
    c.add_argument("--op-timeout", type=float, default=15.0, help="seconds before a request counts as lost (15)")
    c.add_argument("--connect-concurrency", type=int, default=256, help="connects in flight per process (256)")
    c.add_argument("--max-kb-per-conn", type=float, default=16.0,
                   help="fail when the peak RSS grows more than this per connection (16; 0 = no bound)")
    c.add_argument("--rounds", type=int, default=2,
                   help="connect, trickle, disconnect this many times; later rounds must reuse memory (2)")
    c.add_argument("--max-growth", type=float, default=0.05, help="allowed RSS growth from round 1 to the last (0.05)")
    c.add_argument("--settle", type=float, help="seconds to wait before an RSS reading (default 2; 1 with --quick)")
    c.add_argument("--sample-interval", type=float, default=0.5, help="seconds between RSS/fd samples (0.5)")
    c.add_argument("--seed", type=int, default=1)
    c.set_defaults(func=clients)

    s = sub.add_parser("soak", help="open-loop load at a fraction of peak; RSS, fds and p99 must stay flat")
    add_common(s)
    s.add_argument("--minutes", type=float, help="soak length (default 30; 1 with --quick)")
    s.add_argument("--fraction", type=float, default=0.7, help="fraction of the measured peak to drive (0.7)")
    s.add_argument("--window", type=int, help="seconds per measurement window (default 30; 10 with --quick)")
    s.add_argument("--warmup-fraction", type=float, default=0.1, help="leading share of windows not judged (0.1)")
    s.add_argument("--peak-seconds", type=int, help="length of the peak measurement (default 15; 5 with --quick)")
    s.add_argument("--bench-clients", type=int, default=50, help="pool-bench connections (50)")
    s.add_argument("--bench-threads", type=int, help="pool-bench --threads (default: its own)")
    s.add_argument("--sample-interval", type=float, help="seconds between RSS/fd samples (default 3; 1)")
    s.add_argument("--max-growth", type=float, default=0.05, help="allowed RSS and fd growth (0.05)")
    s.add_argument("--p99-ratio", type=float, default=1.5, help="allowed last/first-third p99 ratio (1.5)")
    s.add_argument("--p99-floor-ms", type=float, default=1.0, help="p99 increase always allowed, in ms (1.0)")
    s.set_defaults(func=soak)
    return top


def quick_defaults(args, name):
    """`chaos load --quick` without a subcommand: both scenarios with their --quick defaults."""
    sub_args = parser().parse_args([name, "--quick"] + (["--keep-logs"] if args.keep_logs else [])
                                   + ["--backends", str(args.backends)]
                                   + (["--threads", str(args.threads)] if args.threads else []))
    return sub_args


def emit_json(path, documents, stdout):
    document = documents[0] if len(documents) == 1 else {"scenarios": documents}
    text = json.dumps(document, indent=2, default=str) + "\n"
    if path == "-":
        stdout.write(text)
    else:
        with open(path, "w") as f:
            f.write(text)
        print(f"wrote {path}")


def main():
    args = parser().parse_args()
    if args.command is None:
        if not args.quick:
            parser().print_help()
            return 2
        runs = [quick_defaults(args, "clients"), quick_defaults(args, "soak")]
    else:
        runs = [args]
    if any(r.command == "clients" and r.rate_per_client is not None and r.rate_per_client <= 0 for r in runs):
        parser().error("--rate-per-client must be positive")
    stdout = sys.stdout
    if args.json == "-":
        sys.stdout = sys.stderr
    install_signal_handlers()
    ok, documents = True, []
    began = time.monotonic()
    try:
        for run in runs:
            print(f"=== chaos load {run.command}{' --quick' if run.quick else ''}", flush=True)
            passed, document = run.func(run)
            ok &= passed
            documents.append(document)
    except RunFailed as failure:
        print(f"chaos load: FAIL: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("chaos load: interrupted; everything started was stopped", file=sys.stderr)
        return 130
    if args.json:
        emit_json(args.json, documents, stdout)
    if len(runs) > 1:
        print(f"\nchaos load --quick: {'PASS' if ok else 'FAIL'} in {time.monotonic() - began:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
