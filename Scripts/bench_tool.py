#!/usr/bin/env python3
"""pool-bench against redis-benchmark on the same redis-server, same workload, interleaved rounds.

redis-benchmark runs `-c 50 -n N -r 100000 -d 64 -t get,set` at -P 1 and -P 16; pool-bench runs the equivalent:
50 clients, the same pipeline, a SET-only and a GET-only run of N requests each, 64-byte values, keys drawn
uniformly from 100,000, one thread each. The keys have the same length too: redis-benchmark's are
`key:000000012345` (12 digits), pool-bench's `key:100000012345` (numbers 100000000000 to 100000099999). N is
--requests at -P 1 and --pipelined-requests at -P 16, so that a pipelined run lasts seconds rather than a fraction
of one. Every round runs each tool once per pipeline depth, one after the other, and the tool that goes first
alternates from round to round (A B, B A, ...), so both see the same machine load and neither always runs on a warm
server. The table shows median requests per second, the ratio pool-bench / redis-benchmark and PASS or MISS against
a goal of 0.9. Speed never fails the script: it exits non-zero only when a run itself fails (a process would not
start, crashed, hung or reported errors).

Used by `Scripts/bench tool`; POOL_BENCH_BIN there selects the binary.
"""

import argparse
import csv
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CLIENTS = 50
KEYSPACE = 100_000
# 12-digit key numbers, so pool-bench's keys are as long as redis-benchmark's zero-padded `key:000000012345`.
KEY_BASE = 100_000_000_000
VALUE_SIZE = 64
PIPELINES = (1, 16)
TESTS = ("SET", "GET")
GOAL = 0.9
PING = b"*1\r\n$4\r\nPING\r\n"


class RunFailed(Exception):
    """The run itself did not work."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ping(port, timeout=1.0):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(PING)
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(work):
    # The port must be free before the start and answer our own server's run_id afterwards: never someone else's.
    port = free_port()
    if ping(port):
        raise RunFailed(f"port {port} already answers PING")
    log = open(os.path.join(work, "redis.log"), "ab")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", work, "--pidfile", os.path.join(work, "redis.pid")],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RunFailed(f"redis-server exited with {process.returncode} at start (log: {work}/redis.log)")
        if ping(port):
            info = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "INFO", "server"],
                                  capture_output=True, text=True, timeout=10).stdout
            if f"process_id:{process.pid}" not in info:
                process.kill()
                raise RunFailed(f"127.0.0.1:{port} is answered by another redis-server, not the one started")
            return process, port
        time.sleep(0.05)
    process.kill()
    raise RunFailed(f"redis-server did not answer PING on port {port} within 30 s")


def run(argv, timeout):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RunFailed(f"hung: `{' '.join(argv)}` did not finish within {timeout:.0f} s")
    if result.returncode != 0:
        raise RunFailed(f"`{' '.join(argv)}` exited {result.returncode}\n  stdout: {result.stdout.strip()[-2000:]!r}"
                        f"\n  stderr: {result.stderr.strip()[-2000:]!r}")
    return result.stdout


def redis_benchmark(port, requests, pipeline, timeout):
    out = run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", str(CLIENTS), "-n", str(requests),
               "-r", str(KEYSPACE), "-d", str(VALUE_SIZE), "-t", "get,set", "-P", str(pipeline), "--csv"], timeout)
    rows = {row["test"]: float(row["rps"]) for row in csv.DictReader(io.StringIO(out))}
    if set(rows) != set(TESTS):
        raise RunFailed(f"redis-benchmark printed no SET/GET rows: {out!r}")
    return rows


def pool_bench(binary, port, requests, pipeline, test, threads, work, timeout):
    report = os.path.join(work, "pool-bench.json")
    ratio = "1:0" if test == "SET" else "0:1"
    run([binary, "--server", f"127.0.0.1:{port}", "--clients", str(CLIENTS), "--threads", str(threads),
         "--pipeline", str(pipeline), "--requests", str(requests), "--ratio", ratio, "--data-size", str(VALUE_SIZE),
         "--key-min", str(KEY_BASE), "--key-max", str(KEY_BASE + KEYSPACE - 1), "--key-pattern", "R",
         "--json", report, "--quiet"], timeout)
    with open(report) as f:
        document = json.load(f)
    return float(document["runs"][0]["operationsPerSecond"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pool-bench", required=True, help="the pool-bench binary")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100_000,
                        help="requests per test and run at -P 1 (default 100000)")
    parser.add_argument("--pipelined-requests", type=int, default=1_000_000,
                        help="requests per test and run at -P 16 (default 1000000)")
    parser.add_argument("--threads", type=int, default=1,
                        help="pool-bench event loops (default 1, as redis-benchmark runs on one thread)")
    args = parser.parse_args()
    for tool in ("redis-server", "redis-cli", "redis-benchmark"):
        if shutil.which(tool) is None:
            sys.exit(f"bench tool: {tool} is not installed")
    requests = {1: args.requests, 16: args.pipelined_requests}
    timeout = 60 + max(args.requests, args.pipelined_requests / 10) / 2000

    def unwind(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, unwind)

    work = tempfile.mkdtemp(prefix="bench-tool.")
    redis = None
    samples = {(tool, p, t): [] for tool in ("redis-benchmark", "pool-bench") for p in PIPELINES for t in TESTS}
    try:
        redis, port = start_redis(work)
        print(f"redis-server {port}, {args.rounds} rounds of {requests[1]} (-P 1) and {requests[16]} (-P 16) "
              f"requests per test, pool-bench --threads {args.threads}", flush=True)

        def run_reference(pipeline):
            for test, rps in redis_benchmark(port, requests[pipeline], pipeline, timeout).items():
                samples[("redis-benchmark", pipeline, test)].append(rps)

        def run_ours(pipeline):
            for test in TESTS:
                rps = pool_bench(args.pool_bench, port, requests[pipeline], pipeline, test, args.threads, work,
                                 timeout)
                samples[("pool-bench", pipeline, test)].append(rps)

        for round_ in range(1, args.rounds + 1):
            for pipeline in PIPELINES:
                order = (run_reference, run_ours) if round_ % 2 == 1 else (run_ours, run_reference)
                for step in order:
                    step(pipeline)
                print(f"round {round_}/{args.rounds} -P {pipeline}: " + "  ".join(
                    f"{test} redis-benchmark {samples[('redis-benchmark', pipeline, test)][-1]:,.0f}"
                    f" pool-bench {samples[('pool-bench', pipeline, test)][-1]:,.0f}" for test in TESTS), flush=True)
    except RunFailed as failure:
        print(f"bench tool: {failure}", file=sys.stderr)
        return 1
    finally:
        if redis is not None and redis.poll() is None:
            redis.terminate()
            try:
                redis.wait(5)
            except subprocess.TimeoutExpired:
                redis.kill()
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"Median of {args.rounds} rounds, requests/s (-c {CLIENTS} -n {requests[1]} at -P 1 and {requests[16]} "
          f"at -P 16, -r {KEYSPACE} -d {VALUE_SIZE}); goal pool-bench >= {GOAL}x redis-benchmark")
    print(f"{'test':<10} {'redis-benchmark':>16} {'pool-bench':>12} {'ratio':>7}  verdict")
    for pipeline in PIPELINES:
        for test in TESTS:
            reference = statistics.median(samples[("redis-benchmark", pipeline, test)])
            ours = statistics.median(samples[("pool-bench", pipeline, test)])
            ratio = ours / reference if reference > 0 else float("nan")
            verdict = "PASS" if ratio >= GOAL else "MISS"
            print(f"{test + ' -P ' + str(pipeline):<10} {reference:>16,.0f} {ours:>12,.0f} {ratio:>6.2f}x  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
