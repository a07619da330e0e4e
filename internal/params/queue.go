package params

import (
	"context"
	"net/url"

	"oversight/contrib"
	"oversight/registry"
)

// Queue reads the page of the reviewers' queue that the parameters v
// select (QueueFilter) from svc: the API's and the review page's. known
// refuses, in the Reader, a jurisdiction the register holds no record of
// (the callers' cached.Known, which this package cannot import); its error
// is the register's. after is the id the next page starts after, 0 on the
// last page.
func Queue(ctx context.Context, svc contrib.Service, v url.Values, known func(*Reader, registry.DeploymentFilter) error) (subs []*contrib.Submission, f contrib.QueueFilter, after int64, err error) {
	p := Read(v, "state", "jurisdiction", "kind", "after", "limit")
	f = p.QueueFilter()
	if err = known(p, CountryCodes(f.Jurisdiction)); err != nil {
		return nil, f, 0, err
	}
	if err = p.Err(); err != nil {
		return nil, f, 0, err
	}
	if subs, err = svc.Queue(ctx, f); err == nil && len(subs) == f.Limit {
		after = subs[len(subs)-1].ID
	}
	return subs, f, after, err
}
