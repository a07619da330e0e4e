package analysis

import (
	"context"

	"oversight/internal/ordered"
	"oversight/registry"
)

// eachInOrder reads the deployments f selects and runs work on them on
// every core, then fold on each result in id order, so that totals and
// lists come out exactly as a single loop makes them while classifying,
// most of the cost, runs in parallel.
func eachInOrder[T any](ctx context.Context, reg Register, f registry.DeploymentFilter,
	work func(*registry.Deployment) (T, error), fold func(*registry.Deployment, T) error) error {
	return ordered.Each(ctx, func(ctx context.Context, emit func(*registry.Deployment) error) error {
		return reg.EachDeployment(ctx, f, emit)
	}, work, fold)
}
