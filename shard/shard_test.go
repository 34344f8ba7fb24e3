package shard

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		bad  bool
	}{
		{"", Spec{}, false},
		{"0/1", Spec{0, 1}, false},
		{"3/8", Spec{3, 8}, false},
		{" 1 / 2 ", Spec{1, 2}, false},
		{"8/8", Spec{}, true}, // shards count from 0
		{"-1/4", Spec{}, true},
		{"1/0", Spec{}, true},
		{"1", Spec{}, true},
		{"a/b", Spec{}, true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, bad %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

// Every input and every row belongs to exactly one shard, and shards are
// balanced within one input (one block of rows).
func TestSharesPartition(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		inputs := make([]int, n)
		for k := range 100 {
			owners := 0
			for i := range n {
				if (Spec{i, n}).TakesInput(k) {
					owners++
					inputs[i]++
				}
			}
			if owners != 1 {
				t.Fatalf("N=%d: input %d has %d shards", n, k, owners)
			}
		}
		for i := 1; i < n; i++ {
			if d := inputs[0] - inputs[i]; d < 0 || d > 1 {
				t.Errorf("N=%d: unbalanced inputs %v", n, inputs)
			}
		}
		for r := range int64(1000) {
			owners := 0
			for i := range n {
				if (Spec{i, n}).TakesRow(r) {
					owners++
				}
			}
			if owners != 1 {
				t.Fatalf("N=%d: row %d has %d shards", n, r, owners)
			}
		}
	}
	// Rows of one block stay together.
	s := Spec{1, 4}
	for r := int64(RowBlock); r < 2*RowBlock; r++ {
		if !s.TakesRow(r) {
			t.Fatalf("row %d of block 1 not in shard 1/4", r)
		}
	}
}

func TestPartNames(t *testing.T) {
	got := PartNames([]string{
		"/data/a/CC-MAIN-1.warc.gz",
		"s3://bucket/crawl/CC-MAIN-2.warc.gz",
		"x/example.warc",
		"y/example.arc.gz",
		"pkg.wacz#archive/data.warc.gz",
		"_hidden.warc.gz",
		"https://host/.dot.warc",
	}, ".jsonl")
	want := []string{"CC-MAIN-1.jsonl", "CC-MAIN-2.jsonl", "example-", "example-", "pkg-data.jsonl", "part-_hidden.jsonl", "part-.dot.jsonl"}
	seen := map[string]bool{}
	for i, g := range got {
		if !strings.HasPrefix(g, want[i]) || !strings.HasSuffix(g, ".jsonl") {
			t.Errorf("part %d = %q, want %q…", i, g, want[i])
		}
		if seen[g] {
			t.Errorf("part name %q given twice", g)
		}
		seen[g] = true
	}
	if got[2] == got[3] || len(got[2]) != len("example-")+8+len(".jsonl") {
		t.Errorf("colliding names not told apart: %q %q", got[2], got[3])
	}
	if n := RecordsPartName("/q/sel.csv.gz", Spec{3, 8}, ".parquet"); n != "sel-3-of-8.parquet" {
		t.Errorf("RecordsPartName = %q", n)
	}
	if n := RecordsPartName("sel.parquet", Spec{}, ".jsonl"); n != "sel.jsonl" {
		t.Errorf("RecordsPartName = %q", n)
	}
}

// A part appears under its name only on Commit; Abort leaves nothing, and
// while it is written only a hidden temporary file exists.
func TestDirParts(t *testing.T) {
	ctx := context.Background()
	d := Dir{Path: filepath.Join(t.TempDir(), "out")}
	p, err := d.Create(ctx, "a.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	p.Write([]byte("half"))
	ents, _ := os.ReadDir(d.Path)
	if len(ents) != 1 || !strings.HasPrefix(ents[0].Name(), ".a.jsonl.") || !strings.HasSuffix(ents[0].Name(), ".tmp") {
		t.Fatalf("while writing: %v", ents)
	}
	if done, _ := d.Done(ctx, "a.jsonl"); done {
		t.Fatal("unfinished part is done")
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if done, _ := d.Done(ctx, "a.jsonl"); !done {
		t.Fatal("committed part not done")
	}
	b, _ := os.ReadFile(filepath.Join(d.Path, "a.jsonl"))
	if string(b) != "half" {
		t.Fatalf("part holds %q", b)
	}
	st, _ := os.Stat(filepath.Join(d.Path, "a.jsonl"))
	if st.Mode().Perm() != 0o644 {
		t.Errorf("part mode %v", st.Mode())
	}
	q, _ := d.Create(ctx, "b.jsonl")
	q.Write([]byte("x"))
	if err := q.Abort(); err != nil {
		t.Fatal(err)
	}
	ents, _ = os.ReadDir(d.Path)
	if len(ents) != 1 {
		t.Fatalf("after abort: %v", ents)
	}
}
