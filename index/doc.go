// Package index builds and searches indexes of web captures.
//
// Building (build.go, build_parallel.go): WARC and ARC records become CDXJ
// lines exactly as warcio.js `cdx-index` writes them (and pywb reads
// them): which records are indexed, how requests pair with responses, how
// POST/PUT bodies fold into keys, and every field's value.
//
// Looking up (source.go and one file per Source): one small Source
// interface over sorted CDXJ files, captures held in memory, a remote CDX
// server, and an aggregate of several, with pywb's query semantics (match
// types, time ranges), and fuzzy matching driven by rules.
//
// A row is a Capture: a cdxj.Line, with the page's title where one is known.
package index
