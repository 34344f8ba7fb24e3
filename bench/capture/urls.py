#!/usr/bin/env python3
"""Print the target URIs of the response and revisit records of WARC files
(gzip per record or not), one per line, sorted and de-duplicated.

Reads records by their Content-Length, so bodies are never mistaken for
headers. Used by run.sh to compare what warcbox and wget captured."""
import gzip
import sys


def records(path):
    with open(path, "rb") as raw:
        f = gzip.open(raw) if raw.read(2) == b"\x1f\x8b" else None
        raw.seek(0)
        f = f or raw
        if f is not raw:
            f = gzip.open(path)
        while True:
            line = f.readline()
            if not line:
                return
            if not line.startswith(b"WARC/"):
                continue
            fields = {}
            while True:
                h = f.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("utf-8", "replace").partition(":")
                fields[k.strip().lower()] = v.strip()
            f.read(int(fields.get("content-length", "0")))
            yield fields


urls = set()
for p in sys.argv[1:]:
    for r in records(p):
        if r.get("warc-type") in ("response", "revisit"):
            u = r.get("warc-target-uri", "").strip("<>")
            if not u.endswith("/robots.txt"):
                urls.add(u)
for u in sorted(urls):
    print(u)
