package capture

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/testct"
)

// TestTLSIdentityRecorded: a server whose certificate (from a test CA)
// embeds an SCT, which sends another in the handshake and staples an OCSP
// response: all are recorded beside the chain and read back by ReadTLS.
func TestTLSIdentityRecorded(t *testing.T) {
	site := testct.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>identified</p>")
	}))
	res := runTest(t, context.Background(), []string{site.URL + "/"}, func(o *Options) { o.RootCAs = site.Roots; o.IgnoreRobots = true })
	if res.err != nil {
		t.Fatal(res.err)
	}
	hosts, err := ReadTLS(context.Background(), res.sum.Files[0])
	if err != nil || len(hosts) != 1 {
		t.Fatalf("ReadTLS: %+v %v", hosts, err)
	}
	h := hosts[0]
	if len(h.Chain) != 2 || h.Chain[0].Subject != "CN=127.0.0.1" || h.Chain[0].Issuer != "CN=test CA with CT" || len(h.Chain[0].SHA256) != 64 {
		t.Errorf("chain %+v", h.Chain)
	}
	want := map[string]string{
		"tls-extension": base64.StdEncoding.EncodeToString(site.HandshakeLog),
		"certificate":   base64.StdEncoding.EncodeToString(site.EmbeddedLog),
	}
	if len(h.SCTs) != 2 {
		t.Fatalf("SCTs %+v", h.SCTs)
	}
	for _, sct := range h.SCTs {
		if want[sct.Source] != sct.LogID || sct.Time.IsZero() {
			t.Errorf("SCT %+v", sct)
		}
	}
	if h.OCSP == nil || h.OCSP.Status != "good" || !h.OCSP.Verified || !h.OCSP.ProducedAt.Equal(site.Now.Truncate(time.Minute)) {
		t.Errorf("OCSP %+v", h.OCSP)
	}
	// The record refers to the chain's record and carries the staple.
	var fields *testRec
	for i, m := range res.byType("metadata") {
		if bytes.Contains(m.Block, []byte("tls-ocsp-response: ")) {
			fields = &res.byType("metadata")[i]
		}
	}
	if fields == nil || fields.get("WARC-Refers-To") == "" || !bytes.Contains(fields.Block, []byte(base64.StdEncoding.EncodeToString(site.Staple))) {
		t.Errorf("tls record %+v", fields)
	}
}
