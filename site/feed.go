package site

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"oversight/internal/params"
	"oversight/registry"
)

// feed answers the latest changes to the register as an Atom feed
// (RFC 4287): one entry a revision, newest first.
func (s *Site) feed(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		return err
	}
	ctx := r.Context()
	size, err := rd.Size(ctx)
	if err != nil {
		return err
	}
	revs, err := rd.RecentRevisions(ctx, size, logPage)
	if err != nil {
		return err
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	f := atomFeed{NS: "http://www.w3.org/2005/Atom", ID: base + "/history", Title: "Oversight: changes to the register",
		Links: []atomLink{{Href: base + "/feed.atom", Rel: "self"}, {Href: base + "/history", Rel: "alternate"}}, Author: atomAuthor{Name: "Oversight"}}
	f.Updated = time.Unix(0, 0).UTC().Format(time.RFC3339)
	for i, rev := range revs {
		if i == 0 {
			f.Updated = rev.Time.UTC().Format(time.RFC3339)
		}
		e := atomEntry{ID: base + "/api/v1/log/revisions/" + strconv.FormatInt(rev.Seq, 10), Updated: rev.Time.UTC().Format(time.RFC3339),
			Title:   "Revision " + strconv.FormatInt(rev.Seq, 10) + ": " + label("op", rev.Op) + " " + label("kind", rev.Kind) + " " + rev.ID,
			Summary: entrySummary(rev), Author: atomAuthor{Name: rev.Author}}
		href := entityHref(rev.Kind, rev.ID)
		if href == "" {
			href = "/history"
		}
		e.Links = []atomLink{{Href: base + href, Rel: "alternate"}}
		f.Entries = append(f.Entries, e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(f)
}

func entrySummary(rev *registry.Revision) string {
	s := "By " + rev.Author
	if rev.Contributor != "" {
		s += ", proposed by " + rev.Contributor
	}
	if rev.Reason != "" {
		s += ": " + rev.Reason
	}
	if rev.Into != "" {
		s += " (merged into " + rev.Into + ")"
	}
	return s + "."
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Author  atomAuthor `xml:"author"`
	Links   []atomLink `xml:"link"`
	Summary string     `xml:"summary"`
}
