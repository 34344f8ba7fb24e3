package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/wacz"
)

func TestKeygenAndVerifyWACZ(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	code, pub, stderr := runCmd(t, "keygen", "-o", key)
	if code != 0 || len(strings.TrimSpace(pub)) < 80 {
		t.Fatalf("keygen: exit %d, %q %q", code, pub, stderr)
	}
	if code, _, _ := runCmd(t, "keygen", "-o", key); code != 1 {
		t.Errorf("keygen over an existing key: exit %d, want 1", code)
	}
	st, _ := os.Stat(key)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k, err := wacz.LoadKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "p.wacz")
	err = wacz.WriteFile(context.Background(), pkg, wacz.Options{
		WARCs: []string{corpus(t, "pywb/sample_archive/warcs/example.warc.gz")}, Software: "test", Key: k})
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd(t, "verify", "--trusted-key", strings.TrimSpace(pub), "--require-signature", pkg); code != 0 || !strings.HasPrefix(out, "OK\t"+pkg+"\tWACZ") {
		t.Errorf("verify signed package: exit %d\n%s", code, out)
	}
	other := filepath.Join(dir, "other.pem")
	_, otherPub, _ := runCmd(t, "keygen", "-o", other)
	if code, out, _ := runCmd(t, "verify", "--trusted-key", strings.TrimSpace(otherPub), pkg); code != 1 || !strings.Contains(out, "not the trusted key") {
		t.Errorf("verify with another trusted key: exit %d\n%s", code, out)
	}
}
