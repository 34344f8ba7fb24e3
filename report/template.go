package report

import "html/template"

// pageTmpl is the report: self-contained (styles inline, the screenshot
// as a data: URL), readable on paper.
var pageTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Verification report: {{.Package}}</title>
<style>
body{font-family:sans-serif;font-size:11pt;margin:2em;color:#111}
.banner{padding:1em;font-size:16pt;font-weight:bold;border-radius:4px}
.pass{background:#d8f0d8;border:2px solid #2a7a2a}.fail{background:#f6d6d6;border:2px solid #a02020}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
.mono{font-family:monospace;font-size:9pt;word-break:break-all}.why{color:#444;font-size:10pt}
img{max-width:100%;border:1px solid #999}h2{margin-top:1.4em}
</style></head><body>
{{if .OK}}<div class="banner pass">Verdict: PASS — every check below succeeded</div>
{{else}}<div class="banner fail">Verdict: FAIL — the package does not verify
<ul>{{range .Problems}}<li class="mono">{{.}}</li>{{end}}</ul></div>{{end}}

<h2>What was captured</h2>
<table>
<tr><th>Package</th><td class="mono">{{.Package}}</td></tr>
<tr><th>URL</th><td class="mono">{{.URL}}</td></tr>
<tr><th>Title</th><td>{{.Title}}</td></tr>
<tr><th>Capture time (UTC, as the capturing machine's clock said)</th><td>{{.Created}}</td></tr>
<tr><th>Made with</th><td>{{.Software}}{{if .Browser}}; browser {{.Browser}}{{end}}</td></tr>
<tr><th>Checked with</th><td>{{.Tool}}, {{.Checked}} UTC</td></tr>
</table>
{{if .Shot}}<h2>Screenshot</h2><img alt="screenshot of the page as captured" src="{{.Shot}}">{{end}}

<h2>Trusted timestamps (RFC 3161)</h2>
<p class="why">A time-stamping authority signed the SHA-256 of a file together with the time: the file existed, as it is, no later than that time. The token is checked against the file here and, when its certificate authority was given, against that authority.</p>
{{if .Stamps}}<table>
{{range .Stamps}}<tr><td class="mono">{{.Path}}</td></tr>
<tr><td>stamps <span class="mono">{{.Target}}</span>{{if .Token}}; attested time {{.Token.Time.Format "2006-01-02T15:04:05Z07:00"}} UTC; authority {{.Token.Signer}}{{end}};
result: {{if .Error}}FAIL: {{.Error}}{{else if .Token.Chained}}valid, chain checked{{else}}signature valid, authority not checked{{end}}</td></tr>{{end}}
</table>{{else}}<p>No timestamps: the time of capture rests on the capturing machine's clock alone.</p>{{end}}

<h2>Signature</h2>
<p class="why">An ECDSA signature over the hash of datapackage.json, which lists the hash of every file: a valid signature means no file changed after signing. It says nothing of when, or of who, unless the key is known.</p>
<p>{{if .Signed}}Signed: {{end}}{{.Signature}}</p>

<h2>The server's identity, as seen</h2>
<p class="why">The certificate chain the server sent, the Signed Certificate Timestamps (proof that the certificate was submitted to public Certificate Transparency logs) and the OCSP answer (the certificate authority's word that the certificate was not revoked) it showed.</p>
{{range .TLS}}<h3 class="mono">{{.Host}}</h3><table><tr><th>Subject</th><th>Issuer</th><th>SHA-256 fingerprint</th></tr>
{{range .Chain}}<tr><td>{{.Subject}}</td><td>{{.Issuer}}</td><td class="mono">{{.SHA256}}</td></tr>{{end}}</table>
{{if .SCTs}}<table><tr><th>SCT from</th><th>Log ID</th><th>Time (UTC)</th></tr>{{range .SCTs}}<tr><td>{{.Source}}</td><td class="mono">{{.LogID}}</td><td>{{.Time.Format "2006-01-02T15:04:05Z07:00"}}</td></tr>{{end}}</table>{{end}}
{{with .OCSP}}<p>OCSP: {{.Status}} (produced {{.ProducedAt.Format "2006-01-02T15:04:05Z07:00"}}, signature checked against the issuer: {{.Verified}})</p>{{end}}
{{else}}<p>No TLS host in this capture.</p>{{end}}

{{if .DNS}}<h2>DNS answers</h2><p class="why">The addresses the names resolved to when captured.</p>
<table>{{range .DNS}}<tr><td class="mono">{{.}}</td></tr>{{end}}</table>{{end}}

<h2>Files</h2>
<p class="why">Each file's SHA-256 and size, as datapackage.json lists them; each is recomputed from the package.</p>
<table><tr><th>File, and its SHA-256 below it</th><th>Bytes</th><th>Result</th></tr>
{{range .Files}}<tr><td class="mono">{{.Path}}</td><td>{{.Bytes}}</td><td>{{if .Problem}}FAIL: {{.Problem}}{{else}}matches{{end}}</td></tr>
<tr><td colspan="3" class="mono">{{.Hash}}</td></tr>{{end}}
</table>
</body></html>
`))
