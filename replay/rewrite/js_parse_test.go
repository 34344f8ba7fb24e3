package rewrite

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dop251/goja/parser"
)

// jsSource is a script to check for syntax errors.
type jsSource struct {
	Name   string `json:"name"`
	Src    string `json:"src"`
	Module bool   `json:"module"`
}

// nodeParseScript parses each source with V8 (vm.Script for classic
// scripts, vm.SourceTextModule for modules) without running it.
const nodeParseScript = `
const vm = require("vm"), fs = require("fs");
const cases = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
console.log(JSON.stringify(cases.map(c => {
  try { c.module ? new vm.SourceTextModule(c.src) : new vm.Script(c.src); return ""; }
  catch (e) { return String(e); }
})));`

// assertParse fails the test for every source that is not valid
// JavaScript. Classic scripts go through goja's parser (pure Go, always
// there); all of them, modules included, also through Node's V8 when
// node is installed (CI=true requires it: goja cannot parse modules).
func assertParse(t *testing.T, srcs []jsSource) {
	t.Helper()
	for _, s := range srcs {
		if s.Module {
			continue
		}
		if _, err := parser.ParseFile(nil, s.Name, s.Src, 0); err != nil {
			t.Errorf("%s: goja cannot parse the rewritten script: %v\n%s", s.Name, err, s.Src)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node not installed: modules cannot be parse-checked")
		}
		t.Logf("node not installed: modules not parse-checked")
		return
	}
	f := filepath.Join(t.TempDir(), "cases.json")
	b, _ := json.Marshal(srcs)
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, "--experimental-vm-modules", "-e", nodeParseScript, f).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var errs []string
	if err := json.Unmarshal(out, &errs); err != nil || len(errs) != len(srcs) {
		t.Fatalf("node answered %q: %v", out, err)
	}
	for i, e := range errs {
		if e != "" {
			t.Errorf("%s: V8 cannot parse the rewritten script: %s\n%s", srcs[i].Name, e, srcs[i].Src)
		}
	}
}
