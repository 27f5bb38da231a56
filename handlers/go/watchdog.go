package dumps

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// The heap the watchdog compares with its limit: the first the runtime provides.
const (
	// The heap marked live by the last GC (Go 1.21+): no garbage in it, so no confirmation.
	metricLive = "/gc/heap/live:bytes"
	// Live objects and dead ones not yet swept (Go 1.16+): an upper bound of the live heap
	// that saws up and down between collections, confirmed by a runtime.GC() before a dump.
	metricObjects = "/memory/classes/heap/objects:bytes"
)

type watchdog struct {
	opts     Options
	interval time.Duration
	samples  []metrics.Sample
	armed    bool
	// After a false alarm (over the limit before a GC, under it after), no forced GC before.
	quietUntil time.Time
	// Which metric was read last (for the README and the tests).
	metric string
}

func (w *watchdog) init(o Options) {
	w.opts = o
	w.interval = o.WatchdogInterval
	if w.interval <= 0 {
		w.interval = time.Second
	}
	w.samples = []metrics.Sample{{Name: metricLive}, {Name: metricObjects}}
	w.armed = true
}

// enabled: a limit is configured (a HeapLimitFraction without a memory limit set yet still
// polls, since the limit may be set later).
func (w *watchdog) enabled() bool {
	return w.opts.HeapLimitBytes > 0 || w.opts.HeapLimitFraction > 0
}

// heap reads the heap in bytes; exact is true when it is the live heap of the last GC.
func (w *watchdog) heap() (bytes uint64, exact bool) {
	metrics.Read(w.samples)
	if s := w.samples[0]; s.Value.Kind() == metrics.KindUint64 {
		w.metric = metricLive
		return s.Value.Uint64(), true
	}
	w.metric = metricObjects
	if s := w.samples[1]; s.Value.Kind() == metrics.KindUint64 {
		return s.Value.Uint64(), false
	}
	return 0, false
}

func (w *watchdog) rearmLevel(limit uint64) uint64 {
	f := w.opts.HeapRearmFraction
	if f <= 0 || f > 1 {
		f = 0.9
	}
	return uint64(float64(limit) * f)
}

// checkHeap runs on the handler's goroutine at each watchdog tick.
func (h *Handler) checkHeap() {
	w := &h.wd
	limit := heapLimit(h.opts)
	if limit == 0 {
		return
	}
	heap, exact := w.heap()
	if !w.armed {
		if heap < w.rearmLevel(limit) {
			w.armed = true
		}
		return
	}
	if heap <= limit {
		return
	}
	gcDone := false
	if !exact {
		if time.Now().Before(w.quietUntil) {
			return
		}
		runtime.GC() // the heap profile needs it anyway; after it the metric is the live heap
		gcDone = true
		if heap, _ = w.heap(); heap <= limit {
			w.quietUntil = time.Now().Add(10 * w.interval)
			return
		}
	}
	w.armed = false
	h.dump(TriggerWatchdog, []string{KindHeap}, gcDone)
}
