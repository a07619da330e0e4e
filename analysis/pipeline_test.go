package analysis

import (
	"context"
	"errors"
	"slices"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/registry"
)

// TestEachInOrder checks that results are folded in the order the
// deployments are read, however the work is spread, and that the first
// error of work or fold stops the walk and is returned.
func TestEachInOrder(t *testing.T) {
	t.Parallel()
	set := fixture.Set(700)
	db := testreg.Open(t, set)
	ctx := context.Background()
	var want []string
	if err := db.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		want = append(want, d.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := eachInOrder(ctx, db, registry.DeploymentFilter{}, func(d *registry.Deployment) (string, error) {
		return d.ID + "!", nil
	}, func(d *registry.Deployment, s string) error {
		if s != d.ID+"!" {
			t.Errorf("%s folded with the result of another: %s", d.ID, s)
		}
		got = append(got, d.ID)
		return nil
	})
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("folded %d in another order (%v); want %d in read order", len(got), err, len(want))
	}
	bad := errors.New("bad facts")
	err = eachInOrder(ctx, db, registry.DeploymentFilter{}, func(d *registry.Deployment) (int, error) {
		if d.ID == want[300] {
			return 0, bad
		}
		return 1, nil
	}, func(*registry.Deployment, int) error { return nil })
	if !errors.Is(err, bad) {
		t.Errorf("work's error: got %v", err)
	}
	folds := 0
	err = eachInOrder(ctx, db, registry.DeploymentFilter{}, func(*registry.Deployment) (int, error) { return 1, nil },
		func(*registry.Deployment, int) error {
			if folds++; folds == 10 {
				return bad
			}
			return nil
		})
	if !errors.Is(err, bad) || folds != 10 {
		t.Errorf("fold's error: got %v after %d folds, want it after 10", err, folds)
	}
}
