package wacz

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/testcorpus"

	"github.com/warcbox/warcbox/warc"
)

func corpusFile(t testing.TB, rel string) string { return testcorpus.File(t, rel) }

// build packages two real WARCs, signed with a fresh key.
func build(t *testing.T) (string, *Options) {
	t.Helper()
	key, err := GenerateKey("P-256")
	if err != nil {
		t.Fatal(err)
	}
	opt := &Options{
		WARCs: []string{
			corpusFile(t, "pywb/sample_archive/warcs/example.warc.gz"),
			corpusFile(t, "pywb/sample_archive/warcs/iana.warc.gz"),
		},
		Title: "test", Software: "warcbox test", Created: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), Key: key,
	}
	out := filepath.Join(t.TempDir(), "test.wacz")
	if err := WriteFile(context.Background(), out, *opt); err != nil {
		t.Fatal(err)
	}
	return out, opt
}

func findings(rep *Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(string(f.Severity) + " " + f.Path + " " + f.Check + ": " + f.Message + "\n")
	}
	for _, w := range rep.WARCs {
		for _, f := range w.Findings {
			if f.Severity == warc.SeverityError {
				b.WriteString("warc " + w.File + " " + f.Check + ": " + f.Message + "\n")
			}
		}
	}
	return b.String()
}

func TestWriteAndVerify(t *testing.T) {
	path, opt := build(t)
	pub, _ := PublicKeyBase64(&opt.Key.PublicKey)
	rep, err := Verify(context.Background(), path, VerifyOptions{TrustedKey: pub, RequireSignature: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || !rep.Signed {
		t.Fatalf("fresh package fails verification (signed=%v):\n%s", rep.Signed, findings(rep))
	}
	if len(rep.WARCs) != 2 {
		t.Errorf("%d WARCs verified, want 2", len(rep.WARCs))
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	want := map[string]bool{"archive/example.warc.gz": true, "archive/iana.warc.gz": true, "indexes/index.cdxj": true,
		"pages/pages.jsonl": true, "datapackage.json": true, "datapackage-digest.json": true}
	for _, f := range zr.File {
		if !want[f.Name] {
			t.Errorf("unexpected file %s", f.Name)
		}
		delete(want, f.Name)
		if f.Method != zip.Store {
			t.Errorf("%s is compressed; WACZ stores files", f.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing files %v", want)
	}
	// pages.jsonl: the format header, then pages with titles and text.
	rc, _ := zr.Open("pages/pages.jsonl")
	b, _ := io.ReadAll(rc)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.Contains(lines[0], `"format":"json-pages-1.0"`) || len(lines) < 3 {
		t.Fatalf("pages.jsonl: %s", b)
	}
	var p Page
	found := false
	for _, l := range lines[1:] {
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatal(err)
		}
		if p.URL == "http://www.iana.org/" {
			found = true
			if p.Title != "Internet Assigned Numbers Authority" || !strings.Contains(p.Text, "IANA") {
				t.Errorf("iana page: title %q, text %.60q", p.Title, p.Text)
			}
		}
	}
	if !found {
		t.Error("http://www.iana.org/ is not among the pages")
	}
}

// rewrite copies the package, changing entries with edit (nil drops one).
func rewrite(t *testing.T, src string, edit func(name string, b []byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dst := filepath.Join(t.TempDir(), "tampered.wacz")
	f, _ := os.Create(dst)
	zw := zip.NewWriter(f)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		b = edit(zf.Name, b)
		if b == nil {
			continue
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Store})
		w.Write(b)
	}
	zw.Close()
	f.Close()
	return dst
}

func TestTamperingIsDetectedAndNamed(t *testing.T) {
	path, opt := build(t)
	pub, _ := PublicKeyBase64(&opt.Key.PublicKey)
	other, _ := GenerateKey("P-256")
	cases := []struct {
		name    string
		edit    func(string, []byte) []byte
		path    string // the finding must name this file
		check   string
		trusted bool
	}{
		{"one byte changed in a WARC", func(n string, b []byte) []byte {
			if n == "archive/iana.warc.gz" {
				b = bytes.Clone(b)
				b[len(b)/2] ^= 0x01
			}
			return b
		}, "archive/iana.warc.gz", "hash", false},
		{"a file removed", func(n string, b []byte) []byte {
			if n == "pages/pages.jsonl" {
				return nil
			}
			return b
		}, "pages/pages.jsonl", "missing", false},
		{"a file added", func(n string, b []byte) []byte { return b }, "", "", false},
		{"datapackage.json edited", func(n string, b []byte) []byte {
			if n == "datapackage.json" {
				return bytes.Replace(b, []byte(`"title": "test"`), []byte(`"title": "tset"`), 1)
			}
			return b
		}, "datapackage-digest.json", "digest", false},
		{"signature swapped", func(n string, b []byte) []byte {
			if n == "datapackage-digest.json" {
				var dg Digest
				json.Unmarshal(b, &dg)
				sd, _ := Sign(other, "sha256:0000", "x", time.Now())
				dg.SignedData.Signature = sd.Signature
				b, _ = json.Marshal(dg)
			}
			return b
		}, "datapackage-digest.json", "signature", false},
		{"key swapped", func(n string, b []byte) []byte {
			if n == "datapackage-digest.json" {
				var dg Digest
				json.Unmarshal(b, &dg)
				dg.SignedData.PublicKey, _ = PublicKeyBase64(&other.PublicKey)
				b, _ = json.Marshal(dg)
			}
			return b
		}, "datapackage-digest.json", "signature", false},
		{"re-signed with another key", func(n string, b []byte) []byte {
			if n == "datapackage-digest.json" {
				var dg Digest
				json.Unmarshal(b, &dg)
				dg.SignedData, _ = Sign(other, dg.Hash, "x", time.Now())
				b, _ = json.Marshal(dg)
			}
			return b
		}, "datapackage-digest.json", "key", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tampered string
			if c.name == "a file added" {
				tampered = rewrite(t, path, c.edit)
				// Append an extra entry by rewriting with one more file.
				zr, _ := zip.OpenReader(tampered)
				dst := filepath.Join(t.TempDir(), "added.wacz")
				f, _ := os.Create(dst)
				zw := zip.NewWriter(f)
				for _, zf := range zr.File {
					zw.Copy(zf)
				}
				w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/extra.warc.gz", Method: zip.Store})
				w.Write([]byte("not listed"))
				zw.Close()
				f.Close()
				zr.Close()
				tampered, c.path, c.check = dst, "archive/extra.warc.gz", "unlisted"
			} else {
				tampered = rewrite(t, path, c.edit)
			}
			vo := VerifyOptions{}
			if c.trusted {
				vo.TrustedKey = pub
			}
			rep, err := Verify(context.Background(), tampered, vo)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatalf("tampering not detected")
			}
			for _, f := range rep.Findings {
				if f.Path == c.path && f.Check == c.check && f.Severity == warc.SeverityError {
					return
				}
			}
			t.Errorf("no %s finding naming %s:\n%s", c.check, c.path, findings(rep))
		})
	}
}

func TestKeyRoundTripAndBothSignatureEncodings(t *testing.T) {
	for _, curve := range []string{"P-256", "P-384"} {
		k, err := GenerateKey(curve)
		if err != nil {
			t.Fatal(err)
		}
		pemBytes, _ := EncodeKeyPEM(k)
		p := filepath.Join(t.TempDir(), "k.pem")
		os.WriteFile(p, pemBytes, 0o600)
		k2, err := LoadKey(p)
		if err != nil || !k2.Equal(k) {
			t.Fatalf("%s: key did not round-trip: %v", curve, err)
		}
		sd, _ := Sign(k2, "sha256:abc", "t", time.Now())
		if err := VerifySignature(sd); err != nil {
			t.Errorf("%s: %v", curve, err)
		}
		sd.Hash = "sha256:abd"
		if VerifySignature(sd) == nil {
			t.Errorf("%s: signature of another hash accepted", curve)
		}
	}
	if _, err := GenerateKey("P-521"); err == nil {
		t.Error("unsupported curve accepted")
	}
}

// TestPagesCharset checks that pages.jsonl titles and text are read in the
// page's own character set: GBK declared by <meta charset> only.
func TestPagesCharset(t *testing.T) {
	http := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><head><meta charset=\"gbk\"><title>\xd6\xd0\xce\xc4</title></head><body><p>\xd6\xd0\xce\xc4\xd2\xb3</p></body></html>"
	rec := "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/zh\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n" +
		"WARC-Record-ID: <urn:uuid:0b7f3c1d-1e2f-4a5b-8c9d-0e1f2a3b4c5d>\r\nContent-Type: application/http; msgtype=response\r\n" +
		"Content-Length: " + strconv.Itoa(len(http)) + "\r\n\r\n" + http + "\r\n\r\n"
	path := filepath.Join(t.TempDir(), "gbk.warc")
	if err := os.WriteFile(path, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	var list pageList
	if err := list.scanPages(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	if len(list.pages) != 1 || list.pages[0].Title != "中文" || list.pages[0].Text != "中文页" {
		t.Fatalf("pages = %+v, want one titled 中文 with text 中文页", list.pages)
	}
	// The same page read at the offset an index gives.
	var at pageList
	if err := at.readPages(context.Background(), []pageRef{{path: path, offset: 0}}); err != nil {
		t.Fatal(err)
	}
	if len(at.pages) != 1 || at.pages[0] != list.pages[0] {
		t.Fatalf("read at offset 0: %+v, scanned: %+v", at.pages, list.pages)
	}
}
