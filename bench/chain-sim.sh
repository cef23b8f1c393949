#!/usr/bin/env bash
# chain-sim under load: a whole PoC round (fast epoch, one block a second) with 10 simulated peers of 200,000
# artifacts each -- every peer building its SMSTs, committing every 5 s, and at validation start asking every
# other peer for 200 proofs and checking them -- against the same round with no peer. Reads every block's time
# over RPC and the process's CPU time and peak RSS from /proc. Writes bench/out/chain-sim.md.
# Usage: bench/chain-sim.sh [peers, default 10] [artifacts per peer, default 200000]
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${1:-10}
ARTIFACTS=${2:-200000}
# past the end of validation (P 20 + 20 + 3 + 30 = 73) and set-new-validators (78)
UNTIL=${UNTIL:-85}
OUT=bench/out
mkdir -p "$OUT"
JAR=chain-sim/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl chain-sim -am install -DskipTests
WORK=$(mktemp -d /tmp/gonka-chainsim.XXXXXX)
PID=""
cleanup() {
  [ -z "$PID" ] || kill "$PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# run <label> <peers> <artifacts>: one chain from genesis to height $UNTIL; writes $WORK/<label>.json
run() {
  local label=$1 peers=$2 artifacts=$3 port
  port=$(free_port)
  QUARKUS_HTTP_PORT=$port SIM_CHAIN_PEERS=$peers SIM_CHAIN_PEER_ARTIFACTS=$artifacts SIM_CHAIN_EPOCH=fast \
    SIM_CHAIN_BLOCK_TIME=1s QUARKUS_LOG_LEVEL=WARN java -jar "$JAR" > "$WORK/$label.log" 2>&1 &
  PID=$!
  python3 - "$port" "$PID" "$UNTIL" "$label" "$peers" "$artifacts" > "$WORK/$label.json" <<'PY'
import json, sys, time, urllib.request
from datetime import datetime
port, pid, until, label, peers, artifacts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
base = f"http://127.0.0.1:{port}"
def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / 100.0   # utime + stime, clock ticks of 10 ms
def hwm():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
deadline = time.time() + 120
while True:
    try:
        h = int(get("/status")["result"]["sync_info"]["latest_block_height"]); break
    except Exception:
        if time.time() > deadline: raise
        time.sleep(0.2)
cpu0, t0 = cpu(), time.time()
while h < until:
    time.sleep(0.5)
    h = int(get("/status")["result"]["sync_info"]["latest_block_height"])
cpu1, t1 = cpu(), time.time()
def ts(s):
    s = s.rstrip("Z"); main, _, frac = s.partition(".")
    return datetime.fromisoformat(main).timestamp() + (float("0." + frac) if frac else 0.0)
times, txs = {}, {}
for height in range(1, until + 1):
    b = get(f"/block?height={height}")["result"]["block"]
    times[height] = ts(b["header"]["time"])
    txs[height] = len(b["data"]["txs"])
gaps = [times[i] - times[i - 1] for i in range(3, until + 1)]
phase = lambda lo, hi: [times[i] - times[i - 1] for i in range(max(lo, 3), hi + 1)]
status = get("/sim/v1/peers")
refused = sum(1 for p in status["peers"] for t in p["txs"] if t["code"] != 0)
votes = sum(1 for p in status["peers"] for v in p["votes"])
commits = sum(1 for p in status["peers"] for t in p["txs"] if t["type"] == "MsgPoCV2StoreCommit" and t["code"] == 0)
json.dump({"label": label, "peers": peers, "artifacts": artifacts, "gaps": gaps, "generation": phase(21, 40),
           "validation": phase(43, 73), "cpu": (cpu1 - cpu0) / (t1 - t0), "rss": hwm(), "txs": sum(txs.values()),
           "max_txs": max(txs.values()), "refused": refused, "votes": votes, "commits": commits}, sys.stdout)
PY
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}

echo "chain-sim: no peers"
run idle 0 0
echo "chain-sim: $PEERS peers × $ARTIFACTS artifacts"
run loaded "$PEERS" "$ARTIFACTS"

python3 - "$WORK/idle.json" "$WORK/loaded.json" "$OUT/chain-sim.md" <<'PY'
import json, sys
idle, loaded = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
def row(r, name, key):
    g = r[key]
    return f"| {name} | {sum(g) / len(g):.3f} s | {pct(g, 50):.3f} s | {pct(g, 99):.3f} s | {max(g):.3f} s |"
out = ["### chain-sim under a network of peers", "",
       f"One chain from genesis to height {len(loaded['gaps']) + 2} (a whole PoC round of the fast epoch: generation and exchange "
       "21–40, validation 43–73, set-new-validators 78), one block a second, run twice: without peers, and with "
       f"{loaded['peers']} simulated peers of {loaded['artifacts']:,} artifacts each (every peer builds an SMST per commit, "
       "commits every 5 s, and at validation start asks each of the others for 200 proofs over HTTP and verifies them). "
       "Interval = time between consecutive blocks' header times.", "",
       "| run | phase | mean interval | p50 | p99 | max |", "|---|---|---:|---:|---:|---:|"]
for r, name in ((idle, "no peers"), (loaded, f"{loaded['peers']} peers × {loaded['artifacts']:,}")):
    for key, phase in (("gaps", "whole round"), ("generation", "generation (21–40)"), ("validation", "validation (43–73)")):
        out.append(row(r, name + " | " + phase, key))
out += ["",
        f"With peers: {loaded['commits']} commits and {loaded['votes']} votes, {loaded['txs']} txs in all (at most "
        f"{loaded['max_txs']} in one block), {loaded['refused']} refused; the process used {loaded['cpu']:.2f} cores on average "
        f"(no peers: {idle['cpu']:.2f}) and peaked at {loaded['rss']:.0f} MiB resident (no peers: {idle['rss']:.0f} MiB).", ""]
worst = pct(loaded["gaps"], 99)
out.append(f"Target: the block time kept (1 s) with {loaded['peers']} peers of {loaded['artifacts']:,} artifacts: p99 interval "
           f"**{worst:.3f} s**, max {max(loaded['gaps']):.3f} s — {'met' if worst <= 1.1 else '**missed**'}.")
open(sys.argv[3], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
