// Command server serves a directory on 127.0.0.1 for the capture benchmark:
// a Go file server, so that the server is never what limits either crawler.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	dir := flag.String("dir", "/usr/share/doc/python3.11/html", "directory to serve")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// The chosen address goes to stdout so the script can read the port.
	os.Stdout.WriteString("http://" + ln.Addr().String() + "/\n")
	log.Fatal(http.Serve(ln, http.FileServer(http.Dir(*dir))))
}
