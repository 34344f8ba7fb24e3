package extract

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Title defect classes found on the tuning half of ../shared/extract-eval
// (bench/extract-eval -list title), each on a small page written to show
// the class. Every one failed before its fix.

// <body>'s classes describe every page of a site: WordPress marks them all
// "wp-custom-logo", which made every <h1> look like a logo banner.
func TestTitleHeadlineNotBannerByBodyClass(t *testing.T) {
	page := `<html><head><title>Voters pass the pension increase | KXTV</title>
	<meta property="og:title" content="Pensions: voters say yes, shortfalls loom"></head>
	<body class="single-post wp-custom-logo"><div class="article-info"><h1>Voters pass the pension increase</h1></div>
	<p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://kxtv.example/news/voters-pass")
	if a.Title != "Voters pass the pension increase" {
		t.Errorf("title %q from %s, want the <h1>", a.Title, a.Sources["title"])
	}
}

// An <a id="top"></a> inside the headline is an anchor within the page, not
// a link to the home page that marks a site banner.
func TestTitleHeadlineWithNamedAnchor(t *testing.T) {
	page := `<html><head><title>BEAR COUNT: 2019 A RECORD YEAR | National Park of the Hills</title></head>
	<body><h5><a href="index.php">Home</a> » <a href="news.php">News</a></h5>
	<h1><a id="top"></a>BEAR COUNT: 2019 A RECORD YEAR</h1><p>Text.</p></body></html>`
	for _, u := range []string{"https://park.example/detail.php?id=5", ""} {
		a := extractMeta(t, page, u)
		if a.Title != "BEAR COUNT: 2019 A RECORD YEAR" {
			t.Errorf("url %q: title %q from %s", u, a.Title, a.Sources["title"])
		}
	}
}

// <small> print in a heading sets a kicker or a subline apart from the
// headline; it is not part of the headline.
func TestTitleHeadingSmallPrint(t *testing.T) {
	for _, h1 := range []string{
		`<h1 itemprop="headline"> <small>Tunisia</small><br> Big tasks for the new government </h1>`,
		`<h1 class="entry-title"> Big tasks for the new government<br><small>02.02.2022 • Press, General</small></h1>`,
		`<h1 class="single-post-title"><span class="post-title"><small>Workout of the week</small><br>Big tasks for the new government</span></h1>`,
	} {
		page := `<html><head><title>Big tasks for the new government - Foundation</title></head><body><article>` + h1 + `<p>Text.</p></article></body></html>`
		a := extractMeta(t, page, "https://foundation.example/news/tunisia")
		if a.Title != "Big tasks for the new government" {
			t.Errorf("%s: title %q from %s", h1, a.Title, a.Sources["title"])
		}
	}
}

// A heading that sets a kicker beside the headline in sibling elements:
// the run another source names is the headline, unless a source gives the
// whole heading as it reads.
func TestTitleHeadingKickerRun(t *testing.T) {
	for _, c := range []struct{ head, h1, want string }{
		{`<meta property="og:title" content="Retention of title: what buyers should know">`,
			`<h1 class="entry-title"> <span class="entry-title__toptitle">Avoid bad debts</span> Retention of title: what buyers should know </h1>`,
			"Retention of title: what buyers should know"},
		{`<meta property="og:title" content="Data of the arms maker hacked - Internal papers online">`,
			`<h1> <span class="dachzeile">Internal papers online</span> <span class="headline">Data of the arms maker hacked</span> </h1>`,
			"Data of the arms maker hacked"},
		{`<meta property="og:title" content="Fish Cakes, Hot and Fresh">`,
			`<h1 class="article-title"><span> Fish Cakes, Hot <span>and</span> Fresh </span> <em class="sub"><span> Welcome to the flavour capital </span></em></h1>`,
			"Fish Cakes, Hot and Fresh"},
		// The forum's label runs into the thread's title; og:title separates
		// them, JSON-LD gives the title alone.
		{`<meta property="og:title" content="Patch Notes - Patchnotes 4.47 - Bugfix Build">
		  <script type="application/ld+json">{"@type":"DiscussionForumPosting","headline":"Patchnotes 4.47 - Bugfix Build"}</script>`,
			`<h1><a href="/t/3976/"><span class="label">Patch Notes</span><span>&nbsp;</span>Patchnotes 4.47 - Bugfix Build</a></h1>`,
			"Patchnotes 4.47 - Bugfix Build"},
		// A leading element the heading sets apart by itself (its separator
		// hidden) is a kicker when a source separates it with punctuation,
		// though that source gives the whole heading's letters.
		{`<meta property="og:title" content="Climate: Drilling until it gets hot">`,
			`<h1><span class="kicker">Climate</span><span class="visually-hidden">: </span><span class="title">Drilling until it gets hot</span></h1>`,
			"Drilling until it gets hot"},
		// ... or when a source gives the rest whole, beside one that runs
		// kicker and headline together.
		{`<title>Germany and France: the partner becomes a stranger</title>
		  <meta property="og:title" content="Border closures: Germany, France and the return of resentment">
		  <meta name="twitter:title" content="Germany, France and the return of resentment">`,
			`<h1><span class="overline">Border closures</span> <span class="headline">Germany, France and the return of resentment</span></h1>`,
			"Germany, France and the return of resentment"},
		// A heading that shows its separator keeps both halves.
		{`<meta property="og:title" content="Von der Leyen wants Ukraine in - Austria pays">`,
			`<h1><span>Von der Leyen wants Ukraine in</span> - <span>Austria pays</span></h1>`,
			"Von der Leyen wants Ukraine in - Austria pays"},
	} {
		page := `<html><head>` + c.head + `</head><body><article>` + c.h1 + `<p>Text.</p></article></body></html>`
		a := extractMeta(t, page, "https://news.example/2022/story")
		if a.Title != c.want {
			t.Errorf("%s: title %q from %s, want %q", c.h1, a.Title, a.Sources["title"], c.want)
		}
	}
}

// Soft hyphens (U+00AD) are invisible unless a line breaks there: they are
// not part of the title.
func TestTitleSoftHyphens(t *testing.T) {
	page := "<html><head><title>Mes\u00adsen\u00adger services are no law\u00adless space</title></head><body>" +
		"<h1>Mes&shy;sen&shy;ger services are no law&shy;less space</h1><p>Text.</p></body></html>"
	a := extractMeta(t, page, "https://police.example/press/2022/messenger.html")
	if a.Title != "Messenger services are no lawless space" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

func TestHeadingRuns(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<h1> <a href="/x"><span>A kicker</span><span>&nbsp;</span><!-- c -->The headline<br></a> </h1>`))
	if err != nil {
		t.Fatal(err)
	}
	var h1 *html.Node
	walkElements(doc, func(n *html.Node) bool {
		if n.Data == "h1" {
			h1 = n
		}
		return h1 == nil
	})
	var got []string
	for _, r := range headingRuns(h1) {
		got = append(got, headingText(r))
	}
	if strings.Join(got, "|") != "A kicker|The headline" {
		t.Errorf("runs %q", got)
	}
}

// FuzzHeadline feeds arbitrary headings to the headline reading: it never
// panics and returns text as the title field holds it (collapsed spaces, no
// soft hyphens), empty only for a heading without letters or digits.
func FuzzHeadline(f *testing.F) {
	f.Add(`<h1><small>Kicker</small><br>Headline</h1>`, "Headline | Site")
	f.Add(`<h1><a href="/"><span>Label</span><span>&nbsp;</span>Thread title</a></h1>`, "Label - Thread title")
	f.Add(`<h1><span>A</span><span>: </span><span>B b b b</span></h1>`, "A: B b b b")
	f.Add("<h1>Mes&shy;sen&shy;ger</h1>", "")
	f.Fuzz(func(t *testing.T, heading, head string) {
		doc, err := html.Parse(strings.NewReader(heading))
		if err != nil {
			return
		}
		body := doc
		walkElements(doc, func(n *html.Node) bool {
			if n.Data == "body" {
				body = n
			}
			return body == doc
		})
		got := headlineOf(body, []string{head})
		if got != collapseSpace(got) || strings.ContainsRune(got, '\u00ad') {
			t.Errorf("headlineOf(%q) = %q: not normalised", heading, got)
		}
		if norm(nodesText([]*html.Node{body}, isInline, nil)) != "" && norm(got) == "" {
			t.Errorf("headlineOf(%q) = %q: the heading's letters were lost", heading, got)
		}
	})
}

// The page's only <h1> readers see is its headline even when no other
// source repeats it: <title> and og:title carry an SEO or social headline
// written apart from it. With two candidate <h1>s there is no telling which
// is the headline, and the sources keep their precedence.
func TestTitleOnlyVisibleH1(t *testing.T) {
	head := `<html><head><title>Heat pump in an old house - when it pays | heating.example</title>
	<meta property="og:title" content="Heat pump in an old house - when it pays | heating.example"></head><body>`
	page := head + `<div class="crumbs"><a href="/">Home</a></div>
	<h1 class="hero">Is a heat pump right for an old house?</h1><p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://www.heating.example/heat-pump/old-house.html")
	if a.Title != "Is a heat pump right for an old house?" {
		t.Errorf("title %q from %s, want the only <h1>", a.Title, a.Sources["title"])
	}
	page = head + `<h1>Is a heat pump right for an old house?</h1><p>Text.</p>
	<div class="newsletter"><h1>Our weekly newsletter</h1></div></body></html>`
	a = extractMeta(t, page, "https://www.heating.example/heat-pump/old-house.html")
	if a.Title != "Heat pump in an old house - when it pays" {
		t.Errorf("two <h1>s: title %q from %s, want og:title without the site", a.Title, a.Sources["title"])
	}
}

// A <title> that joins the site's name (not recognised as such: no
// og:site_name, another spelling than the host) to the headline keeps the
// part the URL's slug spells.
func TestTitlePartTheSlugSpells(t *testing.T) {
	for _, c := range []struct{ url, title, want string }{
		{"https://web.archive.org/web/20080731095558/http://www.dimido.de/2008/07/29/was-ist-virales-marketing/",
			"Was ist Virales Marketing? | DimidoBlog", "Was ist Virales Marketing?"},
		{"https://www.time4talks.com/2013/08/07/weitere-digitalisierung-der-schweizer-kinos/",
			"Time 4 talks » Blog Archiv » Weitere Digitalisierung der Schweizer Kinos", "Weitere Digitalisierung der Schweizer Kinos"},
		{"https://www.forum.example/discussion/kein-App-Store-mehr-ueber-Mobile-Daten-mit-iOS-13--338679.html",
			"kein App Store mehr über Mobile Daten mit iOS 13 ? | iPhone | Forum", "kein App Store mehr über Mobile Daten mit iOS 13 ?"},
		{"https://www.villas.example/ferienvilla/119/Villa-Galaxy", "Villa Galaxy - Ferienvilla in Florida", "Villa Galaxy"},
		// The slug names a kicker and more: no part is its own.
		{"https://www.news.example/politik/kim-jong-un-nordkorea-bilder-diktator-donald-trump-zr-13680734.html",
			"Nordkorea: Kim Jong Un - Der Diktator ist zurück, Donald Trump ist „glücklich“",
			"Nordkorea: Kim Jong Un - Der Diktator ist zurück, Donald Trump ist „glücklich“"},
		// Both parts are in the slug: the title is one headline.
		{"https://www.news.example/von-der-leyen-will-ukraine-in-eu-holen-oesterreich-zahlt-die-zeche/",
			"Von der Leyen will Ukraine in EU holen - Österreich zahlt die Zeche", "Von der Leyen will Ukraine in EU holen - Österreich zahlt die Zeche"},
	} {
		page := `<html><head><title>` + c.title + `</title></head><body><div><p>Text.</p></div></body></html>`
		a := extractMeta(t, page, c.url)
		if a.Title != c.want {
			t.Errorf("%s: title %q from %s, want %q", c.url, a.Title, a.Sources["title"], c.want)
		}
	}
}

// FuzzSlugPart: whatever the URL and title, the part kept is one of the
// title's parts, and a title without separators is never cut.
func FuzzSlugPart(f *testing.F) {
	f.Add("https://ex.org/2014/05/18/alles-neue-mach-der-mai/", "Alles Neue mach der Mai… | Bibliothek 2.0")
	f.Add("https://ex.org/f%C3%BCr-die-stra%C3%9Fe.html", "Für die Straße - Ex")
	f.Fuzz(func(t *testing.T, rawURL, title string) {
		u, err := url.Parse(rawURL)
		if err != nil {
			u = nil
		}
		got, ok := slugPart(title, urlSlug(u))
		if !ok {
			return
		}
		parts := titleSepRe.Split(title, -1)
		if len(parts) < 2 || !slices.Contains(parts, got) && !slices.ContainsFunc(parts, func(p string) bool { return strings.TrimSpace(p) == got }) {
			t.Errorf("slugPart(%q, %q) = %q: not one of the title's parts %q", title, rawURL, got, parts)
		}
	})
}

// content="… "word"" ends the attribute at the inner quote: the social
// cards' cut value gives way to the source that goes on past the cut.
func TestTitleCutAtQuote(t *testing.T) {
	page := `<html><head><title>Senator calls Biden "unfit"</title>
	<meta property="og:title" content="Senator calls Biden "unfit"">
	<meta name="twitter:title" content="Senator calls Biden "unfit"">
	</head><body><div><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://news.example/world/125703/senator")
	if a.Title != `Senator calls Biden "unfit"` {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

// One headline written twice (for small and large screens) is still the
// page's only visible <h1>.
func TestTitleOnlyVisibleH1WrittenTwice(t *testing.T) {
	page := `<html><head><title>Run Windows on Mac - Desktop 15 Virtual Machine for Mac</title></head><body>
	<div class="mobile"><h1>Desktop 15 for Mac</h1></div><div class="wide"><h1>Desktop 15 for Mac</h1></div><p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://www.vendor.example/products/desktop/")
	if a.Title != "Desktop 15 for Mac" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

// A kicker run that the <title> has as one of its parts is not taken for
// the headline: a part-only match counts at the heading's end alone.
func TestTitleKickerRunNotTheHeadline(t *testing.T) {
	page := `<html><head><title>Energy Efficiency Initiative - free power check | Building Green</title></head><body>
	<h1><span class="h1small">Energy Efficiency Initiative</span> Free power check for private households </h1><p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://www.green.example/tech/initiative/")
	if a.Title == "Energy Efficiency Initiative" {
		t.Errorf("title %q from %s: the kicker", a.Title, a.Sources["title"])
	}
}

// A leading element the <title> sets apart as one of its parts is a
// kicker: the headline is what follows it.
func TestTitleLeadingKickerDropped(t *testing.T) {
	page := `<html><head><title>Energy Efficiency Initiative - free power check | Building Green</title></head><body>
	<h1><span class="h1small">Energy Efficiency Initiative</span> Free power check for private households </h1><p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://www.green.example/tech/initiative/")
	if a.Title != "Free power check for private households" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

// A page without an <h1> sets its headline in an <h2>: the first <h2> that
// another source repeats is the visible headline (here og:title recased it).
func TestTitleConfirmedH2WithoutH1(t *testing.T) {
	page := `<html><head><title>Vessel Returning to Port With Cargo Intercepted, Agents Say - Consortium</title>
	<meta property="og:title" content="Vessel Returning To Port With Cargo Intercepted, Agents Say"></head><body>
	<div class="menu"><h2>Latest news</h2></div>
	<div class="post"><h2>Vessel Returning to Port With Cargo Intercepted, Agents Say</h2><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://consortium.example/crime/vessel-intercepted")
	if a.Title != "Vessel Returning to Port With Cargo Intercepted, Agents Say" {
		t.Errorf("title %q from %s, want the <h2>", a.Title, a.Sources["title"])
	}
}

// Banner classes are read as words of one class name: "brandenburg" names
// no brand and "article-header__title" is the article's own heading, while
// "site__title" and "siteLogo" name the site's banner.
func TestBannerClassWords(t *testing.T) {
	for class, want := range map[string]bool{
		"site-logo": true, "custom-logo-link": true, "siteLogo": true, "headerlogo": true,
		"navbar-brand": true, "site-branding": true, "masthead-inner": true,
		"site-title": true, "site__title": true, "siteTitle": true, "site_name": true,
		"site-titleblog": true, "siteHeader siteHeader--standard": true, "blog-name": true,
		"brandenburg-aktuell": false, "NoteOtherBrands__title": false, "logout-link": false,
		"article-header__title": false, "c-page-header__title": false, "post-header title-container": false,
		"entry-title": false, "catalogue": false, "": false,
	} {
		if got := bannerClass(class); got != want {
			t.Errorf("bannerClass(%q) = %v, want %v", class, got, want)
		}
	}
}

// A headline inside an element whose class only contains "brand" in
// another word is the article's, not the site's banner.
func TestTitleHeadlineInBrandLikeClass(t *testing.T) {
	page := `<html><head><title>Social headline on the new line | Kurier</title></head>
	<body><div class="brandenburg-aktuell"><h1>Trains run again between Cottbus and Guben</h1></div>
	<p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://kurier.example/brandenburg/trains-run-again")
	if a.Title != "Trains run again between Cottbus and Guben" {
		t.Errorf("title %q from %s, want the <h1>", a.Title, a.Sources["title"])
	}
}

// An archived page links to the archived home page through the archive's
// replay URL, often of another capture's time: that link still marks the
// <h1> as the site's banner.
func TestTitleArchivedBannerLinksHome(t *testing.T) {
	page := `<html><head><title>Orga life, organising your days</title></head>
	<body><h1><a href="https://web.archive.org/web/20160601000000/http://ordnung.example/">Ordnungsrausch</a></h1>
	<div class="post"><h2>Orga life, organising your days</h2><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://web.archive.org/web/20160526181643/http://ordnung.example/orga-life/")
	if a.Title != "Orga life, organising your days" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

// A bar is never part of a headline: "Headline│Site" and "Headline|Site"
// are split without spaces around the bar.
func TestTitleBarWithoutSpaces(t *testing.T) {
	for _, title := range []string{"Become a product tester│Nestlé Marktplatz", "Become a product tester|Nestlé Marktplatz", "Become a product tester ｜ Nestlé Marktplatz"} {
		page := `<html><head><title>` + title + `</title><meta property="og:site_name" content="Nestlé Marktplatz"></head><body><p>Text.</p></body></html>`
		a := extractMeta(t, page, "https://shop.example/testers")
		if a.Title != "Become a product tester" {
			t.Errorf("%q: title %q", title, a.Title)
		}
	}
}

// Hosts spell names without accents and with umlauts written out: the
// title part "Nestlé Marktplatz" names nestle-marktplatz.example.
func TestTitleSiteNameFromHostWithoutAccents(t *testing.T) {
	for u, title := range map[string]string{
		"https://www.nestle-marktplatz.example/testers": "Become a product tester - Nestlé Marktplatz",
		"https://www.zuercher-bote.example/news/1":      "Tram lines close for a week - Zürcher Bote",
	} {
		page := `<html><head><title>` + title + `</title></head><body><p>Text.</p></body></html>`
		a := extractMeta(t, page, u)
		if want, _, _ := strings.Cut(title, " - "); a.Title != want {
			t.Errorf("%s: title %q, want %q", u, a.Title, want)
		}
	}
}

// The links to the home page say the site's name as the site writes it
// (their text or their logo's alt text), where the host spells it otherwise.
func TestTitleSiteNameFromHomeLink(t *testing.T) {
	page := `<html><head><title>Fire in the old town - Rheinische Post Online</title></head>
	<body><header><a href="/" class="logo-link"><img src="/l.png" alt="Rheinische Post Online"></a>
	<a href="https://rp.example/">Home</a></header><p>Text.</p></body></html>`
	a := extractMeta(t, page, "https://rp.example/city/fire-old-town-123")
	if a.Title != "Fire in the old town" {
		t.Errorf("title %q", a.Title)
	}
	links := homeLinkNames(mustParse(t, page), mustURL(t, "https://www.rp.example/city/x"))
	if !slices.Equal(links, []string{"Rheinische Post Online", "Home"}) {
		t.Errorf("home link names %q", links)
	}
}

func mustParse(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Chinese and Japanese titles set no spaces around the dash or underscore
// before the site's name; the name is what the home link says.
func TestTitleCJKSeparatorWithoutSpaces(t *testing.T) {
	page := `<html><head><title>武汉的声音：有英勇的你，才有英雄的城！-新华网</title></head>
	<body><div class="nav"><a href="http://www.xinhua.example/" target="_blank">新华网</a> 正文</div><p>Text.</p></body></html>`
	a := extractMeta(t, page, "http://www.xinhua.example/local/2020-02/19/c_1125597921.htm")
	if a.Title != "武汉的声音：有英勇的你，才有英雄的城！" {
		t.Errorf("title %q", a.Title)
	}
	// No source names the site: the suffix stays.
	page = `<html><head><title>蔡健雅_百度百科</title></head><body><p>Text.</p></body></html>`
	if a := extractMeta(t, page, "https://baike.example/item/x"); a.Title != "蔡健雅_百度百科" {
		t.Errorf("title %q", a.Title)
	}
	for title, want := range map[string][]string{
		"蔡健雅_百度百科":        {"蔡健雅", "百度百科"},
		"Covid-19 - Site": {"Covid-19", "Site"},
		"コロナ-19 | 日本経済新聞": {"コロナ", "19", "日本経済新聞"},
		"e-mail_address":  {"e-mail_address"},
	} {
		if got := splitTitle(title); !slices.Equal(got, want) {
			t.Errorf("splitTitle(%q) = %q, want %q", title, got, want)
		}
	}
}

func FuzzSplitTitle(f *testing.F) {
	for _, s := range []string{"蔡健雅_百度百科", "a - b | c", "コロナ-19 | 日本", "－-—_", "x\xff-中"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		locs := titleSeps(s)
		end := 0
		for _, l := range locs {
			if l[0] < end || l[1] <= l[0] || l[1] > len(s) {
				t.Fatalf("titleSeps(%q) = %v: overlapping or out of range", s, locs)
			}
			end = l[1]
		}
		if parts := splitTitle(s); len(parts) != len(locs)+1 {
			t.Fatalf("splitTitle(%q) = %q for %d separators", s, parts, len(locs))
		}
	})
}

// Only a real <h1> is never overruled: a heading of another level the
// template marks as the title (an <h2 class="headline">) gives way to a
// value two independent sources agree on, when no other source repeats it.
func TestTitleMarkedH2OverruledByAgreement(t *testing.T) {
	page := `<html><head><title>Flight day in Dessau: second F13 close to approval | Zeitung</title>
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"Flight day in Dessau: second F13 close to approval"}</script>
	</head><body><article><header><h2 class="headline">Eye-catcher at the airfield festival</h2></header><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://zeitung.example/dessau/eye-catcher-33328852")
	if a.Title != "Flight day in Dessau: second F13 close to approval" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
	// A real <h1> stays.
	page = strings.Replace(strings.Replace(page, "<h2", "<h1", 1), "</h2>", "</h1>", 1)
	if a := extractMeta(t, page, "https://zeitung.example/dessau/eye-catcher-33328852"); a.Title != "Eye-catcher at the airfield festival" {
		t.Errorf("title %q from %s, want the <h1>", a.Title, a.Sources["title"])
	}
	if !isH1Path("/html/body/h1[2]") || isH1Path("/html/body/h2") || isH1Path("h10") {
		t.Error("isH1Path")
	}
}

// A date or a number alone before or after the headline is no part of it.
func TestTitleDatePartDropped(t *testing.T) {
	for title, want := range map[string]string{
		"23.01.2022 - Dorothea Wierer may still cheer":           "Dorothea Wierer may still cheer",
		"Leszno beat Zielona Góra – 57 : 33 – Live - 28.09.2020": "Leszno beat Zielona Góra – 57 : 33 – Live",
		"Covid-19 cases rise again":                              "Covid-19 cases rise again",
	} {
		page := `<html><head><title>` + title + `</title></head><body><p>Text.</p></body></html>`
		if a := extractMeta(t, page, "https://sport.example/news/17-378.html"); a.Title != want {
			t.Errorf("%q: title %q, want %q", title, a.Title, want)
		}
	}
}

// A <title> of three parts or more that runs a breadcrumb ("Site | Culture
// | Books | Headline") confirms a heading only by its first or last part:
// a middle part is a section's name.
func TestTitleMiddlePartConfirmsNoHeading(t *testing.T) {
	page := `<html><head><title>Kurier | Kultur | Literatur | Book of the week</title></head>
	<body><div class="section"><h1>Literatur</h1></div>
	<div class="article"><h1>Book of the week</h1><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://kurier.example/kultur/artikel/1619")
	if a.Title != "Book of the week" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
	if headlineConfirmed("Literatur", []string{"Kurier | Kultur | Literatur | Book of the week"}) {
		t.Error("a middle part confirmed the heading")
	}
	if !headlineConfirmed("Kurier", []string{"Kurier | Kultur | Literatur | Book of the week"}) {
		t.Error("the first part did not confirm the heading")
	}
}

// Several <h1>s no source repeats are page furniture (widgets, menus):
// the headline is the first <h2> another source repeats, as on a page
// without a visible <h1>.
func TestTitleConfirmedH2BesideUnconfirmedH1s(t *testing.T) {
	page := `<html><head><title>Harbour ferry returns after repairs | Coastal Weekly Online</title></head>
	<body><div class="widget"><h1>Newsletter</h1></div><div class="widget"><h1>Our partners</h1></div>
	<div class="post"><h2>Harbour ferry returns after repairs</h2><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://cw.example/?p=4411")
	if a.Title != "Harbour ferry returns after repairs" {
		t.Errorf("title %q from %s, want the <h2>", a.Title, a.Sources["title"])
	}
}

// A lone <h1> no source repeats gives way to an <h2> a source gives whole
// (a blog's name set as <h1> above the post's <h2> title), not to one a
// source has only as a part of its value.
func TestTitleWholeConfirmedH2BeatsLoneH1(t *testing.T) {
	page := `<html><head><title>Sourdough without a starter</title>
	<meta property="og:title" content="Sourdough without a starter"></head>
	<body><div class="top"><h1>Kitchen notes of a slow baker</h1></div>
	<div class="post"><h2>Sourdough without a starter</h2><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://bake.example/?p=12")
	if a.Title != "Sourdough without a starter" {
		t.Errorf("title %q from %s, want the <h2>", a.Title, a.Sources["title"])
	}
	page = `<html><head><title>Run Windows on Mac - Desktop 15 Virtual Machine for Mac</title></head>
	<body><div class="hero"><h1>Desktop 15 for Mac</h1></div>
	<section><h2>Run Windows on Mac</h2><p>Text.</p></section></body></html>`
	a = extractMeta(t, page, "https://vm.example/products/desktop/")
	if a.Title != "Desktop 15 for Mac" {
		t.Errorf("title %q from %s, want the lone <h1>", a.Title, a.Sources["title"])
	}
}

// ARIA landmark roles mark navigation, asides and footers as the elements
// do: a heading inside them is furniture.
func TestTitleHeadingInARIALandmark(t *testing.T) {
	page := `<html><head><title>Night trains return to the Alps | Railway Review</title></head>
	<body><div role="complementary"><h1>Most read this week</h1></div>
	<div class="story"><h2>Night trains return to the Alps</h2><p>Text.</p></div></body></html>`
	a := extractMeta(t, page, "https://rr.example/?p=77")
	if a.Title != "Night trains return to the Alps" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

// An <h1> the author wrote into the post's body (schema.org articleBody)
// is a heading of the text, not the page's headline, when the template
// marks the post's title outside that body.
func TestTitleH1InsideArticleBody(t *testing.T) {
	page := `<html><head><title>The Audio Desktop: Programming In Emacs Using Advice</title>
	<meta property="og:title" content="Programming In Emacs Using Advice"></head><body>
	<div itemscope itemtype="http://schema.org/BlogPosting"><h3 class="post-title entry-title" itemprop="name">Programming In Emacs Using Advice</h3>
	<div class="post-body entry-content" itemprop="description articleBody"><h1 class="title">Programming In Emacs Using <b>advice</b></h1><p>Text.</p></div></div></body></html>`
	a := extractMeta(t, page, "https://blog.example/2019/10/programming-in-emacs.html")
	if a.Title != "Programming In Emacs Using Advice" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
	// The <h1> is the headline when the template marks no title apart.
	page = strings.Replace(page, `<h3 class="post-title entry-title" itemprop="name">Programming In Emacs Using Advice</h3>`, "", 1)
	a = extractMeta(t, page, "https://blog.example/2019/10/programming-in-emacs.html")
	if a.Title != "Programming In Emacs Using advice" {
		t.Errorf("without a marked title: title %q from %s", a.Title, a.Sources["title"])
	}
}

// og:title is a social headline; the structured data's headline, written by
// the CMS apart from the social cards, confirms the <h1> readers see even
// where a second <h1> (a widget's) rules out "the page's only <h1>".
func TestTitleSchemaHeadlineConfirmsH1(t *testing.T) {
	for _, schema := range []string{
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves the 2024 budget"}</script>`,
		`</head><body itemscope itemtype="https://schema.org/NewsArticle"><meta itemprop="headline" content="Council approves the 2024 budget">`,
	} {
		page := `<html><head><title>You won't believe what the council did</title>
		<meta property="og:title" content="You won't believe what the council did">` + schema + `</head>
		<body><article><h1>Council approves the 2024 budget</h1><p>Text.</p></article>
		<div class="widget"><h1>Most read this week</h1></div></body></html>`
		a := extractMeta(t, page, "https://ex.org/story")
		if a.Title != "Council approves the 2024 budget" {
			t.Errorf("title %q from %s", a.Title, a.Sources["title"])
		}
	}
}

// An <h1> naming the page's section, as the article's section metadata
// gives it, is not the headline even without a link to the section, and
// though it is the page's only <h1>.
func TestTitleNotSectionH1ByMetadata(t *testing.T) {
	page := `<html><head><title>Council approves the budget</title>
	<meta property="article:section" content="Local politics"></head>
	<body><div class="section-head"><h1>Local politics</h1></div>
	<article><div class="headline">Council approves the budget</div><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/story")
	if a.Title != "Council approves the budget" {
		t.Errorf("title %q from %s: the section's heading", a.Title, a.Sources["title"])
	}
}

// A headline's rich text written into og:title, JSON-LD or the <title>
// ("&lt;i&gt;Brand&lt;/i&gt;" in the attribute, "<i>" in the JSON string)
// is shown as a browser renders it: tags gone, their entities decoded.
func TestTitleMarkupAsShown(t *testing.T) {
	for _, c := range []struct{ name, head, body, want string }{
		{"og:title", `<meta property="og:title" content="&lt;i&gt;Nova&lt;/i&gt;'s new phone &amp;amp; its price">`, ``,
			"Nova's new phone & its price"},
		{"json-ld", `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"<em>Nova</em>'s new phone <b>ships</b>"}</script>`, ``,
			"Nova's new phone ships"},
		{"title element", `<title>&lt;i&gt;Nova&lt;/i&gt;'s new phone ships</title>`, ``,
			"Nova's new phone ships"},
		// The markup confirms the heading it renders to.
		{"confirms the h1", `<meta property="og:title" content="&lt;i&gt;Nova&lt;/i&gt;'s new phone ships">`,
			`<div class="menu"><h1>Shop</h1></div><h1><i>Nova</i>'s new phone ships</h1>`, "Nova's new phone ships"},
		// A headline about HTML shows its brackets in the visible <h1>: text.
		{"brackets the h1 shows", `<meta property="og:title" content="The &lt;video&gt; element, explained">`,
			`<h1>The &lt;video&gt; element, explained</h1>`, "The <video> element, explained"},
	} {
		page := `<html><head>` + c.head + `</head><body>` + c.body + `<p>Text.</p></body></html>`
		a := extractMeta(t, page, "https://nova.example/2024/05/phone")
		if a.Title != c.want {
			t.Errorf("%s: title %q from %s, want %q", c.name, a.Title, a.Sources["title"], c.want)
		}
		if c.body != "" && !strings.Contains(a.Sources["title"], "h1") {
			t.Errorf("%s: title from %s, want the visible <h1>", c.name, a.Sources["title"])
		}
	}
}
