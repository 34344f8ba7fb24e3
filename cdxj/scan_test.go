package cdxj

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	in := " CDX N b a m s k r M S V g\n" +
		"b 20200101000000 {\"url\":\"http://b/\"}\n" +
		"\n" +
		"bad line\n" +
		"a 20200101000000 http://a/ text/html 200 X - - 1 2 f.warc\n" +
		strings.Repeat("c", 100000) + " 20200101000000 {}"
	var keys []string
	var errs []error
	for l, err := range Lines(context.Background(), strings.NewReader(in), "x.cdxj") {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys = append(keys, l.Key[:1])
	}
	if strings.Join(keys, "") != "bac" {
		t.Errorf("keys %q", keys)
	}
	var le *LineError
	if len(errs) != 1 || !errors.As(errs[0], &le) || le.Offset != int64(strings.Index(in, "bad line")) || le.File != "x.cdxj" {
		t.Errorf("errors %v", errs)
	}
}
