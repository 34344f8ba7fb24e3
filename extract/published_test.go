package extract

import (
	"testing"
	"time"
)

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

// The URL's directory and a generic <meta name="date"> name one day; the
// <time> in the byline under the headline names a later one, with its time
// and offset: the byline's is the published date. The times of a comment,
// a teaser list and a comment permalink, nearer the top of the page's
// <time>s than the byline in the second page, are not the article's.
func TestPublishedBylineTimeOverrulesURLAndMetaDay(t *testing.T) {
	page := `<html><head><title>T</title><meta name="date" content="2022-05-02"></head><body>
	<article><h1>Exams move to June</h1>
	<p class="byline">By Ana Ruiz, <time datetime="2022-05-08T06:00:00-05:00">8 May 2022</time></p>
	<p>The ministry moved the exams to June after the strike.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/news/2022/05/02/exams")
	if a.Published != "2022-05-08T06:00:00-05:00" {
		t.Errorf("published %q (from %s), want the byline's 2022-05-08T06:00:00-05:00", a.Published, a.Sources["published"])
	}
	teasers := `<html><head><title>T</title><meta name="date" content="2022-05-02"></head><body>
	<article><h1>Exams move to June</h1>
	<ul><li><a href="/news/other"><time datetime="2022-05-07">7 May</time> Other story</a></li></ul>
	<p><a href="#comment-3"><time datetime="2022-05-09">9 May</time></a></p>
	<div class="comments"><p><time datetime="2022-05-10">10 May</time> Nice.</p></div>
	<p><a href="/news/x"><time datetime="2022-05-11">11 May</time></a></p>
	<p>The ministry moved the exams to June after the strike.</p></article></body></html>`
	a = extractMeta(t, teasers, "https://ex.org/news/2022/05/02/exams")
	if dayOf(a.Published) != "2022-05-02" {
		t.Errorf("published %q (from %s): a teaser's or a comment's time, want the URL's 2022-05-02", a.Published, a.Sources["published"])
	}
}

// JSON-LD's day is not overruled by the byline's <time>: only days no
// source better than the URL, a generic <meta> or Dublin Core names are.
func TestPublishedBylineTimeKeepsJSONLDDay(t *testing.T) {
	page := `<html><head><title>T</title>
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","datePublished":"2022-05-02T09:00:00+02:00"}</script>
	</head><body><article><h1>Exams move to June</h1>
	<p class="byline"><time datetime="2022-05-08T06:00:00+02:00">8 May 2022</time></p>
	<p>The ministry moved the exams to June after the strike.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/news/exams")
	if a.Published != "2022-05-02T09:00:00+02:00" {
		t.Errorf("published %q (from %s), want JSON-LD's", a.Published, a.Sources["published"])
	}
}

// The byline's <time> shows "Publié le 29 juin 2019" while its datetime
// attribute says 3 July: go-htmldate read the shown day from that very
// element, and a reader sees it; the attribute does not overrule it.
func TestPublishedBylineTimeKeepsItsShownDay(t *testing.T) {
	page := `<html><head><title>T</title></head><body>
	<article><header><h1>Quand on comprend</h1>
	<div class="date"><time datetime="2019-07-03T10:18:46Z">Publié le 29 juin 2019</time></div></header>
	<p>Le texte de l'article, assez long pour être un article, et qui ne donne aucune autre date.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/quand-on-comprend")
	if dayOf(a.Published) != "2019-06-29" {
		t.Errorf("published %q (from %s), want the shown 2019-06-29", a.Published, a.Sources["published"])
	}
}

// htmlPublishedCandidates returns the values of the html source's
// published candidates for page.
func htmlPublishedCandidates(t *testing.T, page, pageURL string) []string {
	t.Helper()
	cands, err := New(DefaultOptions()).WithoutBody().Candidates(Page{HTML: []byte(page), URL: pageURL})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands["published"] {
		if c.Kind == KindHTML {
			got = append(got, c.Value)
		}
	}
	return got
}

// The page's first <time> is the html source's published date only when it
// is not a comment's or a teaser's: here the first three are a teaser in a
// list, a comment permalink and a comment, and the fourth, the article's
// dateline, is the candidate.
func TestHTMLTimeCandidateSkipsCommentsAndTeasers(t *testing.T) {
	page := `<html><head><title>T</title></head><body>
	<ul class="more"><li><a href="/other"><time datetime="2019-08-20">20 Aug</time> Other</a></li></ul>
	<p><a href="#comment-4"><time datetime="2019-08-23T10:00:00+02:00">23 Aug</time></a></p>
	<section id="comments"><p><time datetime="2019-08-24T03:36:11+02:00">24 Aug</time> Peter says</p></section>
	<article><h1>Episode 158</h1><p class="date"><time datetime="2019-08-16T08:00:00+02:00">16 Aug 2019</time></p>
	<p>Text of the episode notes.</p></article></body></html>`
	got := htmlPublishedCandidates(t, page, "https://ex.org/2019/res158/")
	if len(got) != 1 || got[0] != "2019-08-16T08:00:00+02:00" {
		t.Errorf("html published candidates %q, want only the dateline's 2019-08-16T08:00:00+02:00", got)
	}
}

// Themes put the article's own date in a list (<ul class=post-meta>): a
// list item is a teaser only when it links to another page.
func TestHTMLTimeCandidateKeepsPostMetaList(t *testing.T) {
	page := `<html><head><title>T</title></head><body>
	<article><h1>Episode 158</h1>
	<ul class="post-meta"><li><time datetime="2019-08-16T08:00:00+02:00">16 Aug 2019</time></li><li>By Jane Roe</li></ul>
	<p>Text of the episode notes.</p>
	<ul class="related"><li><a href="/other"><time datetime="2019-08-20">20 Aug</time></a> Other</li></ul>
	</article></body></html>`
	got := htmlPublishedCandidates(t, page, "https://ex.org/res158/")
	if len(got) != 1 || got[0] != "2019-08-16T08:00:00+02:00" {
		t.Errorf("html published candidates %q, want only the post-meta list's 2019-08-16T08:00:00+02:00", got)
	}
}

// A dotted numeric date is day first wherever it is written so; go-htmldate
// reads "4. 2. 2022" with thin spaces month first (2 April). The day read
// from its own source text is put back in order.
func TestPublishedDottedDateIsDayFirst(t *testing.T) {
	page := `<html><head><title>T</title></head><body><article><h1>Davis Cup: two newcomers</h1>
	<div class="news-date">Von <span>Tennis Bund</span> 4.&thinsp;2.&thinsp;2022.</div>
	<p>The captain named two newcomers for the qualifiers in March.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/news/davis-cup")
	if a.Published != "2022-02-04" {
		t.Errorf("published %q (from %s), want 2022-02-04", a.Published, a.Sources["published"])
	}
	for src, want := range map[string]string{"4. 2. 2022.": "2022-02-04", "04.02.2022": "2022-02-04", "4.2.2022 und 5.2.2022": "2022-04-02", "2. 2. 2022": "2022-02-02"} {
		d := pageDate{T: time.Date(2022, 4, 2, 0, 0, 0, 0, time.UTC)}
		if src == "2. 2. 2022" {
			d.T = time.Date(2022, 2, 2, 0, 0, 0, 0, time.UTC)
		}
		if got := dayFirst(d, src).String(); got != want {
			t.Errorf("dayFirst(%q) = %s, want %s", src, got, want)
		}
	}
}

// A dotted date whose second number cannot be a month ("5.13.2022") was
// written month first: go-htmldate's reading (13 May) stands. Swapping it
// made month 13, which time.Date carries into the next year (2023-01-05).
func TestDayFirstKeepsMonthFirstDottedDate(t *testing.T) {
	d := pageDate{T: time.Date(2022, 5, 13, 0, 0, 0, 0, time.UTC)}
	if got := dayFirst(d, "Posted 5.13.2022").String(); got != "2022-05-13" {
		t.Errorf("dayFirst(5.13.2022) = %s, want 2022-05-13", got)
	}
}

// go-htmldate falls back to a copyright notice's year as 1 January: a day
// no text gave is not a published date. A real 1 January is kept.
func TestPublishedNotACopyrightYear(t *testing.T) {
	page := `<html><head><title>T</title></head><body><article><h1>Animated typography</h1>
	<p>Some thoughts on letters that move, with no date anywhere in the text.</p></article>
	<footer><p>© 2016 Theme Blass | Powered by a blog engine</p></footer></body></html>`
	a := extractMeta(t, page, "https://ex.org/literatur-und-animated-typography/")
	if a.Published != "" {
		t.Errorf("published %q (from %s), want none: only a copyright year", a.Published, a.Sources["published"])
	}
	jan1 := pageDate{T: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)}
	for src, want := range map[string]bool{"© 2016": true, "1998-2022 of Kasper": true, "1. Januar 2016": false, "2016-01-01": false, "January 1, 2016": false} {
		if got := yearOnly(jan1, src); got != want {
			t.Errorf("yearOnly(1 January, %q) = %v, want %v", src, got, want)
		}
	}
}

// A 1 January written compactly ("20160101" in a URL or a meta value, as
// go-htmldate reads them) names the day: its digits run together, with no
// lone 1 among them, and it is no copyright year.
func TestPublishedCompactNewYearsDayKept(t *testing.T) {
	jan1 := pageDate{T: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, src := range []string{"https://ex.org/news/20160101/story.html", "20160101"} {
		if yearOnly(jan1, src) {
			t.Errorf("yearOnly(1 January, %q) = true: a date that names its day dropped", src)
		}
	}
}

// The byline <time> is looked for under the chosen headline, not under the
// page's first <h1>: a logo <h1> above a header that shows today's date in
// a <time> would make that date the byline's and overrule the URL's day.
func TestPublishedBylineTimeUnderChosenHeadline(t *testing.T) {
	page := `<html><head><title>Exams move to June | Daily Planet</title><meta property="og:site_name" content="Daily Planet"></head><body>
	<header><h1 class="logo"><a href="/">Daily Planet</a></h1>
	<div class="today"><time datetime="2022-06-20">Monday, 20 June 2022</time></div></header>
	<article><h1>Exams move to June</h1>
	<p class="byline">By Ana Ruiz, <time datetime="2022-05-02T06:00:00-05:00">2 May 2022</time></p>
	<p>The ministry moved the exams to June after the strike.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/news/2022/05/02/exams")
	if a.Published != "2022-05-02T06:00:00-05:00" {
		t.Errorf("published %q (from %s), want the byline's 2022-05-02T06:00:00-05:00", a.Published, a.Sources["published"])
	}
}
