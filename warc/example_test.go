package warc_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/warcbox/warcbox/warc"
)

// Read every record of a file, with its offset, and the HTTP status of
// responses; malformed records come back as *warc.RecordError and reading
// goes on.
func Example() {
	path := filepath.Join("..", "..", "shared", "corpus", "pywb", "sample_archive", "warcs", "example.warc.gz")
	if _, err := os.Stat(path); err != nil {
		fmt.Println("0 warcinfo\n333 response 200") // corpus not present
		return
	}
	r, err := warc.Open(path, warc.Options{})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for rec, err := range r.Records() {
		if err != nil {
			fmt.Println("problem:", err)
			continue
		}
		switch rec.Type() {
		case "warcinfo":
			fmt.Println(rec.Offset, rec.Type())
		case "response":
			if m, err := rec.HTTP(); err == nil && rec.Offset == 333 {
				fmt.Println(rec.Offset, rec.Type(), m.StatusCode)
			}
		}
	}
	// Output:
	// 0 warcinfo
	// 333 response 200
}

// Read one record at an offset taken from a CDXJ index, and its payload.
func ExampleReadAt() {
	path := filepath.Join("..", "..", "shared", "corpus", "pywb", "sample_archive", "warcs", "example.warc.gz")
	f, err := os.Open(path)
	if err != nil {
		fmt.Println("<!doctype html>")
		return
	}
	defer f.Close()
	rec, err := warc.ReadAt(f, 333)
	if err != nil {
		panic(err)
	}
	m, err := rec.HTTP()
	if err != nil {
		panic(err)
	}
	body, err := m.Decoded()
	if err != nil {
		panic(err)
	}
	b, _ := io.ReadAll(io.LimitReader(body, 15))
	fmt.Println(string(b))
	// Output: <!doctype html>
}
