package index

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/storage"
)

// More remote parts than one round merges (64): the first round streams
// them, the next reads its local temporaries; the result is every line,
// sorted.
func TestMergeRemoteRounds(t *testing.T) {
	dir := t.TempDir()
	var all []string
	for i := range 70 {
		for j := range 5 {
			l := fmt.Sprintf("com,h%d)/p%d 2020%02d01000000 {}", (i*7+j*3)%50, j, i%12+1)
			all = append(all, l)
		}
		part := all[len(all)-5:]
		sorted := slices.Clone(part)
		slices.Sort(sorted)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%02d.cdxj", i)), []byte(strings.Join(sorted, "\n")+"\n"), 0o644)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := context.Background()
	st := storage.New(storage.Options{})
	names, err := MergeInputs(ctx, st, []string{srv.URL + "/"})
	if err != nil || len(names) != 70 {
		t.Fatalf("%d inputs listed, %v", len(names), err)
	}
	var out bytes.Buffer
	if err := Merge(ctx, st, &out, names, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	slices.Sort(all)
	if got := strings.TrimSuffix(out.String(), "\n"); got != strings.Join(all, "\n") {
		t.Errorf("merged %d lines, want %d sorted", strings.Count(out.String(), "\n"), len(all))
	}
}
