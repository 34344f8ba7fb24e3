// Package testct serves HTTPS on 127.0.0.1 the way a certificate
// transparency–logged site does: a leaf from a test CA with an embedded
// SCT, another SCT sent in the TLS handshake, and a stapled OCSP response
// signed by the CA. The SCTs are well-formed but signed by no real log.
package testct

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/ocsp"
)

// Site is a running server and what it presents.
type Site struct {
	*httptest.Server
	Roots *x509.CertPool // trust these to reach it
	CA    *x509.Certificate
	// EmbeddedLog and HandshakeLog are the log IDs (32 bytes) of the SCT in
	// the certificate and of the one sent in the handshake.
	EmbeddedLog, HandshakeLog []byte
	Staple                    []byte // the stapled OCSP response (DER)
	Now                       time.Time
}

// SCT serializes an SCT (RFC 6962 §3.2) of the log whose ID is logID.
func SCT(logID []byte, at time.Time) []byte {
	var b cryptobyte.Builder
	b.AddUint8(0)
	b.AddBytes(logID)
	b.AddUint64(uint64(at.UnixMilli()))
	b.AddUint16LengthPrefixed(func(*cryptobyte.Builder) {}) // extensions
	b.AddUint8(4)                                           // sha256
	b.AddUint8(3)                                           // ecdsa
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte("not a real signature")) })
	return b.BytesOrPanic()
}

// Start serves h over TLS until the test ends.
func Start(t testing.TB, h http.Handler) *Site {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	site := &Site{Now: now, EmbeddedLog: bytes.Repeat([]byte{0xaa}, 32), HandshakeLog: bytes.Repeat([]byte{0xbb}, 32)}
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA with CT"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	site.CA, _ = x509.ParseCertificate(caDER)
	var list cryptobyte.Builder
	list.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(SCT(site.EmbeddedLog, now.Add(-time.Minute))) })
	})
	ext, _ := asn1.Marshal(list.BytesOrPanic())
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}, Value: ext}}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, site.CA, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	site.Staple, err = ocsp.CreateResponse(site.CA, site.CA, ocsp.Response{Status: ocsp.Good, SerialNumber: leaf.SerialNumber,
		ThisUpdate: now.Add(-time.Minute), NextUpdate: now.Add(time.Hour), ProducedAt: now}, caKey)
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewUnstartedServer(h)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{{
		Certificate: [][]byte{leafDER, caDER}, PrivateKey: crypto.Signer(leafKey), Leaf: leaf,
		SignedCertificateTimestamps: [][]byte{SCT(site.HandshakeLog, now)}, OCSPStaple: site.Staple,
	}}}
	s.StartTLS()
	t.Cleanup(s.Close)
	site.Server = s
	site.Roots = x509.NewCertPool()
	site.Roots.AddCert(site.CA)
	return site
}
