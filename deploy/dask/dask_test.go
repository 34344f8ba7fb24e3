// Package dask_test runs deploy/dask/warcbox_extract.py on a real Dask
// distributed cluster (a dask-scheduler and two dask-worker processes on
// 127.0.0.1) over a collection in a real S3 server (versitygw). It skips
// when Debian's python3-distributed or versitygw is missing, and fails
// under CI=true, where .ci/run installs both.
package dask_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/internal/testneed"
	"github.com/warcbox/warcbox/internal/tests3"
)

const python = "/usr/bin/python3"

func needDask(t *testing.T) {
	t.Helper()
	if err := exec.Command(python, "-c", "import distributed").Run(); err != nil {
		testneed.Missing(t, "Dask distributed missing for %s (apt-get install python3-distributed): %v", python, err)
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// cluster is a scheduler and workers, each process in its own group so
// that killing a worker kills the warcbox it runs, as losing a machine
// does.
type cluster struct {
	addr    string
	env     []string
	workers []*exec.Cmd
	logs    []*bytes.Buffer
}

func startProc(t *testing.T, env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(python, args...)
	cmd.Env = env
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	return cmd, &log
}

func startCluster(t *testing.T, env []string, workers int) *cluster {
	port := freePort(t)
	c := &cluster{addr: fmt.Sprintf("tcp://127.0.0.1:%d", port), env: env}
	_, slog := startProc(t, env, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
		"--port", strconv.Itoa(port), "--no-dashboard")
	waitFor(t, 60*time.Second, func() bool {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			conn.Close()
		}
		return err == nil
	}, func() string { return slog.String() })
	for i := range workers {
		w, log := startProc(t, env, "-m", "distributed.cli.dask_worker", c.addr, "--nthreads", "1", "--nworkers", "1",
			"--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", fmt.Sprintf("w%d", i))
		c.workers = append(c.workers, w)
		c.logs = append(c.logs, log)
	}
	for i := range workers {
		waitFor(t, 60*time.Second, func() bool { return strings.Contains(c.logs[i].String(), "Registered to") },
			func() string { return c.logs[i].String() })
	}
	return c
}

func waitFor(t *testing.T, d time.Duration, ok func() bool, log func() string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out; log:\n%s", log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// childWarcbox returns the pid and command line of a warcbox process in
// process group pgid, if one runs.
func childWarcbox(pgid int) (int, string) {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if g, err := syscall.Getpgid(pid); err != nil || g != pgid {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
		if len(args) > 1 && filepath.Base(args[0]) == "warcbox" && args[1] == "extract" {
			return pid, strings.Join(args, " ")
		}
	}
	return 0, ""
}

func buildWarcbox(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "warcbox")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/warcbox/warcbox/cmd/warcbox").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func driver() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "warcbox_extract.py")
}

// objectLines reads every object under prefix and returns their lines and
// the object names.
func objectLines(t *testing.T, srv *tests3.Server, bucket, prefix string) ([]string, []string) {
	t.Helper()
	ctx := context.Background()
	out, err := srv.Client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	if err != nil {
		t.Fatal(err)
	}
	var lines, names []string
	for _, o := range out.Contents {
		names = append(names, strings.TrimPrefix(*o.Key, prefix))
		obj, err := srv.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: o.Key})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		lines = append(lines, splitLines(string(b))...)
	}
	return lines, names
}

func splitLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if sc.Text() != "" {
			out = append(out, sc.Text())
		}
	}
	return out
}

// The union of the parts Dask writes equals one warcbox extract's output,
// even when a worker is killed mid-shard: Dask reruns that shard on the
// other worker, nothing is lost and nothing is written twice; a rerun of
// the whole job skips every part.
func TestDaskExtractKilledWorker(t *testing.T) {
	needDask(t)
	corpus := testcorpus.Dir(t)
	srv := tests3.Start(t)
	srv.Bucket(t, "crawl")
	files := []string{
		"jwat/jwat-warc/src/test/resources/IAH-20080430204825-00000-blackbook.warc.gz",
		"pywb/sample_archive/warcs/iana.warc.gz",
		"pywb/sample_archive/warcs/example2.warc.gz",
		"pywb/sample_archive/warcs/example-wget-1-14.warc.gz",
		"pywb/sample_archive/warcs/example-wpull.warc.gz",
		"pywb/sample_archive/warcs/dupes.warc.gz",
		"pywb/sample_archive/warcs/example.warc.gz",
		"whirlwind-python/whirlwind.warc.gz",
	}
	for _, f := range files {
		srv.PutFile(t, "crawl", "coll/"+filepath.Base(f), filepath.Join(corpus, f))
	}
	bin := buildWarcbox(t)
	env := os.Environ()
	for k, v := range srv.Env() {
		env = append(env, k+"="+v)
	}
	env = append(env, "TMPDIR="+t.TempDir())

	// One process, the reference.
	ref := exec.Command(bin, "extract", "-q", "s3://crawl/coll/")
	ref.Env = env
	want, err := ref.Output()
	if err != nil {
		t.Fatalf("single-process extract: %v", err)
	}
	wantLines := splitLines(string(want))
	if len(wantLines) < 100 {
		t.Fatalf("reference has %d lines", len(wantLines))
	}

	c := startCluster(t, env, 2)
	const shards = 4
	run := exec.Command(python, driver(), "--scheduler", c.addr, "--shards", strconv.Itoa(shards),
		"-o", "s3://crawl/out/", "--warcbox", bin, "s3://crawl/coll/")
	run.Env = env
	var drvOut bytes.Buffer
	run.Stdout, run.Stderr = &drvOut, &drvOut
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- run.Wait() }()

	// Kill worker 0, with the warcbox it runs, while it runs a shard.
	victim := c.workers[0].Process.Pid
	var killed string
	waitFor(t, 120*time.Second, func() bool {
		if _, cmdline := childWarcbox(victim); cmdline != "" {
			killed = cmdline
			return true
		}
		return false
	}, func() string { return drvOut.String() + c.logs[0].String() })
	syscall.Kill(-victim, syscall.SIGKILL)
	t.Logf("killed worker 0 running: %s", killed)

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("driver: %v\n%s\nsurviving worker:\n%s", err, drvOut.String(), c.logs[1].String())
		}
	case <-time.After(5 * time.Minute):
		t.Fatalf("driver did not finish:\n%s", drvOut.String())
	}
	got, names := objectLines(t, srv, "crawl", "out/")
	if len(names) != len(files) {
		t.Errorf("%d parts for %d inputs: %v", len(names), len(files), names)
	}
	type key struct {
		File   string `json:"warc_file"`
		Offset int64  `json:"warc_offset"`
	}
	seen := map[key]bool{}
	for _, l := range got {
		var k key
		if err := json.Unmarshal([]byte(l), &k); err != nil {
			t.Fatalf("part line: %v", err)
		}
		if seen[k] {
			t.Errorf("record %v written twice", k)
		}
		seen[k] = true
	}
	slices.Sort(got)
	slices.Sort(wantLines)
	if !slices.Equal(got, wantLines) {
		t.Errorf("union of the parts (%d lines) differs from one process (%d lines)", len(got), len(wantLines))
	}
	// The killed shard was run again to the end: its parts are among them.
	i := strings.Index(killed, "--shard ")
	if i < 0 {
		t.Fatalf("killed process had no --shard: %s", killed)
	}
	var shard, n int
	fmt.Sscanf(killed[i+len("--shard "):], "%d/%d", &shard, &n)
	// Inputs expand sorted by name; shard I takes every Nth from the Ith.
	sorted := make([]string, len(files))
	for k, f := range files {
		sorted[k] = filepath.Base(f)
	}
	slices.Sort(sorted)
	for k, f := range sorted {
		if k%n != shard {
			continue
		}
		part := strings.TrimSuffix(f, ".warc.gz") + ".jsonl"
		if !slices.Contains(names, part) {
			t.Errorf("part %s of the killed shard %d/%d is missing", part, shard, n)
		}
	}

	// The whole job again: every part is already complete.
	again := exec.Command(python, driver(), "--scheduler", c.addr, "--shards", strconv.Itoa(shards),
		"-o", "s3://crawl/out/", "--warcbox", bin, "s3://crawl/coll/")
	again.Env = env
	out, err := again.CombinedOutput()
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	skipped := 0
	for _, l := range splitLines(string(out)) {
		var r struct {
			Skipped int `json:"parts_skipped"`
		}
		if json.Unmarshal([]byte(l), &r) == nil {
			skipped += r.Skipped
		}
	}
	if skipped != len(files) {
		t.Errorf("rerun skipped %d parts, want %d:\n%s", skipped, len(files), out)
	}

	// --dedup across shards: a collection where a copy of a WARC sorts
	// after its original, its index beside it; the union of the parts is
	// one process's --dedup output.
	for _, f := range files[1:3] {
		srv.PutFile(t, "crawl", "dd/"+filepath.Base(f), filepath.Join(corpus, f))
	}
	srv.PutFile(t, "crawl", "dd/zz-copy.warc.gz", filepath.Join(corpus, files[1]))
	ddIndex := filepath.Join(t.TempDir(), "dd.cdxj")
	idx := exec.Command(bin, "index", "-q", "--no-search", "-o", ddIndex, "s3://crawl/dd/")
	idx.Env = env
	if out, err := idx.CombinedOutput(); err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}
	srv.PutFile(t, "crawl", "dd.cdxj", ddIndex)
	ref = exec.Command(bin, "extract", "-q", "--dedup", "s3://crawl/dd/")
	ref.Env = env
	if want, err = ref.Output(); err != nil {
		t.Fatalf("single-process extract --dedup: %v", err)
	}
	dd := exec.Command(python, driver(), "--scheduler", c.addr, "--shards", "3",
		"-o", "s3://crawl/ddout/", "--warcbox", bin, "s3://crawl/dd/", "--", "--dedup-index", "s3://crawl/dd.cdxj")
	dd.Env = env
	if out, err := dd.CombinedOutput(); err != nil {
		t.Fatalf("dedup job: %v\n%s", err, out)
	}
	got, _ = objectLines(t, srv, "crawl", "ddout/")
	wantLines = splitLines(string(want))
	slices.Sort(got)
	slices.Sort(wantLines)
	if !slices.Equal(got, wantLines) || len(got) == 0 {
		t.Errorf("dedup job: union of the parts has %d lines, one process %d", len(got), len(wantLines))
	}
}
