// Package ratelimit bounds how often each client may do something, with a
// token bucket per client, and answers a client over its limit with how
// long to wait (HTTP 429 with Retry-After, see [Limiter.Middleware]).
//
// # Privacy
//
// Clients are told apart without keeping their addresses. A client string,
// usually the address [ClientAddr] reads off a request, is replaced by its
// HMAC-SHA256 under a key that is random, lives only in memory and is
// replaced when the UTC day changes; the limiter keeps only the 32-byte
// hash. The address is used for the length of a call to [Limiter.Allow] and
// is not copied into anything that outlives it: the scratch buffer it is
// copied into is cleared, and the hash state that read it is reset, before
// Allow returns. Nothing in this package writes to disk or logs. Once a
// day's key is replaced, that day's hashes cannot be tied to an address
// even by whoever reads the process's memory.
//
// Replacing the key forgets every bucket: at UTC midnight every client
// starts again with a full burst. That is the price of not keeping an
// address, and at worst lets a client through one burst early, once a day.
//
// # Memory
//
// A Limiter remembers at most maxClients clients (about 100 bytes each).
// When it is full, a new client takes the place of the one seen least
// recently; see [New] for why. Each call costs O(1) however many clients
// there are.
//
// # Behind a proxy
//
// Behind a reverse proxy (one that ends TLS, say) every request comes from
// the proxy's address, and all clients would share one bucket. The operator
// who runs the server behind such a proxy sets [TrustProxy] (or uses a
// [Keyer] with TrustForwardedFor), and the last address in X-Forwarded-For,
// the one the proxy itself appended, is used instead. Without a proxy it
// must stay unset: X-Forwarded-For is then whatever the client wrote.
package ratelimit
