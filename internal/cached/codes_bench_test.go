package cached

import (
	"context"
	"testing"

	"oversight/data"
	"oversight/internal/testreg"
	"oversight/registry"
)

// builtinSnapshot is a snapshot of a register holding the built-in dataset.
func builtinSnapshot(b *testing.B) registry.Snapshot {
	set, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	sn, err := testreg.Open(b, set).Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sn.Close() })
	return sn
}

// BenchmarkCodes: what a request pays for a code the stale codes lack
// (recheck), against reading them all again (codesOf), on the built-in
// register.
func BenchmarkCodes(b *testing.B) {
	sn, ctx := builtinSnapshot(b), context.Background()
	c, err := codesOf(ctx, sn)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("all", func(b *testing.B) {
		for range b.N {
			if _, err := codesOf(ctx, sn); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, f := range []registry.DeploymentFilter{{Jurisdictions: []string{"ZZ"}}, {Vendors: []string{"nobody"}}, {VendorHQ: "ZZ"}} {
		name := map[bool]string{true: "jurisdiction", false: "vendor"}[f.Jurisdictions != nil]
		if f.VendorHQ != "" {
			name = "vendor_hq"
		}
		b.Run("recheck "+name, func(b *testing.B) {
			for range b.N {
				if _, err := recheck(ctx, sn, c, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
