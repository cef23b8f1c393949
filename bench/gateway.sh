#!/usr/bin/env bash
# Inference gateway overhead: the same fixed-response upstream measured three ways in one run -- direct,
# through nginx (proxy_pass, upstream keep-alive, 1 worker) and through api-node -- with wrk: a paced load
# of about 1,000 req/s (10 connections, 10 ms between requests each) and saturation at 16 and 64
# connections, for a JSON answer (~400 bytes) and an SSE answer (64 data: events). Writes bench/out/gateway.md.
# Usage: bench/gateway.sh [seconds per run, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
# the paced runs are cheap and their p99 is the figure compared: three times as long, for a steadier tail
PACED_SECONDS=${PACED_SECONDS:-$(( SECONDS_PER_RUN * 3 ))}
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
UP_JSON=$(free_port); UP_SSE=$(free_port); NGX_JSON=$(free_port); NGX_SSE=$(free_port); VIEW=$(free_port); API=$(free_port)

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
nginx -c "$WORK/up/nginx.conf" -p "$WORK/up" -g 'daemon off;' 2>"$WORK/up/stderr" & PIDS+=($!)
nginx -c "$WORK/ngx/nginx.conf" -p "$WORK/ngx" -g 'daemon off;' 2>"$WORK/ngx/stderr" & PIDS+=($!)

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
(cd "$WORK/view" && exec python3 -m http.server "$VIEW" --bind 127.0.0.1 >/dev/null 2>&1) & PIDS+=($!)
JAVA_OPTS=${JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}
# shellcheck disable=SC2086
QUARKUS_HTTP_PORT=$API NODE_REGISTRY_URL=http://127.0.0.1:$VIEW QUARKUS_LOG_LEVEL=WARN \
  java $JAVA_OPTS -jar api-node/target/quarkus-app/quarkus-run.jar >"$WORK/api.log" 2>&1 & PIDS+=($!)

wait_for() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }
wait_for "http://127.0.0.1:$UP_JSON/"
wait_for "http://127.0.0.1:$NGX_JSON/"
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$API/v1/models" | grep -q bench/sse && break; sleep 0.1; done

body() { printf '{"model":"%s","messages":[{"role":"user","content":"What is proof of compute?"}],"max_tokens":16%s}' "$1" "$2"; }
JSON_REQ=$(body bench/json "")
SSE_REQ=$(body bench/sse ',"stream":true')
for url in "http://127.0.0.1:$API/v1/chat/completions"; do
  curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$JSON_REQ" "$url"
done

lua() { # $1 body, $2 delay ms (0: none)
  cat <<LUA
wrk.method = "POST"
wrk.body = [[$1]]
wrk.headers["Content-Type"] = "application/json"
$( [ "$2" -gt 0 ] && echo "function delay() return $2 end" )
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
}
lua "$JSON_REQ" 10 > "$WORK/json-paced.lua"; lua "$JSON_REQ" 0 > "$WORK/json.lua"
lua "$SSE_REQ" 10 > "$WORK/sse-paced.lua"; lua "$SSE_REQ" 0 > "$WORK/sse.lua"

run() { # $1 url, $2 script, $3 connections, $4 seconds -> "req/s p50 p90 p99 non2xx errors" (µs)
  wrk -t2 -c"$3" -d"$4"s --timeout 10s -s "$2" "$1" | awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7}'
}

declare -A URL
URL[direct-json]="http://127.0.0.1:$UP_JSON/v1/chat/completions"; URL[direct-sse]="http://127.0.0.1:$UP_SSE/v1/chat/completions"
URL[nginx-json]="http://127.0.0.1:$NGX_JSON/v1/chat/completions"; URL[nginx-sse]="http://127.0.0.1:$NGX_SSE/v1/chat/completions"
URL[api-node-json]="http://127.0.0.1:$API/v1/chat/completions"; URL[api-node-sse]="http://127.0.0.1:$API/v1/chat/completions"

# warm-up: the JVM compiles its hot paths (not measured)
run "${URL[api-node-json]}" "$WORK/json.lua" 16 15 >/dev/null
run "${URL[api-node-sse]}" "$WORK/sse.lua" 16 10 >/dev/null
run "${URL[nginx-json]}" "$WORK/json.lua" 16 3 >/dev/null

RESULTS="$WORK/results.txt"
: > "$RESULTS"
for kind in json sse; do
  for load in paced c16 c64; do
    for path in direct nginx api-node; do
      case $load in
        paced) r=$(run "${URL[$path-$kind]}" "$WORK/$kind-paced.lua" 10 "$PACED_SECONDS") ;;
        c16) r=$(run "${URL[$path-$kind]}" "$WORK/$kind.lua" 16 "$SECONDS_PER_RUN") ;;
        c64) r=$(run "${URL[$path-$kind]}" "$WORK/$kind.lua" 64 "$SECONDS_PER_RUN") ;;
      esac
      echo "$kind $load $path $r" | tee -a "$RESULTS"
    done
  done
done

# time to first byte of the SSE answer, at the paced load, per path
TTFB="$WORK/ttfb.txt"
: > "$TTFB"
for path in direct nginx api-node; do
  url=${URL[$path-sse]}
  port=$(echo "$url" | sed -E 's#http://127.0.0.1:([0-9]+)/.*#\1#')
  r=$(java -XX:+UseSerialGC -cp "bench/target/bench.jar:bench/target/lib/*" io.gonkanode.bench.TtfbProbe "$port" /v1/chat/completions "$SSE_REQ" 10000 10 10 3000)
  echo "$path $r" | tee -a "$TTFB"
done

python3 - "$RESULTS" "$TTFB" "$OUT/gateway.md" "$SECONDS_PER_RUN" "$PACED_SECONDS" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ttfb = {l.split()[0]: [int(x) for x in l.split()[1:4]] for l in open(sys.argv[2]) if l.strip()}
secs, paced_secs = sys.argv[4], sys.argv[5]
res = {(r[0], r[1], r[2]): dict(rps=float(r[3]), p50=int(r[4]), p90=int(r[5]), p99=int(r[6]), non2xx=int(r[7]), errors=int(r[8])) for r in rows}
ms = lambda us: f"{us/1000:.2f}"
out = ["### Inference gateway overhead", "",
       f"wrk 4.1, 2 threads, {secs} s per saturated run and {paced_secs} s per paced run; \"paced\" is 10 connections with 10 ms between requests each "
       "(about 1,000 req/s); latencies in ms; \"added\" is the path's latency minus direct's in the same load.", ""]
checks = []
for kind in ("json", "sse"):
    out += [f"#### {'JSON answer (~400 bytes)' if kind == 'json' else 'SSE answer (64 data: events, 9.7 KB)'}", "",
            "| load | path | req/s | p50 | p90 | p99 | added p50 | added p99 | non-2xx, errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for load in ("paced", "c16", "c64"):
        d = res[(kind, load, "direct")]
        for path in ("direct", "nginx", "api-node"):
            r = res[(kind, load, path)]
            add50 = "" if path == "direct" else ms(r["p50"] - d["p50"])
            add99 = "" if path == "direct" else ms(r["p99"] - d["p99"])
            out.append(f"| {'~1,000 req/s' if load == 'paced' else load[1:] + ' connections'} | {path} | {r['rps']:,.0f} | {ms(r['p50'])} | "
                       f"{ms(r['p90'])} | {ms(r['p99'])} | {add50} | {add99} | {r['non2xx']}, {r['errors']} |")
    out.append("")
n, a, d = (res[("json", "paced", p)] for p in ("nginx", "api-node", "direct"))
ngx_add99, api_add99 = n["p99"] - d["p99"], a["p99"] - d["p99"]
checks.append(("api-node's added p99 at ~1,000 req/s ≤ 1.5 × nginx's (JSON)", f"{ms(api_add99)} ms vs {ms(ngx_add99)} ms",
               api_add99 <= 1.5 * max(ngx_add99, 1)))
for c in ("c16", "c64"):
    n, a = res[("json", c, "nginx")], res[("json", c, "api-node")]
    checks.append((f"saturated throughput ≥ 70 % of nginx's (JSON, {c[1:]} connections)", f"{a['rps']/n['rps']*100:.0f} %", a["rps"] >= 0.7 * n["rps"]))
added_ttfb = ttfb["api-node"][2] - ttfb["direct"][2]
out += ["#### SSE time to first byte", "",
        "10 keep-alive connections, one request every 10 ms each (about 1,000 req/s), 10,000 requests per path after 3,000 not counted (the probe warming up); from the request's last byte written to the answer's first byte read.", "",
        "| path | p50 | p90 | p99 | added p99 |", "|---|---:|---:|---:|---:|"]
for path in ("direct", "nginx", "api-node"):
    t = ttfb[path]
    out.append(f"| {path} | {ms(t[0])} | {ms(t[1])} | {ms(t[2])} | {'' if path == 'direct' else ms(t[2] - ttfb['direct'][2])} |")
checks.append(("SSE added time to first byte ≤ 1 ms at p99", f"{ms(added_ttfb)} ms", added_ttfb <= 1000))
out += ["", "| target | measured | met |", "|---|---|---|"] + [f"| {c} | {m} | {'yes' if ok else '**no**'} |" for c, m, ok in checks] + [""]
open(sys.argv[3], "w").write("\n".join(out))
print("\n".join(out))
PY
