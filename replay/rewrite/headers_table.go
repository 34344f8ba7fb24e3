package rewrite

// headerAction says what happens to one archived response header.
type headerAction int

const (
	hdrPrefix     headerAction = iota // default: kept as X-Archive-Orig-<Name>
	hdrKeep                           // passed through as recorded
	hdrURL                            // a URL: rewritten into the archive
	hdrLink                           // Link: each <URL> rewritten
	hdrCookie                         // Set-Cookie: path and domain confined to the collection
	hdrRefresh                        // Refresh: "5; url=…" with the URL rewritten
	hdrDrop                           // dropped: would weaken the replay's own policy or confuse the client
	hdrRecomputed                     // dropped here, set by the server from what it sends
)

// headerActions is the header table, keyed by canonical name. Anything not
// listed is kept as X-Archive-Orig-<Name>, so no archived header can become
// a live response header by accident.
var headerActions = map[string]headerAction{
	"Content-Type":        hdrKeep,
	"Content-Disposition": hdrKeep,
	"Content-Language":    hdrKeep,
	"Last-Modified":       hdrKeep,
	"Location":            hdrURL,
	"Content-Location":    hdrURL,
	"Link":                hdrLink,
	"Set-Cookie":          hdrCookie,
	"Refresh":             hdrRefresh,

	"Content-Security-Policy":             hdrDrop,
	"Content-Security-Policy-Report-Only": hdrDrop,
	"X-Webkit-Csp":                        hdrDrop,
	"X-Content-Security-Policy":           hdrDrop,
	"Strict-Transport-Security":           hdrDrop,
	"Public-Key-Pins":                     hdrDrop,
	"Public-Key-Pins-Report-Only":         hdrDrop,
	"Alt-Svc":                             hdrDrop,
	"Report-To":                           hdrDrop,
	"Reporting-Endpoints":                 hdrDrop,
	"Nel":                                 hdrDrop,
	"Clear-Site-Data":                     hdrDrop,
	"Origin-Agent-Cluster":                hdrDrop,
	"Service-Worker-Allowed":              hdrDrop,

	"Content-Length":    hdrRecomputed,
	"Content-Encoding":  hdrRecomputed,
	"Transfer-Encoding": hdrRecomputed,
	"Content-Range":     hdrRecomputed,
	"Accept-Ranges":     hdrRecomputed,
	"Connection":        hdrRecomputed,
	"Keep-Alive":        hdrRecomputed,
}
