package shard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// One loop for every command's parts: done parts skipped, a failing
// input's part aborted (never committed) while the others go on, and the
// failure named at the end.
func TestRunParts(t *testing.T) {
	dir := t.TempDir()
	var logs bytes.Buffer
	r := Run{Store: Dir{Path: dir}, Spec: Spec{}, Op: "test", Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	inputs := []string{"a.warc", "bad.warc", "c.warc"}
	parts := PartNames(inputs, ".txt")
	os.WriteFile(filepath.Join(dir, "c.txt"), []byte("done before"), 0o644)
	var wrote []string
	err := r.Parts(context.Background(), inputs, parts, func(_ context.Context, k int, w io.Writer) error {
		wrote = append(wrote, inputs[k])
		fmt.Fprintf(w, "part of %s", inputs[k])
		if inputs[k] == "bad.warc" {
			return errors.New("cannot read")
		}
		return nil
	})
	if err == nil || err.Error() != "test: 1 of 3 inputs failed: bad.warc" {
		t.Errorf("err = %v", err)
	}
	if !slices.Equal(wrote, []string{"a.warc", "bad.warc"}) {
		t.Errorf("wrote %v: a complete part was redone, or an input skipped", wrote)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"a.txt", "c.txt"}) {
		t.Errorf("folder holds %v", names)
	}
	for _, want := range []string{"test: part already complete, skipped", "test: part failed, left unwritten", "input=bad.warc", "written=1 skipped=1 failed=1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	// Shard 1/2 takes input 1 only.
	wrote = nil
	r.Spec = Spec{I: 1, N: 2}
	r.Parts(context.Background(), inputs, parts, func(_ context.Context, k int, w io.Writer) error {
		wrote = append(wrote, inputs[k])
		return nil
	})
	if !slices.Equal(wrote, []string{"bad.warc"}) {
		t.Errorf("shard 1/2 wrote %v", wrote)
	}
}

// deadPID is the id of a process that ran here and is gone: a child
// killed mid-run, as a worker is.
func deadPID(t *testing.T) int {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start a child process: %v", err)
	}
	pid := cmd.Process.Pid
	cmd.Process.Kill()
	cmd.Wait()
	return pid
}

// A rerun of a part removes the temporaries of that part whose process on
// this host is gone, or (with StaleAfter) that nobody wrote to for that
// long; it leaves a live process's temporary, other parts' and other
// hosts' (without StaleAfter), and names it does not recognise.
func TestStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	me := self()
	dead := deadPID(t)
	live := exec.Command("sleep", "30")
	if err := live.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { live.Process.Kill(); live.Wait() }()
	files := map[string]bool{ // name → removed by the rerun of a.jsonl
		fmt.Sprintf(".a.jsonl.%s~%d~111.tmp", me.host, dead):             true,
		fmt.Sprintf(".a.jsonl.%s~%d~222.tmp", me.host, live.Process.Pid): false,
		fmt.Sprintf(".a.jsonl.x.%s~%d~333.tmp", me.host, dead):           false, // part "a.jsonl.x"
		fmt.Sprintf(".b.jsonl.%s~%d~444.tmp", me.host, dead):             false,
		".a.jsonl.otherhost~1~555.tmp":                                   false,
		".a.jsonl.123456.tmp":                                            false, // before owners were named
	}
	for n := range files {
		os.WriteFile(filepath.Join(dir, n), []byte("half"), 0o644)
	}
	var logs bytes.Buffer
	d := Dir{Path: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	p, err := d.Create(context.Background(), "a.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ownTemp := ""
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if _, known := files[e.Name()]; !known {
			ownTemp = e.Name()
		}
	}
	if o, ok := parseTemp(ownTemp, ".", "a.jsonl"); !ok || o != me {
		t.Errorf("the new temporary %q does not name this host and process", ownTemp)
	}
	for n, removed := range files {
		_, err := os.Stat(filepath.Join(dir, n))
		if gone := errors.Is(err, os.ErrNotExist); gone != removed {
			t.Errorf("%s: removed %v, want %v", n, gone, removed)
		}
	}
	if !strings.Contains(logs.String(), "its process is gone") {
		t.Errorf("removal not logged with its reason:\n%s", logs.String())
	}
	// Its own process's temporary is never its own victim.
	q, err := d.Create(context.Background(), "a.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ownTemp)); err != nil {
		t.Errorf("a second Create of the part in the same process removed the first's temporary")
	}
	p.Abort()
	q.Abort()

	// Another host's temporary: removed only once older than StaleAfter.
	other := filepath.Join(dir, ".a.jsonl.otherhost~1~555.tmp")
	d.StaleAfter = time.Hour
	p, _ = d.Create(context.Background(), "a.jsonl")
	p.Abort()
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a fresh temporary of another host was removed")
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(other, old, old)
	p, _ = d.Create(context.Background(), "a.jsonl")
	p.Abort()
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a two-hour-old temporary of another host survived --stale-after 1h")
	}
}

// An s3:// part's local temporary left by a killed worker is removed by
// the next run of that part on the host.
func TestObjectsStaleTemporary(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stale := filepath.Join(tmp, fmt.Sprintf("warcbox-part-a.jsonl.%s~%d~1.tmp", self().host, deadPID(t)))
	os.WriteFile(stale, []byte("half"), 0o644)
	p, err := Objects{Prefix: "s3://b/out/"}.Create(context.Background(), "a.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed worker's temporary survived the rerun")
	}
}

// TestStaleUnknownHost: a temporary whose owner's host name could not be
// read is never judged by this host's process table, only by its age.
func TestStaleUnknownHost(t *testing.T) {
	now := time.Now()
	gone := owner{host: "unknown", pid: 1 << 22} // above Linux's pid_max default: no such process
	me := owner{host: "unknown", pid: os.Getpid()}
	if why := stale(gone, me, now, 0, now); why != "" {
		t.Errorf("unknown host's temporary removed: %s", why)
	}
	if why := stale(gone, me, now.Add(-2*time.Hour), time.Hour, now); why == "" {
		t.Error("unknown host's temporary idle past --stale-after kept")
	}
	local := owner{host: "h", pid: 1 << 22}
	if why := stale(local, owner{host: "h", pid: os.Getpid()}, now, 0, now); why == "" {
		t.Error("same host's temporary of a gone process kept")
	}
}
