#!/bin/sh
# Capture benchmark: Debian's python3.11-doc HTML served on 127.0.0.1 by a Go
# file server, captured by warcbox and by `wget -r -p --warc-file` in the
# same run, at --depth 1 and unlimited, the tools interleaved, best of
# RUNS. Prints wall time, CPU time, peak memory, URL counts, and the URLs
# wget captured that warcbox did not (the goal: none).
#
#   apt-get install python3.11-doc wget
#   sh bench/capture/run.sh            # from the repository root
set -eu
DOCS=${DOCS:-/usr/share/doc/python3.11/html}
CONC=${CONC:-8}
RUNS=${RUNS:-3}
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
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$work/warcbox" --version), $(wget --version | head -1)"
echo "best of $RUNS runs each, interleaved; warcbox --concurrency $CONC --per-host $CONC"
printf '%-22s %7s %7s %10s %6s %8s %s\n' tool wall_s cpu_s maxrss_MB urls warc_MB missing_vs_wget

# measure NAME CMD...: runs CMD, keeps the best wall time of NAME so far
# in $work/NAME.best as "wall cpu rss".
measure() {
	name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/$name.out" 2>&1 || true
	# time prints "Command exited with non-zero status" first when wget
	# reports 404s (exit 8); the figures are on the last line.
	set -- $(tail -1 "$work/time")
	line="$1 $(echo "$2 + $3" | bc) $(( $4 / 1024 ))"
	if [ ! -s "$work/$name.best" ] || [ "$(echo "$1 < $(cut -d' ' -f1 "$work/$name.best")" | bc)" = 1 ]; then
		echo "$line" > "$work/$name.best"
	fi
}

measure baseline "$work/warcbox" --version
set -- $(cat "$work/baseline.best")
printf '%-22s %7s %7s %10s %6s %8s %s\n' "warcbox --version" "$1" "$2" "$3" - - -

for depth in 1 inf; do
	wbdepth=$depth; [ "$depth" = inf ] && wbdepth=-1
	i=0
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		rm -rf "$work/wget-$depth" "$work/wb-$depth"
		mkdir -p "$work/wget-$depth"
		measure wget-$depth wget -q -r -l "$depth" -p -nH -e robots=on -P "$work/wget-$depth/files" \
			--warc-file="$work/wget-$depth/out" "$url"
		measure wb-$depth "$work/warcbox" capture --depth "$wbdepth" --concurrency "$CONC" --per-host "$CONC" \
			--progress log -q -o "$work/wb-$depth/archive" "$url"
	done
	python3 "$root/bench/capture/urls.py" "$work/wget-$depth"/out*.warc.gz > "$work/wget-$depth.urls"
	python3 "$root/bench/capture/urls.py" "$work/wb-$depth"/archive/*.warc.gz > "$work/wb-$depth.urls"
	"$work/warcbox" verify -q "$work/wb-$depth"/archive/*.warc.gz > "$work/verify-$depth" 2>&1 || echo "verify failed: $(head -5 "$work/verify-$depth")"

	missing=$(comm -23 "$work/wget-$depth.urls" "$work/wb-$depth.urls" | wc -l)
	set -- $(cat "$work/wget-$depth.best")
	printf '%-22s %7s %7s %10s %6s %8s %s\n' "wget -l $depth" "$1" "$2" "$3" \
		"$(wc -l < "$work/wget-$depth.urls")" "$(du -m "$work/wget-$depth"/out*.warc.gz | awk '{s+=$1} END {print s}')" "-"
	set -- $(cat "$work/wb-$depth.best")
	printf '%-22s %7s %7s %10s %6s %8s %s\n' "warcbox --depth $wbdepth" "$1" "$2" "$3" \
		"$(wc -l < "$work/wb-$depth.urls")" "$(du -m "$work/wb-$depth"/archive/*.warc.gz | awk '{s+=$1} END {print s}')" "$missing"
	if [ "$missing" -gt 0 ]; then
		echo "  captured by wget only (first 10):"
		comm -23 "$work/wget-$depth.urls" "$work/wb-$depth.urls" | head -10 | sed 's/^/    /'
	fi
	extra=$(comm -13 "$work/wget-$depth.urls" "$work/wb-$depth.urls" | head -5 | tr '\n' ' ')
	[ -n "$extra" ] && echo "  captured by warcbox only (first 5): $extra"
done
