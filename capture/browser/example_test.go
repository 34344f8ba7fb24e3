package browser_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/capture/browser"
)

// Capture a page in headless Chromium: the exchanges the page makes, its
// screenshot, DOM and provenance go to collections/web/archive, the index
// and crawl log beside it, as `warcbox capture` writes them.
func ExampleRun() {
	copts := capture.DefaultOptions()
	copts.Software = "warcbox/1.0"
	sum, err := browser.Run(context.Background(), []string{"https://example.com/"}, browser.Options{
		Capture:  copts,
		Chromium: browser.DefaultChromium,
		Wait:     10 * time.Second,
		Timeout:  time.Minute,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, pg := range sum.Pages {
		if pg.Err != nil {
			fmt.Println(pg.URL, "failed:", pg.Err)
			continue
		}
		fmt.Printf("%s %q: %d requests, screenshot %dx%d\n", pg.URL, pg.Title, pg.Requests, pg.ShotWidth, pg.ShotHeight)
	}
	fmt.Println(sum.Files, sum.IndexPath)
}
