package capture

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/ocsp"

	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/warc"
)

// The server's identity as seen: beside the certificate chain (a PEM
// metadata record, as before), the Signed Certificate Timestamps the server
// sent in the TLS handshake and those embedded in its certificate, and the
// OCSP response it stapled, go into a warc-fields metadata record that
// refers to the chain's record. A host that sends neither gets no such
// record.

// oidSCTList is the certificate extension holding embedded SCTs (RFC 6962 §3.3).
var oidSCTList = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}

// SCT is one Signed Certificate Timestamp: a CT log's promise to publish
// the certificate.
type SCT struct {
	Source string    `json:"source"` // "tls-extension" or "certificate"
	LogID  string    `json:"log_id"` // base64 of the log's key hash, as CT log lists give it
	Time   time.Time `json:"time"`
}

// OCSPStatus is a stapled OCSP response as read.
type OCSPStatus struct {
	Status     string    `json:"status"` // good, revoked, unknown
	ProducedAt time.Time `json:"produced_at"`
	ThisUpdate time.Time `json:"this_update"`
	NextUpdate time.Time `json:"next_update,omitzero"`
	// Verified is true when the response's signature checked out against
	// the certificate's issuer in the chain.
	Verified bool `json:"verified"`
}

// CertInfo names one certificate of a chain.
type CertInfo struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
	SHA256  string `json:"sha256"` // fingerprint of the DER, hex
}

// HostTLS is what a capture recorded of one TLS host.
type HostTLS struct {
	Host  string      `json:"host"`
	Chain []CertInfo  `json:"chain"`
	SCTs  []SCT       `json:"scts"`
	OCSP  *OCSPStatus `json:"ocsp,omitempty"`
}

// parseSCT reads one serialized SCT (RFC 6962 §3.2).
func parseSCT(b []byte, source string) (SCT, error) {
	s := cryptobyte.String(b)
	var version uint8
	var logID []byte
	var ms uint64
	if !s.ReadUint8(&version) || !s.ReadBytes(&logID, 32) || !s.ReadUint64(&ms) {
		return SCT{}, errors.New("sct: cut short")
	}
	if version != 0 {
		return SCT{}, fmt.Errorf("sct: version %d", version)
	}
	return SCT{Source: source, LogID: base64.StdEncoding.EncodeToString(logID), Time: time.UnixMilli(int64(ms)).UTC()}, nil
}

// certSCTs reads the SCTs embedded in a certificate.
func certSCTs(c *x509.Certificate) []SCT {
	var out []SCT
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidSCTList) {
			continue
		}
		var octets []byte
		if _, err := asn1.Unmarshal(ext.Value, &octets); err != nil {
			return out
		}
		list := cryptobyte.String(octets)
		var items cryptobyte.String
		if !list.ReadUint16LengthPrefixed(&items) {
			return out
		}
		for !items.Empty() {
			var one cryptobyte.String
			if !items.ReadUint16LengthPrefixed(&one) {
				break
			}
			if s, err := parseSCT(one, "certificate"); err == nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// handshakeTLS gathers what the connection showed of the server's identity.
func handshakeTLS(st *tls.ConnectionState) (scts []SCT, oc *OCSPStatus, ocspDER []byte) {
	for _, b := range st.SignedCertificateTimestamps {
		if s, err := parseSCT(b, "tls-extension"); err == nil {
			scts = append(scts, s)
		}
	}
	if len(st.PeerCertificates) > 0 {
		scts = append(scts, certSCTs(st.PeerCertificates[0])...)
	}
	if len(st.OCSPResponse) > 0 {
		ocspDER = st.OCSPResponse
		var issuer *x509.Certificate
		if len(st.PeerCertificates) > 1 {
			issuer = st.PeerCertificates[1]
		}
		r, err := ocsp.ParseResponse(st.OCSPResponse, issuer)
		if err != nil && issuer != nil {
			// Not signed by the issuer we have: read it unverified.
			r, err = ocsp.ParseResponse(st.OCSPResponse, nil)
			issuer = nil
		}
		if err == nil {
			oc = &OCSPStatus{Status: ocspStatus(r.Status), ProducedAt: r.ProducedAt.UTC(), ThisUpdate: r.ThisUpdate.UTC(),
				NextUpdate: r.NextUpdate.UTC(), Verified: issuer != nil}
		}
	}
	return scts, oc, ocspDER
}

func ocspStatus(s int) string {
	switch s {
	case ocsp.Good:
		return "good"
	case ocsp.Revoked:
		return "revoked"
	}
	return "unknown"
}

// tlsFieldsBlock is the warc-fields block of a host's TLS record, or nil
// when the server sent no SCT and stapled no OCSP response.
func tlsFieldsBlock(st *tls.ConnectionState, host string) []byte {
	scts, oc, der := handshakeTLS(st)
	if len(scts) == 0 && der == nil {
		return nil
	}
	var b bytes.Buffer
	field := func(n, v string) { fmt.Fprintf(&b, "%s: %s\r\n", n, v) }
	field("tls-server-name", host)
	field("tls-version", fetch.TLSVersionName(st.Version))
	for _, s := range scts {
		field("tls-sct", fmt.Sprintf("source=%s; log-id=%s; timestamp=%s", s.Source, s.LogID, s.Time.Format(time.RFC3339Nano)))
	}
	if oc != nil {
		v := fmt.Sprintf("status=%s; produced-at=%s; this-update=%s; verified=%v", oc.Status,
			oc.ProducedAt.Format(time.RFC3339), oc.ThisUpdate.Format(time.RFC3339), oc.Verified)
		if !oc.NextUpdate.IsZero() {
			v += "; next-update=" + oc.NextUpdate.Format(time.RFC3339)
		}
		field("tls-ocsp", v)
	}
	if der != nil {
		field("tls-ocsp-response", base64.StdEncoding.EncodeToString(der))
	}
	return b.Bytes()
}

// ReadTLS reads what a WARC recorded of each TLS host: the chain (PEM
// metadata records) and the SCTs and OCSP status (tls-* warc-fields
// metadata records), in the order hosts first appear.
func ReadTLS(ctx context.Context, path string) ([]HostTLS, error) {
	r, err := warc.Open(path, warc.Options{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	byHost := map[string]*HostTLS{}
	var order []string
	get := func(uri string) *HostTLS {
		u, err := url.Parse(uri)
		host := uri
		if err == nil && u.Host != "" {
			host = u.Host
		}
		h := byHost[host]
		if h == nil {
			h = &HostTLS{Host: host}
			byHost[host] = h
			order = append(order, host)
		}
		return h
	}
	for rec, err := range r.Records() {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			continue // verify reports broken records
		}
		if rec.Type() != "metadata" {
			continue
		}
		ct := strings.ToLower(rec.ContentType())
		switch {
		case ct == "application/x-pem-file":
			b, _ := io.ReadAll(io.LimitReader(rec.Body, 1<<20))
			h := get(rec.TargetURI())
			for {
				var block *pem.Block
				block, b = pem.Decode(b)
				if block == nil {
					break
				}
				if c, err := x509.ParseCertificate(block.Bytes); err == nil {
					sum := sha256.Sum256(c.Raw)
					h.Chain = append(h.Chain, CertInfo{Subject: c.Subject.String(), Issuer: c.Issuer.String(), SHA256: hex.EncodeToString(sum[:])})
				}
			}
		case strings.HasPrefix(ct, "application/warc-fields"):
			b, _ := io.ReadAll(io.LimitReader(rec.Body, 1<<20))
			if !bytes.Contains(b, []byte("tls-server-name:")) {
				continue
			}
			h := get(rec.TargetURI())
			for _, line := range strings.Split(string(b), "\r\n") {
				name, v, ok := strings.Cut(line, ": ")
				if !ok {
					continue
				}
				kv := parseParams(v)
				switch name {
				case "tls-sct":
					t, _ := time.Parse(time.RFC3339Nano, kv["timestamp"])
					h.SCTs = append(h.SCTs, SCT{Source: kv["source"], LogID: kv["log-id"], Time: t})
				case "tls-ocsp":
					oc := &OCSPStatus{Status: kv["status"], Verified: kv["verified"] == "true"}
					oc.ProducedAt, _ = time.Parse(time.RFC3339, kv["produced-at"])
					oc.ThisUpdate, _ = time.Parse(time.RFC3339, kv["this-update"])
					oc.NextUpdate, _ = time.Parse(time.RFC3339, kv["next-update"])
					h.OCSP = oc
				}
			}
		}
	}
	out := make([]HostTLS, 0, len(order))
	for _, h := range order {
		out = append(out, *byHost[h])
	}
	return out, nil
}

// parseParams reads "a=1; b=2".
func parseParams(v string) map[string]string {
	m := map[string]string{}
	for _, p := range strings.Split(v, ";") {
		if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok {
			m[k] = val
		}
	}
	return m
}
