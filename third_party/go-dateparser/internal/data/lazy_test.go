package data

import (
	"sync"
	"testing"
)

// The locales' data are built at the first GetLocaleData, not at package
// initialisation, which every warcbox process paid (~44 ms, 7.8 MB) before
// (warcbox patch 4); concurrent first calls all see the whole data.
func TestLocalesBuiltOnFirstUse(t *testing.T) {
	if af_Locale.Name != "" || en_Locale.Name != "" {
		t.Fatalf("locales built at initialisation: af %q, en %q", af_Locale.Name, en_Locale.Name)
	}
	var wg sync.WaitGroup
	for _, name := range []string{"af-NA", "en", "de", "zh-Hant", "az-Latn", "en-GB"} {
		wg.Go(func() {
			ld, ok := GetLocaleData(name)
			if !ok || ld.Name != name || len(ld.Translations) == 0 {
				t.Errorf("GetLocaleData(%q) = %q, %d translations, %v", name, ld.Name, len(ld.Translations), ok)
			}
		})
	}
	wg.Wait()
	// A child merges its parent, built before it: af-NA has af's words.
	ld, _ := GetLocaleData("af-NA")
	if tr := ld.Translations["donderdag"]; len(tr) == 0 || tr[0] != "thursday" {
		t.Errorf("af-NA's donderdag = %q, want af's thursday", tr)
	}
}
