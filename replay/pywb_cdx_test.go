package replay

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// Conformance with pywb's CDX server API. Expected values are pywb's own:
// pywb/warcserver/index/test/test_cdxops.py (doctests, cited by their
// comment), tests/test_cdx_server_app.py and tests/test_integration.py
// (cited by test name), pywb at 2c706d1e.
//
// pywb's expected lines are its sample CDX 11 index; warcbox indexes the
// same WARCs itself. Columns are compared one by one, with these index
// differences (documented in docs/replay.md): warcbox's keys are
// warcio.js SURTs, which keep a path's trailing slash ("…/db/" where pywb
// has "…/db"), so prefix results are compared in pywb's key order; a
// record without Content-Type has no mime where pywb's indexer wrote "unk".

// cdxopsSources are the sources test_cdxops.py queries: iana.cdx (its
// default), dupes.cdx + iana.cdx, and the whole cdx folder ("dir"). pywb's
// folder also indexes the ARC files under made-up hosts and holds a
// hand-trimmed example-extra.cdx; those files are left out of "dir".
var cdxopsSources = map[string][]string{
	"iana":       {"iana.warc.gz"},
	"dupes+iana": {"dupes.warc.gz", "iana.warc.gz"},
	"dir": {"dupes.warc.gz", "iana.warc.gz", "example.warc.gz",
		"example-url-agnostic-orig.warc.gz", "example-url-agnostic-revisit.warc.gz"},
}

type cdxCase struct {
	name, source, query string
	// want is pywb's output: CDX 11 lines (plus orig.* columns when
	// resolving revisits), or bare values with fields=.
	want string
	// pywbKeyOrder: compare in pywb's key order (see above).
	pywbKeyOrder bool
}

var cdxopsCases = []cdxCase{
	{name: "Merge Sort Multipe CDX Sources", source: "dupes+iana", query: "url=http://iana.org/", want: `
org,iana)/ 20140126200624 http://www.iana.org/ text/html 200 OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB - - 2258 334 iana.warc.gz
org,iana)/ 20140127171238 http://iana.org unk 302 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - - 343 1858 dupes.warc.gz
org,iana)/ 20140127171238 http://www.iana.org/ warc/revisit - OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB - - 536 2678 dupes.warc.gz`},
	{name: "Limit CDX Stream", source: "iana", query: "url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&limit=3", want: `
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126200625 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf application/octet-stream 200 YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 117166 198285 iana.warc.gz
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126200654 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf warc/revisit - YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 548 482544 iana.warc.gz
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126200706 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf warc/revisit - YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 552 495230 iana.warc.gz`},
	{name: "Reverse CDX Stream", source: "iana", query: "url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&reverse=True&resolveRevisits=True&limit=3", want: `
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126201308 https://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf application/octet-stream 200 YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 551 783712 iana.warc.gz 117166 198285 iana.warc.gz
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126201249 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf application/octet-stream 200 YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 552 771773 iana.warc.gz 117166 198285 iana.warc.gz
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126201240 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf application/octet-stream 200 YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 551 757988 iana.warc.gz 117166 198285 iana.warc.gz`},
	{name: "Reverse CDX Stream (jquery.js)", source: "iana", query: "url=http://iana.org/_js/2013.1/jquery.js&reverse=True&resolveRevisits=True&limit=1", want: `
org,iana)/_js/2013.1/jquery.js 20140126201307 https://www.iana.org/_js/2013.1/jquery.js application/x-javascript 200 AAW2RS7JB7HTF666XNZDQYJFA6PDQBPO - - 543 778507 iana.warc.gz 33449 7311 iana.warc.gz`},
	{name: "From & To", source: "dir", query: "url=http://example.com/&from=2013&to=2013", want: `
com,example)/ 20130729195151 http://test@example.com/ warc/revisit - B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 591 355 example-url-agnostic-revisit.warc.gz`},
	{name: "From & To (from only)", source: "dir", query: "url=http://example.com/&from=2014", want: `
com,example)/ 20140127171200 http://example.com text/html 200 B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 1046 334 dupes.warc.gz
com,example)/ 20140127171251 http://example.com warc/revisit - B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 553 11875 dupes.warc.gz`},
	{name: "No results", source: "dir", query: "url=http://example.com/&to=2012"},
	{name: "No matching results", source: "iana", query: "url=http://iana.org/dont_have_this&reverse=True&resolveRevisits=True&limit=2"},
	{name: "No matching -- limit=1", source: "iana", query: "url=http://iana.org/dont_have_this&reverse=True&resolveRevisits=True&limit=1"},
	{name: "Filter cdx (default: contains)", source: "iana", query: "url=http://iana.org/domains&matchType=prefix&filter=mimetype:html", want: domainsHTML, pywbKeyOrder: true},
	{name: "Filter cdx (regex)", source: "iana", query: "url=http://iana.org/domains&matchType=prefix&filter=~mimetype:.*/html$", want: domainsHTML, pywbKeyOrder: true},
	{name: "Filter cdx (regex) =mimetype", source: "iana", query: "url=http://iana.org/domains&matchType=prefix&filter==mimetype:text/html", want: domainsHTML, pywbKeyOrder: true},
	{name: "Filter statuscode:200", source: "iana", query: "url=http://iana.org/_css/2013.1/screen.css&filter=statuscode:200", want: screenCSS200},
	{name: "Filter Alt field name", source: "iana", query: "url=http://iana.org/_css/2013.1/screen.css&filter=status:200", want: screenCSS200},
	{name: "Filter -- no field specified", source: "iana", query: "url=http://iana.org/_css/2013.1/screen.css&filter=screen.css+20140126200625", want: screenCSS200},
	{name: "Filter -- no such field, no matches", source: "iana", query: "url=http://iana.org/_css/2013.1/screen.css&filter=blah:200"},
	{name: "Filter exact -- (* prefix)", source: "dir", query: "url=http://example.com*&filter==urlkey:com,example)/?example=1", want: example1},
	{name: "Filter exact invert", source: "dir", query: "url=http://example.com&matchType=prefix&filter=!=urlkey:com,example)/?example=1&filter=!=urlkey:com,example)/?example=2&filter=!=urlkey:com,example)/?example=3", want: exampleRoot},
	{name: "Filter contains", source: "dir", query: "url=http://example.com&matchType=prefix&filter=urlkey:example=1", want: example1},
	{name: "Filter contains invert", source: "dir", query: "url=http://example.com&matchType=prefix&filter=!urlkey:example=", want: exampleRoot},
	{name: "Filter regex", source: "dir", query: "url=http://example.com&matchType=prefix&filter=~urlkey:.*example=1$", want: example1},
	{name: "Filter regex invert", source: "dir", query: "url=http://example.com&matchType=prefix&filter=!~urlkey:.*example=[0-9]$", want: exampleRoot},
	{name: "Collapse by timestamp (unresolved)", source: "iana", query: "url=http://iana.org/_css/2013.1/screen.css&collapseTime=11", want: `
org,iana)/_css/2013.1/screen.css 20140126200625 http://www.iana.org/_css/2013.1/screen.css text/css 200 BUAEPXZNN44AIX3NLXON4QDV6OY2H5QD - - 8754 41238 iana.warc.gz
org,iana)/_css/2013.1/screen.css 20140126200653 http://www.iana.org/_css/2013.1/screen.css warc/revisit - BUAEPXZNN44AIX3NLXON4QDV6OY2H5QD - - 533 328367 iana.warc.gz
org,iana)/_css/2013.1/screen.css 20140126201054 http://www.iana.org/_css/2013.1/screen.css warc/revisit - BUAEPXZNN44AIX3NLXON4QDV6OY2H5QD - - 543 706476 iana.warc.gz`},
	{name: "Collapse by timestamp (resolved revisits)", source: "iana", query: "url=http://iana.org/_css/2013.1/screen.css&collapseTime=11&resolveRevisits=True", want: `
org,iana)/_css/2013.1/screen.css 20140126200625 http://www.iana.org/_css/2013.1/screen.css text/css 200 BUAEPXZNN44AIX3NLXON4QDV6OY2H5QD - - 8754 41238 iana.warc.gz - - -
org,iana)/_css/2013.1/screen.css 20140126201054 http://www.iana.org/_css/2013.1/screen.css text/css 200 BUAEPXZNN44AIX3NLXON4QDV6OY2H5QD - - 543 706476 iana.warc.gz 8754 41238 iana.warc.gz`},
	{name: "Sort by closest timestamp + field select output", source: "iana", query: "closest=20140126200826&url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&fields=timestamp&limit=10", want: `
20140126200826
20140126200816
20140126200805
20140126200912
20140126200738
20140126200930
20140126200718
20140126200706
20140126200654
20140126200625`},
	{name: "both reverse and closest, closest takes precedence", source: "iana", query: "closest=20140126200826&url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&fields=timestamp&limit=3&reverse=True", want: `
20140126200826
20140126200816
20140126200805`},
	{name: "closest dnssec (dupes+iana)", source: "dupes+iana", query: "closest=20140126201306&url=http://iana.org/dnssec&resolveRevisits=True", want: `
org,iana)/dnssec 20140126201306 http://www.iana.org/dnssec text/html 302 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - - 442 772827 iana.warc.gz - - -
org,iana)/dnssec 20140126201307 https://www.iana.org/dnssec text/html 200 PHLRSX73EV3WSZRFXMWDO6BRKTVUSASI - - 2278 773766 iana.warc.gz - - -`},
	{name: "closest dnssec", source: "iana", query: "closest=20140126201307&url=http://iana.org/dnssec&resolveRevisits=True", want: `
org,iana)/dnssec 20140126201307 https://www.iana.org/dnssec text/html 200 PHLRSX73EV3WSZRFXMWDO6BRKTVUSASI - - 2278 773766 iana.warc.gz - - -
org,iana)/dnssec 20140126201306 http://www.iana.org/dnssec text/html 302 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - - 442 772827 iana.warc.gz - - -`},
	{name: "equal dist prefer earlier", source: "iana", query: "closest=20140126200700&url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&resolveRevisits=True&limit=2", want: `
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126200654 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf application/octet-stream 200 YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 548 482544 iana.warc.gz 117166 198285 iana.warc.gz
org,iana)/_css/2013.1/fonts/opensans-bold.ttf 20140126200706 http://www.iana.org/_css/2013.1/fonts/OpenSans-Bold.ttf application/octet-stream 200 YFUR5ALIWJMWV6FAAFRLVRQNXZQF5HRW - - 552 495230 iana.warc.gz 117166 198285 iana.warc.gz`},
	{name: "closest 20140126200659", source: "iana", query: "closest=20140126200659&url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&resolveRevisits=True&limit=2&fields=timestamp", want: "\n20140126200654\n20140126200706"},
	{name: "closest 20140126200701", source: "iana", query: "closest=20140126200701&url=http://iana.org/_css/2013.1/fonts/opensans-bold.ttf&resolveRevisits=True&limit=2&fields=timestamp", want: "\n20140126200706\n20140126200654"},
	{name: "Resolve Revisits", source: "iana", query: "url=http://iana.org/_css/2013.1/fonts/inconsolata.otf&resolveRevisits=True", want: `
org,iana)/_css/2013.1/fonts/inconsolata.otf 20140126200826 http://www.iana.org/_css/2013.1/fonts/Inconsolata.otf application/octet-stream 200 LNMEDYOENSOEI5VPADCKL3CB6N3GWXPR - - 34054 620049 iana.warc.gz - - -
org,iana)/_css/2013.1/fonts/inconsolata.otf 20140126200912 http://www.iana.org/_css/2013.1/fonts/Inconsolata.otf application/octet-stream 200 LNMEDYOENSOEI5VPADCKL3CB6N3GWXPR - - 546 667073 iana.warc.gz 34054 620049 iana.warc.gz
org,iana)/_css/2013.1/fonts/inconsolata.otf 20140126200930 http://www.iana.org/_css/2013.1/fonts/Inconsolata.otf application/octet-stream 200 LNMEDYOENSOEI5VPADCKL3CB6N3GWXPR - - 534 697255 iana.warc.gz 34054 620049 iana.warc.gz
org,iana)/_css/2013.1/fonts/inconsolata.otf 20140126201055 http://www.iana.org/_css/2013.1/fonts/Inconsolata.otf application/octet-stream 200 LNMEDYOENSOEI5VPADCKL3CB6N3GWXPR - - 547 714833 iana.warc.gz 34054 620049 iana.warc.gz
org,iana)/_css/2013.1/fonts/inconsolata.otf 20140126201249 http://www.iana.org/_css/2013.1/fonts/Inconsolata.otf application/octet-stream 200 LNMEDYOENSOEI5VPADCKL3CB6N3GWXPR - - 551 768625 iana.warc.gz 34054 620049 iana.warc.gz`},
	{name: "Resolve Revisits (root/db)", source: "iana", query: "url=http://iana.org/domains/root/db&resolveRevisits=True", want: `
org,iana)/domains/root/db 20140126200927 http://www.iana.org/domains/root/db/ text/html 302 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - - 446 671278 iana.warc.gz - - -
org,iana)/domains/root/db 20140126200928 http://www.iana.org/domains/root/db text/html 200 DHXA725IW5VJJFRTWBQT6BEZKRE7H57S - - 18365 672225 iana.warc.gz - - -`},
}

const domainsHTML = `
org,iana)/domains 20140126200825 http://www.iana.org/domains text/html 200 7UPSCLNWNZP33LGW6OJGSF2Y4CDG4ES7 - - 2912 610534 iana.warc.gz
org,iana)/domains/arpa 20140126201248 http://www.iana.org/domains/arpa text/html 200 QOFZZRN6JIKAL2JRL6ZC2VVG42SPKGHT - - 2939 759039 iana.warc.gz
org,iana)/domains/idn-tables 20140126201127 http://www.iana.org/domains/idn-tables text/html 200 HNCUFTJMOQOGAEY6T56KVC3T7TVLKGEW - - 8118 715878 iana.warc.gz
org,iana)/domains/int 20140126201239 http://www.iana.org/domains/int text/html 200 X32BBNNORV4SPEHTQF5KI5NFHSKTZK6Q - - 2482 746788 iana.warc.gz
org,iana)/domains/reserved 20140126201054 http://www.iana.org/domains/reserved text/html 200 R5AAEQX5XY5X5DG66B23ODN5DUBWRA27 - - 3573 701457 iana.warc.gz
org,iana)/domains/root 20140126200912 http://www.iana.org/domains/root text/html 200 YWA2R6UVWCYNHBZJKBTPYPZ5CJWKGGUX - - 2691 657746 iana.warc.gz
org,iana)/domains/root/db 20140126200927 http://www.iana.org/domains/root/db/ text/html 302 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - - 446 671278 iana.warc.gz
org,iana)/domains/root/db 20140126200928 http://www.iana.org/domains/root/db text/html 200 DHXA725IW5VJJFRTWBQT6BEZKRE7H57S - - 18365 672225 iana.warc.gz
org,iana)/domains/root/servers 20140126201227 http://www.iana.org/domains/root/servers text/html 200 AFW34N3S4NK2RJ6QWMVPB5E2AIUETAHU - - 3137 733840 iana.warc.gz`

const screenCSS200 = `
org,iana)/_css/2013.1/screen.css 20140126200625 http://www.iana.org/_css/2013.1/screen.css text/css 200 BUAEPXZNN44AIX3NLXON4QDV6OY2H5QD - - 8754 41238 iana.warc.gz`

const example1 = `
com,example)/?example=1 20140103030321 http://example.com?example=1 text/html 200 B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 1043 333 example.warc.gz
com,example)/?example=1 20140103030341 http://example.com?example=1 warc/revisit - B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 553 1864 example.warc.gz`

const exampleRoot = `
com,example)/ 20130729195151 http://test@example.com/ warc/revisit - B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 591 355 example-url-agnostic-revisit.warc.gz
com,example)/ 20140127171200 http://example.com text/html 200 B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 1046 334 dupes.warc.gz
com,example)/ 20140127171251 http://example.com warc/revisit - B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 553 11875 dupes.warc.gz`

// sameCDXLine compares one of warcbox's output=text lines with pywb's,
// column by column, allowing the index differences described above.
func sameCDXLine(got, want string) bool {
	g, w := strings.Fields(got), strings.Fields(want)
	if len(g) != len(w) {
		return false
	}
	if len(w) == 1 {
		return g[0] == w[0]
	}
	for i := range w {
		switch {
		case i == 0 && slashless(g[i]) == w[i]:
		case i == 3 && w[i] == "unk" && g[i] == "-":
		case g[i] == w[i]:
		default:
			return false
		}
	}
	return true
}

// cdxTextLines asks for output=text and returns its lines.
func cdxTextLines(t *testing.T, srv *httptest.Server, coll, query string) []string {
	t.Helper()
	resp, body := get(t, srv.URL+"/"+coll+"/cdx?"+query+"&output=text")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("%s: %d %s %q", query, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if body == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(body, "\n"), "\n")
}

func TestPywbCDXOps(t *testing.T) {
	servers := map[string]*httptest.Server{}
	for name, files := range cdxopsSources {
		servers[name] = newCollServer(t, "pywb", files...)
	}
	for _, c := range cdxopsCases {
		t.Run(c.name, func(t *testing.T) {
			got := cdxTextLines(t, servers[c.source], "pywb", c.query)
			var want []string
			if w := strings.TrimPrefix(c.want, "\n"); w != "" {
				want = strings.Split(w, "\n")
			}
			if c.pywbKeyOrder {
				pywbKey := func(l string) string { f := strings.Fields(l); return slashless(f[0]) + " " + f[1] }
				sort.SliceStable(got, func(i, j int) bool { return pywbKey(got[i]) < pywbKey(got[j]) })
			}
			ok := len(got) == len(want)
			for i := 0; ok && i < len(want); i++ {
				ok = sameCDXLine(got[i], want[i])
			}
			if !ok {
				t.Errorf("%s\n got:\n%s\nwant (pywb):\n%s", c.query, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestPywbCDXOpsResolveRevisitCDXJ is test_cdxops.py
// test_cdxj_resolve_revisit: a revisit gets the original's length, offset
// and filename as orig.*; the original gets "-".
func TestPywbCDXOpsResolveRevisitCDXJ(t *testing.T) {
	srv := newCollServer(t, "pywb", "example.warc.gz")
	_, body := get(t, srv.URL+"/pywb/cdx?url=http://example.com/?example=1&resolveRevisits=True&output=json")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %s", len(lines), body)
	}
	want := []map[string]string{
		{"urlkey": "com,example)/?example=1", "timestamp": "20140103030321", "url": "http://example.com?example=1", "length": "1043", "filename": "example.warc.gz", "digest": "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "offset": "333", "orig.length": "-", "orig.offset": "-", "orig.filename": "-"},
		{"urlkey": "com,example)/?example=1", "timestamp": "20140103030341", "url": "http://example.com?example=1", "filename": "example.warc.gz", "length": "553", "offset": "1864", "digest": "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "orig.length": "1043", "orig.offset": "333", "orig.filename": "example.warc.gz"},
	}
	for i, l := range lines {
		var m map[string]string
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range want[i] {
			if m[k] != v {
				t.Errorf("line %d: %s = %q, pywb %q", i, k, m[k], v)
			}
		}
	}
}

// cdxObject parses a CDXJ line as pywb's CDXObject does.
func cdxObject(t *testing.T, line string) map[string]string {
	t.Helper()
	parts := strings.SplitN(line, " ", 3)
	if len(parts) != 3 {
		t.Fatalf("not a CDXJ line: %q", line)
	}
	m := map[string]string{}
	if err := json.Unmarshal([]byte(parts[2]), &m); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	m["urlkey"], m["timestamp"] = parts[0], parts[1]
	return m
}

func splitLines(body string) []string {
	if body == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(body, "\n"), "\n")
}

// TestPywbCDXServerApp ports tests/test_cdx_server_app.py (pywb's
// /pywb/index is warcbox's /pywb/cdx) and the CDX cases of
// tests/test_integration.py over the whole sample collection.
func TestPywbCDXServerApp(t *testing.T) {
	srv := newPywbServer(t)
	q := func(query string) (string, string, int) {
		t.Helper()
		resp, body := get(t, srv.URL+"/pywb/cdx?"+query)
		return body, resp.Header.Get("Content-Type"), resp.StatusCode
	}
	t.Run("test_exact_url", func(t *testing.T) {
		body, ct, code := q("url=http://www.iana.org/")
		if code != 200 || ct != "text/x-cdxj" || len(splitLines(body)) != 3 {
			t.Errorf("%d %s %q", code, ct, body)
		}
	})
	t.Run("test_exact_url_json", func(t *testing.T) {
		body, _, code := q("url=http://www.iana.org/&output=json")
		lines := splitLines(body)
		if code != 200 || len(lines) != 3 {
			t.Fatalf("%d %q", code, body)
		}
		for _, l := range lines {
			var m map[string]string
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Errorf("%q: %v", l, err)
			}
		}
	})
	t.Run("test_exact_url_plain_text", func(t *testing.T) {
		body, ct, code := q("url=http://www.iana.org/&output=text")
		if code != 200 || ct != "text/plain" || strings.Contains(body, "{") || len(splitLines(body)) != 3 {
			t.Errorf("%d %s %q", code, ct, body)
		}
	})
	t.Run("test_prefix_match", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/&matchType=prefix")
		sub := 0
		for _, l := range splitLines(body) {
			if len(strings.Fields(l)[0]) > len("org,iana)/") {
				sub++
			}
		}
		if sub == 0 {
			t.Errorf("no sub-URLs: %.300q", body)
		}
	})
	t.Run("test_filters_1", func(t *testing.T) {
		body, ct, code := q("url=http://www.iana.org/_css/2013.1/screen.css&filter=mime:warc/revisit&filter=filename:dupes.warc.gz")
		lines := splitLines(body)
		if code != 200 || ct != "text/x-cdxj" || len(lines) == 0 {
			t.Fatalf("%d %s %q", code, ct, body)
		}
		for _, l := range lines {
			m := cdxObject(t, l)
			if m["urlkey"] != "org,iana)/_css/2013.1/screen.css" || m["timestamp"] != "20140127171239" || m["mime"] != "warc/revisit" || m["filename"] != "dupes.warc.gz" {
				t.Errorf("%q", l)
			}
		}
	})
	t.Run("test_filters_2_no_fuzzy_no_match", func(t *testing.T) {
		body, ct, code := q("url=http://www.iana.org/_css/2013.1/screen.css&filter=!mime:warc/revisit&filter=filename:dupes.warc.gz&allowFuzzy=false")
		if code != 200 || ct != "text/x-cdxj" || body != "" {
			t.Errorf("%d %s %q", code, ct, body)
		}
	})
	t.Run("test_filters_3", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/_css/2013.1/screen.css&filter=!mime:warc/revisit&filter=!filename:dupes.warc.gz")
		lines := splitLines(body)
		if len(lines) != 1 {
			t.Fatalf("%q", body)
		}
		m := cdxObject(t, lines[0])
		if m["urlkey"] != "org,iana)/_css/2013.1/screen.css" || m["timestamp"] != "20140126200625" || m["mime"] != "text/css" || m["filename"] != "iana.warc.gz" {
			t.Errorf("%q", lines[0])
		}
	})
	t.Run("test_limit", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/_css/2013.1/screen.css&limit=1")
		lines := splitLines(body)
		if len(lines) != 1 || cdxObject(t, lines[0])["timestamp"] != "20140126200625" || cdxObject(t, lines[0])["mime"] != "text/css" {
			t.Errorf("limit=1: %q", body)
		}
		body, _, _ = q("url=http://www.iana.org/_css/2013.1/screen.css&limit=1&reverse=1")
		lines = splitLines(body)
		if len(lines) != 1 || cdxObject(t, lines[0])["timestamp"] != "20140127171239" || cdxObject(t, lines[0])["mime"] != "warc/revisit" {
			t.Errorf("limit=1&reverse=1: %q", body)
		}
	})
	tsRE, statusRE := regexp.MustCompile(`^\d{14}$`), regexp.MustCompile(`^(\d{3}|-)$`)
	t.Run("test_fields", func(t *testing.T) {
		body, _, code := q("url=http://www.iana.org/_css/2013.1/print.css&fields=urlkey,timestamp,status")
		lines := splitLines(body)
		if code != 200 || len(lines) == 0 {
			t.Fatalf("%d %q", code, body)
		}
		for _, l := range lines {
			m := cdxObject(t, l)
			if m["urlkey"] != "org,iana)/_css/2013.1/print.css" || !tsRE.MatchString(m["timestamp"]) || !statusRE.MatchString(m["status"]) {
				t.Errorf("%q", l)
			}
		}
	})
	t.Run("test_fields_json", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/_css/2013.1/print.css&fields=urlkey,timestamp,status&output=json")
		for _, l := range splitLines(body) {
			var m map[string]string
			json.Unmarshal([]byte(l), &m)
			if len(m) != 3 || m["urlkey"] != "org,iana)/_css/2013.1/print.css" || !tsRE.MatchString(m["timestamp"]) || !statusRE.MatchString(m["status"]) {
				t.Errorf("%q", l)
			}
		}
	})
	t.Run("test_fields_undefined", func(t *testing.T) {
		for _, out := range []string{"", "&output=json"} {
			if _, _, code := q("url=http://www.iana.org/_css/2013.1/print.css&fields=urlkey,nosuchfield" + out); code != 400 {
				t.Errorf("%s: %d", out, code)
			}
		}
	})
	t.Run("test_resolveRevisits", func(t *testing.T) {
		body, ct, _ := q("url=http://www.iana.org/_css/2013.1/print.css&resolveRevisits=true")
		if ct != "text/x-cdxj" {
			t.Errorf("content type %s", ct)
		}
		originals := map[string]string{}
		lines := splitLines(body)
		if len(lines) < 2 {
			t.Fatalf("%q", body)
		}
		for _, l := range lines {
			m := cdxObject(t, l)
			if m["orig.length"] == "-" {
				if m["orig.offset"] != "-" || m["orig.filename"] != "-" {
					t.Errorf("%q", l)
				}
				originals[m["digest"]] = m["length"] + " " + m["offset"] + " " + m["filename"]
			} else if originals[m["digest"]] != m["orig.length"]+" "+m["orig.offset"]+" "+m["orig.filename"] {
				t.Errorf("orig.* of %q are not its original's %q", l, originals[m["digest"]])
			}
		}
	})
	t.Run("test_resolveRevisits_orig_fields", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/_css/2013.1/print.css&resolveRevisits=1&fields=urlkey,orig.length,orig.offset,orig.filename")
		lines := splitLines(body)
		if len(lines) < 2 {
			t.Fatalf("%q", body)
		}
		if m := cdxObject(t, lines[0]); m["orig.offset"] != "-" || m["orig.length"] != "-" || m["orig.filename"] != "-" {
			t.Errorf("first: %q", lines[0])
		}
		for _, l := range lines[1:] {
			if m := cdxObject(t, l); m["orig.offset"] == "-" || m["orig.length"] == "-" || m["orig.filename"] != "iana.warc.gz" {
				t.Errorf("%q", l)
			}
		}
	})
	t.Run("test_collapseTime_resolveRevisits_reverse+test_cdx_server_advanced", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/_css/2013.1/print.css&collapseTime=11&resolveRevisits=true&reverse=true")
		var ts, orig []string
		for _, l := range splitLines(body) {
			m := cdxObject(t, l)
			ts, orig = append(ts, m["timestamp"]), append(orig, m["orig.filename"])
		}
		if strings.Join(ts, " ") != "20140127171239 20140126201054 20140126200625" || strings.Join(orig, " ") != "iana.warc.gz iana.warc.gz -" {
			t.Errorf("timestamps %v, orig.filename %v", ts, orig)
		}
	})
	t.Run("test_error_unknown_output_format", func(t *testing.T) {
		body, _, code := q("url=http://www.iana.org/_css/2013.1/print.css&fields=urlkey,timestamp,status&output=foo")
		if code != 400 || strings.TrimSpace(body) != `{"message":"output=foo not supported"}` {
			t.Errorf("%d %q", code, body)
		}
	})
	t.Run("test_error_unknown_match_type", func(t *testing.T) {
		body, _, code := q("url=http://www.iana.org/_css/2013.1/print.css&fields=urlkey,timestamp,status&matchType=foo")
		if code != 400 || strings.TrimSpace(body) != `{"message":"Invalid match_type: foo"}` {
			t.Errorf("%d %q", code, body)
		}
	})
	// tests/test_integration.py
	t.Run("test_cdxj_query_fuzzy_match", func(t *testing.T) {
		for _, u := range []string{"http://www.iana.org/_css/2013.1/screen.css%3F_=3141592653", "http://www.iana.org/_css/2013.1/screen.css/%3F_=3141592653"} {
			if body, _, _ := q("url=" + u); len(splitLines(body)) != 17 {
				t.Errorf("%s: %d lines, pywb 17", u, len(splitLines(body)))
			}
		}
		if body, _, _ := q("url=http://www.iana.org/_css/2013.1/screen.css%3F_=3141592653&allowFuzzy=false"); body != "" {
			t.Errorf("allowFuzzy=false still matched: %.200q", body)
		}
	})
	t.Run("test_cdxj_not_found", func(t *testing.T) {
		if body, _, code := q("url=http://not-exist.example.com"); code != 200 || body != "" {
			t.Errorf("%d %q", code, body)
		}
	})
	t.Run("test_cdxj_query", func(t *testing.T) {
		body, _, _ := q("url=http://www.iana.org/")
		if !strings.Contains(body, `org,iana)/ 20140126200624 {"url": "http://www.iana.org/", "mime": "text/html", "status": "200", "digest": "OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB"`) || len(splitLines(body)) != 3 {
			t.Errorf("%q", body)
		}
	})
	t.Run("test_cdx_server_filters", func(t *testing.T) {
		body, ct, _ := q("url=http://www.iana.org/_css/2013.1/screen.css&filter=mime:warc/revisit&filter=filename:dupes.warc.gz")
		if ct != "text/x-cdxj" || len(splitLines(body)) != 1 {
			t.Errorf("%s %q", ct, body)
		}
	})
}

// TestCDXIssue13 covers the disagreements issue 13 lists that pywb's
// suites do not spell out: host case, trailing dots and IDNA in lookups,
// filters that were 400s, bad parameters, output=link.
func TestCDXIssue13(t *testing.T) {
	srv := newPywbServer(t)
	iana := newCollServer(t, "pywb", "iana.warc.gz")
	for _, c := range []struct {
		srv   *httptest.Server
		query string
		lines int
	}{
		{srv, "url=http://WWW.IANA.ORG/", 3},
		{srv, "url=http://Www.iana.org/", 3},
		{srv, "url=http://www.iana.org./", 3},
		{srv, "url=HTTP://www.iana.org/", 3},
		{srv, "url=http://example.com*&filter=url:?example=1", 2},
		{iana, "url=http://iana.org/domains&matchType=prefix&filter=~mime:.*/html$", 9},
		{iana, "url=http://iana.org/domains/root/db/", 2},
		{srv, "url=http://www.iana.org/_css/2013.1/screen.css&closest=20140127171239&limit=1&fields=timestamp&output=text", 1},
	} {
		_, body := get(t, c.srv.URL+"/pywb/cdx?"+c.query)
		if n := len(splitLines(body)); n != c.lines {
			t.Errorf("%s: %d lines, want %d\n%s", c.query, n, c.lines, body)
		}
	}
	for _, bad := range []string{"filter=~mime:(", "closest=zzz", "limit=-1", "limit=x", "collapseTime=x", "filter=~url:(?=x)"} {
		resp, body := get(t, srv.URL+"/pywb/cdx?url=http://www.iana.org/&"+bad)
		if resp.StatusCode != 400 || !strings.HasPrefix(body, `{"message":`) {
			t.Errorf("%s: %d %q, want 400 with a message", bad, resp.StatusCode, body)
		}
	}
	resp, body := get(t, srv.URL+"/pywb/cdx?url=http://example.com?example=1&output=link")
	want := srv.URL + `/pywb/20140103030321/http://example.com?example=1>; rel="memento"; datetime="Fri, 03 Jan 2014 03:03:21 GMT"; collection="pywb",`
	if resp.Header.Get("Content-Type") != "application/link-format" || !strings.Contains(body, want) || len(splitLines(body)) != 2 {
		t.Errorf("output=link: %s\n%s", resp.Header.Get("Content-Type"), body)
	}
	// the same lookups through --cdx-server
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := sampleDir(t)
	rs, err := New(ctx, Config{Paths: []string{filepath.Join(d, "iana.warc.gz")}, CDXServer: iana.URL + "/pywb/cdx", PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	remote := httptest.NewServer(rs)
	defer remote.Close()
	for q, n := range map[string]int{"url=http://WWW.IANA.ORG/": 1, "url=http://www.iana.org./": 1, "url=http://www.iana.org/domains/root/db": 2, "url=http://www.iana.org/domains/root/db/": 2} {
		if _, body := get(t, remote.URL+"/web/cdx?"+q); len(splitLines(body)) != n {
			t.Errorf("--cdx-server %s: %q, want %d lines", q, body, n)
		}
	}
	if resp, _ := get(t, remote.URL+"/web/20140126200928id_/http://WWW.IANA.ORG/domains/root/db/"); resp.StatusCode != 200 && resp.StatusCode != 302 {
		t.Errorf("--cdx-server replay of …/db/: %d", resp.StatusCode)
	}
	// the TimeGate finds a host in any case too
	resp, _ = get(t, srv.URL+"/pywb/http://WWW.IANA.ORG/")
	if resp.StatusCode != 302 || !strings.HasSuffix(resp.Header.Get("Location"), "/20140127171238/http://www.iana.org/") {
		t.Errorf("TimeGate on WWW.IANA.ORG: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestCDXBoundedOrders checks that reverse and closest, which keep at most
// limit rows while streaming a domain query, give the rows a full sort
// would.
func TestCDXBoundedOrders(t *testing.T) {
	srv := newCollServer(t, "pywb", "iana.warc.gz", "dupes.warc.gz")
	all := cdxTextLines(t, srv, "pywb", "url=iana.org&matchType=domain&fields=urlkey,timestamp,filename,offset")
	if len(all) < 100 {
		t.Fatalf("only %d captures", len(all))
	}
	rev := cdxTextLines(t, srv, "pywb", "url=iana.org&matchType=domain&fields=urlkey,timestamp,filename,offset&reverse=1&limit=7")
	for i := range rev {
		if rev[i] != all[len(all)-1-i] {
			t.Errorf("reverse row %d = %q, want %q", i, rev[i], all[len(all)-1-i])
		}
	}
	const target = "20140126201000"
	byDist := append([]string(nil), all...)
	dist := func(l string) time.Duration { return tsTime(strings.Fields(l)[1]).Sub(tsTime(target)).Abs() }
	sort.SliceStable(byDist, func(i, j int) bool { return dist(byDist[i]) < dist(byDist[j]) })
	cl := cdxTextLines(t, srv, "pywb", "url=iana.org&matchType=domain&fields=urlkey,timestamp,filename,offset&closest="+target+"&limit=9")
	if len(cl) != 9 || len(rev) != 7 {
		t.Fatalf("%d closest, %d reverse rows", len(cl), len(rev))
	}
	for i := range cl {
		if cl[i] != byDist[i] {
			t.Errorf("closest row %d = %q, want %q", i, cl[i], byDist[i])
		}
	}
}
