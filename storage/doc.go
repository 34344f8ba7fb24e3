// Package storage reaches the bytes of an archive wherever they live: a
// local path, an http(s):// URL or an s3://bucket/key object. It gives
// each the same four things, so that a remote collection is read as a
// local one is:
//
//   - Stat: size and modification time.
//   - List: the objects under a folder-like name (s3://bucket/prefix/, an
//     https:// directory listing), recursive and sorted.
//   - NewReader: a sequential stream with read-ahead. When a connection
//     breaks mid-stream it is resumed with a Range request from the byte
//     where it broke, with bounded retries and backoff on 5xx, 429 and
//     resets; a stream never ends early without an error.
//   - Open: random access (io.ReaderAt) issuing one Range request per read,
//     with a small cache of recently read blocks shared by the Store.
//
// S3 goes through aws-sdk-go-v2 with the standard credential chain;
// AWS_ENDPOINT_URL or Options.S3Endpoint point it at another store, with
// path-style addressing. Errors are *Error values naming the URL (with any
// credentials removed), the offset and the reason.
package storage
