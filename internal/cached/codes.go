package cached

import (
	"context"
	"maps"
	"slices"
	"time"

	"oversight/internal/memo"
	"oversight/internal/params"
	"oversight/registry"
)

// Codes are the register's jurisdictions, vendors and their headquarters
// (params.Codes), read once per register state: the filters refuse codes
// it does not hold, and the tier filter asks which jurisdictions a law
// binds among those it holds.
func Codes(ctx context.Context, m *memo.Cache, key memo.Key, open Opener) (memo.Value[*params.Codes], error) {
	return memo.Get(ctx, m, key, "codes", func(ctx context.Context) (*params.Codes, error) {
		sn, err := open(ctx)
		if err != nil {
			return nil, err
		}
		defer sn.Close()
		return codesOf(ctx, sn)
	})
}

// codesOf reads the codes a register holds.
func codesOf(ctx context.Context, rd registry.Reader) (*params.Codes, error) {
	c := &params.Codes{}
	err := rd.Each(ctx, "jurisdiction", func(e registry.Entity) error {
		c.Jurisdictions = append(c.Jurisdictions, e.(*registry.Jurisdiction).Code)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(c.Jurisdictions)
	return c, vendorCodes(ctx, rd, c)
}

// vendorCodes reads the vendors a register holds, and their headquarters,
// into c.
func vendorCodes(ctx context.Context, rd registry.Reader, c *params.Codes) error {
	c.Vendors, c.VendorHQ = map[string]bool{}, nil
	hq := map[string]bool{}
	err := rd.Each(ctx, "vendor", func(e registry.Entity) error {
		v := e.(*registry.Vendor)
		c.Vendors[v.ID] = true
		if v.Headquarters != "" && !hq[v.Headquarters] {
			hq[v.Headquarters] = true
			c.VendorHQ = append(c.VendorHQ, v.Headquarters)
		}
		return nil
	})
	slices.Sort(c.VendorHQ)
	return err
}

// recheck returns the codes stale, read at an earlier state of the
// register, with the codes of f that they lack and rd holds added: the
// jurisdictions and vendors looked up by id, in one query; a headquarters,
// which no table is keyed by, by reading the vendors again (59 of them in
// the built-in register), never the deployments. stale itself is the
// memo's, shared, and is left as it is.
func recheck(ctx context.Context, rd registry.Reader, stale *params.Codes, f registry.DeploymentFilter) (*params.Codes, error) {
	c := &params.Codes{Jurisdictions: slices.Clone(stale.Jurisdictions), Vendors: maps.Clone(stale.Vendors), VendorHQ: stale.VendorHQ}
	if f.VendorHQ != "" && !slices.Contains(c.VendorHQ, f.VendorHQ) {
		if err := vendorCodes(ctx, rd, c); err != nil {
			return nil, err
		}
	}
	var ids []registry.EntityID
	for _, j := range f.Jurisdictions {
		if !slices.Contains(c.Jurisdictions, j) {
			ids = append(ids, registry.EntityID{Kind: "jurisdiction", ID: j})
		}
	}
	for _, v := range f.Vendors {
		if !c.Vendors[v] {
			ids = append(ids, registry.EntityID{Kind: "vendor", ID: v})
		}
	}
	found, err := rd.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id := range found {
		if id.Kind == "jurisdiction" {
			c.Jurisdictions = append(c.Jurisdictions, id.ID)
		} else {
			c.Vendors[id.ID] = true
		}
	}
	slices.Sort(c.Jurisdictions)
	return c, nil
}

// Known refuses, in p, the codes of f that the register rd reads holds no
// record of (params.Known), and returns the codes it checked them against,
// which the tier filter narrows by (params.Reach); nil, and nothing
// checked, when f names no code. A request refused for another parameter
// is checked all the same, so that it hears of every parameter at fault
// at once. The error is the register's, never a refusal.
//
// Every route that takes a code checks it here, so that all answer alike.
// The codes are read once per register state (Codes). While that memo is
// stale, a write has just changed the register: the codes it holds now are
// the stale ones and any that write added, less any it retracted. So:
//   - a code the stale codes hold is taken as held. One removed by that
//     write (a retraction, rare) is answered with an empty list until the
//     memo is fresh, as it was before the write;
//   - a code they lack may be the one the write added: it is then looked
//     up in rd itself, the request's own snapshot (recheck), and refused
//     only if that lacks it too. So a jurisdiction or vendor is never
//     refused in the moment after it is added. The lookup reads a few
//     records by id (the vendors, for a headquarters), no deployment, and
//     happens only while the memo is stale and for a code it lacks.
func Known(ctx context.Context, m *memo.Cache, rd registry.Reader, now time.Time, open Opener, p *params.Reader, f registry.DeploymentFilter) (*params.Codes, error) {
	if !params.NamesCodes(f) {
		return nil, nil
	}
	key, err := memo.KeyOf(ctx, rd, now)
	if err != nil {
		return nil, err
	}
	v, err := Codes(ctx, m, key, open)
	if err != nil {
		return nil, err
	}
	c := v.Val
	if v.Stale && !c.Holds(f) {
		if c, err = recheck(ctx, rd, c, f); err != nil {
			return nil, err
		}
	}
	p.Known(c, f)
	return c, nil
}
