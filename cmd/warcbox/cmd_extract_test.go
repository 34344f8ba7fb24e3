package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

func corpusWARCs(t *testing.T) string {
	t.Helper()
	return testcorpus.File(t, "pywb/sample_archive/warcs")
}

func TestExtractCommandJSONL(t *testing.T) {
	d := corpusWARCs(t)
	var out, errOut bytes.Buffer
	g := &globalOptions{stdout: &out, stderr: &errOut, stdin: strings.NewReader(filepath.Join(d, "iana.warc.gz") + "\n")}
	opts := &extractOptions{Format: "jsonl", MaxBytes: 1 << 20, NoFallback: true}
	if err := runExtract(context.Background(), opts, g, []string{"-"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 3 {
		t.Fatalf("%d records: %s", len(lines), errOut.String())
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first["title"] != "Internet Assigned Numbers Authority" || first["status"] != float64(200) ||
		!strings.HasSuffix(first["warc_file"].(string), "iana.warc.gz") || first["sources"].(map[string]any)["title"] == nil {
		t.Errorf("first record: %v", lines[0][:min(400, len(lines[0]))])
	}
	// No progress bar when stderr is not a terminal.
	if strings.Contains(errOut.String(), "extract") && strings.Contains(errOut.String(), "%") {
		t.Errorf("progress bar on a non-terminal: %q", errOut.String())
	}
}

func TestExtractCommandFormats(t *testing.T) {
	d := corpusWARCs(t)
	dir := t.TempDir()
	for _, format := range []string{"csv", "parquet"} {
		out := filepath.Join(dir, "out."+format)
		g := &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
		opts := &extractOptions{Format: format, Output: out, MaxBytes: 1 << 20, NoBody: true, Dedup: true}
		if err := runExtract(context.Background(), opts, g, []string{filepath.Join(d, "example*.warc.gz")}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		switch format {
		case "csv":
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			// --dedup: the example.com pages share one payload.
			if len(rows) < 2 || rows[0][0] != "warc_file" || rows[1][8] != "Example Domain" {
				t.Errorf("csv rows %v", rows)
			}
		case "parquet":
			if !bytes.HasPrefix(b, []byte("PAR1")) || !bytes.HasSuffix(b, []byte("PAR1")) {
				t.Errorf("not a parquet file (%d bytes)", len(b))
			}
		}
	}
	g := &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	err := runExtract(context.Background(), &extractOptions{Format: "xml"}, g, []string{d})
	var ue usageError
	if err == nil || !errors.As(err, &ue) {
		t.Errorf("bad --format: %v, want a usage error", err)
	}
	if err := runExtract(context.Background(), &extractOptions{Format: "jsonl"}, g, []string{filepath.Join(dir, "missing.warc")}); err == nil {
		t.Error("missing input accepted")
	}
}

// TestExtractCommandExplain: --explain adds, per field, every candidate
// with its source and the reason it lost; it needs JSON lines.
func TestExtractCommandExplain(t *testing.T) {
	d := corpusWARCs(t)
	var out bytes.Buffer
	g := &globalOptions{stdout: &out, stderr: &bytes.Buffer{}}
	opts := &extractOptions{Format: "jsonl", MaxBytes: 1 << 20, Explain: true}
	if err := runExtract(context.Background(), opts, g, []string{filepath.Join(d, "iana.warc.gz")}); err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(out.String(), "\n")
	var rec struct {
		Title   string `json:"title"`
		Explain map[string][]struct {
			Kind, Value, Source, Why string
			Chosen                   bool
		} `json:"explain"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	titles := rec.Explain["title"]
	chosen := 0
	for _, c := range titles {
		if c.Source == "" {
			t.Errorf("candidate without a source: %+v", c)
		}
		if c.Chosen {
			chosen++
			if c.Value != rec.Title {
				t.Errorf("chosen title candidate %q, output title %q", c.Value, rec.Title)
			}
		} else if c.Why == "" {
			t.Errorf("losing candidate without a reason: %+v", c)
		}
	}
	if chosen != 1 || len(titles) < 2 {
		t.Errorf("title candidates %+v", titles)
	}
	if len(rec.Explain["body"]) == 0 {
		t.Error("no body explanation")
	}
	opts.Format = "csv"
	err := runExtract(context.Background(), opts, g, []string{filepath.Join(d, "iana.warc.gz")})
	var ue usageError
	if !errors.As(err, &ue) {
		t.Errorf("--explain with csv: %v, want a usage error", err)
	}
}
