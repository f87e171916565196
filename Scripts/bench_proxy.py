#!/usr/bin/env python3
"""pool-proxy against twemproxy (nutcracker) and against redis-server directly, on one machine.

Run it through Scripts/bench, which builds pool-proxy first:
    Scripts/bench proxy [--rounds R] [--requests N] [--threads T] [--quick] [--json FILE]
    Scripts/bench proxy-memory [--clients C] [--threads T] [--park-after MS] [--json FILE]
    Scripts/bench proxy --tls [--rounds R] [--requests N] [--threads T] [--json FILE]
    Scripts/bench cluster [--rounds R] [--requests N] [--threads T] [--json FILE]

`throughput` runs redis-benchmark (-c 50 -r 100000 -d 64 -t get,set, at -P 1 and -P 16) against redis-server,
nutcracker and pool-proxy in interleaved rounds, and prints the median of each. `memory` opens idle client
connections to each process and reports the RSS growth per connection; for pool-proxy both just after the clients
connect and once they are parked (`client_park_after`, 5 s by default), which is an idle client's steady state. `tls` compares TLS-to-TLS through pool-proxy
(redis-benchmark --tls to the proxy's TLS listener, the proxy to redis-server's TLS port) with plaintext through
pool-proxy, and redis-server's own TLS with its plaintext, with certificates made by openssl for the run. Both compare against the issue's targets
and print PASS or MISS, but exit 0 whenever the run itself worked: speed never fails CI. A crash or a hang of a
process under test is a failed run (exit 1), with the command, its output and the process's log printed.

Every process started here is stopped on the way out: normal exit, an error, Ctrl-C or SIGTERM. The children
also get PR_SET_PDEATHSIG, so a SIGKILL of this script takes them down too.
"""

import argparse
import csv
import ctypes
import io
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CLIENTS = 50
KEYSPACE = 100000
VALUE_SIZE = 64
PIPELINES = (1, 16)
TESTS = ("GET", "SET")
TARGETS = ("direct", "nutcracker", "pool-proxy")
# A RESP array: nutcracker closes connections that send Redis's inline form (`PING\r\n`).
PING = b"*1\r\n$4\r\nPING\r\n"

# The targets: a floor against nutcracker on every row, a goal against redis-server directly.
FLOOR_VS_NUTCRACKER = 1.0
GOAL_VS_DIRECT = {1: 0.95, 16: 0.85}
MEMORY_TARGET_KB = 2.0


class RunFailed(Exception):
    """The run itself did not work: a process would not start, crashed, or hung."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    # Runs in the child between fork and exec: SIGTERM it when this script dies, even by SIGKILL.
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


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RunFailed(f"no VmRSS for pid {pid}")


def cpu_seconds(pid):
    """User plus system CPU time of `pid` so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name may hold spaces; the fields after it start with the state (field 3).
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def io_syscalls(pid):
    """Read plus write system calls of `pid` so far (syscr + syscw in /proc/PID/io); None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/io") as io:
            counts = dict(line.split(":", 1) for line in io.read().splitlines() if ":" in line)
        return int(counts["syscr"]) + int(counts["syscw"])
    except (OSError, KeyError, ValueError):
        return None


def per_request(before, after, sent):
    return None if before is None or after is None else (after - before) / sent


class Process:
    """One server under test, started in its own session so Ctrl-C reaches only this script."""

    def __init__(self, name, argv, port, log, stop_timeout=5.0):
        self.name, self.argv, self.port, self.log, self.stop_timeout = name, argv, port, log, stop_timeout
        self.popen = None

    @property
    def pid(self):
        return self.popen.pid

    def start(self):
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RunFailed(f"{self.name} exited with {self.popen.returncode} at start\n{self.describe()}")
            if ping(self.port):
                return self
            time.sleep(0.05)
        raise RunFailed(f"{self.name} did not answer PING on port {self.port} within 30 s\n{self.describe()}")

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def describe(self, lines=40):
        try:
            with open(self.log, errors="replace") as log:
                tail = log.readlines()[-lines:]
        except OSError:
            tail = []
        status = "running" if self.alive() else f"exit status {self.popen.returncode if self.popen else 'n/a'}"
        return (
            f"  {self.name}: {' '.join(self.argv)}\n  {status}; last {len(tail)} lines of {self.log}:\n"
            + "".join("    " + line for line in tail)
        )

    def stop(self):
        if not self.alive():
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


class Stack:
    """redis-server, nutcracker and pool-proxy, each on a free loopback port, stopped together."""

    def __init__(self, pool_proxy, threads, keep_logs):
        self.pool_proxy, self.threads, self.keep_logs = pool_proxy, threads, keep_logs
        self.work = tempfile.mkdtemp(prefix="bench-proxy.")
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

    def start_redis(self, extra=()):
        port = free_port()
        return self._start(
            Process(
                "redis-server",
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", self.work, "--logfile", "", *extra],
                port,
                os.path.join(self.work, "redis.log"),
            )
        )

    def _pool_yaml(self, listen_port, backend_port):
        # The same twemproxy pool for both proxies; only the listen port differs.
        return (
            "bench:\n"
            f"  listen: 127.0.0.1:{listen_port}\n"
            "  hash: fnv1a_64\n"
            "  distribution: ketama\n"
            "  redis: true\n"
            "  server_connections: 1\n"
            "  auto_eject_hosts: false\n"
            "  servers:\n"
            f"   - 127.0.0.1:{backend_port}:1\n"
        )

    def start_nutcracker(self, backend_port):
        port, stats = free_port(), free_port()
        conf = os.path.join(self.work, "nutcracker.yml")
        with open(conf, "w") as f:
            f.write(self._pool_yaml(port, backend_port))
        log = os.path.join(self.work, "nutcracker.log")
        argv = ["nutcracker", "-c", conf, "-p", os.path.join(self.work, "nutcracker.pid"), "-o", log,
                "-s", str(stats), "-a", "127.0.0.1"]
        return self._start(Process("nutcracker", argv, port, log))

    def start_pool_proxy(self, backend_port, name="pool-proxy", extra_yaml=""):
        port = free_port()
        conf = os.path.join(self.work, f"{name}.yml")
        with open(conf, "w") as f:
            f.write(self._pool_yaml(port, backend_port) + extra_yaml)
        argv = [self.pool_proxy, "--config", conf, "--grace-period", "1"]
        if self.threads:
            argv += ["--threads", str(self.threads)]
        return self._start(Process(name, argv, port, os.path.join(self.work, f"{name}.log")))


def install_signal_handlers():
    # SIGTERM and SIGHUP unwind like Ctrl-C does, so every `finally` and `with` stops what it started.
    def unwind(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, unwind)


# ---------------------------------------------------------------------------------------------------------------
# throughput


# Pipelined runs send this many times the requests: at -P 16 a 200,000-request run of direct Redis lasts a fraction
# of a second, and redis-benchmark's figure then comes in steps (the same 264,550 or 397,614 req/s run after run).
PIPELINED_REQUEST_FACTOR = 5


def redis_benchmark(port, requests, pipeline, timeout, extra=()):
    if pipeline > 1:
        requests *= PIPELINED_REQUEST_FACTOR
    argv = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", str(CLIENTS), "-n", str(requests),
            "-r", str(KEYSPACE), "-d", str(VALUE_SIZE), "-t", "get,set", "-P", str(pipeline), "--csv", *extra]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        out = (expired.stdout or b"").decode(errors="replace") if isinstance(expired.stdout, bytes) else (
            expired.stdout or "")
        raise RunFailed(f"hung: `{' '.join(argv)}` did not finish within {timeout:.0f} s\n  output so far: {out!r}")
    rows = {}
    # With --cluster, redis-benchmark describes the cluster before the CSV header.
    start = result.stdout.find('"test"')
    for row in csv.DictReader(io.StringIO(result.stdout[start:] if start >= 0 else result.stdout)):
        rows[row["test"]] = {"rps": float(row["rps"]), "p99_ms": float(row["p99_latency_ms"])}
    if result.returncode != 0 or set(rows) != set(TESTS):
        raise RunFailed(
            f"`{' '.join(argv)}` exited {result.returncode}\n  stdout: {result.stdout.strip()!r}\n"
            f"  stderr: {result.stderr.strip()[-2000:]!r}"
        )
    return rows


def verdict(ok):
    return "n/a" if ok is None else "PASS" if ok else "MISS"


def throughput(args):
    if args.quick:
        args.rounds = args.rounds or 1
        args.requests = args.requests or 20000
    args.rounds = args.rounds or 3
    args.requests = args.requests or 200000
    # A generous ceiling per redis-benchmark run: at 2,000 requests/s it would still finish. Beyond it, a hang.
    timeout = 30 + args.requests / 2000

    samples = {(t, p, target): [] for t in TESTS for p in PIPELINES for target in TARGETS}
    # CPU time per request of the process under test (redis-server for direct), GET and SET runs together: steadier
    # than throughput when other work shares the machine, since it does not count the time others take.
    cpu_samples = {(p, target): [] for p in PIPELINES for target in TARGETS}
    # What each proxy costs the server behind it: redis-server's CPU time, and its system calls (which batching
    # saves), per request; and the system calls of the process under test.
    backend_cpu_samples = {(p, target): [] for p in PIPELINES for target in TARGETS}
    syscall_samples = {(p, target): [] for p in PIPELINES for target in TARGETS}
    backend_syscall_samples = {(p, target): [] for p in PIPELINES for target in TARGETS}
    failures = []
    failed = set()
    with Stack(args.pool_proxy, args.threads, args.keep_logs) as stack:
        redis = stack.start_redis()
        nutcracker = stack.start_nutcracker(redis.port)
        proxy = stack.start_pool_proxy(redis.port)
        ports = {"direct": redis, "nutcracker": nutcracker, "pool-proxy": proxy}
        print(
            f"redis-benchmark -c {CLIENTS} -n {args.requests} -r {KEYSPACE} -d {VALUE_SIZE} -t get,set,"
            f" at -P 1 and -P 16; {args.rounds} interleaved round(s); pool-proxy --threads {args.threads or 'default'}"
        )
        print(f"  redis-server :{redis.port}  nutcracker :{nutcracker.port}  pool-proxy :{proxy.port}"
              f" (pid {proxy.pid}, RSS {vm_rss_kb(proxy.pid)} KB)")
        for round_index in range(args.rounds):
            for pipeline in PIPELINES:
                for target in TARGETS:
                    process = ports[target]
                    if not process.alive() or target in failed:
                        continue
                    try:
                        cpu_before = cpu_seconds(process.pid)
                        backend_cpu_before = cpu_seconds(redis.pid)
                        calls_before, backend_calls_before = io_syscalls(process.pid), io_syscalls(redis.pid)
                        rows = redis_benchmark(process.port, args.requests, pipeline, timeout)
                        sent = len(TESTS) * args.requests * (PIPELINED_REQUEST_FACTOR if pipeline > 1 else 1)
                        key = (pipeline, target)
                        cpu_samples[key].append((cpu_seconds(process.pid) - cpu_before) * 1e6 / sent)
                        backend_cpu_samples[key].append((cpu_seconds(redis.pid) - backend_cpu_before) * 1e6 / sent)
                        calls = per_request(calls_before, io_syscalls(process.pid), sent)
                        backend_calls = per_request(backend_calls_before, io_syscalls(redis.pid), sent)
                        if calls is not None and backend_calls is not None:
                            syscall_samples[key].append(calls)
                            backend_syscall_samples[key].append(backend_calls)
                    except RunFailed as failure:
                        # One failure is enough to report; later runs against a hung process would each time out.
                        failed.add(target)
                        failures.append(f"round {round_index + 1}, -P {pipeline}, {target}: {failure}\n"
                                        + process.describe())
                        print(failures[-1], file=sys.stderr)
                        continue
                    for test in TESTS:
                        samples[(test, pipeline, target)].append(rows[test])
                    if not process.alive():
                        failures.append(f"round {round_index + 1}, -P {pipeline}: {target} died during the run\n"
                                        + process.describe())
                        print(failures[-1], file=sys.stderr)
            print(f"  round {round_index + 1}/{args.rounds} done", flush=True)
        proxy_rss = vm_rss_kb(proxy.pid) if proxy.alive() else None
        proxy_complaints = complaints(proxy.log)

    table = []
    for pipeline in PIPELINES:
        for test in TESTS:
            row = {"test": test, "pipeline": pipeline}
            for target in TARGETS:
                runs = samples[(test, pipeline, target)]
                row[target] = {
                    "rps": statistics.median(r["rps"] for r in runs) if runs else None,
                    "p99_ms": statistics.median(r["p99_ms"] for r in runs) if runs else None,
                    "runs": runs,
                }
            pp, nc, direct = (row[t]["rps"] for t in ("pool-proxy", "nutcracker", "direct"))
            row["ratio_vs_nutcracker"] = pp / nc if pp and nc else None
            row["ratio_vs_direct"] = pp / direct if pp and direct else None
            vs_nutcracker, vs_direct = row["ratio_vs_nutcracker"], row["ratio_vs_direct"]
            row["floor"] = verdict(None if vs_nutcracker is None else vs_nutcracker >= FLOOR_VS_NUTCRACKER)
            row["goal"] = verdict(None if vs_direct is None else vs_direct >= GOAL_VS_DIRECT[pipeline])
            table.append(row)

    def medians(samples):
        return {key: statistics.median(values) if values else None for key, values in samples.items()}

    cpu, backend_cpu = medians(cpu_samples), medians(backend_cpu_samples)
    syscalls, backend_syscalls = medians(syscall_samples), medians(backend_syscall_samples)
    print_throughput(table, args)
    print_cpu(cpu)
    print_backend_cost(backend_cpu, syscalls, backend_syscalls)
    if proxy_complaints:
        print(f"pool-proxy logged {len(proxy_complaints)} warning(s) or error(s); the first ones:")
        for line in proxy_complaints[:10]:
            print("  " + line.rstrip())
    if proxy_rss is not None:
        print(f"pool-proxy RSS after the run: {proxy_rss} KB")
    if args.json:
        write_json(args.json, {
            "benchmark": "proxy",
            "requests": args.requests,
            "rounds": args.rounds,
            "clients": CLIENTS,
            "keyspace": KEYSPACE,
            "value_size": VALUE_SIZE,
            "pool_proxy_threads": args.threads,
            "cpu_us_per_request": {f"P{p} {t}": cpu[(p, t)] for p in PIPELINES for t in TARGETS},
            "redis_cpu_us_per_request": {f"P{p} {t}": backend_cpu[(p, t)] for p in PIPELINES for t in TARGETS},
            "syscalls_per_request": {f"P{p} {t}": syscalls[(p, t)] for p in PIPELINES for t in TARGETS},
            "redis_syscalls_per_request": {
                f"P{p} {t}": backend_syscalls[(p, t)] for p in PIPELINES for t in TARGETS
            },
            "targets": {"floor_vs_nutcracker": FLOOR_VS_NUTCRACKER,
                        "goal_vs_direct": {f"P{p}": g for p, g in GOAL_VS_DIRECT.items()}},
            "rows": table,
            "failures": failures,
            "pool_proxy_log_complaints": proxy_complaints,
        })
    if failures:
        print(f"\n{len(failures)} benchmark run(s) failed; see above.", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------------------------------
# shared by the cluster and tls comparisons


def interleaved_rounds(args, targets, timeout):
    """Runs redis-benchmark against every target (name -> (process, port, extra arguments)) in interleaved rounds;
    returns the samples by (test, pipeline, target) and the failures."""
    samples = {(t, p, target): [] for t in TESTS for p in PIPELINES for target in targets}
    failures = []
    for round_index in range(args.rounds):
        for pipeline in PIPELINES:
            for target, (process, port, extra) in targets.items():
                try:
                    rows = redis_benchmark(port, args.requests, pipeline, timeout, extra)
                except RunFailed as failure:
                    failures.append(f"round {round_index + 1}, -P {pipeline}, {target}: {failure}\n"
                                    + process.describe())
                    print(failures[-1], file=sys.stderr)
                    continue
                for test in TESTS:
                    samples[(test, pipeline, target)].append(rows[test])
        print(f"  round {round_index + 1}/{args.rounds} done", flush=True)
    return samples, failures


def median_rps(runs):
    return statistics.median(r["rps"] for r in runs) if runs else None


def print_table(header, lines, args):
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines)]
    print(f"\nrequests/s, median of {args.rounds} round(s), {args.requests} requests each"
          f" ({args.requests * PIPELINED_REQUEST_FACTOR} at -P 16)")
    for cells in [header] + lines:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths))))


# ---------------------------------------------------------------------------------------------------------------
# cluster

CLUSTER_TARGET = 0.80  # through pool-proxy, as a fraction of redis-benchmark --cluster talking to the nodes, at -P 16
CLUSTER_TARGETS = ("cluster direct", "pool-proxy")


def free_cluster_port():
    # A cluster node also listens on its bus port, port + 10000.
    while True:
        port = free_port()
        if port + 10000 > 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port


def start_cluster(stack, masters=3):
    nodes = []
    for _ in range(masters):
        port = free_cluster_port()
        directory = os.path.join(stack.work, f"node-{port}")
        os.makedirs(directory)
        nodes.append(stack._start(Process(
            f"redis-server :{port}",
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--cluster-enabled", "yes", "--cluster-config-file", os.path.join(directory, "nodes.conf"),
             "--cluster-node-timeout", "2000", "--dir", directory, "--logfile", ""],
            port,
            os.path.join(directory, "redis.log"),
        )))
    create = subprocess.run(["redis-cli", "--cluster", "create", *[f"127.0.0.1:{n.port}" for n in nodes],
                             "--cluster-replicas", "0", "--cluster-yes"], capture_output=True, text=True)
    if create.returncode != 0:
        raise RunFailed(f"redis-cli --cluster create failed:\n{create.stdout}\n{create.stderr}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        infos = [subprocess.run(["redis-cli", "-p", str(n.port), "CLUSTER", "INFO"], capture_output=True,
                                text=True).stdout for n in nodes]
        if all("cluster_state:ok" in info for info in infos):
            return nodes
        time.sleep(0.2)
    raise RunFailed("the cluster did not reach cluster_state:ok within 30 s")


def cluster_throughput(args):
    if args.quick:
        args.rounds = args.rounds or 1
        args.requests = args.requests or 20000
    args.rounds = args.rounds or 3
    args.requests = args.requests or 200000
    timeout = 30 + args.requests / 1000
    with Stack(args.pool_proxy, args.threads, args.keep_logs) as stack:
        nodes = start_cluster(stack)
        proxy = stack.start_pool_proxy(nodes[0].port, extra_yaml="  cluster: true\n")
        print(f"redis-benchmark -c {CLIENTS} -n {args.requests} -r {KEYSPACE} -d {VALUE_SIZE} -t get,set at -P 1 and"
              f" -P 16; {args.rounds} interleaved round(s); a 3-master Redis Cluster on"
              f" {', '.join(str(n.port) for n in nodes)}; direct = redis-benchmark --cluster")
        targets = {"cluster direct": (nodes[0], nodes[0].port, ("--cluster",)), "pool-proxy": (proxy, proxy.port, ())}
        samples, failures = interleaved_rounds(args, targets, timeout)

    table = []
    for pipeline in PIPELINES:
        for test in TESTS:
            row = {"test": test, "pipeline": pipeline}
            for target in CLUSTER_TARGETS:
                row[target] = median_rps(samples[(test, pipeline, target)])
            direct, proxied = row["cluster direct"], row["pool-proxy"]
            row["ratio"] = proxied / direct if proxied and direct else None
            row["target"] = verdict(None if pipeline != 16 or row["ratio"] is None else row["ratio"] >= CLUSTER_TARGET)
            table.append(row)
    header = ["row", "cluster direct", "pool-proxy", "proxy/direct", "target"]
    lines = [[f"{r['test']},P{r['pipeline']}", fmt_rps(r["cluster direct"]), fmt_rps(r["pool-proxy"]),
              fmt_ratio(r["ratio"]),
              f"{r['target']} (>={CLUSTER_TARGET:.2f}x at P16)" if r["pipeline"] == 16 else "-"] for r in table]
    print_table(header, lines, args)
    if args.json:
        write_json(args.json, {"benchmark": "cluster", "requests": args.requests, "rounds": args.rounds,
                               "target_vs_direct_p16": CLUSTER_TARGET, "rows": table, "failures": failures})
    if failures:
        print(f"\n{len(failures)} benchmark run(s) failed; see above.", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------------------------------
# tls

TLS_TARGET = 0.60  # TLS-to-TLS through the proxy, as a fraction of plaintext through it, at -P 16
TLS_TARGETS = ("proxy plain", "proxy tls", "redis plain", "redis tls")


def make_pki(work):
    def openssl(*argv):
        subprocess.run(["openssl", *argv], check=True, capture_output=True)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    path = lambda name: os.path.join(work, name)  # noqa: E731
    with open(path("san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("req", "-x509", *key, "-keyout", path("ca.key"), "-out", path("ca.crt"), "-subj", "/CN=bench CA",
            "-days", "2")
    openssl("req", *key, "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", path("server.crt"), "-days", "2", "-extfile", path("san.ext"))
    return {"ca": path("ca.crt"), "cert": path("server.crt"), "key": path("server.key")}


def tls_throughput(args):
    if args.quick:
        args.rounds = args.rounds or 1
        args.requests = args.requests or 20000
    args.rounds = args.rounds or 3
    args.requests = args.requests or 100000
    timeout = 30 + args.requests / 1000
    with Stack(args.pool_proxy, args.threads, args.keep_logs) as stack:
        pki = make_pki(stack.work)
        redis_tls_port = free_port()
        redis = stack.start_redis(extra=["--tls-port", str(redis_tls_port), "--tls-cert-file", pki["cert"],
                                         "--tls-key-file", pki["key"], "--tls-ca-cert-file", pki["ca"],
                                         "--tls-auth-clients", "no"])
        plain = stack.start_pool_proxy(redis.port)
        tls_listen = free_port()
        secure = stack.start_pool_proxy(redis_tls_port, name="pool-proxy-tls", extra_yaml=(
            "  tls:\n"
            f"    listen: 127.0.0.1:{tls_listen}\n"
            f"    cert_file: {pki['cert']}\n"
            f"    key_file: {pki['key']}\n"
            "  backend_tls:\n"
            f"    ca_file: {pki['ca']}\n"
            "    server_name: localhost\n"
        ))
        client_tls = ["--tls", "--cacert", pki["ca"], "--sni", "localhost"]
        targets = {
            "proxy plain": (plain, plain.port, ()),
            "proxy tls": (secure, tls_listen, client_tls),
            "redis plain": (redis, redis.port, ()),
            "redis tls": (redis, redis_tls_port, client_tls),
        }
        print(f"redis-benchmark -c {CLIENTS} -n {args.requests} -r {KEYSPACE} -d {VALUE_SIZE} -t get,set at -P 1 and"
              f" -P 16; {args.rounds} interleaved round(s). TLS: ECDSA P-256, redis-benchmark --tls; pool-proxy"
              f" terminates TLS and speaks TLS to redis-server's TLS port.")
        samples, failures = interleaved_rounds(args, targets, timeout)

    table = []
    for pipeline in PIPELINES:
        for test in TESTS:
            row = {"test": test, "pipeline": pipeline}
            for target in TLS_TARGETS:
                row[target] = median_rps(samples[(test, pipeline, target)])
            pp, pt, rp, rt = (row[t] for t in TLS_TARGETS)
            row["proxy_tls_vs_plain"] = pt / pp if pt and pp else None
            row["redis_tls_vs_plain"] = rt / rp if rt and rp else None
            row["target"] = verdict(None if pipeline != 16 or row["proxy_tls_vs_plain"] is None
                                    else row["proxy_tls_vs_plain"] >= TLS_TARGET)
            table.append(row)
    header = ["row", "proxy plain", "proxy tls", "tls/plain", "redis plain", "redis tls", "tls/plain", "target"]
    lines = [[f"{r['test']},P{r['pipeline']}", fmt_rps(r["proxy plain"]), fmt_rps(r["proxy tls"]),
              fmt_ratio(r["proxy_tls_vs_plain"]), fmt_rps(r["redis plain"]), fmt_rps(r["redis tls"]),
              fmt_ratio(r["redis_tls_vs_plain"]),
              f"{r['target']} (>={TLS_TARGET:.2f}x at P16)" if r["pipeline"] == 16 else "-"] for r in table]
    print_table(header, lines, args)
    if args.json:
        write_json(args.json, {"benchmark": "proxy-tls", "requests": args.requests, "rounds": args.rounds,
                               "target_tls_vs_plain_p16": TLS_TARGET, "rows": table, "failures": failures})
    if failures:
        print(f"\n{len(failures)} benchmark run(s) failed; see above.", file=sys.stderr)
        return 1
    return 0


def complaints(log):
    # swift-log's StreamLogHandler writes "<timestamp> <level> <label>: ...".
    try:
        with open(log, errors="replace") as f:
            return [line for line in f if line.split(" ", 2)[1:2] in (["warning"], ["error"], ["critical"])]
    except OSError:
        return []


def fmt_rps(value):
    return f"{value:,.0f}" if value is not None else "error"


def fmt_ms(value):
    return f"{value:.3f}" if value is not None else "-"


def fmt_ratio(value):
    return f"{value:.2f}x" if value is not None else "-"


def print_throughput(table, args):
    header = ["row", "direct rps", "nutcracker rps", "pool-proxy rps", "p99 direct", "p99 nutcr", "p99 pool-px",
              "pp/nutcr", "pp/direct", "floor >=1.0x nutcr", "goal vs direct"]
    lines = []
    for row in table:
        goal = GOAL_VS_DIRECT[row["pipeline"]]
        lines.append([
            f"{row['test']},P{row['pipeline']}",
            fmt_rps(row["direct"]["rps"]),
            fmt_rps(row["nutcracker"]["rps"]),
            fmt_rps(row["pool-proxy"]["rps"]),
            fmt_ms(row["direct"]["p99_ms"]),
            fmt_ms(row["nutcracker"]["p99_ms"]),
            fmt_ms(row["pool-proxy"]["p99_ms"]),
            fmt_ratio(row["ratio_vs_nutcracker"]),
            fmt_ratio(row["ratio_vs_direct"]),
            row["floor"],
            f"{row['goal']} (>={goal:.2f}x)",
        ])
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines)]
    print(f"\nmedian of {args.rounds} round(s), {args.requests} requests each"
          f" ({args.requests * PIPELINED_REQUEST_FACTOR} at -P 16); p99 in ms")
    for cells in [header] + lines:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths))))
    spread = []
    for row in table:
        for target in TARGETS:
            runs = [r["rps"] for r in row[target]["runs"]]
            if len(runs) > 1:
                spread.append((max(runs) - min(runs)) / statistics.median(runs))
    if spread:
        print(f"run-to-run spread (max-min)/median: up to {max(spread) * 100:.0f}% (2 shared cores: expect noise)")


def print_cpu(cpu):
    print("CPU per request of the process under test (user + system, GET and SET runs together, median):")
    for pipeline in PIPELINES:
        direct, nutcracker, proxy = (cpu[(pipeline, target)] for target in TARGETS)
        cells = [f"redis-server {direct:.2f} us" if direct is not None else "redis-server -",
                 f"nutcracker {nutcracker:.2f} us" if nutcracker is not None else "nutcracker -",
                 f"pool-proxy {proxy:.2f} us" if proxy is not None else "pool-proxy -"]
        ratio = f"; pool-proxy/nutcracker {proxy / nutcracker:.2f}x" if proxy and nutcracker else ""
        print(f"  P{pipeline}: " + ", ".join(cells) + ratio)


def print_backend_cost(backend_cpu, syscalls, backend_syscalls):
    def number(value, unit=""):
        return "-" if value is None else f"{value:.2f}{unit}"

    print("What the server behind each costs, per request (median): redis-server's CPU; read + write system calls"
          " of the process under test / of redis-server:")
    for pipeline in PIPELINES:
        cells = [f"{target} {number(backend_cpu[(pipeline, target)], ' us')}, calls "
                 f"{number(syscalls[(pipeline, target)])} / {number(backend_syscalls[(pipeline, target)])}"
                 for target in TARGETS]
        print(f"  P{pipeline}: " + "; ".join(cells))


def write_json(path, document):
    with open(path, "w") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    print(f"wrote {path}")


# ---------------------------------------------------------------------------------------------------------------
# memory


def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def open_idle_clients(port, count):
    sockets = []
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(PING)
            reply = s.recv(64)
            if not reply.startswith(b"+PONG"):
                s.close()
                raise RunFailed(f"connection {len(sockets) + 1} to :{port} answered {reply!r} to PING")
            sockets.append(s)
    except OSError as error:
        for s in sockets:
            s.close()
        raise RunFailed(f"connection {len(sockets) + 1} to :{port} failed: {error}")
    except BaseException:
        for s in sockets:
            s.close()
        raise
    return sockets


def settled_rss_kb(pid, settle):
    time.sleep(settle)
    return vm_rss_kb(pid)


def memory(args):
    # Each client needs one descriptor here; the servers inherit the raised limit, and need one more each.
    args.clients = args.clients or (1000 if args.quick else 5000)
    if args.clients < 1:
        raise RunFailed("--clients must be at least 1")
    wanted = args.clients + 200
    limit = raise_fd_limit(wanted)
    clients = args.clients
    note = None
    if limit < wanted:
        clients = max(1, limit - 200)
        note = (f"RLIMIT_NOFILE hard limit is {limit}: measuring with {clients} clients instead of {args.clients}")
        print(note)

    results = []
    with Stack(args.pool_proxy, args.threads, args.keep_logs) as stack:
        redis = stack.start_redis()
        nutcracker = stack.start_nutcracker(redis.port)
        park_yaml = f"  client_park_after: {args.park_after}\n" if args.park_after is not None else ""
        proxy = stack.start_pool_proxy(redis.port, extra_yaml=park_yaml)
        proxy_start_rss = vm_rss_kb(proxy.pid)
        # pool-proxy parks a client idle for client_park_after (5 s unless set), sweeping every quarter of it, and
        # trims the heap within a second after.
        park_after_ms = 5000 if args.park_after is None else args.park_after
        park_wait = park_after_ms / 1000 * 1.25 + 2.5 if park_after_ms > 0 else 0
        print(f"{clients} idle clients per process, each after one PING/PONG; RSS from /proc/PID/status VmRSS")
        for process in (redis, nutcracker, proxy):
            # One request first, so a proxy's backend connection and first-use buffers count in the baseline.
            for s in open_idle_clients(process.port, 1):
                s.close()
            before = settled_rss_kb(process.pid, args.settle)
            sockets = open_idle_clients(process.port, clients)
            parked = None
            try:
                after = settled_rss_kb(process.pid, args.settle)
                if process is proxy and park_wait > 0:
                    parked = settled_rss_kb(process.pid, park_wait)
                    # Parked clients must still be served.
                    for s in sockets[:: max(1, clients // 50)]:
                        s.sendall(PING)
                        if not s.recv(64).startswith(b"+PONG"):
                            raise RunFailed("a parked client got no PONG")
                if not process.alive():
                    raise RunFailed(f"{process.name} died with {clients} clients\n{process.describe()}")
            finally:
                for s in sockets:
                    s.close()
            closed = settled_rss_kb(process.pid, args.settle)
            results.append({
                "process": process.name,
                "pid": process.pid,
                "clients": clients,
                "rss_before_kb": before,
                "rss_after_kb": after,
                "rss_after_close_kb": closed,
                "kb_per_client": (after - before) / clients,
                "rss_parked_kb": parked,
                "kb_per_client_parked": None if parked is None else (parked - before) / clients,
            })
        proxy_end_rss = vm_rss_kb(proxy.pid)

    name_width = max(len(r["process"]) for r in results)
    print(f"\n{'process'.ljust(name_width)}  {'RSS before':>11}  {'RSS idle':>11}  {'after close':>11}"
          f"  {'KB/client':>9}")
    for r in results:
        print(f"{r['process'].ljust(name_width)}  {r['rss_before_kb']:>8} KB  {r['rss_after_kb']:>8} KB"
              f"  {r['rss_after_close_kb']:>8} KB  {r['kb_per_client']:>9.2f}")
    pool = next(r for r in results if r["process"] == "pool-proxy")
    steady = pool["kb_per_client"] if pool["kb_per_client_parked"] is None else pool["kb_per_client_parked"]
    ok = steady <= MEMORY_TARGET_KB
    if pool["kb_per_client_parked"] is not None:
        print(f"pool-proxy, clients parked (client_park_after {park_after_ms} ms, RSS {park_wait:.1f} s later):"
              f" {pool['rss_parked_kb']} KB, {pool['kb_per_client_parked']:.2f} KB/client;"
              f" before parking {pool['kb_per_client']:.2f} KB/client")
    print(f"\npool-proxy: {steady:.2f} KB per idle client, target <= {MEMORY_TARGET_KB:.1f} KB:"
          f" {verdict(ok)}")
    print(f"pool-proxy RSS baseline: {proxy_start_rss} KB at start (threads: {args.threads or 'default'}),"
          f" {pool['rss_before_kb']} KB after the first request, {proxy_end_rss} KB at the end")
    print("issue author's figures on this machine: nutcracker ~0.3 KB, predixy ~4.6 KB, redis-server ~9.6 KB")
    if args.json:
        write_json(args.json, {
            "benchmark": "proxy-memory",
            "clients": clients,
            "note": note,
            "target_kb_per_client": MEMORY_TARGET_KB,
            "pool_proxy_threads": args.threads,
            "pool_proxy_rss_start_kb": proxy_start_rss,
            "pool_proxy_rss_end_kb": proxy_end_rss,
            "verdict": verdict(ok),
            "results": results,
        })
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("throughput", "memory", "tls", "cluster"):
        p = sub.add_parser(name)
        p.add_argument("--pool-proxy", required=True, help="the pool-proxy binary")
        if name in ("memory", "cluster"):
            # A cluster pool has three servers' connections to drive: on one loop it lost a fifth of its -P 16
            # throughput (0.42x/0.37x of direct against 0.49x/0.52x on the default two).
            p.add_argument("--threads", type=int, help="pool-proxy --threads; the binary's default if omitted")
        else:
            # One event loop by default: nutcracker runs one, the predixy figures are with one worker
            # thread, and on the 2-core machine this runs on, redis-benchmark and redis-server use the other core.
            # A second loop competes with them: at -P 1 it cost a quarter of the throughput (0.75x against 1.0x
            # nutcracker); at -P 16 it made no consistent difference.
            p.add_argument("--threads", type=int, default=1,
                           help="pool-proxy --threads (default 1, like nutcracker; 0 for the binary's default, one "
                                "per core)")
        p.add_argument("--json", help="also write the results as JSON to this file")
        p.add_argument("--keep-logs", action="store_true", help="keep the work directory with the servers' logs")
        if name in ("throughput", "tls", "cluster"):
            p.add_argument("--rounds", type=int, help="interleaved rounds (default 3; 1 with --quick)")
            p.add_argument("--requests", type=int, help="requests per redis-benchmark run (default 200000)")
            p.add_argument("--quick", action="store_true", help="a CI smoke run: 20000 requests, 1 round")
        else:
            p.add_argument("--clients", type=int, help="idle clients per process (default 5000; 1000 with --quick)")
            p.add_argument("--settle", type=float, default=1.0, help="seconds to wait before reading RSS")
            p.add_argument("--park-after", type=int, default=None,
                           help="pool-proxy's client_park_after in ms (default: the proxy's, 5000; 0 never parks)")
            p.add_argument("--quick", action="store_true", help="a CI smoke run: 1000 clients")
    args = parser.parse_args()
    if args.threads is not None and args.threads < 0:
        parser.error("--threads must be at least 0 (0: the binary's default)")
    if args.threads == 0:
        args.threads = None
    install_signal_handlers()
    try:
        return {"throughput": throughput, "memory": memory, "tls": tls_throughput,
                "cluster": cluster_throughput}[args.command](args)
    except RunFailed as failure:
        print(f"bench: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; everything started was stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
