// A session service whose heap only grows: every login stores a session in Store, and nothing
// ever evicts one. An audit then re-checksums every stored payload on each pass, so the bigger
// the store, the hotter the CPU. The program writes the evidence the primer asks for: two heap
// profiles a while apart (heap-1.pb.gz after N logins, heap-2.pb.gz after 4N) and a CPU profile
// of the audit (cpu.pb.gz), all with runtime/pprof, into the folder named by its argument.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// Logins between the first heap profile and the start; the second comes after 4x as many.
const logins = 10000

// Bytes of session state each login keeps.
const payloadSize = 768

type session struct {
	key     string
	user    int
	payload []byte
	created time.Time
}

// Store keeps every session it is given: Put adds, nothing removes. The leak.
type Store struct {
	mu       sync.Mutex
	sessions map[string]*session
	bytes    int
}

func NewStore() *Store { return &Store{sessions: make(map[string]*session)} }

// Put copies the payload into a new session and keeps it for good.
//
//go:noinline
func (s *Store) Put(key string, user int, payload []byte) {
	e := &session{key: key, user: user, payload: make([]byte, len(payload)), created: time.Now()}
	copy(e.payload, payload)
	s.mu.Lock()
	s.sessions[key] = e
	s.bytes += len(payload)
	s.mu.Unlock()
}

// sessionKey is small enough to be inlined into handleLogin: its call to fmt.Sprintf shows up
// in the profiles under an inlined frame.
func sessionKey(user int) string { return fmt.Sprintf("session-%07d", user) }

// renderToken builds a throwaway token per login: allocated, never kept (alloc_space, not
// inuse_space).
//
//go:noinline
func renderToken(user int) []byte {
	buf := make([]byte, 0, 2048)
	for i := 0; i < 64; i++ {
		buf = append(buf, byte('a'+(user+i)%26))
	}
	return buf
}

// handleLogin is what the service does per request.
//
//go:noinline
func handleLogin(s *Store, user int, scratch []byte) {
	tok := renderToken(user)
	for i := range scratch {
		scratch[i] = byte(user + i)
	}
	copy(scratch, tok)
	s.Put(sessionKey(user), user, scratch)
}

// checksum is the audit's inner loop: FNV-1a over one payload, many times over.
//
//go:noinline
func checksum(data []byte) uint64 {
	h := uint64(14695981039346656037)
	for round := 0; round < 16; round++ {
		for _, b := range data {
			h ^= uint64(b)
			h *= 1099511628211
		}
	}
	return h
}

// audit walks every stored session and checksums it, pass after pass, until the deadline.
//
//go:noinline
func audit(s *Store, until time.Time) (passes int, sum uint64) {
	for time.Now().Before(until) {
		s.mu.Lock()
		for _, e := range s.sessions {
			sum += checksum(e.payload)
		}
		s.mu.Unlock()
		passes++
	}
	return passes, sum
}

// writeHeap writes a heap profile after a collection, so the in-use numbers are current.
func writeHeap(path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
}

func main() {
	// Record every allocation: the profiles then hold exact byte counts, the same on every
	// run, instead of samples one per 512 KiB. A service would keep the default.
	runtime.MemProfileRate = 1
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sessions OUTDIR")
		os.Exit(2)
	}
	out := os.Args[1]
	store := NewStore()
	scratch := make([]byte, payloadSize)
	user := 0
	for ; user < logins; user++ {
		handleLogin(store, user, scratch)
	}
	writeHeap(filepath.Join(out, "heap-1.pb.gz"))
	fmt.Fprintf(os.Stderr, "heap-1.pb.gz: %d sessions, %d payload bytes\n", len(store.sessions), store.bytes)
	for ; user < 4*logins; user++ {
		handleLogin(store, user, scratch)
	}
	writeHeap(filepath.Join(out, "heap-2.pb.gz"))
	fmt.Fprintf(os.Stderr, "heap-2.pb.gz: %d sessions, %d payload bytes\n", len(store.sessions), store.bytes)

	f, err := os.Create(filepath.Join(out, "cpu.pb.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	passes, sum := audit(store, time.Now().Add(2*time.Second))
	pprof.StopCPUProfile()
	f.Close()
	fmt.Fprintf(os.Stderr, "cpu.pb.gz: %d audit passes over %d sessions (checksum %x)\n", passes, len(store.sessions), sum)
}
