// warcbox patch: no build constraint; the re2 variant (regexp-re2.go, build
// tags re2_wasm/re2_cgo) is not copied, so this file is always the wrapper.

package regexp

import (
	stdregex "regexp"
	"sync"
)

// warcbox patch: a Regexp made by MustCompile keeps its pattern and compiles
// it on first use. The data package alone registers 4,575 patterns at
// package init; compiling them all cost every warcbox process ~0.4 CPU-s and
// ~90 MB allocated before main, for the few a process ever uses. Compile
// (which returns the error) still compiles at once. The panic MustCompile
// gave on a bad pattern moves to the first use; Patterns and CompileAll let
// a test compile every registered pattern up front.
type Regexp struct {
	pattern string
	once    sync.Once
	rx      *stdregex.Regexp
}

// warcbox patch: every Regexp made by MustCompile, in order. All of
// go-dateparser's MustCompile calls run at package initialisation, so this
// list is fixed once the packages are loaded.
var (
	registryMu sync.Mutex
	registry   []*Regexp
)

func QuoteMeta(s string) string {
	return stdregex.QuoteMeta(s)
}

func Compile(str string) (*Regexp, error) {
	rx, err := stdregex.Compile(str)
	if err != nil {
		return nil, err
	}
	re := &Regexp{pattern: str, rx: rx}
	re.once.Do(func() {})
	return re, nil
}

// warcbox patch: lazy; see Regexp.
func MustCompile(str string) *Regexp {
	re := &Regexp{pattern: str}
	registryMu.Lock()
	registry = append(registry, re)
	registryMu.Unlock()
	return re
}

// warcbox patch: the compiled expression, compiled on first call. Panics
// as stdregex.MustCompile does on a bad pattern.
func (re *Regexp) get() *stdregex.Regexp {
	re.once.Do(func() { re.rx = stdregex.MustCompile(re.pattern) })
	return re.rx
}

// warcbox patch: Patterns returns the pattern of every Regexp made by
// MustCompile so far (for tests).
func Patterns() []string {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]string, len(registry))
	for i, re := range registry {
		out[i] = re.pattern
	}
	return out
}

// warcbox patch: CompileAll compiles every Regexp made by MustCompile so far
// and returns the errors of those that do not compile (for tests).
func CompileAll() []error {
	registryMu.Lock()
	all := append([]*Regexp(nil), registry...)
	registryMu.Unlock()
	var errs []error
	for _, re := range all {
		if _, err := stdregex.Compile(re.pattern); err != nil {
			errs = append(errs, err)
			continue
		}
		re.get()
	}
	return errs
}

func (re *Regexp) Expand(dst []byte, template []byte, src []byte, match []int) []byte {
	return re.get().Expand(dst, template, src, match)
}

func (re *Regexp) ExpandString(dst []byte, template string, src string, match []int) []byte {
	return re.get().ExpandString(dst, template, src, match)
}

func (re *Regexp) Find(b []byte) []byte {
	return re.get().Find(b)
}

func (re *Regexp) FindAll(b []byte, n int) [][]byte {
	return re.get().FindAll(b, n)
}

func (re *Regexp) FindAllIndex(b []byte, n int) [][]int {
	return re.get().FindAllIndex(b, n)
}

func (re *Regexp) FindAllString(s string, n int) []string {
	return re.get().FindAllString(s, n)
}

func (re *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return re.get().FindAllStringIndex(s, n)
}

func (re *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return re.get().FindAllStringSubmatch(s, n)
}

func (re *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return re.get().FindAllStringSubmatchIndex(s, n)
}

func (re *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return re.get().FindAllSubmatch(b, n)
}

func (re *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return re.get().FindAllSubmatchIndex(b, n)
}

func (re *Regexp) FindIndex(b []byte) (loc []int) {
	return re.get().FindIndex(b)
}

func (re *Regexp) FindString(s string) string {
	return re.get().FindString(s)
}

func (re *Regexp) FindStringIndex(s string) (loc []int) {
	return re.get().FindStringIndex(s)
}

func (re *Regexp) FindStringSubmatch(s string) []string {
	return re.get().FindStringSubmatch(s)
}

func (re *Regexp) FindStringSubmatchIndex(s string) []int {
	return re.get().FindStringSubmatchIndex(s)
}

func (re *Regexp) FindSubmatch(b []byte) [][]byte {
	return re.get().FindSubmatch(b)
}

func (re *Regexp) FindSubmatchIndex(b []byte) []int {
	return re.get().FindSubmatchIndex(b)
}

func (re *Regexp) Longest() {
	re.get().Longest()
}

func (re *Regexp) Match(b []byte) bool {
	return re.get().Match(b)
}

func (re *Regexp) MatchString(s string) bool {
	return re.get().MatchString(s)
}

func (re *Regexp) NumSubexp() int {
	return re.get().NumSubexp()
}

func (re *Regexp) ReplaceAll(src, repl []byte) []byte {
	return re.get().ReplaceAll(src, repl)
}

func (re *Regexp) ReplaceAllLiteral(src, repl []byte) []byte {
	return re.get().ReplaceAllLiteral(src, repl)
}

func (re *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return re.get().ReplaceAllLiteralString(src, repl)
}

func (re *Regexp) ReplaceAllString(src, repl string) string {
	return re.get().ReplaceAllString(src, repl)
}

func (re *Regexp) Split(s string, n int) []string {
	return re.get().Split(s, n)
}

// warcbox patch: the pattern, without compiling (stdregex's String returns it).
func (re *Regexp) String() string {
	return re.pattern
}

func (re *Regexp) SubexpIndex(name string) int {
	return re.get().SubexpIndex(name)
}

func (re *Regexp) SubexpNames() []string {
	return re.get().SubexpNames()
}
