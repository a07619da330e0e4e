package params

import (
	"context"
	"net/url"

	"oversight/contrib"
)

// Queue reads the page of the reviewers' queue that the parameters v
// select (QueueFilter) from svc: the API's and the review page's. after is
// the id the next page starts after, 0 on the last page.
func Queue(ctx context.Context, svc contrib.Service, v url.Values) (subs []*contrib.Submission, f contrib.QueueFilter, after int64, err error) {
	p := Read(v, "state", "jurisdiction", "kind", "after", "limit")
	f = p.QueueFilter()
	if err = p.Err(); err != nil {
		return nil, f, 0, err
	}
	if subs, err = svc.Queue(ctx, f); err == nil && len(subs) == f.Limit {
		after = subs[len(subs)-1].ID
	}
	return subs, f, after, err
}
