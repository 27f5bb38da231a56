// A session service whose heap only grows: every login stores a session in Store, and nothing
// ever evicts one. An audit then re-checksums every stored payload on each pass, so the bigger
// the store, the hotter the CPU. The program writes the evidence the primer asks for through
// the dump handler (handlers/go, inquest.dev/dumps) installed on the folder named by its
// argument: two heap profiles a while apart (after N logins and after 4N) and a CPU profile of
// the audit, each a file sessions-PID-TIME-heap.pb.gz or -cpu.pb.gz listed in manifest.json.
// The handler would write the same on SIGUSR1; the program asks for them with DumpNow.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"inquest.dev/dumps"
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

// audit walks every stored session and checksums it, pass after pass, until done is closed.
//
//go:noinline
func audit(s *Store, done <-chan struct{}) (passes int, sum uint64) {
	for {
		select {
		case <-done:
			return passes, sum
		default:
		}
		s.mu.Lock()
		for _, e := range s.sessions {
			sum += checksum(e.payload)
		}
		s.mu.Unlock()
		passes++
	}
}

// must stops the drill when the handler could not write a profile.
func must(paths []string, err error) string {
	if err != nil || len(paths) != 1 {
		fmt.Fprintln(os.Stderr, "dump failed:", err)
		os.Exit(1)
	}
	return paths[0]
}

func main() {
	// Record every allocation: the profiles then hold exact byte counts, the same on every
	// run, instead of samples one per 512 KiB. A service would keep the default.
	runtime.MemProfileRate = 1
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sessions OUTDIR")
		os.Exit(2)
	}
	// What a service installs first thing in main: SIGUSR1 writes a goroutine dump, a heap
	// profile (after runtime.GC()) and a 2-second CPU profile into the folder.
	h, err := dumps.Install(dumps.Options{Dir: os.Args[1], Program: "sessions",
		CPUProfile: 2 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer h.Stop()
	store := NewStore()
	scratch := make([]byte, payloadSize)
	user := 0
	for ; user < logins; user++ {
		handleLogin(store, user, scratch)
	}
	p := must(h.DumpNow(dumps.TriggerAPI, dumps.KindHeap))
	fmt.Fprintf(os.Stderr, "%s: %d sessions, %d payload bytes\n", p, len(store.sessions), store.bytes)
	for ; user < 4*logins; user++ {
		handleLogin(store, user, scratch)
	}
	p = must(h.DumpNow(dumps.TriggerAPI, dumps.KindHeap))
	fmt.Fprintf(os.Stderr, "%s: %d sessions, %d payload bytes\n", p, len(store.sessions), store.bytes)

	// The handler's goroutine profiles the CPU for 2 seconds while the audit runs here.
	done := make(chan struct{})
	var cpu string
	go func() {
		cpu = must(h.DumpNow(dumps.TriggerAPI, dumps.KindCPU))
		close(done)
	}()
	passes, sum := audit(store, done)
	fmt.Fprintf(os.Stderr, "%s: %d audit passes over %d sessions (checksum %x)\n", cpu, passes, len(store.sessions), sum)
}
