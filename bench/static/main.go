// Command static serves one file's bytes from memory with net/http. The
// benchmark (bench/run.sh) loads it with the same URL-sized response as the
// API, to show what Go's HTTP stack itself reaches on the machine: the
// ceiling any Go server can approach, with no database, routing or encoding.
//
//	go build -o static ./bench/static && ./static -addr 127.0.0.1:18200 page.json
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18200", "address to listen on")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: static [-addr HOST:PORT] FILE")
	}
	// Read once: every request then costs only the HTTP stack's own work.
	body, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	length := strconv.Itoa(len(body))
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		// Setting both headers spares net/http from sniffing the type and
		// from chunking, as nginx and the API do for a known body.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", length)
		w.Write(body)
	})))
}
