// Package dumps writes a Go service's own post-mortem evidence to a persistent folder: a
// goroutine dump, a heap profile and optionally a CPU profile on SIGUSR1 (and on SIGQUIT when
// asked), a heap profile when the heap crosses a limit (the watchdog), and the same set on
// demand (DumpNow, for instance from a recover()). Every file is written whole under a temporary
// name and renamed, listed with its size and sha256 in the folder's manifest.json (the schema
// `inquest capture` writes), and the folder is capped at MaxDumps files, oldest removed first.
//
//	h, err := dumps.Install(dumps.Options{Dir: "/var/dumps", CPUProfile: 10 * time.Second})
//	if err != nil {
//		log.Print(err) // the folder cannot be created or written: no dumps
//	}
//	defer h.Stop()
//
// The signals are received with signal.Notify by one goroutine, which does all the work: never
// in signal context, one dump at a time, and a storm of signals coalesced into a few dumps.
// Failures to write (an unwritable folder, a full disk, a file size limit) are reported on
// stderr in one line starting "inquest-dumps:" and never stop the program.
package dumps

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Writer is the manifest's "writer": this library and its format version.
const Writer = "inquest-dumps-go 1"

// The kinds of file a Go handler writes.
const (
	KindGoroutines = "goroutines" // pprof.Lookup("goroutine").WriteTo(w, 2), .txt
	KindHeap       = "heap"       // pprof.WriteHeapProfile after runtime.GC(), .pb.gz
	KindCPU        = "cpu"        // pprof.StartCPUProfile for Options.CPUProfile, .pb.gz
)

// Triggers recorded in the manifest.
const (
	TriggerSIGUSR1  = "SIGUSR1"
	TriggerSIGQUIT  = "SIGQUIT"
	TriggerWatchdog = "watchdog"
	TriggerPanic    = "panic"
	TriggerAPI      = "api"
)

// ErrStopped is returned by DumpNow after Stop.
var ErrStopped = errors.New("inquest-dumps: handler stopped")

// Options configures Install. Only Dir is required.
type Options struct {
	// Dir is the dump folder, made 0700 when it does not exist (an existing folder is used as
	// it is). Put it on storage a restart does not wipe.
	Dir string
	// Program names the files; default: the base name of os.Args[0].
	Program string
	// MaxDumps caps the dump files kept in Dir (by every process sharing it); after each dump
	// the oldest are removed. 0: 20. Negative: no cap.
	MaxDumps int
	// CPUProfile, when positive, is the length of a CPU profile taken on SIGUSR1 (and by
	// DumpNow) after the goroutine dump and the heap profile. 0: none.
	CPUProfile time.Duration
	// HeapLimitBytes turns on the memory watchdog: when the Go heap crosses it, a heap profile
	// is written (trigger "watchdog"), once per crossing: the watchdog re-arms when the heap
	// is back under HeapRearmFraction of the limit. The heap is runtime/metrics'
	// "/gc/heap/live:bytes" (the heap marked live by the last GC, Go 1.21+), else
	// "/memory/classes/heap/objects:bytes" (live and not yet swept objects: an upper bound of
	// the live heap), confirmed by a runtime.GC() before writing. 0: off.
	HeapLimitBytes uint64
	// HeapLimitFraction, used when HeapLimitBytes is 0, sets the limit to this fraction of the
	// runtime's memory limit (debug.SetMemoryLimit, GOMEMLIMIT), read at each check: 0.8
	// writes the heap profile with 20% headroom left. Off while no memory limit is set.
	HeapLimitFraction float64
	// HeapRearmFraction of the limit under which the watchdog re-arms. 0: 0.9.
	HeapRearmFraction float64
	// WatchdogInterval between heap checks (runtime/metrics.Read: no stop-the-world).
	// 0: one second.
	WatchdogInterval time.Duration
	// CrashTraceback calls debug.SetTraceback("crash"): a fatal panic prints every goroutine,
	// runtime frames included, and aborts with SIGABRT, which leaves a core where core dumps
	// are enabled (ulimit -c, core_pattern).
	CrashTraceback bool
	// KeepSIGQUIT (nil: true) leaves SIGQUIT to the runtime: every goroutine's stack on stderr,
	// then exit 2. When false, SIGQUIT writes a goroutine dump file (trigger "SIGQUIT") and
	// the process goes on. Set it with dumps.Bool(false).
	KeepSIGQUIT *bool
	// MinInterval between two signal-triggered dumps: signals arriving sooner are coalesced
	// into one dump at the end of the interval. 0: one second. DumpNow is not delayed.
	MinInterval time.Duration
	// Stderr receives the failure reports; default os.Stderr.
	Stderr io.Writer
}

// Bool returns a pointer to v, for Options.KeepSIGQUIT.
func Bool(v bool) *bool { return &v }

// Handler is an installed dump handler. Its methods are safe for concurrent use.
type Handler struct {
	opts      Options
	dir       string
	program   string
	pid       int
	exe       string
	installed time.Time
	maxDumps  int

	usr1, quit chan os.Signal
	requests   chan request
	stop       chan struct{}
	done       chan struct{}
	stopOnce   sync.Once

	// Owned by the worker goroutine.
	lastSignalDump time.Time
	pending        []FileEntry // written, not yet in a manifest (its update failed)
	wd             watchdog
}

type request struct {
	trigger string
	kinds   []string
	reply   chan result
}

type result struct {
	paths []string
	err   error
}

// Install creates (or opens) the dump folder, records this process in its manifest, and starts
// the goroutine that handles SIGUSR1 (and SIGQUIT when KeepSIGQUIT is false) and the watchdog.
// It fails when Dir is empty, cannot be created, or cannot be written.
func Install(o Options) (*Handler, error) {
	if o.Dir == "" {
		return nil, errors.New("inquest-dumps: Options.Dir is required")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("inquest-dumps: %v", err)
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	h := &Handler{
		opts:      o,
		dir:       dir,
		program:   sanitizeProgram(o.Program),
		pid:       os.Getpid(),
		installed: time.Now(),
		maxDumps:  o.MaxDumps,
		requests:  make(chan request),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	if h.maxDumps == 0 {
		h.maxDumps = 20
	}
	if h.exe, err = os.Executable(); err != nil {
		h.exe = os.Args[0]
	}
	if err := prepareDir(dir); err != nil {
		return nil, err
	}
	// Writes the manifest (keeping an earlier process's): proves the folder writable now.
	if _, err := h.updateManifest(nil); err != nil {
		return nil, fmt.Errorf("inquest-dumps: %s is not writable: %v", dir, err)
	}
	if o.CrashTraceback {
		debug.SetTraceback("crash")
	}
	h.usr1 = make(chan os.Signal, 1) // one pending signal: the rest of a storm is dropped
	signal.Notify(h.usr1, syscall.SIGUSR1)
	if o.KeepSIGQUIT != nil && !*o.KeepSIGQUIT {
		h.quit = make(chan os.Signal, 1)
		signal.Notify(h.quit, syscall.SIGQUIT)
	}
	h.wd.init(o)
	go h.loop()
	return h, nil
}

// Dir is the absolute dump folder.
func (h *Handler) Dir() string { return h.dir }

// Stop stops handling signals and the watchdog, interrupting a CPU profile in progress, and
// waits for the handler's goroutine. SIGUSR1 (and SIGQUIT) get back the action they would have
// without the handler (unless the program also asked for them with signal.Notify): for
// SIGUSR1 that is to terminate the process.
func (h *Handler) Stop() {
	if h == nil {
		return
	}
	h.stopOnce.Do(func() {
		signal.Stop(h.usr1)
		if h.quit != nil {
			signal.Stop(h.quit)
		}
		close(h.stop)
	})
	<-h.done
}

// Close is Stop, for io.Closer.
func (h *Handler) Close() error {
	h.Stop()
	return nil
}

// DumpNow writes the files SIGUSR1 writes (goroutine dump, heap profile, the CPU profile when
// Options.CPUProfile is set), or only the kinds given, and records them with this trigger
// ("api" when empty; "panic" from a recover()). It waits until they are written and returns
// their paths; the error says which could not be written (also reported on stderr).
func (h *Handler) DumpNow(trigger string, kinds ...string) ([]string, error) {
	if h == nil {
		return nil, ErrStopped
	}
	if trigger == "" {
		trigger = TriggerAPI
	}
	for _, k := range kinds {
		if _, ok := extensions[k]; !ok {
			return nil, fmt.Errorf("inquest-dumps: unknown kind %q", k)
		}
	}
	r := request{trigger: trigger, kinds: kinds, reply: make(chan result, 1)}
	select {
	case h.requests <- r:
	case <-h.done:
		return nil, ErrStopped
	}
	res := <-r.reply
	return res.paths, res.err
}

func (h *Handler) defaultKinds() []string {
	kinds := []string{KindGoroutines, KindHeap}
	if h.opts.CPUProfile > 0 {
		kinds = append(kinds, KindCPU)
	}
	return kinds
}

func (h *Handler) minInterval() time.Duration {
	if h.opts.MinInterval > 0 {
		return h.opts.MinInterval
	}
	return time.Second
}

// loop is the handler's one goroutine: every dump is written here, one at a time.
func (h *Handler) loop() {
	defer close(h.done)
	var tick <-chan time.Time
	if h.wd.enabled() {
		t := time.NewTicker(h.wd.interval)
		defer t.Stop()
		tick = t.C
	}
	// Signals received and not yet answered, and the timer that ends MinInterval.
	var pendingUSR1, pendingQUIT bool
	var due <-chan time.Time
	var dueTimer *time.Timer
	defer func() {
		if dueTimer != nil {
			dueTimer.Stop()
		}
	}()
	answer := func() {
		if pendingUSR1 {
			pendingUSR1 = false
			h.lastSignalDump = time.Now()
			h.dump(TriggerSIGUSR1, h.defaultKinds(), false)
		}
		if pendingQUIT {
			pendingQUIT = false
			h.lastSignalDump = time.Now()
			h.dump(TriggerSIGQUIT, []string{KindGoroutines}, false)
		}
	}
	// A signal within MinInterval of the previous signal dump waits for the interval's end,
	// and every signal received meanwhile is folded into the same dump.
	signalled := func() {
		if due != nil {
			return
		}
		if wait := time.Until(h.lastSignalDump.Add(h.minInterval())); wait > 0 {
			dueTimer = time.NewTimer(wait)
			due = dueTimer.C
			return
		}
		answer()
	}
	for {
		select {
		case <-h.stop:
			return
		case <-h.usr1:
			pendingUSR1 = true
			signalled()
		case <-h.quit: // nil (never ready) while SIGQUIT is left to the runtime
			pendingQUIT = true
			signalled()
		case <-due:
			due, dueTimer = nil, nil
			answer()
		case r := <-h.requests:
			paths, err := h.dump(r.trigger, r.kinds, false)
			r.reply <- result{paths, err}
		case <-tick:
			h.checkHeap()
		}
	}
}

// dump writes the files of one dump and records them in the manifest. It never panics.
func (h *Handler) dump(trigger string, kinds []string, gcDone bool) (paths []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("inquest-dumps: dump (%s) failed: %v", trigger, r)
			h.report("%v", err)
		}
	}()
	if len(kinds) == 0 {
		kinds = h.defaultKinds()
	}
	var errs []string
	if perr := prepareDir(h.dir); perr != nil { // removed since Install: made again
		h.report("%v", strings.TrimPrefix(perr.Error(), "inquest-dumps: "))
		return nil, perr
	}
	for _, kind := range kinds {
		if kind == KindCPU && h.opts.CPUProfile <= 0 {
			errs = append(errs, "no CPU profile: Options.CPUProfile is 0")
			continue
		}
		e, werr := h.writeKind(kind, trigger, gcDone)
		if werr != nil {
			h.report("writing the %s (%s) into %s: %v", describe[kind], trigger, h.dir, werr)
			errs = append(errs, fmt.Sprintf("%s: %v", kind, werr))
			continue
		}
		h.pending = append(h.pending, e)
		paths = append(paths, filepath.Join(h.dir, e.Path))
	}
	if len(h.pending) > 0 {
		if _, merr := h.updateManifest(h.pending); merr != nil {
			h.report("updating %s: %v (the dump files are kept and listed at the next dump)",
				filepath.Join(h.dir, manifestName), merr)
			errs = append(errs, fmt.Sprintf("manifest: %v", merr))
		} else {
			h.pending = nil
		}
	}
	if len(errs) > 0 {
		err = fmt.Errorf("inquest-dumps: %v", errs)
	}
	return paths, err
}

var describe = map[string]string{
	KindGoroutines: "goroutine dump", KindHeap: "heap profile", KindCPU: "CPU profile",
}

// report writes one line on stderr.
func (h *Handler) report(format string, args ...interface{}) {
	fmt.Fprintf(h.opts.Stderr, "inquest-dumps: "+format+"\n", args...)
}

// heapLimit is the watchdog's limit now (0: off).
func heapLimit(o Options) uint64 {
	if o.HeapLimitBytes > 0 {
		return o.HeapLimitBytes
	}
	if o.HeapLimitFraction > 0 {
		ml := debug.SetMemoryLimit(-1) // reads the limit without changing it
		if ml <= 0 || ml == math.MaxInt64 {
			return 0
		}
		return uint64(float64(ml) * o.HeapLimitFraction)
	}
	return 0
}
