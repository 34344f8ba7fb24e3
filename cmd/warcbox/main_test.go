package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

func corpus(t *testing.T, rel string) string { return testcorpus.File(t, rel) }

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}
