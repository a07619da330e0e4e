// Package tilestore keeps a log's full tiles in the C2SP tlog-tiles layout
// (https://c2sp.org/tlog-tiles) as files, and makes tiles from the log:
// Files stores them, Fill writes those a log lacks, Verify compares them
// with the log, and Bind ties a directory to one log. Serving them over
// HTTP is package tiles' job; this package has no HTTP of its own, so that
// the store can keep and check tiles without importing the server's
// packages.
package tilestore
