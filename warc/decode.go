package warc

import (
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// Decoded returns the payload with its Content-Encoding undone (gzip,
// x-gzip, deflate, br, zstd; several in the order they were applied). An
// unknown coding is an error; the caller can still use Payload.
func (m *HTTPMessage) Decoded() (io.Reader, error) {
	return DecodeContent(m.Payload(), m.Header.Values("Content-Encoding")...)
}

// DecodeContent undoes Content-Encoding values (each may list several
// codings, applied in order, so undone in reverse): gzip, x-gzip, deflate
// (zlib-wrapped or raw), br, zstd; identity is skipped.
func DecodeContent(r io.Reader, contentEncoding ...string) (io.Reader, error) {
	var codings []string
	for _, v := range contentEncoding {
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		r, err = decodeOne(codings[i], r)
		if err != nil {
			return nil, fmt.Errorf("decode content-encoding %s: %w", codings[i], err)
		}
	}
	return r, nil
}

func decodeOne(coding string, r io.Reader) (io.Reader, error) {
	switch coding {
	case "gzip", "x-gzip":
		return gzip.NewReader(r)
	case "deflate":
		// Servers send both zlib-wrapped and raw deflate under this name.
		br := bufio.NewReader(r)
		if b, err := br.Peek(2); err == nil && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0 {
			return zlib.NewReader(br)
		}
		return flate.NewReader(br), nil
	case "br":
		return brotli.NewReader(r), nil
	case "zstd":
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	}
	return nil, fmt.Errorf("unknown content-encoding %q", coding)
}
