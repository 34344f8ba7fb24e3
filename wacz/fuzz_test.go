package wacz

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/warcbox/warcbox/warc"
)

// FuzzVerify: a package of any bytes (zip structure, datapackage JSON,
// digests, signature) gives a report or an error naming the file, never a
// panic, and a report that passes only when nothing was found wrong.
func FuzzVerify(f *testing.F) {
	key, err := GenerateKey("P-256")
	if err != nil {
		f.Fatal(err)
	}
	seed := filepath.Join(f.TempDir(), "seed.wacz")
	opt := Options{WARCs: []string{corpusFile(f, "pywb/sample_archive/warcs/example.warc.gz")}, Title: "fuzz",
		Software: "warcbox test", Created: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), Key: key}
	if err := WriteFile(context.Background(), seed, opt); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	opt.Key = nil
	if err := WriteFile(context.Background(), seed, opt); err != nil {
		f.Fatal(err)
	}
	if b, err = os.ReadFile(seed); err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in.wacz")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(context.Background(), p, VerifyOptions{})
		if err != nil {
			return
		}
		if rep == nil || rep.File != p {
			t.Fatalf("report %+v for %s", rep, p)
		}
		for _, fd := range rep.Findings {
			if fd.Severity == warc.SeverityError && rep.OK() {
				t.Fatalf("OK with an error finding: %+v", fd)
			}
		}
	})
}

// FuzzVerifySignature: any signature JSON is checked or refused, never a
// panic; a signature that checks out still checks out after a round trip
// through JSON.
func FuzzVerifySignature(f *testing.F) {
	key, err := GenerateKey("P-256")
	if err != nil {
		f.Fatal(err)
	}
	sd, err := Sign(key, "sha256:abc", "warcbox test", time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	if err != nil {
		f.Fatal(err)
	}
	b, _ := json.Marshal(sd)
	f.Add(b)
	f.Add([]byte(`{"hash":"x","signature":"AAAA","publicKey":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var sd SignedData
		if json.Unmarshal(data, &sd) != nil {
			return
		}
		if VerifySignature(&sd) != nil {
			return
		}
		b, _ := json.Marshal(sd)
		var again SignedData
		if err := json.Unmarshal(b, &again); err != nil || VerifySignature(&again) != nil {
			t.Fatalf("a good signature fails after a JSON round trip: %s", b)
		}
	})
}
