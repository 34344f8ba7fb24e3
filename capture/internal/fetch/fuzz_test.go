package fetch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"testing"
)

// FuzzReadChunked feeds arbitrary bodies to the chunked reader: the raw
// side must hold a prefix of the input, and the payload must never exceed it.
func FuzzReadChunked(f *testing.F) {
	f.Add([]byte("5\r\nhello\r\n0\r\n\r\n"), int64(0))
	f.Add([]byte("3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"), int64(4))
	f.Add([]byte("zz\r\n"), int64(0))
	f.Add([]byte("ffffffffffffffff\r\n"), int64(0))
	f.Fuzz(func(t *testing.T, in []byte, max int64) {
		var raw bytes.Buffer
		body := &bodySink{h: sha256.New(), max: max % 1000, keep: true}
		readChunked(bufio.NewReader(bytes.NewReader(in)), &raw, body)
		if !bytes.HasPrefix(in, raw.Bytes()) {
			t.Fatal("raw record is not a prefix of what was read")
		}
		if body.n > int64(len(in)) || (body.max > 0 && body.n > body.max) {
			t.Fatalf("payload %d bytes from %d input, max %d", body.n, len(in), body.max)
		}
	})
}
