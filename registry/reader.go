package registry

import "context"

// Reader reads the register. The store's database and its read-only
// snapshots both satisfy it; the layers that serve requests read through a
// Snapshot, so that every read of one request sees the same state.
type Reader interface {
	// Get returns the current state of one entity, or an ENotFound error.
	Get(ctx context.Context, kind, id string) (Entity, error)
	// GetMany returns the current states of the entities named, in one
	// query; names not in the register are absent from the map.
	GetMany(ctx context.Context, ids []EntityID) (map[EntityID]Entity, error)
	// Each calls fn for every entity of a kind in id order.
	Each(ctx context.Context, kind string, fn func(Entity) error) error
	// EachDeployment calls fn for every deployment f selects, in id order,
	// from the one after f.Cursor.
	EachDeployment(ctx context.Context, f DeploymentFilter, fn func(*Deployment) error) error
	// Deployments returns one page of the deployments f selects.
	Deployments(ctx context.Context, f DeploymentFilter) (Page[*Deployment], error)
	// List returns one page of the entities of a kind, of one jurisdiction
	// when given (claims and instruments).
	List(ctx context.Context, kind, jurisdiction, cursor string, limit int) (Page[Entity], error)
	// History returns the revisions of one entity, oldest first.
	History(ctx context.Context, kind, id string) ([]*Revision, error)
	// Revision returns the revision at a log position and its canonical
	// record.
	Revision(ctx context.Context, seq int64) (*Revision, []byte, error)
	// Sources returns one page of the distinct sources cited.
	Sources(ctx context.Context, cursor string, limit int) (Page[SourceUse], error)
	// Tombstone returns what the register keeps of a retracted entity,
	// or an ENotFound error when the entity is not retracted.
	Tombstone(ctx context.Context, kind, id string) (*Tombstone, error)
	// Count returns the number of entities of a kind.
	Count(ctx context.Context, kind string) (int, error)
	// Size returns the number of revisions in the log: the register state
	// that what is computed from the reader holds for.
	Size(ctx context.Context) (int64, error)
}

// Snapshot is a Reader of one state of the register, held until Close.
type Snapshot interface {
	Reader
	Close() error
}
