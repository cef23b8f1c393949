#!/usr/bin/env bash
# Inference gateway overhead: the same fixed-response upstream measured four ways in one run -- direct,
# through nginx (proxy_pass, upstream keep-alive, 1 worker), through api-node and through Portkey's AI gateway
# (npm @portkey-ai/gateway, a gateway users pick, as `npx @portkey-ai/gateway` runs it) -- with wrk: a paced
# load of about 1,000 req/s (10 connections, 10 ms between requests each) and saturation at 16 and 64
# connections, for a JSON answer (~400 bytes) and an SSE answer (64 data: events); then the SSE time to first
# byte. Every figure is taken REPS times, the paths in a different order each time, and reported as the median
# with its spread. On a machine of 2 cores or more the gateway under test runs alone on core 0 and the load
# generator and the upstream on core 1 (taskset), so the paths never fight the load for a core.
# Writes bench/out/gateway.md.
# Usage: bench/gateway.sh [seconds per saturated run, default 10]
#   env: PACED_SECONDS (default 2 x that), REPS (default 3), PIN=0 (no taskset), PORTKEY_DIR (its npm install)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
# the paced runs' p99 is the figure compared: twice as long, for a steadier tail
PACED_SECONDS=${PACED_SECONDS:-$(( SECONDS_PER_RUN * 2 ))}
REPS=${REPS:-3}
PORTKEY_VERSION=1.15.2
PORTKEY_DIR=${PORTKEY_DIR:-bench/out/portkey}
PIN=${PIN:-1}
GW=(); LOAD=()
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then GW=(taskset -c 0); LOAD=(taskset -c 1); else PIN=0; fi

# Portkey's gateway, installed once: its own @hono/node-server range (^1.3.3) now resolves to 1.19, with which
# every streamed answer fails ("TypeError: immutable", Portkey-AI/gateway#1389); 1.12.0 is within the range and works
if [ ! -f "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  mkdir -p "$PORTKEY_DIR"
  cat > "$PORTKEY_DIR/package.json" <<PKG
{"private": true, "dependencies": {"@portkey-ai/gateway": "$PORTKEY_VERSION"}, "overrides": {"@hono/node-server": "1.12.0"}}
PKG
  (cd "$PORTKEY_DIR" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

OUT=bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/gonka-gateway.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
UP_JSON=$(free_port); UP_SSE=$(free_port); NGX_JSON=$(free_port); NGX_SSE=$(free_port); VIEW=$(free_port); API=$(free_port); PK=$(free_port)

# ---- the upstream: fixed answers, no generation delay ----
JSON_BODY='{"id":"chatcmpl-bench","object":"chat.completion","created":1795762455,"model":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8","choices":[{"index":0,"message":{"role":"assistant","content":"Proof of compute turns GPU work into network weight.","tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":12,"total_tokens":24,"completion_tokens":12},"prompt_logprobs":null}'
# 64 events, in 4 parts (an nginx parameter holds at most 4 KB); "\n" is nginx's escape for a newline
SSE_SET=""
SSE_VARS=""
for part in 1 2 3 4; do
  chunk=""
  for j in $(seq 1 16); do
    i=$(( (part - 1) * 16 + j ))
    chunk+='data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1795762455,"model":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8","choices":[{"index":0,"delta":{"content":"tok'$i' "},"finish_reason":null}]}\n\n'
  done
  [ "$part" = 4 ] && chunk+='data: [DONE]\n\n'
  SSE_SET+="set \$sse$part '$chunk'; "
  SSE_VARS+="\$sse$part"
done
mkdir -p "$WORK/up" "$WORK/ngx" "$WORK/view/internal/v1"
chmod 755 "$WORK"
# one nginx, one worker, its files in $1, its http block's servers in $2
nginx_conf() {
  cat > "$1/nginx.conf" <<CONF
worker_processes 1;
error_log $1/error.log warn;
pid $1/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  keepalive_requests 1000000;
$2
}
CONF
}
nginx_conf "$WORK/up" "
  server {
    listen 127.0.0.1:$UP_JSON;
    location / { default_type application/json; return 200 '$JSON_BODY'; }
  }
  server {
    listen 127.0.0.1:$UP_SSE;
    location / { default_type text/event-stream; $SSE_SET return 200 \"$SSE_VARS\"; }
  }"
nginx_conf "$WORK/ngx" "
  upstream json { server 127.0.0.1:$UP_JSON; keepalive 128; }
  upstream sse { server 127.0.0.1:$UP_SSE; keepalive 128; }
  server {
    listen 127.0.0.1:$NGX_JSON;
    location / { proxy_pass http://json; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }
  server {
    listen 127.0.0.1:$NGX_SSE;
    location / { proxy_pass http://sse; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering off; }
  }"
"${LOAD[@]}" nginx -c "$WORK/up/nginx.conf" -p "$WORK/up" -g 'daemon off;' 2>"$WORK/up/stderr" & PIDS+=($!)
"${GW[@]}" nginx -c "$WORK/ngx/nginx.conf" -p "$WORK/ngx" -g 'daemon off;' 2>"$WORK/ngx/stderr" & PIDS+=($!)
declare -A GATEWAY_PID
GATEWAY_PID[nginx]=$!

# ---- api-node, routing to the same upstream through a static node view ----
cat > "$WORK/view/internal/v1/nodes" <<VIEW
{"version":"bench","nodes":[
 {"id":"json-node","node_num":1,"host":"127.0.0.1","inference_port":$UP_JSON,"inference_segment":"","poc_port":1,"poc_segment":"",
  "max_concurrent":4096,"models":{"bench/json":{"args":[]}},"enabled":true,"operational":true,"routable":true,"served_model":"bench/json",
  "state":{"status":"INFERENCE","inference_healthy":true}},
 {"id":"sse-node","node_num":2,"host":"127.0.0.1","inference_port":$UP_SSE,"inference_segment":"","poc_port":2,"poc_segment":"",
  "max_concurrent":4096,"models":{"bench/sse":{"args":[]}},"enabled":true,"operational":true,"routable":true,"served_model":"bench/sse",
  "state":{"status":"INFERENCE","inference_healthy":true}}]}
VIEW
(cd "$WORK/view" && exec "${LOAD[@]}" python3 -m http.server "$VIEW" --bind 127.0.0.1 >/dev/null 2>&1) & PIDS+=($!)
JAVA_OPTS=${JAVA_OPTS:--Xms32m -Xmx384m -XX:+UseSerialGC}
# shellcheck disable=SC2086
QUARKUS_HTTP_PORT=$API NODE_REGISTRY_URL=http://127.0.0.1:$VIEW QUARKUS_LOG_LEVEL=WARN \
  "${GW[@]}" java $JAVA_OPTS -jar api-node/target/quarkus-app/quarkus-run.jar >"$WORK/api.log" 2>&1 & PIDS+=($!)
GATEWAY_PID[api-node]=$!
"${GW[@]}" node "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$PK" --headless >"$WORK/portkey.log" 2>&1 & PIDS+=($!)
GATEWAY_PID[portkey]=$!

wait_for() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }
wait_for "http://127.0.0.1:$UP_JSON/"
wait_for "http://127.0.0.1:$NGX_JSON/"
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$API/v1/models" | grep -q bench/sse && break; sleep 0.1; done

body() { printf '{"model":"%s","messages":[{"role":"user","content":"What is proof of compute?"}],"max_tokens":16%s}' "$1" "$2"; }
JSON_REQ=$(body bench/json "")
SSE_REQ=$(body bench/sse ',"stream":true')
# Portkey routes by its headers: the OpenAI provider at a custom host (it appends /chat/completions)
pk_headers() { printf 'x-portkey-provider: openai\nx-portkey-custom-host: http://127.0.0.1:%s/v1\nAuthorization: Bearer bench' "$1"; }
for _ in $(seq 1 300); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' -H 'x-portkey-provider: openai' \
    -H "x-portkey-custom-host: http://127.0.0.1:$UP_JSON/v1" -H 'Authorization: Bearer bench' -d "$JSON_REQ" \
    "http://127.0.0.1:$PK/v1/chat/completions" && break
  sleep 0.1
done
curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$JSON_REQ" "http://127.0.0.1:$API/v1/chat/completions"
# each path answers the stream whole, [DONE] last
for path in api-node portkey; do
  if [ $path = api-node ]; then port=$API; hs=(); else port=$PK; hs=(-H 'x-portkey-provider: openai' -H "x-portkey-custom-host: http://127.0.0.1:$UP_SSE/v1" -H 'Authorization: Bearer bench'); fi
  curl -sfN -H 'Content-Type: application/json' "${hs[@]}" -d "$SSE_REQ" "http://127.0.0.1:$port/v1/chat/completions" | tail -2 | grep -q '\[DONE\]' \
    || { echo "$path did not stream the answer whole; see $WORK" >&2; KEEP=1; exit 1; }
done

lua() { # $1 body, $2 delay ms (0: none), $3 extra headers ("Name: value" lines)
  cat <<LUA
wrk.method = "POST"
wrk.body = [[$1]]
wrk.headers["Content-Type"] = "application/json"
$(printf '%s\n' "$3" | while IFS=': ' read -r k v; do [ -n "$k" ] && echo "wrk.headers[\"$k\"] = \"$v\""; done)
$( [ "$2" -gt 0 ] && echo "function delay() return $2 end" )
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
}
for path in direct nginx api-node portkey; do
  for kind in json sse; do
    req=$JSON_REQ; up=$UP_JSON; [ $kind = sse ] && req=$SSE_REQ && up=$UP_SSE
    hs=""; [ $path = portkey ] && hs=$(pk_headers "$up")
    lua "$req" 10 "$hs" > "$WORK/$path-$kind-paced.lua"; lua "$req" 0 "$hs" > "$WORK/$path-$kind.lua"
  done
done

run() { # $1 url, $2 script, $3 connections, $4 seconds -> "req/s p50 p90 p99 non2xx errors" (µs)
  "${LOAD[@]}" wrk -t2 -c"$3" -d"$4"s --timeout 10s -s "$2" "$1" | awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7}'
}
# CPU clock ticks (user, system) of a gateway: the process and its children (nginx's worker)
ticks() {
  local u=0 s=0 p f
  for p in "$1" $(pgrep -P "$1" || true); do
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    set -- $f
    u=$(( u + ${12} )); s=$(( s + ${13} ))
  done
  echo "$u $s"
}
TICK=$(getconf CLK_TCK)
# a saturated run with the gateway's CPU per request: "req/s p50 p90 p99 non2xx errors user-µs sys-µs"
measured() { # $1 path, $2 url, $3 script, $4 connections, $5 seconds
  local pid=${GATEWAY_PID[$1]:-} before after r
  [ -n "$pid" ] && before=$(ticks "$pid")
  r=$(run "$2" "$3" "$4" "$5")
  if [ -n "$pid" ]; then
    after=$(ticks "$pid")
    r="$r $(python3 -c "import sys; b, a, rps, secs, tick = sys.argv[1].split(), sys.argv[2].split(), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
n = max(1.0, rps * secs)
print(' '.join(f'{(int(a[i]) - int(b[i])) / tick / n * 1e6:.1f}' for i in (0, 1)))" "$before" "$after" "${r%% *}" "$5" "$TICK")"
  fi
  echo "$r"
}

declare -A URL
URL[direct-json]="http://127.0.0.1:$UP_JSON/v1/chat/completions"; URL[direct-sse]="http://127.0.0.1:$UP_SSE/v1/chat/completions"
URL[nginx-json]="http://127.0.0.1:$NGX_JSON/v1/chat/completions"; URL[nginx-sse]="http://127.0.0.1:$NGX_SSE/v1/chat/completions"
URL[api-node-json]="http://127.0.0.1:$API/v1/chat/completions"; URL[api-node-sse]="http://127.0.0.1:$API/v1/chat/completions"
URL[portkey-json]="http://127.0.0.1:$PK/v1/chat/completions"; URL[portkey-sse]="http://127.0.0.1:$PK/v1/chat/completions"

# warm-up: the JVM compiles its hot paths, node its own (not measured)
run "${URL[api-node-json]}" "$WORK/api-node-json.lua" 16 15 >/dev/null
run "${URL[api-node-sse]}" "$WORK/api-node-sse.lua" 16 10 >/dev/null
run "${URL[portkey-json]}" "$WORK/portkey-json.lua" 16 10 >/dev/null
run "${URL[portkey-sse]}" "$WORK/portkey-sse.lua" 16 5 >/dev/null
run "${URL[nginx-json]}" "$WORK/nginx-json.lua" 16 3 >/dev/null

# the paths in a different order in each repetition, so none always runs first (or last) after another's load
ORDERS=("direct nginx api-node portkey" "portkey api-node nginx direct" "nginx portkey direct api-node" "api-node direct portkey nginx")
RESULTS="$WORK/results.txt"
: > "$RESULTS"
for rep in $(seq 1 "$REPS"); do
  for kind in json sse; do
    for load in paced c16 c64; do
      for path in ${ORDERS[$(( (rep - 1) % 4 ))]}; do
        case $load in
          paced) r=$(run "${URL[$path-$kind]}" "$WORK/$path-$kind-paced.lua" 10 "$PACED_SECONDS") ;;
          c16) r=$(measured "$path" "${URL[$path-$kind]}" "$WORK/$path-$kind.lua" 16 "$SECONDS_PER_RUN") ;;
          c64) r=$(measured "$path" "${URL[$path-$kind]}" "$WORK/$path-$kind.lua" 64 "$SECONDS_PER_RUN") ;;
        esac
        echo "$kind $load $path $rep $r" | tee -a "$RESULTS"
      done
    done
  done
done

# time to first byte of the SSE answer, at the paced load, per path
TTFB="$WORK/ttfb.txt"
: > "$TTFB"
for rep in $(seq 1 "$REPS"); do
  for path in ${ORDERS[$(( (rep - 1) % 4 ))]}; do
    url=${URL[$path-sse]}
    port=$(echo "$url" | sed -E 's#http://127.0.0.1:([0-9]+)/.*#\1#')
    hs=(); [ $path = portkey ] && mapfile -t hs < <(pk_headers "$UP_SSE"; echo)
    r=$("${LOAD[@]}" java -XX:+UseSerialGC -cp "bench/target/bench.jar:bench/target/lib/*" io.gonkanode.bench.TtfbProbe "$port" /v1/chat/completions \
      "$SSE_REQ" 5000 10 10 3000 "${hs[@]}")
    echo "$path $rep $r" | tee -a "$TTFB"
  done
done

python3 - "$RESULTS" "$TTFB" "$OUT/gateway.md" "$SECONDS_PER_RUN" "$PACED_SECONDS" "$REPS" "$PIN" <<'PY'
import statistics, sys
secs, paced_secs, reps, pin = sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7] == "1"
PATHS = ("direct", "nginx", "api-node", "portkey")
res = {}
for l in open(sys.argv[1]):
    r = l.split()
    if len(r) < 10:
        continue
    res.setdefault((r[0], r[1], r[2]), []).append(dict(rps=float(r[4]), p50=int(r[5]), p90=int(r[6]), p99=int(r[7]), non2xx=int(r[8]), errors=int(r[9]),
                                                       user=float(r[10]) if len(r) > 11 else None, sys=float(r[11]) if len(r) > 11 else None))
ttfb = {}
for l in open(sys.argv[2]):
    r = l.split()
    if len(r) >= 6:
        ttfb.setdefault(r[0], []).append([int(x) for x in r[2:6]])
med = statistics.median
def rng(vals, fmt):
    return f"{fmt(med(vals))} ({fmt(min(vals))}–{fmt(max(vals))})" if len(vals) > 1 else fmt(vals[0])
ms = lambda us: f"{us / 1000:.2f}"
rate = lambda v: f"{v:,.0f}"
def added(kind, load, path, key):
    # per repetition: the path's figure minus direct's in the same repetition
    return [a[key] - d[key] for a, d in zip(res[(kind, load, path)], res[(kind, load, "direct")])]
placement = ("each gateway alone on core 0, wrk and the upstream on core 1 (`taskset`)" if pin
             else "no pinning (fewer than 2 cores or PIN=0)")
out = ["### Inference gateway overhead", "",
       f"wrk 4.1, 2 threads, {secs} s per saturated run and {paced_secs} s per paced run, each figure taken {reps} times (the paths "
       f"in a different order each time): median (min–max). {placement[0].upper() + placement[1:]}. Portkey: `@portkey-ai/gateway` "
       "1.15.2 on Node.js " + __import__("subprocess").run(["node", "--version"], capture_output=True, text=True).stdout.strip() +
       ", routed by its headers (`x-portkey-provider: openai`, `x-portkey-custom-host`). \"paced\" is 10 connections with 10 ms between "
       "requests each (about 1,000 req/s); latencies in ms; \"added\" is the path's latency minus direct's in the same repetition.", ""]
checks = []
for kind in ("json", "sse"):
    out += [f"#### {'JSON answer (~400 bytes)' if kind == 'json' else 'SSE answer (64 data: events, 9.7 KB)'}", "",
            "| load | path | req/s | p50 | p99 | added p50 | added p99 | non-2xx, errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for load in ("paced", "c16", "c64"):
        for path in PATHS:
            rs = res[(kind, load, path)]
            a50 = "" if path == "direct" else rng(added(kind, load, path, "p50"), ms)
            a99 = "" if path == "direct" else rng(added(kind, load, path, "p99"), ms)
            out.append(f"| {'~1,000 req/s' if load == 'paced' else load[1:] + ' connections'} | {path} | {rng([r['rps'] for r in rs], rate)} | "
                       f"{rng([r['p50'] for r in rs], ms)} | {rng([r['p99'] for r in rs], ms)} | {a50} | {a99} | "
                       f"{sum(r['non2xx'] for r in rs)}, {sum(r['errors'] for r in rs)} |")
    out.append("")
us = lambda v: f"{v:.1f}"
out += ["#### CPU per request on the gateway's core", "",
        "What the gateway process (with nginx's worker) spent per answered request in the saturated runs, from its clock ticks in "
        "`/proc`: user and system (kernel: the socket reads and writes, wake-ups) µs, median (min–max) over the repetitions.", "",
        "| answer | connections | path | user µs | system µs | total µs |", "|---|---|---|---:|---:|---:|"]
for kind in ("json", "sse"):
    for load in ("c16", "c64"):
        for path in PATHS[1:]:
            rs = [r for r in res[(kind, load, path)] if r["user"] is not None]
            if rs:
                out.append(f"| {kind.upper()} | {load[1:]} | {path} | {rng([r['user'] for r in rs], us)} | {rng([r['sys'] for r in rs], us)} | "
                           f"{rng([r['user'] + r['sys'] for r in rs], us)} |")
out.append("")
out += ["#### SSE time to first byte", "",
        "10 keep-alive connections, one request every 10 ms each (about 1,000 req/s), 5,000 requests per path and repetition after 3,000 "
        "not counted (the probe warming up); from the request's last byte written to the answer's first byte read.", "",
        "| path | p50 | p90 | p99 | added p50 | added p99 | failed |", "|---|---:|---:|---:|---:|---:|---:|"]
for path in PATHS:
    t = ttfb[path]
    add = lambda i: "" if path == "direct" else rng([a[i] - d[i] for a, d in zip(t, ttfb["direct"])], ms)
    out.append(f"| {path} | {rng([x[0] for x in t], ms)} | {rng([x[1] for x in t], ms)} | {rng([x[2] for x in t], ms)} | {add(0)} | {add(2)} | "
               f"{sum(x[3] for x in t)} |")
# the targets, judged on the medians
m = lambda kind, load, path, key: med([r[key] for r in res[(kind, load, path)]])
for c in ("c16", "c64"):
    ratio = m("json", c, "api-node", "rps") / m("json", c, "nginx", "rps")
    goal = 0.9 if c == "c16" else 0.7
    checks.append((f"api-node's throughput ≥ {goal * 100:.0f} % of nginx's (JSON, {c[1:]} connections)", f"{ratio * 100:.0f} %", ratio >= goal))
ngx99, api99 = med(added("json", "paced", "nginx", "p99")), med(added("json", "paced", "api-node", "p99"))
checks.append(("api-node's added p99 at ~1,000 req/s ≤ 1.5 × nginx's (JSON)", f"{ms(api99)} ms vs {ms(ngx99)} ms", api99 <= 1.5 * max(ngx99, 1)))
ahead, behind = 0, []
for kind in ("json", "sse"):
    for load in ("paced", "c16", "c64"):
        for key, better in (("rps", max), ("p50", min), ("p99", min)):
            if load == "paced" and key == "rps":
                continue  # paced: both carry the offered load
            a, p = m(kind, load, "api-node", key), m(kind, load, "portkey", key)
            if better(a, p) == a:
                ahead += 1
            else:
                behind.append(f"{kind} {load} {key}")
ttfb_med = lambda path, i: med([x[i] for x in ttfb[path]])
for i, name in ((0, "p50"), (2, "p99")):
    if ttfb_med("api-node", i) <= ttfb_med("portkey", i):
        ahead += 1
    else:
        behind.append(f"SSE time to first byte {name}")
checks.append(("api-node ahead of Portkey on every figure", f"{ahead} of {ahead + len(behind)}" + (f" (behind: {', '.join(behind)})" if behind else ""),
               not behind))
add50 = ttfb_med("api-node", 0) - ttfb_med("direct", 0)
checks.append(("SSE added time to first byte ≤ 0.15 ms at p50", f"{ms(add50)} ms", add50 <= 150))
add99 = ttfb_med("api-node", 2) - ttfb_med("direct", 2)
checks.append(("SSE added time to first byte ≤ 1 ms at p99", f"{ms(add99)} ms", add99 <= 1000))
out += ["", "| target | measured (medians) | met |", "|---|---|---|"] + [f"| {c} | {v} | {'yes' if ok else '**no**'} |" for c, v, ok in checks] + [""]
open(sys.argv[3], "w").write("\n".join(out))
print("\n".join(out))
PY
