#!/usr/bin/env bash
# Peak RSS of `warcbox index --merge` over 64 sorted CDXJ parts served by
# HTTP on 127.0.0.1, for three input sizes: memory must stop growing once
# each input's read-ahead (1 MiB) is full. Usage: bash bench/remote/merge_rss.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/warcbox" ./cmd/warcbox
/usr/bin/python3 - "$work" <<'PY'
import os, random, sys
random.seed(1)
for d, lines in [("small", 2500), ("big", 20000), ("huge", 40000)]:
    os.makedirs(os.path.join(sys.argv[1], d))
    for i in range(64):
        rows = sorted('com,site%05d)/p%d 2020%02d01000000 {"url":"http://site%05d.com/p%d","mime":"text/html","status":"200","length":"1000","offset":"%d","filename":"f%d.warc.gz"}'
                      % (random.randrange(100000), j, j % 12 + 1, random.randrange(100000), j, j * 1000, i) for j in range(lines))
        with open(os.path.join(sys.argv[1], d, "p%02d.cdxj" % i), "w") as f:
            f.write("\n".join(rows) + "\n")
PY
port=18931
(cd "$work" && exec /usr/bin/python3 -m http.server $port --bind 127.0.0.1 >/dev/null 2>&1) &
srv=$!
sleep 1
for d in small big huge; do
  size=$(du -sh "$work/$d" | cut -f1)
  /usr/bin/time -f "$d ($size in 64 parts): %M KB max RSS, %e s" "$work/warcbox" index --merge "http://127.0.0.1:$port/$d/" 2>&1 >/dev/null | tail -1
done
uptime
