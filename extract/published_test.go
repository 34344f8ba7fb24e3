package extract

import "testing"

// ISO 8601's basic format with a time ("20200924T15:04:34Z", as one CMS
// writes datePublished) is a date; an 8-digit number with anything else
// after it is not.
func TestParseDateCompactWithTime(t *testing.T) {
	for in, want := range map[string]string{
		"20200924T15:04:34Z":      "2020-09-24T15:04:34Z",
		"20200924T15:04:34-04:00": "2020-09-24T15:04:34-04:00",
		"20200924T15:04":          "2020-09-24T15:04:00",
	} {
		if d, ok := parseDate(in); !ok || d.String() != want {
			t.Errorf("parseDate(%q) = %q, %v; want %q", in, d.String(), ok, want)
		}
	}
	for _, bad := range []string{"20200924 15:04:34", "20200924-1", "2020924T15:04:34Z", "20201324T15:04:34Z"} {
		if d, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want failure", bad, d)
		}
	}
}

// The URL gives the day; JSON-LD gives the same day with time and offset,
// written in the basic format: published keeps JSON-LD's time and offset.
func TestPublishedKeepsOffsetOfCompactJSONLDDate(t *testing.T) {
	page := `<html><head><title>T</title>
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","datePublished":"20200924T15:04:34Z"}</script>
	</head><body><article><h1>T</h1><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/news/20200924/story")
	if a.Published != "2020-09-24T15:04:34Z" {
		t.Errorf("published %q (from %s), want JSON-LD's 2020-09-24T15:04:34Z", a.Published, a.Sources["published"])
	}
}

// The URL gives the day, which spares go-htmldate; a plugin's meta name only
// go-htmldate reads gives the time and offset: they are kept.
func TestPublishedKeepsOffsetOnlyHTMLDateReads(t *testing.T) {
	page := `<html><head><title>T</title>
	<meta name="shareaholic:article_published_time" content="2017-06-07T11:19:22+02:00">
	</head><body><article><h1>T</h1><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/2017/06/07/story")
	if a.Published != "2017-06-07T11:19:22+02:00" {
		t.Errorf("published %q (from %s), want 2017-06-07T11:19:22+02:00", a.Published, a.Sources["published"])
	}
}

// The URL gives the day and JSON-LD the time in UTC; a vendor meta name
// only go-htmldate reads gives the same instant in the page's offset. The
// page's offset is kept (go-htmldate used to be skipped: the URL had named
// the day and JSON-LD had given a zone).
func TestPublishedKeepsLocalOffsetOfUTCValue(t *testing.T) {
	page := `<html><head><title>T</title>
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","datePublished":"2020-05-01T08:00:00Z"}</script>
	<meta name="shareaholic:article_published_time" content="2020-05-01T10:00:00+02:00">
	</head><body><article><h1>T</h1><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/2020/05/01/story")
	if a.Published != "2020-05-01T10:00:00+02:00" {
		t.Errorf("published %q (from %s), want the page's 2020-05-01T10:00:00+02:00", a.Published, a.Sources["published"])
	}
}
