#!/bin/sh
# compare.sh [RUN_DIR]: `authfilter bench` against OpenDKIM (verify only), OpenDMARC and rspamd
# (proxy worker in milter mode, spf, dkim and dmarc modules only), each on its own loopback port,
# with DNS from a local knotd serving the generated bench.example zone, at 1, 8 and 64
# connections; prints one table row per run. Run as root from the repository root, after
# `dotnet build src/Filter.Host -c Release`. Everything binds 127.0.0.1 only.
#   MESSAGES (default 400), WARMUP (default 40), CONNECTIONS (default "1 8 64"),
#   AUTHFILTER_PORT: also bench an already running `authfilter serve` on 127.0.0.1:PORT
#   (start it with --zone RUN_DIR/bench.example.zone), AUTHFILTER_PID: its process id.
# Before timing, one message goes to each target alone and the Authentication-Results it adds are
# printed: each must say dkim=pass (and spf=pass, dmarc=pass where the target does those).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
run=${1:-$(mktemp -d /tmp/authfilter-bench.XXXXXX)}
messages=${MESSAGES:-400}
warmup=${WARMUP:-40}
connections=${CONNECTIONS:-"1 8 64"}
dll=$(ls src/Filter.Host/bin/Release/net10.0/authfilter.dll src/Filter.Host/bin/Debug/net10.0/authfilter.dll 2>/dev/null | head -1)
bench="dotnet $dll bench"

# Debian bookworm: opendkim 2.11.0~beta2, opendmarc 1.4.2, rspamd 3.4, knot 3.2. The image's
# policy-rc.d keeps the packaged services from starting; we start our own on loopback ports.
for p in opendkim opendmarc rspamd knot; do
    dpkg -s "$p" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$p" >/dev/null
done
apt-cache policy opendkim opendmarc rspamd knot | grep -E '^[a-z]|Installed'

AUTHFILTER="dotnet $dll" "$here/make-corpus.sh" "$run" 8 >/dev/null
# OpenDMARC reads DKIM results from the Authentication-Results OpenDKIM adds before it in the
# milter chain; its corpus carries that header, exactly as OpenDKIM writes it for these messages.
mkdir -p "$run/corpus-dmarc"
for f in "$run"/corpus/*.eml; do
    { printf 'Authentication-Results: bench.localhost;\r\n\tdkim=pass header.d=bench.example header.s=s1 header.a=rsa-sha256\r\n'; cat "$f"; } > "$run/corpus-dmarc/$(basename "$f")"
done
cp "$run/corpus/manifest.tsv" "$run/corpus-dmarc/"
: > "$run/empty-hosts"
mkdir -p "$run/knot-db"
printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$run/resolv.conf"
for f in knot.conf opendkim.conf opendmarc.conf rspamd.conf; do
    sed "s|@DIR@|$run|g" "$here/$f" > "$run/$f"
done
# rspamd drops root for its own user; its private state folder must be theirs.
mkdir -p "$run/rspamd"
chown _rspamd:_rspamd "$run/rspamd"
chmod 755 "$run"

pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
knotd -c "$run/knot.conf" > "$run/knot.log" 2>&1 & pids="$pids $!"
opendkim -f -x "$run/opendkim.conf" > "$run/opendkim.log" 2>&1 & pids="$pids $!"
# libresolv (OpenDMARC, libspf2) takes its nameserver from /etc/resolv.conf and no port: give it a
# private mount namespace where resolv.conf names the local knotd, without touching the host's.
unshare -m sh -c "mount --bind '$run/resolv.conf' /etc/resolv.conf && exec opendmarc -f -c '$run/opendmarc.conf'" > "$run/opendmarc.log" 2>&1 & pids="$pids $!"
# rspamd: our config only (-c), foreground, its DNS from the same knotd (options.dns.nameserver).
# spf, dkim and dmarc keep their state in memory; none of them needs Redis.
rspamd -f -u _rspamd -g _rspamd -c "$run/rspamd.conf" > "$run/rspamd.out" 2>&1 & rspamd_main=$!; pids="$pids $rspamd_main"
sleep 2
# rspamd takes tens of seconds to load its Lua and compile its hyperscan cache on a first start.
# The proxy worker does the scanning (self_scan); its pid, not the main process's, carries the CPU.
rspamd_worker=""
for i in $(seq 1 120); do
    if ss -lnt | grep -q '127.0.0.1:18895 '; then
        rspamd_worker=$(pgrep -P "$rspamd_main" -f 'rspamd_proxy process' | head -1 || true)
        [ -n "$rspamd_worker" ] && break
    fi
    sleep 1
done

row() { # name port corpus pid connections
    json=$($bench --target "inet:127.0.0.1:$2" --corpus "$3" --connections "$5" --messages "$messages" --warmup "$warmup" --pid "$4" --json) || true
    printf '%s\n' "$json" > "$run/$1-$5.json"
    printf '%s\n' "$json" | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("| %-20s | %5s | %9.0f | %9.1f | %9.1f | %9.1f | %8.3f | %6d |" % (sys.argv[1], sys.argv[2], j["messagesPerSecond"],
      j["endOfMessageMicroseconds"]["p50"] / 1000, j["endOfMessageMicroseconds"]["p99"] / 1000, j["endOfMessageMicroseconds"]["max"] / 1000,
      j.get("targetCpuMillisecondsPerMessage", -1), j["errors"]["total"]))' "$1" "$5"
}

# Show once that each target really judges the corpus.
$bench --target inet:127.0.0.1:18891 --corpus "$run/corpus" --messages 1 --probe 2>&1 >/dev/null | head -3
$bench --target inet:127.0.0.1:18893 --corpus "$run/corpus-dmarc" --messages 1 --probe 2>&1 >/dev/null | head -3
$bench --target inet:127.0.0.1:18895 --corpus "$run/corpus" --messages 1 --probe 2>&1 >/dev/null | head -5
if [ -n "${AUTHFILTER_PORT:-}" ]; then
    $bench --target "inet:127.0.0.1:$AUTHFILTER_PORT" --corpus "$run/corpus" --messages 1 --probe 2>&1 >/dev/null | head -5
fi

echo "| target               | conns |   msg/s   | EOM p50 ms | EOM p99 ms | EOM max ms | CPU ms/msg | errors |"
echo "|----------------------|-------|-----------|-----------|-----------|-----------|----------|--------|"
for c in $connections; do
    row opendkim 18891 "$run/corpus" "$(cat "$run/opendkim.pid")" "$c"
    row opendmarc 18893 "$run/corpus-dmarc" "$(cat "$run/opendmarc.pid")" "$c"
    row rspamd 18895 "$run/corpus" "${rspamd_worker:?rspamd proxy worker not found}" "$c"
    if [ -n "${AUTHFILTER_PORT:-}" ]; then
        row authfilter "$AUTHFILTER_PORT" "$run/corpus" "${AUTHFILTER_PID:?set AUTHFILTER_PID}" "$c"
    fi
done
echo "JSON per run in $run"
