package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVerifyExitStatus(t *testing.T) {
	good := corpus(t, "pywb/sample_archive/warcs/example.warc.gz")
	bad := corpus(t, "warcio/test/data/example-trunc.warc")
	if code, out, _ := runCmd(t, "verify", good); code != 0 || !strings.HasPrefix(out, "OK") {
		t.Errorf("verify good file: exit %d, output %q", code, out)
	}
	code, out, _ := runCmd(t, "verify", good, bad)
	if code != 1 {
		t.Errorf("verify with a broken file: exit %d, want 1", code)
	}
	if !strings.Contains(out, "FAIL\t"+bad) || !strings.Contains(out, "offset 2560") {
		t.Errorf("report does not name the broken file and offset:\n%s", out)
	}
	code, out, _ = runCmd(t, "verify", "--json", bad)
	var reps []struct {
		File     string
		Findings []struct {
			Offset   int64
			Severity string
		}
	}
	if err := json.Unmarshal([]byte(out), &reps); err != nil || code != 1 || len(reps) != 1 || len(reps[0].Findings) == 0 {
		t.Errorf("verify --json: exit %d, err %v, %s", code, err, out)
	}
}
