// Writes golden outputs of warcio.js 2.4.11's own getSurt and postToGetUrl
// for the cdxj tests (see warciojs/README.md):
//   cd /tmp/wjs && node /work/main/cdxj/testdata/gen_warciojs.mjs /work/main/cdxj/testdata/warciojs
import { getSurt, postToGetUrl } from "warcio";
import { writeFileSync } from "fs";

const out = process.argv[2];

// Deterministic pseudo-random URLs over the characters that matter to keys.
let seed = 42;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const pick = (a) => a[rnd(a.length)];
const schemes = ["http://", "https://", "http:", "https:\\\\", "http:///", "HTTP://", "ftp://", "dns:", "http://www.", "https://www2.", "http://WWW."];
const hosts = ["example.com", "Example.COM", "a.b.example.co.uk", "b\u00fccher.de", "xn--bcher-kva.de", "127.0.0.1", "0x7f.0.0.1", "[::1]", "[2001:db8:0:0:1:0:0:1]",
  "ex%41mple.com", "example.com.", "localhost", "user:pw@example.com", "example.com:80", "example.com:443", "example.com:8080", "example.com:", "\u0441\u0430\u0439\u0442.\u0440\u0444", "1.2.3", "www.www.com"];
const segs = ["", "a", "A", ".", "..", "%2e", "%2E%2e", "b c", "caf\u00e9", "%7e", "%7E", "~", "x\"y", "<t>", "`", "{}", "|^", "%", "%zz", "\\", "index.html", "(s(abc))", "\u2603"];
const qs = ["", "?", "?a=1", "?b=2&a=1", "?a=1&&b", "?q=a b", "?q='x'", "?Z=%41&y", "?jsessionid=0123456789abcdefghijklemopqrstuv", "?\u00e9=\u00fc", "?a=1#frag", "#only", "?x=<>\"`"];
const urls = [];
for (let i = 0; i < 3000; i++) {
  let u = pick(schemes) + pick(hosts);
  const n = rnd(4);
  for (let j = 0; j < n; j++) u += pick(["/", "/", "\\"]) + pick(segs);
  u += pick(qs);
  urls.push(u);
}
writeFileSync(out + "/surt-random.jsonl", urls.map((u) => JSON.stringify({ url: u, key: getSurt(u) })).join("\n") + "\n");

// Request bodies as warcio.js folds them into the URL.
const te = new TextEncoder();
const cases = [
  ["POST", "application/x-www-form-urlencoded", "foo=bar&test=abc"],
  ["POST", "application/x-www-form-urlencoded; charset=UTF-8", "a=%20b&c=%E2%98%83&d=%3B"],
  ["POST", "application/x-www-form-urlencoded", "bad=%E2%98"],
  ["POST", "application/json", '{"a": 1, "b": [1, 2, {"c": "x y"}], "d": null, "e": true, "2": "two", "1": "one", "f": 1.5e-7, "g": ""}'],
  ["POST", "application/json", '{"a": {"a": {"a": 3}}, "a.2_": 9}'],
  ["POST", "application/json", "not json"],
  ["POST", "application/json", '"just a string"'],
  ["POST", "application/json", '[1, 2, 3]'],
  ["POST", "application/json", '{"x": 1e21, "y": -0.000001, "z": 123456789012}'],
  ["POST", "text/plain", '{"a": "b"}'],
  ["POST", "text/plain", "plain words"],
  ["POST", "multipart/form-data; boundary=----WebKitFormBoundaryABC", "------WebKitFormBoundaryABC\r\nContent-Disposition: form-data; name=\"foo\"\r\n\r\nbar\r\n------WebKitFormBoundaryABC\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile data\r\n------WebKitFormBoundaryABC\r\nContent-Disposition: form-data; name=\"x y\"\r\n\r\n1 2\r\n------WebKitFormBoundaryABC--\r\n"],
  ["POST", "application/octet-stream", "\u0000\u0001binary"],
  ["POST", "", ""],
  ["PUT", "image/png", "PNG"],
  ["DELETE", "application/x-www-form-urlencoded", ""],
  ["POST", "application/x-www-form-urlencoded", "x=" + "a".repeat(5000)],
  ["POST", "Application/JSON", '{"a": 1}'],
];
const lines = [];
for (const [method, ct, body] of cases) {
  for (const url of ["http://example.com/post", "http://example.com/post?q=1"]) {
    const headers = new Headers();
    if (ct) headers.set("Content-Type", ct);
    const req = { url, method, headers, postData: te.encode(body) };
    const ok = postToGetUrl(req, 4096);
    lines.push(JSON.stringify({ method, contentType: ct, body, inUrl: url, ok, url: req.url, requestBody: req.requestBody ?? null, key: getSurt(req.url) }));
  }
}
writeFileSync(out + "/post-cases.jsonl", lines.join("\n") + "\n");
