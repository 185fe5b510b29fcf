#!/usr/bin/env bash
# Events/s of one burst drained by 1, 2 and 3 worker processes that share one Redis (or a 3-master
# Redis Cluster) and one MongoDB-wire server (`lockstep servers`). Writes docs/SCALING.md's figures.
#
#   bench/scaling.sh [--orders N] [--cluster] [--processes "1 2 3"]
#
# Each round: start N `worker` processes (the first serves the ingest, the others `--no-ingest`),
# fire the seeded flash sale over HTTP at the first one with `burst --target`, which waits for the
# queue to drain and audits; print its events/s and anomalies; stop the workers (SIGTERM).
# Needs target/lockstep.jar (mvn -o -q package -DskipTests); --cluster needs /usr/bin/redis-server
# and /usr/bin/redis-cli (Debian's redis 7).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/lockstep.jar
ORDERS=15000
CLUSTER=0
PROCESSES="1 2 3"
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) ORDERS="$2"; shift 2 ;;
    --cluster) CLUSTER=1; shift ;;
    --processes) PROCESSES="$2"; shift 2 ;;
    *) echo "usage: bench/scaling.sh [--orders N] [--cluster] [--processes \"1 2 3\"]" >&2; exit 2 ;;
  esac
done
[ -f "$JAR" ] || { echo "build the jar first: mvn -o -q package -DskipTests" >&2; exit 2; }

WORK=$(mktemp -d /tmp/lockstep-scaling.XXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

java -jar "$JAR" servers --data-dir "$WORK/data" > "$WORK/servers.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q "Workers and consoles:" "$WORK/servers.out" && break; sleep 0.5; done
REDIS=$(sed -n 's/.*--redis-uri \([^ ]*\).*/\1/p' "$WORK/servers.out")
MONGO=$(sed -n 's/.*--mongo-uri \([^ ]*\).*/\1/p' "$WORK/servers.out")

if [ "$CLUSTER" = 1 ]; then
  NODES=()
  for i in 1 2 3; do
    port=$(free_port)
    mkdir -p "$WORK/cluster/$port"
    (cd "$WORK/cluster/$port" && exec /usr/bin/redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-port "$(free_port)" --appendonly no --save '' --daemonize no \
      > redis.log 2>&1) &
    PIDS+=($!)
    NODES+=("127.0.0.1:$port")
  done
  for n in "${NODES[@]}"; do
    for _ in $(seq 1 50); do /usr/bin/redis-cli -p "${n#*:}" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  /usr/bin/redis-cli --cluster create "${NODES[@]}" --cluster-replicas 0 --cluster-yes > "$WORK/cluster.out" 2>&1 \
    || { echo "could not create the cluster: see $WORK/cluster.out" >&2; exit 1; }
  for _ in $(seq 1 100); do
    /usr/bin/redis-cli -p "${NODES[0]#*:}" cluster info | grep -q cluster_state:ok && break; sleep 0.2
  done
  REDIS="redis-cluster://$(IFS=,; echo "${NODES[*]}")"
fi

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); Redis $REDIS; MongoDB $MONGO (embedded, durable)"
echo "| worker processes | events | events/s end to end | webhook ack p99 ms | drained after last delivery | anomalies | load avg at start |"
echo "|---|---|---|---|---|---|---|"
for n in $PROCESSES; do
  WPIDS=()
  port=$(free_port)
  load=$(cut -d' ' -f1 /proc/loadavg)
  for i in $(seq 1 "$n"); do
    if [ "$i" = 1 ]; then extra=(--http-port "$port"); else extra=(--no-ingest); fi
    java -jar "$JAR" worker --redis-uri "$REDIS" --mongo-uri "$MONGO" "${extra[@]}" > "$WORK/worker-$n-$i.log" 2>&1 &
    WPIDS+=($!)
  done
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
  for i in $(seq 2 "$n"); do
    for _ in $(seq 1 240); do grep -q "Ctrl-C stops" "$WORK/worker-$n-$i.log" && break; sleep 0.5; done
  done
  java -jar "$JAR" burst --target "http://127.0.0.1:$port" --redis-uri "$REDIS" --mongo-uri "$MONGO" \
    --orders "$ORDERS" --json > "$WORK/burst-$n.json" 2> "$WORK/burst-$n.err" || true
  python3 - "$WORK/burst-$n.json" "$n" "$load" "$WORK/burst-$n.err" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
def find(d, *names):
    for k in names:
        if k in d: return d[k]
    for v in d.values():
        if isinstance(v, dict):
            x = find(v, *names)
            if x is not None: return x
    return None
events = find(r, "accepted", "eventsAccepted")
rate = find(r, "eventsPerSecond", "appliedPerSecond", "events_per_second")
anoms = find(r, "anomalies", "totalAnomalies")
if isinstance(anoms, dict): anoms = sum(v for v in anoms.values() if isinstance(v, (int, float)))
ack = (r.get("ackLatencyMs") or {}).get("p99")
m = re.search(r"drained ([0-9.]+ s) after the last delivery", open(sys.argv[4]).read())
print(f"| {sys.argv[2]} | {events} | {rate if rate is None else round(rate)} | {ack if ack is None else round(ack)} | "
      f"{m.group(1) if m else '?'} | {anoms} | {sys.argv[3]} |")
PY
  for p in "${WPIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${WPIDS[@]}"; do wait "$p" 2>/dev/null || true; done
done
echo "(logs in $WORK)"
