package warc

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
)

// Digest is a parsed WARC-Block-Digest or WARC-Payload-Digest value.
type Digest struct {
	Algorithm string // lower-case, without dashes: "sha1", "sha256"
	Sum       []byte
}

// ParseDigest reads "algorithm:value" with the value in any encoding real
// files use: base32 (padded or not), base16, base64 or base64url.
func ParseDigest(s string) (Digest, error) {
	algo, value, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || value == "" {
		return Digest{}, fmt.Errorf("digest %q: want algorithm:value", s)
	}
	algo = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(algo)), "-", "")
	h := newHash(algo)
	if h == nil {
		return Digest{}, fmt.Errorf("digest %q: unknown algorithm %q", s, algo)
	}
	size := h.Size()
	for _, dec := range []func(string) ([]byte, error){
		base32.StdEncoding.DecodeString,
		base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString,
		func(v string) ([]byte, error) { return base32.StdEncoding.DecodeString(strings.ToUpper(v)) },
		hex.DecodeString,
		base64.StdEncoding.DecodeString,
		base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString,
		base64.RawURLEncoding.DecodeString,
	} {
		if b, err := dec(value); err == nil && len(b) == size {
			return Digest{Algorithm: algo, Sum: b}, nil
		}
	}
	return Digest{}, fmt.Errorf("digest %q: value is not a %d-byte %s sum in base32, base16 or base64", s, size, algo)
}

// Hash returns a new hash for the digest's algorithm.
func (d Digest) Hash() hash.Hash { return newHash(d.Algorithm) }

// Matches reports whether h's sum equals the digest.
func (d Digest) Matches(h hash.Hash) bool { return bytes.Equal(h.Sum(nil), d.Sum) }

// String formats the digest as WARC writers do: sha1 in base32, others in
// base32 too (the WARC 1.1 convention).
func (d Digest) String() string {
	return d.Algorithm + ":" + base32.StdEncoding.EncodeToString(d.Sum)
}

func newHash(algo string) hash.Hash {
	switch algo {
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	case "md5":
		return md5.New()
	}
	return nil
}

func encodeB32(b []byte) string { return base32.StdEncoding.EncodeToString(b) }

// DigestAlgorithm names the hash of the digests a writer computes.
type DigestAlgorithm string

// The algorithms records are written with.
const (
	SHA256 DigestAlgorithm = "sha256" // lower-case hex, as warcio and Browsertrix write it
	SHA1   DigestAlgorithm = "sha1"   // base32, what every CDX dedup index holds
)

// ParseDigestAlgorithm checks an algorithm name given by a user; "" is
// SHA256.
func ParseDigestAlgorithm(s string) (DigestAlgorithm, error) {
	switch DigestAlgorithm(s) {
	case "", SHA256:
		return SHA256, nil
	case SHA1:
		return SHA1, nil
	}
	return "", fmt.Errorf("digest algorithm %q: want sha256 or sha1", s)
}

// New returns a new hash for the algorithm ("" is SHA256).
func (a DigestAlgorithm) New() hash.Hash {
	if a == SHA1 {
		return sha1.New()
	}
	return sha256.New()
}

// Format renders a sum as WARC tools expect it: sha1 in base32 (what
// every CDX dedup index holds), sha256 in lower-case hex as warcio and
// Browsertrix write it.
func (a DigestAlgorithm) Format(sum []byte) string {
	if a == SHA1 {
		return "sha1:" + base32.StdEncoding.EncodeToString(sum)
	}
	return "sha256:" + hex.EncodeToString(sum)
}

// Of returns the formatted digest of b.
func (a DigestAlgorithm) Of(b []byte) string {
	h := a.New()
	h.Write(b)
	return a.Format(h.Sum(nil))
}

// NewRecordID returns a fresh "<urn:uuid:…>" (random, version 4).
func NewRecordID() string {
	var b [16]byte
	// crypto/rand.Read never fails on supported platforms (it panics
	// itself if the system's source is broken).
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
