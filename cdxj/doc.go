// Package cdxj reads, writes, sorts and searches CDXJ indexes as pywb and
// warcio.js write them, and builds their SURT keys.
//
// A CDXJ line is "<surt key> <14-digit timestamp> <json block>", for example
//
//	com,example)/ 20140127171200 {"url":"http://example.com","mime":"text/html","status":"200","digest":"B2LT…","length":"1046","offset":"334","filename":"example.warc.gz"}
//
// Keys:
//   - [SURT] builds the key exactly as warcio.js `cdx-index` does (the
//     format warcbox writes): http(s) URLs only, "www." and "wwwN." dropped,
//     the whole URL lower-cased, parsed as a WHATWG URL (IDN to punycode,
//     IPv4/IPv6 normalised, dot segments resolved, unsafe bytes
//     percent-encoded), host reversed with commas and closed by ")", the port
//     kept unless default, the fragment dropped and the query arguments
//     sorted. Any other scheme (dns:, urn:, filedesc:, ftp:, …) is its own key.
//   - [SURTIA] builds the key as the Python surt library (and so pywb's
//     cdx-indexer and OutbackCDX) does: additionally strips session ids,
//     trailing slashes, decodes and re-encodes escapes and resolves numeric
//     IPs. Use it to look up indexes written by pywb.
//   - [AppendMethodQuery] and [RequestQuery] turn a POST/PUT request body into
//     the "__wb_method=post&…" query pywb and warcio.js fold into the key.
//
// Writing what warcio.js writes: [timestampFromWARCDate], [mimeField],
// [digestField], [TrimAngleBrackets] (wget's "<http://…>" target URIs) and
// [warcioHeaderString] (warcio.js's reading of non-ASCII header bytes) turn
// WARC and HTTP header values into the fields of a line byte for byte.
//
// Lines: [Line] with [Parse] (CDXJ as warcio.js and pywb write it, and
// classic 9/11-field CDX as OutbackCDX serves it), [Line.Format] and
// [Line.AppendTo], which write the JSON block in warcio.js's field order;
// [Lines] reads a whole index sequentially.
//
// Timestamps: [Timestamp] formats a time.Time, [PadTimestamp] and
// [parseTimestamp] turn partial pywb timestamps ("2030") into full ones.
//
// Sorting: [SortedWriter] collects lines and writes them in the byte order
// `LC_ALL=C sort` gives, spilling sorted runs to temporary files past a memory
// limit and merging them, so indexing a huge collection stays memory-flat.
//
// Searching: [OpenFile] opens a sorted CDXJ file through an io.ReaderAt,
// keeps a small sampled summary of keys and offsets in memory, and
// [File.Lookup] yields the lines that match a key exactly, by prefix, by host
// or by domain ([MatchType], [ParseMatchType]). Problems with one line
// come as a [*LineError] naming the file, offset and reason; reading goes on.
//
// The tests compare against output of warcio.js 2.4.11 saved in
// testdata/warciojs (README.md there gives the commands).
package cdxj
