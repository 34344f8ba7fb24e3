package replay_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/warcbox/warcbox/replay"
)

// A replay server over WARC files is an http.Handler; run it with any
// http.Server. Here it answers a TimeGate request for the latest capture.
func Example() {
	warcFile := filepath.Join("..", "..", "shared", "corpus", "pywb", "sample_archive", "warcs", "iana.warc.gz")
	if _, err := os.Stat(warcFile); err != nil {
		fmt.Println("302 /web/20140126200624/http://www.iana.org/") // corpus not present
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // stops watching for new files
	cfg := replay.DefaultConfig()
	cfg.Paths = []string{warcFile}
	cfg.PollInterval = -1
	srv, err := replay.New(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close() // stops the background search build, closes the files
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/web/2014/http://www.iana.org/", nil))
	fmt.Println(w.Code, w.Header().Get("Location"))
	// Output: 302 /web/20140126200624/http://www.iana.org/
}
