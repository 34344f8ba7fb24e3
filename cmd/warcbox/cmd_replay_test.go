package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

func TestRunReplayStartsAndStops(t *testing.T) {
	warcFile := testcorpus.File(t, "pywb/sample_archive/warcs/iana.warc.gz")
	stderr := &lockedBuffer{}
	g := &globalOptions{stdout: &bytes.Buffer{}, stderr: stderr}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runReplay(ctx, &replayOptions{Addr: "127.0.0.1:0", Name: "web", Poll: 0}, g, []string{warcFile})
	}()
	// Cancelled once it serves (a fixed sleep failed on a loaded machine).
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(stderr.String(), "replay: serving") && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runReplay: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("replay did not shut down when its context was cancelled")
	}
	if !strings.Contains(stderr.String(), "replay: serving") {
		t.Errorf("no start-up log: %s", stderr.String())
	}
}

func TestRunReplayErrors(t *testing.T) {
	g := &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	ctx := context.Background()
	if err := runReplay(ctx, &replayOptions{Addr: "127.0.0.1:0", Name: "web"}, g, []string{filepath.Join(t.TempDir(), "missing.warc")}); err == nil {
		t.Error("missing path accepted")
	}
	if err := runReplay(ctx, &replayOptions{Addr: "127.0.0.1:0", Name: "../x"}, g, []string{t.TempDir()}); err == nil || !strings.Contains(err.Error(), "collection name") {
		t.Errorf("bad collection name: %v", err)
	}
}

// lockedBuffer is a bytes.Buffer safe to write from the command's
// goroutines while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
