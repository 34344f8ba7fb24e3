package capture

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// decodeBody undoes Content-Encoding (applied in the order listed, so undone
// in reverse) for link extraction only; the record keeps the encoded bytes.
// The result is capped at maxParseBytes.
func decodeBody(b []byte, contentEncoding string) ([]byte, error) {
	var encs []string
	for _, e := range strings.Split(contentEncoding, ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && e != "identity" {
			encs = append(encs, e)
		}
	}
	for i := len(encs) - 1; i >= 0; i-- {
		var r io.Reader
		switch encs[i] {
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("decode gzip: %w", err)
			}
			r = zr
		case "deflate":
			// Servers send both zlib-wrapped and raw deflate under this name.
			if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
				r = zr
			} else {
				r = flate.NewReader(bytes.NewReader(b))
			}
		case "br":
			r = brotli.NewReader(bytes.NewReader(b))
		case "zstd":
			zr, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1))
			if err != nil {
				return nil, fmt.Errorf("decode zstd: %w", err)
			}
			defer zr.Close()
			r = zr
		default:
			return nil, fmt.Errorf("decode: unknown content-encoding %q", encs[i])
		}
		out, err := io.ReadAll(io.LimitReader(r, maxParseBytes))
		if err != nil && len(out) == 0 {
			return nil, fmt.Errorf("decode %s: %w", encs[i], err)
		}
		// A body cut by --max-size decodes partly: keep what decoded.
		b = out
	}
	return b, nil
}
