package wacz

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"
)

// SignedData is the anonymous signature of the WACZ signing spec
// (wacz-auth 0.1.0): an ECDSA signature of the datapackage.json hash with
// the public key that checks it.
type SignedData struct {
	Hash      string `json:"hash"`
	Created   string `json:"created"`
	Software  string `json:"software"`
	Signature string `json:"signature"`
	PublicKey string `json:"publicKey"`
}

// GenerateKey makes a new ECDSA key on the named curve: "P-384" (if
// empty), the only curve ReplayWeb.page checks anonymous signatures with,
// or "P-256", whose signatures warcbox still makes and verifies.
func GenerateKey(curve string) (*ecdsa.PrivateKey, error) {
	c, err := curveByName(curve)
	if err != nil {
		return nil, err
	}
	return ecdsa.GenerateKey(c, rand.Reader)
}

func curveByName(name string) (elliptic.Curve, error) {
	switch name {
	case "P-256", "p256", "P256":
		return elliptic.P256(), nil
	case "", "P-384", "p384", "P384":
		return elliptic.P384(), nil
	}
	return nil, fmt.Errorf("wacz: unsupported curve %q (P-256 or P-384)", name)
}

// EncodeKeyPEM encodes a private key as PKCS#8 PEM.
func EncodeKeyPEM(k *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("wacz: encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// LoadKey reads a PEM private key (PKCS#8 or SEC 1 "EC PRIVATE KEY").
func LoadKey(path string) (*ecdsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("wacz: read key: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("wacz: %s holds no PEM block", path)
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		ek, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("wacz: %s is not an ECDSA key", path)
		}
		return ek, nil
	}
	k, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("wacz: %s: not a PKCS#8 or EC private key: %w", path, err)
	}
	return k, nil
}

// PublicKeyBase64 is the key as the spec carries it: base64 of the DER
// SubjectPublicKeyInfo.
func PublicKeyBase64(k *ecdsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(der), nil
}

// Sign signs hash ("sha256:<hex>" of datapackage.json) the way
// ArchiveWeb.page does with WebCrypto: ECDSA with SHA-256 over the UTF-8
// bytes of the hash string, the signature as raw r||s (IEEE P1363).
func Sign(k *ecdsa.PrivateKey, hash, software string, created time.Time) (*SignedData, error) {
	digest := sha256.Sum256([]byte(hash))
	r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
	if err != nil {
		return nil, fmt.Errorf("wacz: sign: %w", err)
	}
	size := (k.Curve.Params().BitSize + 7) / 8
	sig := make([]byte, 2*size)
	r.FillBytes(sig[:size])
	s.FillBytes(sig[size:])
	pub, err := PublicKeyBase64(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	return &SignedData{Hash: hash, Created: created.UTC().Format(time.RFC3339), Software: software,
		Signature: base64.StdEncoding.EncodeToString(sig), PublicKey: pub}, nil
}

// ErrBadSignature is returned when a signature does not check out.
var ErrBadSignature = errors.New("wacz: signature does not match the hash and public key")

// VerifySignature checks an anonymous signature; both raw r||s and DER
// signatures are accepted.
func VerifySignature(sd *SignedData) error {
	der, err := base64.StdEncoding.DecodeString(sd.PublicKey)
	if err != nil {
		return fmt.Errorf("wacz: publicKey is not base64: %w", err)
	}
	pk, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return fmt.Errorf("wacz: publicKey is not a public key: %w", err)
	}
	ek, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("wacz: publicKey is not an ECDSA key")
	}
	sig, err := base64.StdEncoding.DecodeString(sd.Signature)
	if err != nil {
		return fmt.Errorf("wacz: signature is not base64: %w", err)
	}
	digest := sha256.Sum256([]byte(sd.Hash))
	size := (ek.Curve.Params().BitSize + 7) / 8
	if len(sig) == 2*size {
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if ecdsa.Verify(ek, digest[:], r, s) {
			return nil
		}
		return ErrBadSignature
	}
	var der2 struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &der2); err == nil && ecdsa.VerifyASN1(ek, digest[:], sig) {
		return nil
	}
	return ErrBadSignature
}
