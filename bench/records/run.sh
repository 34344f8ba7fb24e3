#!/usr/bin/env bash
# Benchmarks of issue 11's sharded and index-driven runs, measured in one
# run (figures in BENCHMARKS.md):
#  1. extract --records of 1,000 records scattered over 50 WARCs (56 MB)
#     in versitygw on 127.0.0.1, 8 requests in flight, against the same
#     selection from local disk; prints requests, bytes fetched against the
#     total size of the WARCs, records/s (wall and per CPU-second).
#     Modes: --no-body (metadata), --no-fallback, and full (the default
#     extraction, issue 11's "full text" goal).
#     BEFORE=/path/to/an/older/warcbox also runs that binary on the same
#     selection, alternated with this checkout's (rows "…-before"), so a
#     change's before/after comes from one run.
#     The floor: the same selection from local disk read by
#     bench/records/floor, which stops after reading the records, after
#     parsing them, or after go-trafilatura alone (warcbox's options): what
#     any full-text extraction built on go-trafilatura costs at least
#     (floor-trafilatura: the patched copy warcbox builds with;
#     floor-upstream: upstream go-trafilatura).
#     S3 rows also give versitygw's own CPU (versitygw_cpu_s): it shares
#     the 2 cores, so it is part of what S3 costs against local disk.
#  2. Dask: two workers against one on a CPU-bound extract (16 WARCs,
#     640 pages, warcbox --workers 1 per shard, 8 shards).
# Needs versitygw (go install …/versitygw@v1.8.0) and python3-distributed.
set -euo pipefail
cd "$(dirname "$0")/../.."
W=${W:-$(mktemp -d /tmp/warcbox-bench-records.XXXXXX)}
ROOT=$W/s3root
mkdir -p "$ROOT/bench"
go build -o "$W/warcbox" ./cmd/warcbox
go build -o "$W/floor" ./bench/records/floor
go run ./bench/records -o "$ROOT/bench" -files 50 -per-file 40 -select 1000
VGW=$(command -v versitygw || echo "$(go env GOPATH)/bin/versitygw")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# versitygw's posix gateway serves ROOT/bench/… as s3://bench/….
# --keep-alive: versitygw closes every connection after one response
# unless told otherwise (Connection: close), which S3 itself does not do;
# without it each of the 1,000 requests pays a TCP connect on both sides.
"$VGW" --access BENCHKEY --secret benchsecret --region us-east-1 --port "127.0.0.1:$PORT" --keep-alive posix --nometa "$ROOT" >"$W/vgw.log" 2>&1 &
VPID=$!
PIDS=("$VPID")
cleanup() { for p in "${PIDS[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
export AWS_ACCESS_KEY_ID=BENCHKEY AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
total=$(du -cb "$ROOT"/bench/crawl-data/CC-BENCH/warc/*.warc.gz | tail -1 | cut -f1)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
# versitygw's own CPU-seconds so far: it runs on the same 2 cores, so its
# share is part of what S3 costs against local disk.
vgw_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$VPID/stat"; }
measure() { # name, then the command
  local name=$1; shift
  local v0; v0=$(vgw_cpu)
  /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$@" 2>"$W/$name.log" >"$W/$name.out"
  read -r wall user sys rss <"$W/time"
  local vgw=""; [[ $name == s3-* ]] && vgw="versitygw_cpu_s=$(echo "$(vgw_cpu) - $v0" | bc)"
  local line; line=$(grep 'records read' "$W/$name.log" || true)
  local n; n=$(wc -l <"$W/$name.out")
  printf '%-22s %5d rows %6.2fs wall %6.2f cpu-s %7.1f rec/s wall %7.1f rec/cpu-s %5.1f cpu-ms/rec %4d MB  %s\n' "$name" "$n" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "$n / $wall" | bc -l)" "$(echo "$n / ($user + $sys)" | bc -l)" \
    "$(echo "1000 * ($user + $sys) / $n" | bc -l)" "$((rss / 1024))" \
    "$(echo "$line" | grep -o 'requests=[0-9]* max_in_flight=[0-9]* bytes_fetched=[0-9]*') $vgw"
}
# DASK_ONLY=1 skips part 1, NO_DASK=1 part 2.
# Builds: this checkout's, and BEFORE's if given.
BUILDS=("$W/warcbox")
[ -n "${BEFORE:-}" ] && BUILDS=("$BEFORE" "$W/warcbox")
[ -n "${DASK_ONLY:-}" ] || for mode in "--no-body" "--no-fallback" ""; do
  tag=${mode#--}; tag=${tag:-full}
  for bin in "${BUILDS[@]}"; do
    sfx=""; [ "$bin" != "$W/warcbox" ] && sfx="-before"
    measure "s3-$tag$sfx" "$bin" extract $mode --records s3://bench/selection.parquet --base s3://bench/ --requests 8
    measure "local-$tag$sfx" "$bin" extract $mode --records "$ROOT/bench/selection.parquet" --base "$ROOT/bench/" --requests 8
  done
  cmp <(sed 's#s3://bench/#X/#' "$W/s3-$tag.out") <(sed "s#$ROOT/bench/#X/#" "$W/local-$tag.out") && echo "  same rows from S3 and local disk"
  [ -n "${BEFORE:-}" ] && { cmp -s "$W/s3-$tag.out" "$W/s3-$tag-before.out" && echo "  same rows before and after" || echo "  rows differ before and after: $(diff "$W/s3-$tag.out" "$W/s3-$tag-before.out" | grep -c '^<') lines"; }
done
if [ -z "${DASK_ONLY:-}" ]; then
  # upstream: the same stage with upstream go-trafilatura instead of the
  # patched copy warcbox builds with (third_party/go-trafilatura).
  for stage in read parse trafilatura upstream; do
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$W/floor" -stage "$stage" -base "$ROOT/bench/" "$ROOT/bench/selection.parquet" >"$W/floor-$stage.out"
    read -r wall user sys rss <"$W/time"
    n=$(grep -o '[0-9]* records' "$W/floor-$stage.out" | cut -d' ' -f1)
    printf '%-22s %5d recs %6.2fs wall %6.2f cpu-s %7.1f rec/cpu-s %5.1f cpu-ms/rec %4d MB  (%s)\n' "floor-$stage" "$n" "$wall" \
      "$(echo "$user + $sys" | bc)" "$(echo "$n / ($user + $sys)" | bc -l)" "$(echo "1000 * ($user + $sys) / $n" | bc -l)" "$((rss / 1024))" \
      "$(cut -d: -f2- "$W/floor-$stage.out" | sed 's/^ //')"
  done
  /usr/bin/time -f "%e %U %S" -o "$W/time" "$W/warcbox" cat --records s3://bench/selection.parquet --base s3://bench/ --requests 8 >/dev/null
  read -r wall user sys <"$W/time"
  printf '%-22s %5d recs %6.2fs wall %6.2f cpu-s %7.1f rec/cpu-s  (fetch and parse only)\n' s3-cat 1000 "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "1000 / ($user + $sys)" | bc -l)"
  fetched=$(grep -o 'bytes_fetched=[0-9]*' "$W/s3-no-body.log" | cut -d= -f2)
  echo "bytes fetched: $fetched of $total in the 50 WARCs ($(echo "scale=1; 100 * $fetched / $total" | bc)%)"
fi

# Dask: one worker, then two, same job.
if [ -z "${NO_DASK:-}" ] && /usr/bin/python3 -c 'import distributed' 2>/dev/null; then
  dask_run() { # workers
    local n=$1 sport; sport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    setsid /usr/bin/python3 -m distributed.cli.dask_scheduler --host 127.0.0.1 --port "$sport" --no-dashboard >"$W/sched$n.log" 2>&1 &
    local sp=$!; PIDS+=("$sp")
    local wp=()
    for i in $(seq "$n"); do
      setsid /usr/bin/python3 -m distributed.cli.dask_worker "tcp://127.0.0.1:$sport" --nthreads 1 --nworkers 1 --no-nanny \
        --no-dashboard --host 127.0.0.1 >"$W/worker$n-$i.log" 2>&1 &
      wp+=($!); PIDS+=($!)
    done
    for i in $(seq "$n"); do until grep -q 'Registered to' "$W/worker$n-$i.log"; do sleep 0.2; done; done
    rm -rf "$W/dask-out$n"
    /usr/bin/python3 deploy/dask/warcbox_extract.py --scheduler "tcp://127.0.0.1:$sport" --shards 8 -o "$W/dask-out$n/" \
      --warcbox "$W/warcbox" "$ROOT"/bench/crawl-data/CC-BENCH/warc/CC-BENCH-0000*.warc.gz "$ROOT"/bench/crawl-data/CC-BENCH/warc/CC-BENCH-0001[0-5].warc.gz \
      -- --no-fallback --workers 1 -q >"$W/driver$n.log"
    for p in "${wp[@]}" "$sp"; do kill -- -"$p" 2>/dev/null || true; done
    # The job's own time (from the driver's first submit to its last
    # result; Python and client start-up left out) and the shards' sum.
    python3 -c 'import json,sys; rs=[json.loads(l) for l in open(sys.argv[1])]; print(rs[-1]["seconds"], sum(r.get("seconds",0) for r in rs[:-1]))' "$W/driver$n.log"
  }
  read -r one sum1 < <(dask_run 1)
  read -r two sum2 < <(dask_run 2)
  pages=$(cat "$W"/dask-out2/*.jsonl | wc -l)
  diff <(cat "$W"/dask-out1/*.jsonl | sort) <(cat "$W"/dask-out2/*.jsonl | sort) >/dev/null && same=yes || same=no
  printf 'dask: %d pages; 1 worker %.2fs (shards %.2fs), 2 workers %.2fs (shards %.2fs): %.2fx; overhead with 2 workers %.1f%% (same output: %s)\n' \
    "$pages" "$one" "$sum1" "$two" "$sum2" "$(echo "$one / $two" | bc -l)" "$(echo "100 * ($two - $sum2 / 2) / $two" | bc -l)" "$same"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
