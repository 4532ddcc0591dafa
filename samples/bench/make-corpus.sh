#!/bin/sh
# make-corpus.sh OUT_DIR [COUNT]: a benchmark corpus of COUNT DKIM-signed messages (default 8)
# from bench.example (RFC 2606), with the zone that makes SPF, DKIM and DMARC pass for a client
# at 127.0.0.1. Writes OUT_DIR/corpus/*.eml, OUT_DIR/corpus/manifest.tsv, OUT_DIR/bench.example.zone
# and the signing key OUT_DIR/bench.key (generated here, never committed).
# Needs openssl and a built authfilter (AUTHFILTER, default: dotnet run --project src/Filter.Host --no-build --).
set -eu
out=${1:?usage: make-corpus.sh OUT_DIR [COUNT]}
count=${2:-8}
authfilter=${AUTHFILTER:-"dotnet run --project src/Filter.Host --no-build --"}
mkdir -p "$out/corpus"
[ -f "$out/bench.key" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/bench.key" 2>/dev/null
record=$($authfilter dkim sign --key "$out/bench.key" --domain bench.example --selector s1 --print-record /dev/null)
printf '# FILE\tMAIL-FROM\tRCPT...\n' > "$out/corpus/manifest.tsv"
i=1
while [ "$i" -le "$count" ]; do
    name=$(printf 'msg%03d.eml' "$i")
    # A realistic small message: a few headers, a body of a few KB.
    {
        printf 'From: Alice <alice@bench.example>\r\nTo: Bob <bob@localhost>\r\n'
        printf 'Subject: benchmark message %d\r\nDate: Wed, 25 Nov 2026 21:00:%02d +0000\r\n' "$i" "$((i % 60))"
        printf 'Message-ID: <bench-%d@bench.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n' "$i"
        n=0
        while [ "$n" -lt $((20 + i * 7)) ]; do
            printf 'Line %d of message %d: the quick brown fox jumps over the lazy dog.\r\n' "$n" "$i"
            n=$((n + 1))
        done
    } > "$out/unsigned.eml"
    $authfilter dkim sign --key "$out/bench.key" --domain bench.example --selector s1 \
        --headers "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type" \
        --output "$out/corpus/$name" "$out/unsigned.eml"
    printf '%s\t<alice@bench.example>\t<bob@localhost>\n' "$name" >> "$out/corpus/manifest.tsv"
    i=$((i + 1))
done
rm -f "$out/unsigned.eml"
cat > "$out/bench.example.zone" <<ZONE
\$ORIGIN bench.example.
\$TTL 3600
@        IN SOA ns.bench.example. hostmaster.bench.example. 1 3600 600 86400 300
@        IN NS  ns.bench.example.
ns       IN A   127.0.0.1
@        IN A   127.0.0.1
@        IN TXT "v=spf1 ip4:127.0.0.0/8 -all"
_dmarc   IN TXT "v=DMARC1; p=reject; adkim=r; aspf=r"
$record
ZONE
echo "corpus: $out/corpus ($count messages), zone: $out/bench.example.zone"
