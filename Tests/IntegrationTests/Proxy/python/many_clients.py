"""200 concurrent clients do GET/SET/INCR through the proxy; every reply must be right, and the backend must see
far fewer than 200 connections (the proxy multiplexes them).

Usage: python3 many_clients.py PROXY_PORT REDIS_PORT [CLIENTS] [ROUNDS] [PROTOCOL]
"""

import asyncio
import sys

import redis
import redis.asyncio

HOST = "127.0.0.1"


async def worker(index, connection, rounds, errors):
    for round_ in range(rounds):
        key = "client:%d:%d" % (index, round_)
        value = "v-%d-%d" % (index, round_) * (1 + round_ % 7)
        set_ok = await connection.set(key, value)
        got = await connection.get(key)
        await connection.incr("shared-counter")
        if set_ok is not True or got != value.encode():
            errors.append("client %d round %d: SET %r GET %r" % (index, round_, set_ok, got))
        if await connection.get(key) != value.encode():
            errors.append("client %d round %d: second GET differs" % (index, round_))


async def main():
    proxy_port, redis_port = int(sys.argv[1]), int(sys.argv[2])
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    protocol = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    direct = redis.Redis(host=HOST, port=redis_port, socket_timeout=10)
    direct.flushall()
    connections = [
        redis.asyncio.Redis(
            host=HOST, port=proxy_port, single_connection_client=True, socket_timeout=30, protocol=protocol
        )
        for _ in range(clients)
    ]
    await asyncio.gather(*(c.ping() for c in connections))
    errors = []
    await asyncio.gather(*(worker(i, c, rounds, errors) for i, c in enumerate(connections)))
    # Every client is still connected to the proxy; count what reaches the server.
    backend_connections = len(direct.client_list()) - 1
    counter = int(direct.get("shared-counter"))
    await asyncio.gather(*(c.aclose() for c in connections))
    direct.close()
    print("clients=%d backend_connections=%d counter=%d errors=%d" % (clients, backend_connections, counter, len(errors)))
    problems = errors[:10]
    if counter != clients * rounds:
        problems.append("shared-counter is %d, expected %d" % (counter, clients * rounds))
    if backend_connections > max(10, clients // 10):
        problems.append("%d backend connections for %d clients: not multiplexed" % (backend_connections, clients))
    if problems:
        print("PROBLEMS:\n" + "\n".join(problems))
        sys.exit(1)
    print("OK")


asyncio.run(main())
