#!/bin/sh
# Capture benchmark: Debian's python3.11-doc HTML served on 127.0.0.1,
# captured by warcbox and by `wget -r -p --warc-file` in the same run, at
# --depth 1 and unlimited. Prints wall time, peak memory and URL counts, and
# the URLs wget captured that warcbox did not (the goal: none).
#
#   apt-get install python3.11-doc wget
#   sh bench/capture/run.sh            # from the repository root
set -eu
DOCS=${DOCS:-/usr/share/doc/python3.11/html}
CONC=${CONC:-8}
[ -d "$DOCS" ] || { echo "missing $DOCS: apt-get install python3.11-doc" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null; rm -rf "$work"' EXIT INT TERM
go build -o "$work/warcbox" "$root/cmd/warcbox"
go build -o "$work/server" "$root/bench/capture/server"
"$work/server" -dir "$DOCS" > "$work/addr" 2>/dev/null &
srv=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$work/addr" ] && break; sleep 0.2; done
url=$(cat "$work/addr")
echo "site: $DOCS served at $url ($(find "$DOCS" -name '*.html' | wc -l) HTML files)"
echo "machine: $(nproc) cores, $(uname -sr), $("$work/warcbox" --version), $(wget --version | head -1)"
printf '%-22s %8s %9s %6s %9s %s\n' tool wall_s maxrss_MB urls warc_MB missing_vs_wget

measure() { # name, then the command; sets wall, rss
	name=$1; shift
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/$name.out" 2>&1 || true
	# time prints "Command exited with non-zero status" first when wget
	# reports 404s (exit 8); the figures are on the last line.
	wall=$(tail -1 "$work/time" | cut -d' ' -f1)
	rss=$(( $(tail -1 "$work/time" | cut -d' ' -f2) / 1024 ))
}

# The binary's own start-up memory, before any capture, for reference.
measure baseline "$work/warcbox" --version
printf '%-22s %8s %9s %6s %9s %s\n' "warcbox --version" "$wall" "$rss" - - -

for depth in 1 inf; do
	wbdepth=$depth; [ "$depth" = inf ] && wbdepth=-1
	mkdir -p "$work/wget-$depth"
	measure wget-$depth wget -q -r -l "$depth" -p -nH -e robots=on -P "$work/wget-$depth/files" \
		--warc-file="$work/wget-$depth/out" "$url"
	wget_wall=$wall; wget_rss=$rss
	python3 "$root/bench/capture/urls.py" "$work/wget-$depth"/out*.warc.gz > "$work/wget-$depth.urls"

	measure wb-$depth "$work/warcbox" capture --depth "$wbdepth" --concurrency "$CONC" --per-host "$CONC" \
		--progress log -q -o "$work/wb-$depth/archive" "$url"
	wb_wall=$wall; wb_rss=$rss
	python3 "$root/bench/capture/urls.py" "$work/wb-$depth"/archive/*.warc.gz > "$work/wb-$depth.urls"
	"$work/warcbox" verify -q "$work/wb-$depth"/archive/*.warc.gz > "$work/verify-$depth" 2>&1 || echo "verify failed: $(head -5 "$work/verify-$depth")"

	missing=$(comm -23 "$work/wget-$depth.urls" "$work/wb-$depth.urls" | wc -l)
	printf '%-22s %8s %9s %6s %9s %s\n' "wget -l $depth" "$wget_wall" "$wget_rss" \
		"$(wc -l < "$work/wget-$depth.urls")" "$(du -m "$work/wget-$depth"/out*.warc.gz | awk '{s+=$1} END {print s}')" "-"
	printf '%-22s %8s %9s %6s %9s %s\n' "warcbox --depth $wbdepth" "$wb_wall" "$wb_rss" \
		"$(wc -l < "$work/wb-$depth.urls")" "$(du -m "$work/wb-$depth"/archive/*.warc.gz | awk '{s+=$1} END {print s}')" "$missing"
	if [ "$missing" -gt 0 ]; then
		echo "  captured by wget only (first 10):"
		comm -23 "$work/wget-$depth.urls" "$work/wb-$depth.urls" | head -10 | sed 's/^/    /'
	fi
done
