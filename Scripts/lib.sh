# Shared helpers for the scripts in this folder. Source it; do not run it.

# Prints a free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts a throwaway redis-server on 127.0.0.1:$1 in directory $2, and waits until it answers.
start_redis() {
    local port=$1 dir=$2
    mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
        --logfile "$dir/redis.log" --daemonize yes --pidfile "$dir/redis.pid"
    for _ in $(seq 1 200); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "redis-server did not start on port $port; see $dir/redis.log" >&2
    return 1
}

# Stops the redis-server started by start_redis in directory $1.
stop_redis() {
    local dir=$1 pid
    [ -f "$dir/redis.pid" ] || return 0
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
}

# Waits until something speaking RESP answers PING on 127.0.0.1:$1. With a pid as $2, gives up as soon as that
# process exits. Prints the last lines of log $3, if given, when it gives up.
wait_for_ping() {
    local port=$1 pid=${2:-} log=${3:-}
    for _ in $(seq 1 600); do
        [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "process $pid exited before answering PING on port $port" >&2
            break
        fi
        sleep 0.05
    done
    echo "nothing answered PING on port $port" >&2
    [ -n "$log" ] && [ -f "$log" ] && tail -n 20 "$log" >&2
    return 1
}

# Starts pool-proxy in the background: $1 is a directory for its log and pid file, $2 the port it listens on (to
# wait for), $3 the binary, the rest its arguments. Waits until it answers PING. Stop it with stop_pool_proxy.
start_pool_proxy() {
    local dir=$1 port=$2 binary=$3
    shift 3
    mkdir -p "$dir"
    "$binary" "$@" >"$dir/pool-proxy.log" 2>&1 &
    echo $! >"$dir/pool-proxy.pid"
    wait_for_ping "$port" "$!" "$dir/pool-proxy.log"
}

# Stops the pool-proxy started by start_pool_proxy in directory $1: SIGTERM, so it drains, then SIGKILL after
# ${2:-15} seconds.
stop_pool_proxy() {
    stop_pid_file "$1/pool-proxy.pid" "${2:-15}"
}

# Stops the process whose pid is in file $1: SIGTERM, then SIGKILL if it is still there after ${2:-5} seconds.
stop_pid_file() {
    local file=$1 grace=${2:-5} pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    rm -f "$file"
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 $((grace * 20))); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
}
