// Package tsa gets and checks RFC 3161 trusted timestamps: a time-stamping
// authority signs the SHA-256 digest of a file together with the time, and
// anyone holding the authority's CA certificate can check that token
// offline. Tokens are stored as the authority's whole DER TimeStampResp
// (what `openssl ts -reply` writes and `openssl ts -verify -in` reads),
// beside each WARC as FILE.N.tsr, N counting the authorities from 1.
//
// The ASN.1 and CMS work is github.com/digitorus/timestamp's and
// github.com/digitorus/pkcs7's; this package adds the HTTP exchange, the
// checks a capture needs (the digest is the file's, the nonce is ours, the
// signer chains to the given roots with the timeStamping usage at the
// attested time) and errors that say which check failed.
package tsa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// maxResponse bounds what is read from an authority: real tokens are a few
// kilobytes.
const maxResponse = 1 << 20

// Token is what a checked time-stamp token attests.
type Token struct {
	Time   time.Time `json:"time"`   // the attested time (genTime)
	Serial string    `json:"serial"` // the authority's serial number of the token
	Policy string    `json:"policy"` // the TSA policy OID
	Signer string    `json:"signer"` // subject of the authority's signing certificate
	Issuer string    `json:"issuer"` // its issuer
	// Digest is the stamped SHA-256 digest, "sha256:<hex>".
	Digest string `json:"digest"`
	// Chained is true when the signer was checked against the roots
	// given to Verify; false when none were given.
	Chained bool `json:"chained"`
}

// Sentinel causes, for errors.Is.
var (
	ErrImprint   = errors.New("tsa: the token stamps another digest")
	ErrSignature = errors.New("tsa: bad token signature")
	ErrChain     = errors.New("tsa: the signer does not chain to the trusted roots")
	ErrRejected  = errors.New("tsa: the authority refused")
)

// Request asks the authority at url to time-stamp digest (a SHA-256 sum)
// and returns its DER response once checked like Verify checks it (without
// roots: the chain is for the reader to check) and carrying our nonce.
func Request(ctx context.Context, client *http.Client, url string, digest []byte) ([]byte, *Token, error) {
	if client == nil {
		client = http.DefaultClient
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, nil, fmt.Errorf("tsa %s: %w", url, err)
	}
	req := timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest, Certificates: true, Nonce: nonce}
	body, err := req.Marshal()
	if err != nil {
		return nil, nil, fmt.Errorf("tsa %s: %w", url, err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("tsa %s: %w", url, err)
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := client.Do(hr)
	if err != nil {
		return nil, nil, fmt.Errorf("tsa %s: %w", url, err)
	}
	defer resp.Body.Close()
	tsr, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, nil, fmt.Errorf("tsa %s: read answer: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("tsa %s: HTTP %s", url, resp.Status)
	}
	if len(tsr) > maxResponse {
		return nil, nil, fmt.Errorf("tsa %s: answer larger than %d bytes", url, maxResponse)
	}
	tok, ts, err := check(tsr, digest, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("tsa %s: %w", url, err)
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, nil, fmt.Errorf("tsa %s: the answer does not carry the request's nonce (a replayed token?)", url)
	}
	return tsr, tok, nil
}

// Verify checks a DER TimeStampResp against digest (a SHA-256 sum): the
// authority granted it, it stamps that digest, its signature is good, and,
// when roots is not nil, the signing certificate chains to roots with the
// timeStamping extended key usage at the attested time.
func Verify(tsr, digest []byte, roots *x509.CertPool) (*Token, error) {
	tok, _, err := check(tsr, digest, roots)
	return tok, err
}

func check(tsr, digest []byte, roots *x509.CertPool) (*Token, *timestamp.Timestamp, error) {
	ts, err := timestamp.ParseResponse(tsr)
	if err != nil {
		var pe timestamp.ParseError
		switch {
		case errors.As(err, &pe):
			return nil, nil, fmt.Errorf("%w: %v", ErrSignature, err)
		case strings.HasPrefix(err.Error(), "Rejection") || strings.HasPrefix(err.Error(), "Waiting") || strings.HasPrefix(err.Error(), "Revocation"):
			return nil, nil, fmt.Errorf("%w: %v", ErrRejected, err)
		}
		return nil, nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, digest) {
		return nil, nil, fmt.Errorf("%w: it stamps %s:%x, the data is sha256:%x", ErrImprint, hashName(ts.HashAlgorithm), ts.HashedMessage, digest)
	}
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	signer := p7.GetOnlySigner()
	if signer == nil {
		return nil, nil, fmt.Errorf("%w: the token carries no signing certificate (ask with certReq)", ErrSignature)
	}
	tok := &Token{Time: ts.Time.UTC(), Serial: serial(ts.SerialNumber), Policy: ts.Policy.String(),
		Signer: signer.Subject.String(), Issuer: signer.Issuer.String(), Digest: "sha256:" + hex.EncodeToString(digest)}
	if roots != nil {
		inter := x509.NewCertPool()
		for _, c := range p7.Certificates {
			inter.AddCert(c)
		}
		opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: ts.Time,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}}
		if _, err := signer.Verify(opts); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrChain, err)
		}
		if err := p7.VerifyWithOpts(opts); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrSignature, err)
		}
		tok.Chained = true
	}
	return tok, ts, nil
}

func serial(n *big.Int) string {
	if n == nil {
		return ""
	}
	return n.Text(16)
}

func hashName(h crypto.Hash) string {
	if h == 0 {
		return "unknown"
	}
	return strings.ToLower(strings.ReplaceAll(h.String(), "-", ""))
}

// LoadRoots reads the PEM certificates of file as the trusted roots.
func LoadRoots(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("tsa roots: %w", err)
	}
	pool := x509.NewCertPool()
	n := 0
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("tsa roots %s: %w", file, err)
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("tsa roots %s: no PEM certificate", file)
	}
	return pool, nil
}

// Result is the outcome of asking one authority for one file.
type Result struct {
	Authority string `json:"authority"`
	File      string `json:"file"`            // the stamped file
	Path      string `json:"path,omitempty"`  // the token written, "" on failure
	Token     *Token `json:"token,omitempty"` // nil on failure
	Err       error  `json:"-"`
}

// SidecarPath is the token of file from the n-th authority (from 1).
func SidecarPath(file string, n int) string { return fmt.Sprintf("%s.%d.tsr", file, n) }

// FileDigest returns the SHA-256 sum of a file.
func FileDigest(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("digest %s: %w", file, err)
	}
	return h.Sum(nil), nil
}

// StampFile asks each authority to time-stamp file and writes each token
// beside it (SidecarPath). A failing authority is reported in its Result;
// the others are still asked.
func StampFile(ctx context.Context, client *http.Client, file string, authorities []string) []Result {
	out := make([]Result, len(authorities))
	digest, err := FileDigest(file)
	for i, a := range authorities {
		out[i] = Result{Authority: a, File: file}
		if err != nil {
			out[i].Err = err
			continue
		}
		tsr, tok, rerr := Request(ctx, client, a, digest)
		if rerr != nil {
			out[i].Err = rerr
			continue
		}
		p := SidecarPath(file, i+1)
		if werr := os.WriteFile(p, tsr, 0o644); werr != nil {
			out[i].Err = fmt.Errorf("tsa: write token: %w", werr)
			continue
		}
		out[i].Path, out[i].Token = p, tok
	}
	return out
}

// Check is the outcome of checking one stored token.
type Check struct {
	Path  string `json:"path"` // the token file (or package entry)
	Token *Token `json:"token,omitempty"`
	Error string `json:"error,omitempty"`
}

// Sidecars lists the tokens stored beside file, in authority order.
func Sidecars(file string) []string {
	matches, _ := filepath.Glob(escapeGlob(file) + ".*.tsr")
	var out []string
	for _, m := range matches {
		n := strings.TrimSuffix(strings.TrimPrefix(m, file+"."), ".tsr")
		if _, err := strconv.Atoi(n); err == nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return sidecarNumber(out[i]) < sidecarNumber(out[j]) })
	return out
}

func sidecarNumber(p string) int {
	s := strings.TrimSuffix(p, ".tsr")
	n, _ := strconv.Atoi(s[strings.LastIndexByte(s, '.')+1:])
	return n
}

func escapeGlob(s string) string {
	return strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`).Replace(s)
}

// VerifyFile checks every token stored beside file against its digest.
func VerifyFile(file string, roots *x509.CertPool) ([]Check, error) {
	cars := Sidecars(file)
	if len(cars) == 0 {
		return nil, nil
	}
	digest, err := FileDigest(file)
	if err != nil {
		return nil, err
	}
	var out []Check
	for _, p := range cars {
		c := Check{Path: p}
		b, err := os.ReadFile(p)
		if err == nil {
			c.Token, err = Verify(b, digest, roots)
		}
		if err != nil {
			c.Error = err.Error()
		}
		out = append(out, c)
	}
	return out, nil
}
