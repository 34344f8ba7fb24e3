package tsa

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/warcbox/warcbox/internal/testtsa"
)

// TestStampAndVerify asks two real authorities (OpenSSL) for tokens, checks
// them with warcbox and with `openssl ts -verify`, and checks that a token
// moved to another file, checked against the wrong CA, or forged is
// rejected with the reason.
func TestStampAndVerify(t *testing.T) {
	a, b := testtsa.Start(t, "first"), testtsa.Start(t, "second")
	dir := t.TempDir()
	file := filepath.Join(dir, "x.warc.gz")
	data := []byte("the bytes of a WARC file")
	os.WriteFile(file, data, 0o644)
	res := StampFile(context.Background(), nil, file, []string{a.URL, b.URL})
	for i, r := range res {
		if r.Err != nil || r.Path != SidecarPath(file, i+1) || r.Token == nil || r.Token.Time.IsZero() {
			t.Fatalf("authority %d: %+v", i+1, r)
		}
	}
	rootsA, err := LoadRoots(a.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	rootsB, _ := LoadRoots(b.CAFile)
	tokA, _ := os.ReadFile(res[0].Path)
	tokB, _ := os.ReadFile(res[1].Path)
	if err := testtsa.VerifyWithOpenSSL(t, tokA, data, a.CAFile); err != nil {
		t.Error(err)
	}
	if err := testtsa.VerifyWithOpenSSL(t, tokB, data, b.CAFile); err != nil {
		t.Error(err)
	}
	digest := sha256.Sum256(data)
	tok, err := Verify(tokA, digest[:], rootsA)
	if err != nil || !tok.Chained || tok.Signer != "CN=first test TSA" {
		t.Fatalf("verify: %+v %v", tok, err)
	}
	// Checked against the other authority's CA, the chain fails.
	if _, err := Verify(tokA, digest[:], rootsB); !errors.Is(err, ErrChain) {
		t.Errorf("wrong CA: %v", err)
	}
	// A token of another file.
	other := sha256.Sum256([]byte("another file"))
	if _, err := Verify(tokA, other[:], rootsA); !errors.Is(err, ErrImprint) {
		t.Errorf("swapped token: %v", err)
	}
	// A forged token: the attested time moved back a year.
	when := []byte(tok.Time.Format("20060102150405"))
	i := bytes.Index(tokA, when)
	if i < 0 {
		t.Fatalf("genTime %s not found in the token", when)
	}
	forged := append([]byte(nil), tokA...)
	forged[i+3]-- // the year's last digit
	if _, err := Verify(forged, digest[:], rootsA); !errors.Is(err, ErrSignature) {
		t.Errorf("backdated token: %v", err)
	}
	checks, err := VerifyFile(file, rootsA)
	if err != nil || len(checks) != 2 || checks[0].Error != "" || checks[1].Error == "" {
		t.Errorf("VerifyFile with the first CA: %+v %v", checks, err)
	}
}

// TestBadAuthorities: an authority that is down or stamps another digest
// is reported, not written.
func TestBadAuthorities(t *testing.T) {
	bad := testtsa.Start(t, "bad")
	bad.WrongDigest = true
	file := filepath.Join(t.TempDir(), "x.warc.gz")
	os.WriteFile(file, []byte("data"), 0o644)
	res := StampFile(context.Background(), nil, file, []string{bad.URL, "http://127.0.0.1:1/tsa"})
	if !errors.Is(res[0].Err, ErrImprint) || res[0].Path != "" {
		t.Errorf("wrong digest: %+v", res[0])
	}
	if res[1].Err == nil {
		t.Errorf("authority down: %+v", res[1])
	}
	if cars := Sidecars(file); len(cars) != 0 {
		t.Errorf("tokens written for failures: %v", cars)
	}
}
