package extract_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/warc"
)

func ExampleExtractor_Extract() {
	page := `<html lang="en"><head><title>Rates rise again | Example Times</title>
	<meta property="og:site_name" content="Example Times">
	<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">
	<meta name="author" content="By Jane Doe"></head>
	<body><article><h1>Rates rise again</h1><p>The bank raised rates.</p></article></body></html>`
	ex := extract.New(extract.Options{SkipBody: true})
	a, err := ex.Extract(extract.Page{HTML: []byte(page), URL: "https://times.example/markets/rates", CaptureDate: time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Title, "|", strings.Join(a.Authors, "; "), "|", a.Published)
	fmt.Println("title from", a.Sources["title"])
	fmt.Println("published from", a.Sources["published"])
	// Output:
	// Rates rise again | Jane Doe | 2024-03-05T09:30:00+01:00
	// title from /html/body/article/h1
	// published from /html/head/meta[@property='article:published_time']/@content
}

func ExampleRun() {
	inputs, err := warc.Expand([]string{"testdata/none/*.warc.gz"}, nil)
	if err != nil {
		fmt.Println("no input:", err != nil)
		return
	}
	w, _ := extract.NewWriter(os.Stdout, "jsonl")
	defer w.Close()
	_ = extract.Run(context.Background(), inputs, extract.RunOptions{Dedup: true}, w.Write)
	// Output:
	// no input: true
}
