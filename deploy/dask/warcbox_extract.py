#!/usr/bin/python3
"""Run `warcbox extract` over a collection on a Dask distributed cluster.

Each Dask task runs one shard: `warcbox extract --shard I/N -o OUT/ INPUT...`
(or `--records FILE` in place of the inputs). warcbox does the sharding
(every Nth input, or every Nth block of records rows) and writes one part per
input, renamed (or uploaded) only when complete, and skips parts already
complete; so a task that is run again -- because its worker died, or because
the whole job was restarted -- redoes only what is missing, and the union of
the parts is what one `warcbox extract` writes.

    /usr/bin/python3 deploy/dask/warcbox_extract.py \\
        --scheduler tcp://127.0.0.1:8786 --shards 8 -o s3://bucket/out/ \\
        s3://bucket/crawl/ -- --format parquet

Arguments after `--` are passed to every `warcbox extract` as they are.
Every worker needs the warcbox binary (--warcbox) and, for s3:// names, the
AWS environment (AWS_ENDPOINT_URL, credentials) in its own environment.
Prints one JSON line per shard, then a summary; exits 1 if a shard failed.
"""

import argparse
import json
import subprocess
import sys
import time

from dask.distributed import Client, as_completed


def run_shard(warcbox, shard, shards, output, inputs, records, base, extra):
    """Run one shard; raise (so Dask retries it) if warcbox fails."""
    cmd = [warcbox, "extract", "--shard", "%d/%d" % (shard, shards), "-o", output]
    if records:
        cmd += ["--records", records]
        if base:
            cmd += ["--base", base]
    cmd += list(extra) + list(inputs)
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError("shard %d/%d: warcbox exit %d: %s" % (shard, shards, proc.returncode, proc.stderr[-4000:]))
    skipped = proc.stderr.count("part already complete, skipped")
    return {"shard": shard, "seconds": round(time.monotonic() - start, 3), "parts_skipped": skipped}


def main(argv):
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scheduler", required=True, help="address of the dask-scheduler, e.g. tcp://127.0.0.1:8786")
    ap.add_argument("--shards", type=int, required=True, help="number of shards (tasks); more than workers balances load")
    ap.add_argument("-o", "--output", required=True, help="folder (DIR/) or s3://bucket/prefix/ for the parts")
    ap.add_argument("--warcbox", default="warcbox", help="path of the warcbox binary on the workers")
    ap.add_argument("--records", help="extract the records this CDXJ/CDX/JSON/CSV/Parquet file names")
    ap.add_argument("--base", help="with --records, resolve relative file names against this prefix")
    ap.add_argument("--retries", type=int, default=2, help="times a failed shard is tried again (a dead worker's shard is rerun by Dask anyway)")
    ap.add_argument("inputs", nargs="*", help="WARC files, folders, globs, s3:// prefixes (none with --records)")
    args = ap.parse_args(argv)
    if args.shards < 1 or (not args.inputs and not args.records):
        ap.error("give --shards >= 1 and INPUTs or --records")

    client = Client(args.scheduler)
    start = time.monotonic()
    futures = client.map(
        run_shard,
        [args.warcbox] * args.shards, range(args.shards), [args.shards] * args.shards,
        [args.output] * args.shards, [args.inputs] * args.shards, [args.records] * args.shards,
        [args.base] * args.shards, [extra] * args.shards,
        pure=False, retries=args.retries,
    )
    failed = 0
    for fut in as_completed(futures):
        try:
            print(json.dumps(fut.result()), flush=True)
        except Exception as e:  # a shard that failed for good
            failed += 1
            print(json.dumps({"error": str(e)}), flush=True)
    print(json.dumps({"shards": args.shards, "failed": failed, "seconds": round(time.monotonic() - start, 3)}), flush=True)
    client.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
