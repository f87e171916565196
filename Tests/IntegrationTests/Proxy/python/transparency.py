"""Runs the same command sequences straight against redis-server and through a one-backend pool-proxy, and
fails when any result (including error texts) differs.

Usage: python3 transparency.py REDIS_PORT PROXY_PORT
"""

import sys
import threading
import time

import redis

HOST = "127.0.0.1"
TIMEOUT = 10


def client(port, **options):
    options.setdefault("socket_timeout", TIMEOUT)
    return redis.Redis(host=HOST, port=port, single_connection_client=True, **options)


def outcome(call):
    """The value of call(), or the error class and exact text."""
    try:
        return ("ok", normalize(call()))
    except redis.exceptions.ResponseError as error:
        return ("error", type(error).__name__, str(error))
    except redis.exceptions.WatchError as error:
        return ("watch-error", str(error))


def normalize(value):
    if isinstance(value, dict):
        return ("dict", sorted(((normalize(k), normalize(v)) for k, v in value.items()), key=repr))
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, set):
        return ("set", sorted((normalize(v) for v in value), key=repr))
    return value


def wait_until(condition, what, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting for " + what)


def blocked_on(port, command):
    """Waits until some connection to the server is blocked in `command` (CLIENT LIST goes to the one backend)."""
    admin = client(port)
    try:
        wait_until(lambda: any(c.get("cmd") == command for c in admin.client_list()), command + " to block")
    finally:
        admin.close()


def basic(port, protocol):
    r = client(port, protocol=protocol)
    steps = [
        ("flushall", lambda: r.flushall()),
        ("ping", lambda: r.ping()),
        ("echo", lambda: r.echo("hello")),
        ("set", lambda: r.set("k", "v")),
        ("get", lambda: r.get("k")),
        ("incr-not-integer", lambda: r.incr("k")),
        ("lpush", lambda: r.lpush("l", "a", "b", "c")),
        ("wrongtype", lambda: r.get("l")),
        ("wrongtype-hash", lambda: r.hget("l", "f")),
        ("unknown-command", lambda: r.execute_command("NOSUCHCMD", "x", "y")),
        ("unknown-subcommand", lambda: r.execute_command("CLIENT", "NOSUCHSUB")),
        ("arity-get", lambda: r.execute_command("GET")),
        ("arity-set", lambda: r.execute_command("SET", "a")),
        ("syntax", lambda: r.execute_command("SET", "a", "b", "XX", "NX")),
        ("exec-without-multi", lambda: r.execute_command("EXEC")),
        ("mset", lambda: r.mset({"m1": "1", "m2": "2", "m3": "3"})),
        ("mget", lambda: r.mget("m1", "m2", "missing", "m3")),
        ("hset", lambda: r.hset("h", mapping={"a": "1", "b": "2"})),
        ("hgetall", lambda: r.hgetall("h")),
        ("zadd", lambda: r.zadd("z", {"x": 1.5, "y": 2, "z": 3})),
        ("zrange-withscores", lambda: r.zrange("z", 0, -1, withscores=True)),
        ("zscore", lambda: r.zscore("z", "x")),
        ("sadd", lambda: r.sadd("s", "a", "b")),
        ("smembers", lambda: r.smembers("s")),
        ("binary", lambda: r.set("bin", b"\x00\r\n\xff*3\r\n")),
        ("get-binary", lambda: r.get("bin")),
        ("big", lambda: r.set("big", b"x" * (1 << 20))),
        ("strlen-big", lambda: r.strlen("big")),
        ("get-big", lambda: len(r.get("big"))),
        ("expire", lambda: r.expire("k", 100)),
        ("ttl", lambda: r.ttl("k")),
        ("type", lambda: r.type("z")),
        ("object-encoding", lambda: r.object("encoding", "l")),
        ("exists", lambda: r.exists("k", "l", "nope")),
        ("incrbyfloat", lambda: r.incrbyfloat("f", 1.25)),
        ("dbsize", lambda: r.dbsize()),
        ("keys", lambda: sorted(r.keys("*"))),
        ("keys-pattern", lambda: sorted(r.keys("m*"))),
        ("scan", lambda: sorted(r.scan_iter(count=2))),
        ("scan-match", lambda: sorted(r.scan_iter(match="m*"))),
        ("config-get", lambda: r.config_get("maxmemory-policy")),
        ("config-get-port-type", lambda: sorted(r.config_get("appendonly").keys())),
        ("info-version", lambda: r.info("server")["redis_version"]),
        ("info-sections", lambda: sorted(k for k in r.info("keyspace").keys())),
        ("del", lambda: r.delete("k", "l", "nope")),
        ("lua", lambda: r.eval("return {KEYS[1], ARGV[1], redis.call('get', KEYS[1])}", 1, "m1", "arg")),
        ("lua-error", lambda: r.eval("return redis.call('nosuch')", 0)),
        ("client-getname-unset", lambda: r.client_getname()),
        ("flushall-again", lambda: r.flushall()),
        ("dbsize-empty", lambda: r.dbsize()),
    ]
    results = [(name, outcome(call)) for name, call in steps]
    r.close()
    return results


def select_isolation(port):
    results = []
    cleaner = client(port)
    cleaner.flushall()
    a = client(port)
    b = client(port)
    results.append(("a-select-1", outcome(lambda: a.execute_command("SELECT", 1))))
    results.append(("a-set", outcome(lambda: a.set("dbkey", "in-db-1"))))
    results.append(("a-get", outcome(lambda: a.get("dbkey"))))
    results.append(("a-dbsize", outcome(lambda: a.dbsize())))
    results.append(("b-get", outcome(lambda: b.get("dbkey"))))
    results.append(("b-dbsize", outcome(lambda: b.dbsize())))
    results.append(("select-out-of-range", outcome(lambda: b.execute_command("SELECT", 99999))))
    a.close()
    # No state leak: every later client is back on database 0, whichever backend connection it gets.
    for index in range(10):
        c = client(port)
        results.append(("new-client-get-%d" % index, outcome(lambda: c.get("dbkey"))))
        c.close()
    db1 = client(port, db=1)
    results.append(("db1-get", outcome(lambda: db1.get("dbkey"))))
    db1.close()
    b.close()
    cleaner.flushall()
    cleaner.close()
    return results


def client_names(port):
    results = []
    a = client(port)
    b = client(port)
    results.append(("a-setname", outcome(lambda: a.client_setname("alpha"))))
    results.append(("a-getname", outcome(lambda: a.client_getname())))
    results.append(("b-getname", outcome(lambda: b.client_getname())))
    results.append(("b-setname", outcome(lambda: b.client_setname("beta"))))
    results.append(("a-getname-again", outcome(lambda: a.client_getname())))
    results.append(("b-getname-again", outcome(lambda: b.client_getname())))
    results.append(("bad-name", outcome(lambda: b.client_setname("has space"))))
    a.close()
    b.close()
    c = client(port)
    results.append(("new-client-getname", outcome(lambda: c.client_getname())))
    c.close()
    return results


def transactions(port):
    results = []
    a = client(port)
    b = client(port)
    a.flushall()
    pipe = a.pipeline(transaction=True)
    pipe.set("t", 1).incr("t").get("t")
    results.append(("multi-exec", outcome(pipe.execute)))
    # While A is inside MULTI, B's commands run at once, not queued behind A's transaction.
    results.append(("raw-multi", outcome(lambda: a.execute_command("MULTI"))))
    results.append(("queued", outcome(lambda: a.execute_command("INCR", "t"))))
    results.append(("b-not-queued", outcome(lambda: b.get("t"))))
    results.append(("queued-error", outcome(lambda: a.execute_command("GET"))))
    results.append(("execabort", outcome(lambda: a.execute_command("EXEC"))))
    results.append(("after-abort", outcome(lambda: a.get("t"))))
    results.append(("discard-multi", outcome(lambda: a.execute_command("MULTI"))))
    results.append(("discard-queued", outcome(lambda: a.execute_command("SET", "t", "gone"))))
    results.append(("discard", outcome(lambda: a.execute_command("DISCARD"))))
    results.append(("after-discard", outcome(lambda: a.get("t"))))
    # A WATCH conflict aborts EXEC.
    a.set("w", "start")
    pipe = a.pipeline(transaction=True)
    pipe.watch("w")
    results.append(("watched-read", outcome(lambda: pipe.get("w"))))
    results.append(("b-touches-watched", outcome(lambda: b.set("w", "changed"))))
    pipe.multi()
    pipe.set("w", "from-a")

    def execute():
        try:
            return pipe.execute()
        finally:
            pipe.reset()

    results.append(("watch-conflict-exec", outcome(execute)))
    results.append(("w-value", outcome(lambda: b.get("w"))))
    # Raw WATCH / EXEC nil reply.
    results.append(("raw-watch", outcome(lambda: a.execute_command("WATCH", "w"))))
    results.append(("raw-b-set", outcome(lambda: b.set("w", "again"))))
    results.append(("raw-multi2", outcome(lambda: a.execute_command("MULTI"))))
    results.append(("raw-queued2", outcome(lambda: a.execute_command("SET", "w", "lost"))))
    results.append(("raw-exec-nil", outcome(lambda: a.execute_command("EXEC"))))
    # Unwatched transaction succeeds after the aborted one.
    results.append(("raw-watch-ok", outcome(lambda: a.execute_command("WATCH", "w"))))
    results.append(("raw-multi3", outcome(lambda: a.execute_command("MULTI"))))
    results.append(("raw-queued3", outcome(lambda: a.execute_command("SET", "w", "kept"))))
    results.append(("raw-exec-ok", outcome(lambda: a.execute_command("EXEC"))))
    results.append(("w-final", outcome(lambda: b.get("w"))))
    a.close()
    b.close()
    return results


def blocking(port):
    results = []
    admin = client(port)
    admin.flushall()

    def blocked_call(name, command, call, wake):
        box = {}
        waiter = client(port)
        thread = threading.Thread(target=lambda: box.setdefault("result", outcome(lambda: call(waiter))))
        thread.start()
        blocked_on(port, command)
        results.append((name + "-wake", outcome(lambda: wake(admin))))
        thread.join(TIMEOUT)
        if thread.is_alive():
            raise AssertionError(name + " was never woken")
        results.append((name, box["result"]))
        waiter.close()

    blocked_call("blpop", "blpop", lambda c: c.blpop(["bl1", "bl2"], timeout=5), lambda c: c.lpush("bl2", "x"))
    blocked_call("brpop", "brpop", lambda c: c.brpop("br", timeout=5), lambda c: c.rpush("br", "y", "z"))
    blocked_call(
        "blmove",
        "blmove",
        lambda c: c.blmove("src", "dst", 5, "LEFT", "RIGHT"),
        lambda c: c.rpush("src", "moved"),
    )
    results.append(("blmove-dst", outcome(lambda: admin.lrange("dst", 0, -1))))
    blocked_call("bzpopmin", "bzpopmin", lambda c: c.bzpopmin("bz", timeout=5), lambda c: c.zadd("bz", {"m": 7}))
    admin.xadd("stream", {"f": "0"}, id="1-0")
    blocked_call(
        "xread-block",
        "xread",
        lambda c: c.xread({"stream": "$"}, block=5000),
        lambda c: c.xadd("stream", {"f": "1"}, id="2-0"),
    )
    t = client(port)
    results.append(("blpop-timeout", outcome(lambda: t.blpop("never", timeout=0.1))))
    results.append(("after-timeout", outcome(lambda: t.ping())))
    results.append(("wait", outcome(lambda: t.execute_command("WAIT", 0, 0))))
    results.append(("wait-timeout", outcome(lambda: t.execute_command("WAIT", 1, 50))))
    results.append(("blpop-bad-timeout", outcome(lambda: t.execute_command("BLPOP", "x", "notanumber"))))
    t.close()
    admin.close()
    return results


def pubsub(port, protocol):
    results = []
    subscriber = redis.Redis(host=HOST, port=port, protocol=protocol, socket_timeout=TIMEOUT)
    publisher = client(port, protocol=protocol)
    p = subscriber.pubsub()

    def next_message(kind):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = p.get_message(timeout=0.5)
            if message is not None and message["type"] == kind:
                return message
        raise AssertionError("no %s message" % kind)

    p.subscribe("news")
    results.append(("subscribe", normalize(next_message("subscribe"))))
    p.psubscribe("new*")
    results.append(("psubscribe", normalize(next_message("psubscribe"))))
    results.append(("publish-count", outcome(lambda: publisher.publish("news", "hello"))))
    first = [next_message("message"), next_message("pmessage")]
    results.append(("received", [normalize(m) for m in first]))
    results.append(("numsub", outcome(lambda: publisher.pubsub_numsub("news"))))
    p.unsubscribe("news")
    results.append(("unsubscribe", normalize(next_message("unsubscribe"))))
    p.punsubscribe("new*")
    results.append(("punsubscribe", normalize(next_message("punsubscribe"))))
    results.append(("publish-none", outcome(lambda: publisher.publish("news", "nobody"))))
    p.close()
    subscriber.close()
    publisher.close()
    return results


def monitor(port):
    watcher = redis.Redis(host=HOST, port=port, socket_timeout=TIMEOUT)
    writer = client(port)
    seen = []
    with watcher.monitor() as m:
        writer.set("monitored-key", "42")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            command = m.next_command()
            seen.append(command["command"])
            if "monitored-key" in command["command"]:
                break
    writer.close()
    watcher.close()
    return [("monitor-saw-set", any(c == "SET monitored-key 42" for c in seen))]


def compare(name, direct, proxied):
    problems = []
    if len(direct) != len(proxied):
        problems.append("%s: %d steps direct, %d through the proxy" % (name, len(direct), len(proxied)))
    for d, p in zip(direct, proxied):
        if d != p:
            problems.append("%s/%s:\n    redis: %r\n    proxy: %r" % (name, d[0], d[1:], p[1:]))
    return problems


def main():
    redis_port, proxy_port = int(sys.argv[1]), int(sys.argv[2])
    scenarios = [
        ("basic-resp2", lambda port: basic(port, 2)),
        ("basic-resp3", lambda port: basic(port, 3)),
        ("select", select_isolation),
        ("client-names", client_names),
        ("transactions", transactions),
        ("blocking", blocking),
        ("pubsub-resp2", lambda port: pubsub(port, 2)),
        ("pubsub-resp3", lambda port: pubsub(port, 3)),
        ("monitor", monitor),
    ]
    # The expected values too, so that "same as redis" cannot mean "both broken".
    expectations = {
        "basic-resp3": {"hgetall": ("ok", ("dict", [(b"a", b"1"), (b"b", b"2")]))},
        "select": {"b-get": ("ok", None), "new-client-get-9": ("ok", None), "db1-get": ("ok", b"in-db-1")},
        "client-names": {"b-getname": ("ok", None), "a-getname-again": ("ok", "alpha")},
        "transactions": {"watch-conflict-exec": ("watch-error", "Watched variable changed.")},
        "blocking": {"blpop": ("ok", [b"bl2", b"x"]), "blmove": ("ok", b"moved")},
        "pubsub-resp3": {"publish-count": ("ok", 2)},
        "monitor": {"monitor-saw-set": True},
    }
    only = set(sys.argv[3:])
    problems = []
    for name, scenario in scenarios:
        if only and name not in only:
            continue
        direct = scenario(redis_port)
        try:
            proxied = scenario(proxy_port)
        except Exception as error:  # noqa: BLE001 - report which scenario broke, then keep going
            problems.append("%s: through the proxy raised %s: %s" % (name, type(error).__name__, error))
            continue
        problems.extend(compare(name, direct, proxied))
        steps = dict((step[0], step[1]) for step in proxied)
        for step, value in expectations.get(name, {}).items():
            if steps.get(step) != value:
                problems.append("%s/%s: expected %r, got %r" % (name, step, value, steps.get(step)))
        print("%s: %d steps compared" % (name, len(direct)))
    if problems:
        print("MISMATCHES:\n" + "\n".join(problems))
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
