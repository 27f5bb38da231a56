package dumps

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"
)

const (
	manifestName = "manifest.json"
	lockName     = ".manifest.lock"
	// A manifest larger than this is not one this library wrote (inquest reads at most 1 MiB).
	maxManifestBytes = 1 << 20
	// How long a dump waits for another process's manifest update.
	lockWait = 10 * time.Second
)

var extensions = map[string]string{KindGoroutines: "txt", KindHeap: "pb.gz", KindCPU: "pb.gz"}

// FileEntry is one file of the manifest's "files".
type FileEntry struct {
	Path    string `json:"path"` // the file's name in the folder
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	Kind    string `json:"kind"`
	Time    string `json:"time"` // when the dump was taken, RFC 3339 UTC, 9 fraction digits
	Trigger string `json:"trigger"`
	PID     int    `json:"pid"`
	Program string `json:"program"`
}

// Manifest is manifest.json: the schema `inquest capture` writes, with the handlers' per-file
// fields. Fields in this order, as written.
type Manifest struct {
	InquestCapture int             `json:"inquest_capture"`
	Writer         string          `json:"writer"`
	Runtime        string          `json:"runtime"`
	PID            int             `json:"pid"`
	Exe            string          `json:"exe"`
	Started        string          `json:"started"`
	Finished       string          `json:"finished"`
	Steps          json.RawMessage `json:"steps"`
	Files          []FileEntry     `json:"files"`
	Notes          json.RawMessage `json:"notes"`
}

// ManifestTime formats t as the manifest does: 2026-12-08T00:30:15.123456789Z.
func ManifestTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// FileName is the name of a dump file: {program}-{pid}-{20261208T003015.123Z}-{kind}.{ext},
// with "-N" before the extension for the N-th name (N >= 2) when the first ones are taken.
func FileName(program string, pid int, t time.Time, kind string, n int) string {
	suffix := ""
	if n >= 2 {
		suffix = fmt.Sprintf("-%d", n)
	}
	return fmt.Sprintf("%s-%d-%s-%s%s.%s", program, pid, t.UTC().Format("20060102T150405.000Z"),
		kind, suffix, extensions[kind])
}

// sanitizeProgram keeps a file name safe: letters, digits, '.', '_', '+', '-'; others become
// '_'; empty becomes the base name of os.Args[0], then "go".
func sanitizeProgram(p string) string {
	if p == "" && len(os.Args) > 0 {
		p = filepath.Base(os.Args[0])
	}
	b := []byte(p)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '+' || c == '-'
		if !ok {
			b[i] = '_'
		}
	}
	p = strings.TrimLeft(string(b), ".")
	if p == "" {
		p = "go"
	}
	return p
}

// prepareDir creates the folder 0700 when missing; an existing one is used as it is.
func prepareDir(dir string) error {
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return fmt.Errorf("inquest-dumps: %s is not a folder", dir)
		}
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("inquest-dumps: %v", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("inquest-dumps: creating %s: %v", dir, err)
	}
	return os.Chmod(dir, 0o700) // whatever the umask
}

// trackingWriter counts and hashes what reaches the file and keeps the first write error (the
// CPU profiler's writer goroutine does not report them).
type trackingWriter struct {
	f    *os.File
	h    hash.Hash
	n    int64
	err  error
	done bool
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.f.Write(p)
	t.h.Write(p[:n])
	t.n += int64(n)
	if err != nil {
		t.err = err
	}
	return n, err
}

// writeKind takes one dump of this kind into a new file and returns its manifest entry.
func (h *Handler) writeKind(kind, trigger string, gcDone bool) (FileEntry, error) {
	taken := time.Now()
	produce := func(w io.Writer) error {
		switch kind {
		case KindGoroutines:
			return pprof.Lookup("goroutine").WriteTo(w, 2)
		case KindHeap:
			if !gcDone {
				runtime.GC() // in-use numbers are those of the last completed GC
			}
			return pprof.WriteHeapProfile(w)
		case KindCPU:
			if err := pprof.StartCPUProfile(w); err != nil {
				return err
			}
			t := time.NewTimer(h.opts.CPUProfile)
			select {
			case <-t.C:
			case <-h.stop:
				t.Stop()
			}
			pprof.StopCPUProfile()
			return nil
		}
		return fmt.Errorf("unknown kind %q", kind)
	}
	name, size, sum, err := writeNew(h.dir, func(n int) string {
		return FileName(h.program, h.pid, taken, kind, n)
	}, produce)
	if err != nil {
		return FileEntry{}, err
	}
	return FileEntry{Path: name, Size: size, SHA256: sum, Kind: kind, Time: ManifestTime(taken),
		Trigger: trigger, PID: h.pid, Program: h.program}, nil
}

// writeTemp writes path (created O_EXCL, 0600) with produce, synced; on failure it is removed.
// It returns the size and sha256 of what was written.
func writeTemp(path string, produce func(io.Writer) error) (int64, string, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return 0, "", err
	}
	t := &trackingWriter{f: f, h: sha256.New()}
	bw := bufio.NewWriterSize(t, 64<<10)
	err = produce(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = t.err
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return 0, "", err
	}
	return t.n, hex.EncodeToString(t.h.Sum(nil)), nil
}

// writeNew writes a new file: produce writes into ".NAME.tmp", which is then published under
// the first free name of name(1), name(2)... with link(2), which never replaces a file. A
// failure removes the temporary file.
func writeNew(dir string, name func(n int) string, produce func(io.Writer) error) (string, int64, string, error) {
	tmp := filepath.Join(dir, "."+name(1)+".tmp")
	size, sum, err := writeTemp(tmp, produce)
	if err != nil {
		return "", 0, "", err
	}
	for n := 1; n < 1000; n++ {
		final := name(n)
		err = os.Link(tmp, filepath.Join(dir, final))
		if err == nil {
			os.Remove(tmp)
			syncDir(dir)
			return final, size, sum, nil
		}
		if errors.Is(err, os.ErrExist) {
			continue
		}
		// No hard links here (some FUSE and FAT file systems): reserve the name with O_EXCL,
		// then rename over the empty reservation.
		r, rerr := os.OpenFile(filepath.Join(dir, final), os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
		if errors.Is(rerr, os.ErrExist) {
			continue
		}
		if rerr == nil {
			r.Close()
			if rerr = os.Rename(tmp, filepath.Join(dir, final)); rerr == nil {
				syncDir(dir)
				return final, size, sum, nil
			}
			os.Remove(filepath.Join(dir, final))
		}
		err = rerr
		break
	}
	os.Remove(tmp)
	return "", 0, "", err
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// lockFolder takes the exclusive flock on DIR/.manifest.lock, waiting at most lockWait.
func lockFolder(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR || time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %v", lockName, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// updateManifest records added in DIR/manifest.json under the folder's lock, applies the cap,
// and returns the names of the files the cap removed.
func (h *Handler) updateManifest(added []FileEntry) ([]string, error) {
	lock, err := lockFolder(h.dir)
	if err != nil {
		return nil, err
	}
	defer lock.Close() // releases the flock
	if added == nil {
		cleanStaleTemps(h.dir) // at Install
	}
	var old *Manifest
	if data, rerr := readLimited(filepath.Join(h.dir, manifestName)); rerr == nil {
		m := new(Manifest)
		if jerr := json.Unmarshal(data, m); jerr != nil || m.InquestCapture < 1 {
			h.report("%s is not a dump manifest (%v): writing a new one", filepath.Join(h.dir, manifestName), jerr)
		} else {
			old = m
		}
	} else if !errors.Is(rerr, os.ErrNotExist) {
		h.report("reading %s: %v: writing a new one", filepath.Join(h.dir, manifestName), rerr)
	}
	now := time.Now()
	m, removed := Merge(old, added, h.maxDumps, func(name string) bool {
		_, err := os.Lstat(filepath.Join(h.dir, name))
		return err == nil
	})
	m.PID, m.Exe = h.pid, h.exe
	if m.Started == "" {
		m.Started = ManifestTime(h.installed)
	}
	m.Finished = ManifestTime(now)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	data = append(data, '\n')
	tmp := filepath.Join(h.dir, "."+manifestName+".tmp")
	os.Remove(tmp) // left by a writer that died holding the lock
	if _, _, err := writeTemp(tmp, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, filepath.Join(h.dir, manifestName)); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	syncDir(h.dir)
	for _, name := range removed {
		if err := os.Remove(filepath.Join(h.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			h.report("removing %s (over MaxDumps %d): %v", name, h.maxDumps, err)
		}
	}
	return removed, nil
}

// cleanStaleTemps removes the temporary files (".NAME.tmp") of dumps whose writer is gone (it
// was killed while writing): the pid in NAME is not a running process.
func cleanStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".tmp") || n == "."+manifestName+".tmp" {
			continue
		}
		pid, ok := pidOfName(strings.TrimSuffix(n[1:], ".tmp"))
		if !ok || pid == os.Getpid() || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue
		}
		os.Remove(filepath.Join(dir, n))
	}
}

// pidOfName reads the pid of a dump file's name: {program}-{pid}-{time}-{kind}[-N].{ext}.
func pidOfName(name string) (int, bool) {
	parts := strings.Split(name, "-")
	for i := len(parts) - 1; i >= 1; i-- {
		if len(parts[i]) == len("20261208T003015.123Z") && strings.HasSuffix(parts[i], "Z") && parts[i][8] == 'T' {
			pid := 0
			for _, c := range parts[i-1] {
				if c < '0' || c > '9' {
					return 0, false
				}
				pid = pid*10 + int(c-'0')
			}
			return pid, pid > 0
		}
	}
	return 0, false
}

func readLimited(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err == nil && len(data) > maxManifestBytes {
		err = fmt.Errorf("larger than %d bytes", maxManifestBytes)
	}
	return data, err
}

// Merge computes the next manifest: old's entries whose file still exists (exists(name)) and
// whose name is a plain file name, then added, in time order; then, when more than maxDumps
// (> 0) files are listed, the oldest are dropped and returned to be removed. It keeps old's
// started, steps and notes; pid, exe and finished are the caller's to set.
func Merge(old *Manifest, added []FileEntry, maxDumps int, exists func(name string) bool) (*Manifest, []string) {
	m := &Manifest{InquestCapture: 1, Writer: Writer, Runtime: "go",
		Steps: json.RawMessage("[]"), Notes: json.RawMessage("[]")}
	seen := map[string]bool{}
	var files []FileEntry
	if old != nil {
		m.Started = old.Started
		if isJSONArray(old.Steps) {
			m.Steps = old.Steps
		}
		if isJSONArray(old.Notes) {
			m.Notes = old.Notes
		}
		for _, e := range old.Files {
			if !plainName(e.Path) || seen[e.Path] || !exists(e.Path) {
				continue
			}
			seen[e.Path] = true
			files = append(files, e)
		}
	}
	for _, e := range added {
		if plainName(e.Path) && !seen[e.Path] && exists(e.Path) {
			seen[e.Path] = true
			files = append(files, e)
		}
	}
	sort.SliceStable(files, func(i, j int) bool {
		ti, tj := parseTime(files[i].Time), parseTime(files[j].Time)
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return files[i].Path < files[j].Path
	})
	var removed []string
	if maxDumps > 0 && len(files) > maxDumps {
		for _, e := range files[:len(files)-maxDumps] {
			removed = append(removed, e.Path)
		}
		files = files[len(files)-maxDumps:]
	}
	if files == nil {
		files = []FileEntry{}
	}
	m.Files = files
	return m, removed
}

// parseTime reads an entry's time; an unreadable one sorts first (removed first).
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func plainName(p string) bool {
	return p != "" && p != "." && p != ".." && !strings.ContainsAny(p, "/\x00") &&
		p != manifestName && p != lockName
}

func isJSONArray(r json.RawMessage) bool {
	var v []json.RawMessage
	return len(r) > 0 && json.Unmarshal(r, &v) == nil
}
