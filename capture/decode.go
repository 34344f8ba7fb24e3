package capture

import (
	"bytes"
	"fmt"
	"io"

	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/warc"
)

// decodeBody undoes Content-Encoding for link extraction only; the record
// keeps the encoded bytes. The result is capped at fetch.MaxKeptBody, and a body
// cut by --max-size keeps what decoded.
func decodeBody(b []byte, contentEncoding string) ([]byte, error) {
	r, err := warc.DecodeContent(bytes.NewReader(b), contentEncoding)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(r, fetch.MaxKeptBody))
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("decode %s: %w", contentEncoding, err)
	}
	return out, nil
}
