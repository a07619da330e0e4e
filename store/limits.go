package store

// limits are the thresholds at which the store changes how it reads or
// writes. Every engine starts from defaultLimits; each DB keeps its own
// copy, in its dialect, shared by its snapshots, so that a test can take
// each way on its own register while other tests, on other registers,
// run beside it.
type limits struct {
	// fewMatches is the number of deployments up to which a filter is
	// few enough to drive a page (pagePlan) or a count (chosen) from its
	// index.
	fewMatches int
	// fewWords is the number of matches up to which text alone is
	// listed rather than walked. Listed, each match costs its id, read
	// from the search index's content, and a lookup: about 5 µs a match
	// at 100k in the embedded SQLite (airport, 4,220 matches: 21 ms for a
	// page of 50 from a cursor). Walked, it costs the set of matching
	// rowids (about 0.4 µs a match) and about 0.5 µs for each deployment
	// read on the way, 51/density of them (the same word: 1.8 ms): the
	// two meet near 700 matches at 100k, 2,300 at 1M
	// (docs/performance.md).
	fewWords int
	// walkPerRow is how many deployments a walk reads for each row of
	// its page before it falls back, and listMatches how many
	// deployments the filter it falls back on selects at most. The walk
	// is bounded at firstPerRow a row first, as most walks fill their
	// page within it, and their bound costs a tenth of the full budget's.
	firstPerRow, walkPerRow, listMatches int
	// facetWords is how many deployments the words of a search may be
	// held by, at most, for Facets to count them.
	facetWords int
	// jointRows is how many rows of deployment_counts a page reads at
	// most to learn that no deployment passes its filters: past it, the
	// page is read as if it did not know.
	jointRows int
	// tierBatch is how many pending deployments one transaction of
	// ProjectTiers projects, and tiersInline how many deployments one
	// write may hold and still project their tiers itself: a larger
	// import leaves them pending, for ProjectTiers, since classifying
	// them would take most of its time.
	tierBatch, tiersInline int
	// resetRows is how many deployments one part of a reset of the
	// tier projection (resetTiers) marks pending, their class rows
	// deleted: a transaction, for which other writers wait, and two
	// statements, whose changes SQLite holds in memory until each ends.
	resetRows int
	// maxWordsSeen bounds the words a write remembers sending to
	// search_words. An import of a million synthetic deployments holds a
	// million words (each one's number is a word of its own): past the
	// bound the set starts again, and a word sent twice is left as it is
	// (ignore).
	maxWordsSeen int
	// denseShare is the share of the register (one in denseShare) from
	// which a filter alone of several lists (a subregion's jurisdictions)
	// is walked rather than read from its lists (dense); 0: never.
	denseShare int
}

// defaultLimits are the limits of every register the program opens.
var defaultLimits = limits{
	fewMatches:   5000,
	fewWords:     1000,
	firstPerRow:  4,
	walkPerRow:   40,
	listMatches:  10000,
	facetWords:   5000,
	jointRows:    2000,
	tierBatch:    500,
	tiersInline:  1000,
	resetRows:    4000,
	maxWordsSeen: 1 << 16,
	denseShare:   4,
}
