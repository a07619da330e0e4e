package main

import (
	"bytes"
	"database/sql"
	"log"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// serveBare serves the floor under the API's pages: a bare net/http
// server on the same SQLite driver (modernc.org/sqlite) that answers each
// query of the list with its hand-written statement, prepared once, and
// writes the stored states as they are, with the id of the last as the
// next page's cursor. No router, middleware, snapshot, tiers, ETag or
// cache: what is left between it and sqlite3 is Go, the driver and HTTP;
// what is left between it and Oversight is Oversight's own work.
//
//	sqlitecmp -bare 127.0.0.1:41060 -db DIR/oversight.db &
//	sqlitecmp -url http://127.0.0.1:41060 -db DIR/oversight.db -pid $!
func serveBare(addr, file string) {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		log.Fatal(err)
	}
	type route struct {
		want  url.Values
		first *sql.Stmt
		after func(id string) string // the statement of the page after id
	}
	var routes []route
	for _, q := range queries {
		want, err := url.ParseQuery(q.params)
		if err != nil {
			log.Fatal(err)
		}
		rt := route{want: want}
		if rt.first, err = db.Prepare(strings.Replace(q.sql, "/*cursor*/", "", 1)); err != nil {
			log.Fatalf("%s: %v", q.name, err)
		}
		// A page after the first writes its cursor into the statement
		// (after), as the sqlite3 side does.
		rt.after = func(id string) string { return after(q.sql, id) }
		routes = append(routes, rt)
	}
	h := func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		cursor := v.Get("cursor")
		v.Del("cursor")
		v.Del("limit")
		for _, rt := range routes {
			if !reflect.DeepEqual(v, rt.want) {
				continue
			}
			var rows *sql.Rows
			var err error
			if cursor != "" {
				rows, err = db.QueryContext(r.Context(), rt.after(cursor))
			} else {
				rows, err = rt.first.QueryContext(r.Context())
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			var b bytes.Buffer
			b.WriteString(`{"items":[`)
			var state sql.RawBytes
			var last string
			n := 0
			for rows.Next() {
				if err := rows.Scan(&state); err != nil {
					rows.Close()
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				if n > 0 {
					b.WriteByte(',')
				}
				b.Write(state)
				last = idOf(state)
				n++
			}
			rows.Close()
			b.WriteString(`],"next":`)
			b.WriteString(strconv.Quote(last))
			b.WriteString("}")
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
			w.Write(b.Bytes())
			return
		}
		http.NotFound(w, r)
	}
	srv := &http.Server{Addr: addr, Handler: http.HandlerFunc(h), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// idOf is the value of a state's "id", its first member as the register
// writes it; the cursor of the page after.
func idOf(state []byte) string {
	_, rest, ok := bytes.Cut(state, []byte(`"id":"`))
	if !ok {
		return ""
	}
	id, _, _ := bytes.Cut(rest, []byte(`"`))
	return string(id)
}
