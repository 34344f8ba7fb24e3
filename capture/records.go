package capture

// Building records: what one exchange becomes in the WARC (request,
// response or revisit, DNS, certificate chain, outlinks), its index
// entries and its crawl log line.

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// fileTimeFormat is the 14-digit timestamp of file names and dns records.
const fileTimeFormat = "20060102150405"

func (c *crawler) warcinfo() []byte {
	var b bytes.Buffer
	robots := "obey"
	if c.opts.IgnoreRobots {
		robots = "ignore"
	}
	fmt.Fprintf(&b, "software: %s\r\n", c.opts.Software)
	b.WriteString("format: WARC File Format 1.1\r\n")
	b.WriteString("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if c.opts.CommandLine != "" {
		fmt.Fprintf(&b, "command-line: %s\r\n", oneLine(c.opts.CommandLine))
	}
	fmt.Fprintf(&b, "http-header-user-agent: %s\r\n", oneLine(c.opts.UserAgent))
	fmt.Fprintf(&b, "robots: %s\r\n", robots)
	if c.opts.Proxy != nil {
		fmt.Fprintf(&b, "proxy: %s\r\n", c.opts.Proxy)
	}
	fmt.Fprintf(&b, "scope: %s\r\ndepth: %d\r\ndigest: %s\r\n", c.opts.Scope, c.opts.Depth, c.opts.Digest)
	return b.Bytes()
}

func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

// record writes the exchange's records as one group and indexes them.
// metadata builds a metadata record about the response respID; extra
// fields go before Content-Type, as WARC-Refers-To did.
func (c *crawler) metadata(uri, date, respID, ctype string, block []byte, extra ...warc.Field) *warc.OutRecord {
	f := []warc.Field{
		{Name: "WARC-Target-URI", Value: uri},
		{Name: "WARC-Date", Value: date},
		{Name: "WARC-Concurrent-To", Value: respID},
	}
	f = append(f, extra...)
	f = append(f, warc.Field{Name: "Content-Type", Value: ctype}, warc.Field{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(block)})
	return &warc.OutRecord{Type: "metadata", ID: warc.NewRecordID(), Fields: f, Body: bytes.NewReader(block), Length: int64(len(block))}
}

func (c *crawler) record(it *item, ex *fetch.Exchange, links []link) error {
	return c.recordWith(it, ex, links, nil)
}

// recordWith records ex as record does, with extra records written in the
// same group (so they land in the same file) after the response; extra is
// given the response record's ID to point at. Extra resource records are
// indexed by their own target URI and Content-Type, as warcio.js does.
func (c *crawler) recordWith(it *item, ex *fetch.Exchange, links []link, extra func(respID string) []*warc.OutRecord) error {
	reqID, respID := warc.NewRecordID(), warc.NewRecordID()
	date := warc.FormatDate(ex.Date)
	uri := it.u.String()
	var group []*warc.OutRecord
	if ex.DNS != nil {
		group = append(group, dnsRecord(ex.DNS, c.opts.Digest))
	}
	group = append(group, &warc.OutRecord{
		Type: "request", ID: reqID,
		Fields: compact([]warc.Field{
			{Name: "WARC-Target-URI", Value: uri},
			{Name: "WARC-Date", Value: date},
			{Name: "WARC-Concurrent-To", Value: respID},
			{Name: "WARC-IP-Address", Value: ex.IP},
			{Name: "Content-Type", Value: "application/http;msgtype=request"},
			{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(ex.Request)},
		}),
		Body: bytes.NewReader(ex.Request), Length: int64(len(ex.Request)),
	})

	proto := []warc.Field{{Name: "WARC-Protocol", Value: "http/1.1"}}
	if ex.TLS != nil {
		proto = append(proto, warc.Field{Name: "WARC-Protocol", Value: fetch.TLSVersionName(ex.TLS.Version)}, warc.Field{Name: "WARC-Cipher-Suite", Value: fetch.CipherName(ex.TLS.CipherSuite)})
	}
	mt := mediaType(ex.Header.Get("Content-Type"))
	revisit := false
	var ref dedupRef
	if ex.Status >= 200 && ex.Status < 300 && ex.PayloadLen > 0 && ex.Truncated == "" {
		ref, revisit = c.dedup.lookupOrAdd(ex.PayloadDigest, dedupRef{URI: uri, Date: ex.Date, ID: respID})
	}
	var resp *warc.OutRecord
	if revisit {
		f := []warc.Field{
			{Name: "WARC-Target-URI", Value: uri},
			{Name: "WARC-Date", Value: date},
			{Name: "WARC-Concurrent-To", Value: reqID},
			{Name: "WARC-IP-Address", Value: ex.IP},
		}
		f = append(f, proto...)
		f = append(f,
			warc.Field{Name: "WARC-Profile", Value: warc.ProfileIdenticalPayloadDigest},
			warc.Field{Name: "WARC-Refers-To", Value: ref.ID},
			warc.Field{Name: "WARC-Refers-To-Target-URI", Value: ref.URI},
			warc.Field{Name: "WARC-Refers-To-Date", Value: warc.FormatDate(ref.Date)},
			warc.Field{Name: "Content-Type", Value: "application/http;msgtype=response"},
			// The block is the header alone; its digest covers just that,
			// which is what wget gets wrong.
			warc.Field{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(ex.RawHeader)},
			warc.Field{Name: "WARC-Payload-Digest", Value: ex.PayloadDigest},
		)
		resp = &warc.OutRecord{Type: "revisit", ID: respID, Fields: compact(f), Body: bytes.NewReader(ex.RawHeader), Length: int64(len(ex.RawHeader))}
	} else {
		f := []warc.Field{
			{Name: "WARC-Target-URI", Value: uri},
			{Name: "WARC-Date", Value: date},
			{Name: "WARC-Concurrent-To", Value: reqID},
			{Name: "WARC-IP-Address", Value: ex.IP},
		}
		f = append(f, proto...)
		f = append(f,
			warc.Field{Name: "Content-Type", Value: "application/http;msgtype=response"},
			warc.Field{Name: "WARC-Block-Digest", Value: ex.BlockDigest},
			warc.Field{Name: "WARC-Payload-Digest", Value: ex.PayloadDigest},
			warc.Field{Name: "WARC-Truncated", Value: ex.Truncated},
		)
		if mt != "" {
			f = append(f, warc.Field{Name: "WARC-Identified-Payload-Type", Value: mt})
		}
		resp = &warc.OutRecord{Type: "response", ID: respID, Fields: compact(f), Body: ex.Response.Reader(), Length: ex.Response.Len()}
	}
	group = append(group, resp)

	if ex.TLS != nil && len(ex.TLS.PeerCertificates) > 0 {
		c.mu.Lock()
		first := !c.certDone[it.u.Host]
		c.certDone[it.u.Host] = true
		c.mu.Unlock()
		if first {
			var pemb bytes.Buffer
			for _, cert := range ex.TLS.PeerCertificates {
				pem.Encode(&pemb, &pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
			}
			chain := c.metadata(uri, date, respID, "application/x-pem-file", pemb.Bytes())
			group = append(group, chain)
			if tb := tlsFieldsBlock(ex.TLS, it.u.Hostname()); tb != nil {
				group = append(group, c.metadata(uri, date, respID, "application/warc-fields", tb,
					warc.Field{Name: "WARC-Refers-To", Value: chain.ID}))
			}
		}
	}
	if isHTML(mt) && !it.robots {
		var mb bytes.Buffer
		if it.via != "" {
			fmt.Fprintf(&mb, "via: %s\r\n", it.via)
		}
		fmt.Fprintf(&mb, "hopsFromSeed: %s\r\n", it.hops)
		fmt.Fprintf(&mb, "fetchTimeMs: %d\r\n", ex.Duration.Milliseconds())
		for _, l := range links {
			fmt.Fprintf(&mb, "outlink: %s %c %s\r\n", l.URL, l.Hop, l.Context)
		}
		group = append(group, c.metadata(uri, date, respID, "application/warc-fields", mb.Bytes()))
	}

	if extra != nil {
		group = append(group, extra(respID)...)
	}
	written, err := c.w.WriteGroup(group)
	if err != nil {
		return err
	}
	var respW warc.Written
	for i, w := range written {
		r := group[i]
		var e *cdxj.Line
		switch r.Type {
		case "response", "revisit":
			respW = w
			// The media type as warcio.js indexes it: the header value
			// before any parameters, case kept.
			ct, _, _ := strings.Cut(ex.Header.Get("Content-Type"), ";")
			e = indexLine(uri, ex.Date, strings.TrimSpace(ct), ex.Status, ex.PayloadDigest)
			if r.Type == "revisit" {
				e.Mime = "warc/revisit"
			}
		case "resource":
			if ex.DNS != nil && i == 0 {
				e = indexLine("dns:"+ex.DNS.Host, ex.DNS.Date, "text/dns", 0, fieldValue(r.Fields, "WARC-Payload-Digest"))
			} else {
				e = indexLine(fieldValue(r.Fields, "WARC-Target-URI"), ex.Date, fieldValue(r.Fields, "Content-Type"), 0, fieldValue(r.Fields, "WARC-Payload-Digest"))
			}
		case "metadata":
			// warcio.js indexes metadata records other than warc-fields:
			// here the certificate chain.
			if ct := fieldValue(r.Fields, "Content-Type"); ct != "application/warc-fields" {
				e = indexLine(uri, ex.Date, ct, 0, "")
			}
		}
		if e != nil {
			e.Filename, e.Offset, e.Length = w.File, w.Offset, w.Size
			if err := c.idx.Add(e); err != nil {
				return err
			}
		}
	}
	kind := "response"
	if revisit {
		kind = "revisit"
	}
	c.clog.write(logEntry{
		URL: uri, Status: ex.Status, Size: ex.PayloadLen, DurationMs: ex.Duration.Milliseconds(),
		Hops: it.hops, Via: it.via, Mime: mt, Digest: ex.PayloadDigest, Record: kind,
		Truncated: ex.Truncated, Error: errString(ex.BodyErr), WARC: respW.File, Offset: respW.Offset,
	})
	// A body cut by the server (a reset, a stall past the timeout) is
	// recorded as far as it came, with WARC-Truncated, and counted as a
	// failure; one cut by --max-size is what the user asked for.
	cut := ex.Truncated != "" && ex.Truncated != "length"
	redirect := ex.Status >= 300 && ex.Status < 400 && ex.Header.Get("Location") != ""
	seed := it.page && strings.Trim(it.hops, "R") == "" && !it.robots
	c.addStats(func(s *Stats) {
		s.Fetched++
		s.Bytes += ex.PayloadLen
		if revisit {
			s.Revisits++
		}
		if cut {
			s.Failed++
		}
		if seed && !cut && !redirect {
			s.Seeds++
		}
	})
	c.log.Debug("fetched", "url", uri, "status", ex.Status, "bytes", ex.PayloadLen, "record", kind)
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func fieldValue(f []warc.Field, name string) string {
	for _, x := range f {
		if strings.EqualFold(x.Name, name) {
			return x.Value
		}
	}
	return ""
}

// compact drops fields with empty values.
func compact(f []warc.Field) []warc.Field {
	out := f[:0]
	for _, x := range f {
		if x.Value != "" {
			out = append(out, x)
		}
	}
	return out
}

func dnsRecord(d *fetch.DNSResult, alg warc.DigestAlgorithm) *warc.OutRecord {
	var b bytes.Buffer
	b.WriteString(d.Date.UTC().Format(fileTimeFormat))
	b.WriteString("\r\n")
	// Master-file lines (RFC 1035 §5.1) without a TTL: Go's resolver does
	// not report one and we will not invent it.
	for _, ip := range d.IPs {
		typ := "A"
		if ip.To4() == nil {
			typ = "AAAA"
		}
		fmt.Fprintf(&b, "%s.\tIN\t%s\t%s\r\n", d.Host, typ, ip)
	}
	body := b.Bytes()
	dg := alg.Of(body)
	return &warc.OutRecord{
		Type: "resource", ID: warc.NewRecordID(),
		Fields: []warc.Field{
			{Name: "WARC-Target-URI", Value: "dns:" + d.Host},
			{Name: "WARC-Date", Value: warc.FormatDate(d.Date)},
			{Name: "Content-Type", Value: "text/dns"},
			{Name: "WARC-Block-Digest", Value: dg},
			{Name: "WARC-Payload-Digest", Value: dg},
		},
		Body: bytes.NewReader(body), Length: int64(len(body)),
	}
}
