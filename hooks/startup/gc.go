package startup

import (
	"runtime/debug"
)

// GC settings for the server, unless the operator set GOGC or GOMEMLIMIT.
// A page view or webhook allocates a lot of short-lived memory (records,
// template output, gzip buffers) over a small live heap, so Go's default
// (collect when the heap doubles) spent ~9% of a loaded server's CPU
// collecting; at 200 it spends ~3% (benchmark CPU profiles). The soft limit
// stops a large live heap (a webhook burst, a CSV import) from tripling:
// near it the collector runs as often as it must. It is a soft limit, so an
// import bigger than it slows down rather than fails.
const (
	GCPercent   = 200
	MemoryLimit = 128 << 20
)

// TuneGC applies GCPercent and MemoryLimit where getenv has no GOGC or
// GOMEMLIMIT of the operator's.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
