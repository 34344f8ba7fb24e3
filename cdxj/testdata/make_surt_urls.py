#!/usr/bin/env python3
"""Writes surt-urls.warc: one resource record per tricky WARC-Target-URI, so
that `npx warcio@2.4.11 cdx-index --all surt-urls.warc` records the key warcio.js
builds for each (see README.md in this folder). Stdlib only."""
import sys

URLS = [
    b"http://www.example.com/", b"http://WWW.Example.com/", b"HTTP://www.example.com/",
    b"https://www2.example.com:443/a", b"http://www.example.com:80/", b"http://example.com:8080/x",
    b"http://example.com:/x", b"http://example.com:0080/", b"https://example.com:443/",
    b"http://example.com:443/", b"http://example.com:99999/",
    b"http://example.com/a b c?x=1 y", b"http://example.com/path/?b=2&a=1&c",
    b"http://example.com/?", b"http://example.com/#frag", b"http://example.com?c=3&a=1#f",
    b"http://example.com/?b&a=&a", b"http://example.com/?a=1&&b=2&",
    "http://b\u00fccher.ch/".encode(), "http://B\u00dcCHER.ch/\u00c4?\u00f6=\u00fc".encode(),
    b"http://xn--bcher-kva.ch/", "http://\u2603.com/".encode(), b"http://xn--zz.com/",
    "http://example\u3002com/".encode(), "http://\uff45xample.com/".encode(),
    b"http://192.168.0.1/", b"http://0x7f.1/", b"http://3279880203/blah", b"http://[::1]:8080/x",
    b"http://[2001:DB8::1]/", b"http://[::ffff:1.2.3.4]/", b"http://[1:0:0:2::3:0]/", b"http://[::1/",
    b"http://1.2.3.4.5/", b"http://1.2.3.256/", b"http://foo.09/", b"http://foo.0x/", b"http://0300.0250.0.1/",
    b"http://example.com/a/./b/../c", b"http://example.com/%2e%2E/x", b"http://example.com/a%2Fb%7e",
    b"http://example.com/%zz", b"http://example.com/a/..", b"http://example.com/a/.", b"http://example.com/..%2e/b",
    b"http://user:pass@example.com/x", b"http:example.com/path", b"http:\\\\example.com\\a\\b",
    b"http://example.com\\foo", b"http:///example.com/", b"http://@example.com/", b"http://user@/x",
    b"http://example.com/a\"b<c>d`e{f}g|h^i", b"http://example.com/?q='\"<>`{}|^",
    b"http://exa mple.com/", b"http://exa%41mple.com/", b"http://ex%20ample.com/", b"http://ex%25ample.com/",
    b"http://example.com./x", b"http://.example.com/", b"http://www.example.com.../",
    b"http://www.example.com/?jsessionid=0123456789abcdefghijklemopqrstuv&x=1",
    b"http://example.com/(S(4hqa0555fwsecu455xqckv45))/mileg.aspx",
    b"dns:www.example.com", b"urn:foo:bar", b"filedesc://x.arc", b"mailto:a@b", b"ftp://www.example.com/",
    b"whois://whois.example.org/x", b"https://www.example.com/index.html/",
    "http://example.com/\u00e9t\u00e9?q=\u00e9#\u00e9".encode(), "http://example.com/\u0130stanbul".encode(),
    "http://example.com/\u03a3\u03a3".encode(), b"http://ex_ample.com/", b"http://a.b.c.d.e/",
    b"https://www12.example.com/", b"http://www.www.example.com/", b"http://www2foo.com/",
    b"http://wwwexample.com/", b"http://www.com/", b"https://www.example.com/path;params?x",
    b"http://example.com/caf\xe9?x=\xe9", b"http://example.com/a\x7fb", b"http://example.com/%7E%7e",
    b"https://example.com/?__wb_method=post&x=1", b"http://EXAMPLE.COM/A/B?C=D&A=B",
    b"http://example.com:8080", b"https://example.com", b"http://example.com/?a=%20&b=+",
    b"<http://www.example.com/wget>", b"http://example.com/a?b?c", b"http://example.com/a//b///c",
    b"http://localhost:3000/", b"http://127.0.0.1/", b"http://[::]/", b"http://example.com/\xe2\x80\xa8",
]

out = open(sys.argv[1] if len(sys.argv) > 1 else "surt-urls.warc", "wb")
for i, u in enumerate(URLS):
    body = b"x"
    head = (b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n" % i
            + b"WARC-Target-URI: " + u + b"\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n"
            + b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body))
    out.write(head + body + b"\r\n\r\n")
out.close()
