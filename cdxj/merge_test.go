package cdxj

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// MergeFiles gives what sorting all lines together gives, with more files
// than are merged at once, duplicates and blank lines.
func TestMergeFiles(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(7))
	var all []string
	var paths []string
	for i := range mergeFanIn*2 + 5 {
		var lines []string
		for range rng.Intn(20) {
			l := fmt.Sprintf("com,example)/%d 2024%010d {\"offset\":\"%d\"}", rng.Intn(50), rng.Intn(1000), rng.Intn(9))
			lines = append(lines, l)
		}
		all = append(all, lines...)
		slices.Sort(lines)
		p := filepath.Join(dir, fmt.Sprintf("%03d.cdxj", i))
		body := strings.Join(lines, "\n")
		if i%3 == 0 && len(lines) > 0 {
			body += "\n\n" // a trailing blank line is dropped
		} else if len(lines) > 0 {
			body += "\n"
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(all)
	var out bytes.Buffer
	tmp := t.TempDir()
	if err := MergeFiles(context.Background(), &out, paths, tmp); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(all, "\n") + "\n"
	if out.String() != want {
		t.Fatalf("merge differs from sort: %d bytes, want %d", out.Len(), len(want))
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestMergeFilesUnsorted(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.cdxj")
	b := filepath.Join(dir, "b.cdxj")
	os.WriteFile(a, []byte("a 1 {}\nc 1 {}\n"), 0o644)
	os.WriteFile(b, []byte("b 1 {}\nd 1 {}\nc 1 {}\n"), 0o644)
	err := MergeFiles(context.Background(), &bytes.Buffer{}, []string{a, b}, "")
	if !errors.Is(err, ErrUnsorted) || !strings.Contains(err.Error(), "b.cdxj line 3") {
		t.Fatalf("unsorted input: %v", err)
	}
}
