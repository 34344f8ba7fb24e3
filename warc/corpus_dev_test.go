package warc

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestDevCorpusDump(t *testing.T) {
	if os.Getenv("DEVDUMP") == "" {
		t.Skip()
	}
	root := "../../shared/corpus"
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if fi.IsDir() || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".tsv") || strings.HasSuffix(p, ".py") {
			return nil
		}
		r, _ := Open(p, Options{})
		counts := map[string]int{}
		var errs []string
		for rec, err := range r.Records() {
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			counts[rec.Type()]++
		}
		var ks []string
		for k, v := range counts {
			ks = append(ks, fmt.Sprintf("%s:%d", k, v))
		}
		sort.Strings(ks)
		fmt.Printf("%s\t%s\n", strings.TrimPrefix(p, root+"/"), strings.Join(ks, ", "))
		for _, e := range errs {
			fmt.Printf("    ERR %s\n", strings.TrimPrefix(e, root+"/"))
		}
		return nil
	})
}
