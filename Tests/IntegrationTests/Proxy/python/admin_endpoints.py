"""Checks pool-proxy's admin HTTP endpoints: /metrics parses as Prometheus text, /stats is twemproxy's JSON,
/health answers 200. Optionally checks the nutcracker-style stats port too.

Usage: python3 admin_endpoints.py ADMIN_PORT POOL_NAME [STATS_PORT]
"""

import json
import socket
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

TOP_KEYS = {"service", "source", "version", "uptime", "timestamp", "total_connections", "curr_connections"}
POOL_KEYS = {"client_eof", "client_err", "client_connections", "server_ejects", "forward_error", "fragments"}
SERVER_KEYS = {
    "server_eof", "server_err", "server_timedout", "server_connections", "server_ejected_at", "requests",
    "request_bytes", "responses", "response_bytes", "in_queue", "in_queue_bytes", "out_queue", "out_queue_bytes",
}


def fetch(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read().decode()


def check_stats(document, pool, problems, where):
    stats = json.loads(document)
    missing = TOP_KEYS - stats.keys()
    if missing:
        problems.append("%s: top-level keys missing: %s" % (where, sorted(missing)))
    if stats.get("service") != "pool-proxy":
        problems.append("%s: service is %r" % (where, stats.get("service")))
    if pool not in stats or not isinstance(stats[pool], dict):
        problems.append("%s: no pool %r in %s" % (where, pool, sorted(stats.keys())))
        return
    pool_stats = stats[pool]
    missing = POOL_KEYS - pool_stats.keys()
    if missing:
        problems.append("%s: pool keys missing: %s" % (where, sorted(missing)))
    servers = [value for value in pool_stats.values() if isinstance(value, dict)]
    if not servers:
        problems.append("%s: pool %r lists no servers" % (where, pool))
    for server in servers:
        missing = SERVER_KEYS - server.keys()
        if missing:
            problems.append("%s: server keys missing: %s" % (where, sorted(missing)))
    if sum(server.get("requests", 0) for server in servers) < 1:
        problems.append("%s: no requests counted" % where)


def main():
    admin_port, pool = int(sys.argv[1]), sys.argv[2]
    problems = []

    status, content_type, text = fetch(admin_port, "/metrics")
    if status != 200 or not content_type.startswith("text/plain"):
        problems.append("/metrics: status %d, content type %r" % (status, content_type))
    families = list(text_string_to_metric_families(text))
    if not families:
        problems.append("/metrics: no metric families")
    samples = sum(len(family.samples) for family in families)
    print("/metrics: %d families, %d samples" % (len(families), samples))
    if not any(pool in str(sample.labels.values()) for family in families for sample in family.samples):
        problems.append("/metrics: no sample is labelled with pool %r" % pool)

    status, content_type, text = fetch(admin_port, "/stats")
    if status != 200 or "json" not in content_type:
        problems.append("/stats: status %d, content type %r" % (status, content_type))
    check_stats(text, pool, problems, "/stats")

    status, _, text = fetch(admin_port, "/health")
    if status != 200 or pool not in text:
        problems.append("/health: status %d, body %r" % (status, text))
    print("/health: %s" % text.strip())

    if len(sys.argv) > 3:
        # nutcracker -s: connect, read the JSON document until the server closes.
        with socket.create_connection(("127.0.0.1", int(sys.argv[3])), timeout=10) as connection:
            chunks = []
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        check_stats(b"".join(chunks).decode(), pool, problems, "stats port")
        print("stats port: %d bytes" % sum(len(c) for c in chunks))

    if problems:
        print("PROBLEMS:\n" + "\n".join(problems))
        sys.exit(1)
    print("OK")


main()
