#!/usr/bin/env bash
# Remote-input figures for BENCHMARKS.md (issue 11), each a ratio measured
# in one run on this machine:
#   - extract over a collection in a local S3 server (versitygw, started by
#     the benchmark) against the same files on local disk: pages/s;
#   - replay of a WACZ over HTTP against the local file: time to the first
#     page, heap held and bytes fetched, for a small package and one 64 MiB
#     larger.
# Sub-benchmarks alternate (-count), and the medians are compared.
# Usage: bash bench/remote/run.sh   (COUNT=5 for more runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
export AWS_EC2_METADATA_DISABLED=true
count=${COUNT:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "# go test -run '^\$' -bench BenchmarkRunCollection -benchtime 1x -count $count ./extract"
go test -run '^$' -bench 'BenchmarkRunCollection' -benchtime 1x -count "$count" ./extract | tee "$out/extract.txt"
echo "# go test -run '^\$' -bench BenchmarkReplayWACZFirstPage -benchtime 20x -count $count ./replay"
go test -run '^$' -bench 'BenchmarkReplayWACZFirstPage' -benchtime 20x -count "$count" ./replay | tee "$out/replay.txt"
echo "# go test -run '^\$' -bench . -benchtime 3x ./storage"
go test -run '^$' -bench . -benchtime 3x ./storage | tee "$out/storage.txt"

# median VALUE of metric UNIT for sub-benchmark NAME in FILE
median() {
  awk -v name="$2" -v unit="$3" '$1 ~ name { for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i }' "$1" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

l=$(median "$out/extract.txt" 'RunCollection/local' pages/s)
s=$(median "$out/extract.txt" 'RunCollection/s3' pages/s)
echo
echo "extract, 80 pages in 8 WARC.gz: local disk $l pages/s, versitygw $s pages/s: S3/local = $(ratio "$s" "$l") (goal >= 0.8)"
for size in small big; do
  lt=$(median "$out/replay.txt" "FirstPage/local-$size" ms/first-page)
  ht=$(median "$out/replay.txt" "FirstPage/http-$size" ms/first-page)
  lh=$(median "$out/replay.txt" "FirstPage/local-$size" heap-MB)
  hh=$(median "$out/replay.txt" "FirstPage/http-$size" heap-MB)
  kb=$(median "$out/replay.txt" "FirstPage/http-$size" fetched-KB)
  echo "replay first page, $size WACZ: local $lt ms, HTTP $ht ms: HTTP/local = $(ratio "$ht" "$lt") (goal <= 2); heap local $lh MB, HTTP $hh MB; fetched $kb KB"
done
