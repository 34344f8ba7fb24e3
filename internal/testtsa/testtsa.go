// Package testtsa runs a real RFC 3161 time-stamping authority for tests:
// OpenSSL's `openssl ts -reply` behind an HTTP handler on 127.0.0.1, with a
// throwaway CA made for the test. It skips the test when openssl is
// missing, and fails it under CI=true (CI installs openssl).
package testtsa

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/warcbox/warcbox/internal/testneed"
)

// TSA is a running authority.
type TSA struct {
	URL    string // where to POST application/timestamp-query
	CAFile string // PEM of the CA that issued the signing certificate
	Dir    string
	// WrongDigest, when set, makes the authority stamp another digest than
	// the one asked (a broken or malicious authority).
	WrongDigest bool

	mu    sync.Mutex
	count int
}

// Requests is how many tokens the authority has issued.
func (a *TSA) Requests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// Openssl returns the path of openssl, skipping the test without it (and
// failing it under CI=true).
func Openssl(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		testneed.Missing(t, "openssl not installed: %v", err)
	}
	return p
}

// Start makes a CA, a signing certificate with the timeStamping usage, an
// OpenSSL TSA configuration, and serves the authority until the test ends.
func Start(t testing.TB, name string) *TSA {
	t.Helper()
	openssl := Openssl(t)
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " test root CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	tsaKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	// RFC 3161 §2.3: the signing certificate's only extended key usage is
	// timeStamping, and the extension is critical (OpenSSL insists).
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	tsaTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name + " test TSA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
	}
	tsaDER, err := x509.CreateCertificate(rand.Reader, tsaTmpl, caCert, &tsaKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(tsaKey)
	write := func(n string, b []byte) string {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := &TSA{Dir: dir}
	a.CAFile = write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	write("tsa.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tsaDER}))
	write("tsa.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	write("serial", []byte("01\n"))
	cnf := write("tsa.cnf", []byte(fmt.Sprintf(`[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = %s
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`, dir)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if a.WrongDigest {
			if req, err := timestamp.ParseRequest(q); err == nil {
				req.HashedMessage = bytes.Repeat([]byte{0xab}, len(req.HashedMessage))
				q, _ = req.Marshal()
			}
		}
		a.mu.Lock() // openssl's serial file is not safe for concurrent use
		defer a.mu.Unlock()
		qf := filepath.Join(dir, "req.tsq")
		os.WriteFile(qf, q, 0o600)
		out, err := exec.CommandContext(r.Context(), openssl, "ts", "-reply", "-config", cnf, "-queryfile", qf).Output()
		if err != nil {
			http.Error(w, "openssl ts -reply: "+err.Error(), http.StatusInternalServerError)
			return
		}
		a.count++
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	a.URL = srv.URL + "/tsa"
	return a
}

// VerifyWithOpenSSL checks a token with `openssl ts -verify` against the
// data it stamps and the CA file, returning openssl's output on failure.
func VerifyWithOpenSSL(t testing.TB, tsr, data []byte, caFile string) error {
	t.Helper()
	dir := t.TempDir()
	tf, df := filepath.Join(dir, "t.tsr"), filepath.Join(dir, "data")
	os.WriteFile(tf, tsr, 0o600)
	os.WriteFile(df, data, 0o600)
	out, err := exec.Command(Openssl(t), "ts", "-verify", "-in", tf, "-data", df, "-CAfile", caFile).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("Verification: OK")) {
		return fmt.Errorf("openssl ts -verify: %v: %s", err, out)
	}
	return nil
}
