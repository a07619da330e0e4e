// Command tilelist prints the path of every tile of a log of a given size,
// as the C2SP tlog-tiles layout under /log/ names them: the hash tiles of
// every level and the entry bundles, full tiles and the partial ones at
// the right edge. bench/tiles.sh mirrors them to disk for nginx, then
// loads both servers with the same list.
//
//	go run ./bench/tilelist -size 100000
package main

import (
	"flag"
	"fmt"
	"log"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/tilestore"
)

func main() {
	size := flag.Int64("size", 0, "the log's size, from its checkpoint")
	flag.Parse()
	if *size <= 0 {
		log.Fatal("-size: want the log's size, a positive number")
	}
	for _, t := range tlog.NewTiles(tilestore.Height, 0, *size) {
		fmt.Println(tilestore.Path(t))
		if t.L == 0 {
			t.L = -1 // the entry bundle beside each tile of leaf hashes
			fmt.Println(tilestore.Path(t))
		}
	}
}
