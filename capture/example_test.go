package capture_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/warcbox/warcbox/capture"
)

// Capture a page and its requisites into a collection folder, then read
// what the summary reports.
func ExampleRun() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<img src="/logo.png"><link rel="stylesheet" href="/site.css">`)
			return
		}
		io.WriteString(w, "asset "+r.URL.Path)
	}))
	defer site.Close()
	dir, _ := os.MkdirTemp("", "capture-example")
	defer os.RemoveAll(dir)

	opts := capture.DefaultOptions()
	opts.Dir = filepath.Join(dir, "collections", "web", "archive")
	sum, err := capture.Run(context.Background(), []string{site.URL + "/"}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("responses:", sum.Fetched, "failed:", sum.Failed, "files:", len(sum.Files))
	fmt.Println("index:", filepath.Base(filepath.Dir(sum.IndexPath)))
	// Output:
	// responses: 4 failed: 0 files: 1
	// index: indexes
}
