#!/usr/bin/env bash
# Indexing benchmark: a ~50 MB per-record-gzip WARC made by wget from
# Debian's python3.11-doc HTML served on 127.0.0.1, indexed by warcbox, by
# warcio.js (cdx-index) and decompressed by `gzip -dc`, in one run.
# Usage: bench/index/run.sh   (prints a table; needs python3, wget, node/npm)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${BENCH_WORK:-$root/bench/out/index}
mkdir -p "$work"
docs=/usr/share/doc/python3.11/html
if [ ! -d "$docs" ]; then
  apt-get install -y -qq python3.11-doc >/dev/null
fi
if [ ! -x "$root/.ci/node/node_modules/.bin/warcio" ]; then
  npm install --silent --prefix "$root/.ci/node" warcio@2.4.11 >/dev/null
fi
go build -o "$work/warcbox" ./cmd/warcbox

if [ ! -s "$work/pydoc-x6.warc.gz" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$docs" >/dev/null 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  sleep 1
  rm -rf "$work/site"
  wget -q -r -l inf -p -P "$work/site" --warc-file="$work/pydoc" --no-warc-keep-log "http://127.0.0.1:$port/index.html" || true
  rm -rf "$work/site"
  # Six captures of the site, concatenated: still one valid per-record-gzip WARC.
  for i in 1 2 3 4 5 6; do cat "$work/pydoc.warc.gz"; done > "$work/pydoc-x6.warc.gz"
fi
f="$work/pydoc-x6.warc.gz"
size=$(stat -c %s "$f")

measure() { # name, command… → prints "name wall_s cpu_s maxrss_kb", best of 3
  local name=$1; shift
  local best="" bestcpu="" rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/$name.err"
    read -r secs user sys kb < "$work/time.txt"
    cpu=$(echo "$user + $sys" | bc)
    if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
    if [ -z "$bestcpu" ] || [ "$(echo "$cpu < $bestcpu" | bc)" = 1 ]; then bestcpu=$cpu; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$name $best $bestcpu $rss"
}
# Interleaved, so that load from other processes hits every tool alike.
{
  measure gzip-dc gzip -dc "$f"
  measure warcbox "$work/warcbox" index "$f"
  measure warcio.js "$root/.ci/node/node_modules/.bin/warcio" cdx-index "$f"
} > "$work/results.txt"
"$work/warcbox" index "$f" > "$work/warcbox.cdxj"
"$root/.ci/node/node_modules/.bin/warcio" cdx-index "$f" | LC_ALL=C sort > "$work/warciojs.cdxj"
same=no; cmp -s "$work/warcbox.cdxj" "$work/warciojs.cdxj" && same=yes

echo "file: $(basename "$f"), $((size / 1000000)) MB, $(wc -l < "$work/warcbox.cdxj") index lines; identical to warcio.js: $same"
printf '%-10s %8s %8s %10s %12s\n' tool wall-s cpu-s MB/s max-RSS-MB
while read -r name secs cpu rss; do
  printf '%-10s %8s %8s %10.1f %12.1f\n' "$name" "$secs" "$cpu" "$(echo "$size / 1000000 / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done < "$work/results.txt"
col() { awk -v t="$1" -v c="$2" '$1==t{print $c}' "$work/results.txt"; }
printf 'wall time: warcbox is %.2fx the speed of gzip -dc and %.1fx that of warcio.js\n' \
  "$(echo "$(col gzip-dc 2) / $(col warcbox 2)" | bc -l)" "$(echo "$(col warcio.js 2) / $(col warcbox 2)" | bc -l)"
printf 'CPU time:  warcbox is %.2fx the speed of gzip -dc and %.1fx that of warcio.js\n' \
  "$(echo "$(col gzip-dc 3) / $(col warcbox 3)" | bc -l)" "$(echo "$(col warcio.js 3) / $(col warcbox 3)" | bc -l)"
/usr/bin/time -f "%M" -o "$work/time.txt" "$work/warcbox" --help >/dev/null
echo "warcbox RSS at start (no work): $(( $(cat "$work/time.txt") / 1024 )) MB"
