package capture

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"hash"
)

// newHash returns the hash for a --digest algorithm name ("sha256" or "sha1").
func newHash(alg string) hash.Hash {
	if alg == "sha1" {
		return sha1.New()
	}
	return sha256.New()
}

// formatDigest renders a digest the way WARC tools expect: sha1 in base32
// (what every CDX dedup index holds), sha256 in lower-case hex as warcio and
// Browsertrix write it.
func formatDigest(alg string, sum []byte) string {
	if alg == "sha1" {
		return "sha1:" + base32.StdEncoding.EncodeToString(sum)
	}
	return "sha256:" + hex.EncodeToString(sum)
}

func digestOf(alg string, b []byte) string {
	h := newHash(alg)
	h.Write(b)
	return formatDigest(alg, h.Sum(nil))
}

// NewRecordID returns a fresh "<urn:uuid:…>" (random, version 4).
func NewRecordID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
