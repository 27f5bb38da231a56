package dumps

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9._+-]+-[0-9]+-[0-9]{8}T[0-9]{6}\.[0-9]{3}Z-(goroutines|heap|cpu)(-[0-9]+)?\.(txt|pb\.gz)$`)

func TestFileName(t *testing.T) {
	at := time.Date(2026, 12, 8, 0, 30, 15, 123456789, time.UTC)
	cases := []struct {
		kind string
		n    int
		want string
	}{
		{KindGoroutines, 1, "sessions-4242-20261208T003015.123Z-goroutines.txt"},
		{KindHeap, 1, "sessions-4242-20261208T003015.123Z-heap.pb.gz"},
		{KindCPU, 1, "sessions-4242-20261208T003015.123Z-cpu.pb.gz"},
		{KindHeap, 2, "sessions-4242-20261208T003015.123Z-heap-2.pb.gz"},
		{KindGoroutines, 3, "sessions-4242-20261208T003015.123Z-goroutines-3.txt"},
	}
	for _, c := range cases {
		if got := FileName("sessions", 4242, at, c.kind, c.n); got != c.want {
			t.Errorf("FileName(%s, %d) = %q, want %q", c.kind, c.n, got, c.want)
		}
		if !nameRE.MatchString(c.want) {
			t.Errorf("%q does not match the naming pattern", c.want)
		}
	}
	// A local time is written in UTC.
	local := at.In(time.FixedZone("X", 3600))
	if got := FileName("s", 1, local, KindHeap, 1); got != "s-1-20261208T003015.123Z-heap.pb.gz" {
		t.Errorf("local time: %q", got)
	}
	if got := ManifestTime(local); got != "2026-12-08T00:30:15.123456789Z" {
		t.Errorf("ManifestTime = %q", got)
	}
	if got := ManifestTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); got != "2026-01-02T03:04:05.000000000Z" {
		t.Errorf("ManifestTime keeps 9 digits: %q", got)
	}
}

func TestSanitizeProgram(t *testing.T) {
	for in, want := range map[string]string{
		"sessions": "sessions", "my app/v2": "my_app_v2", "..hidden": "hidden", "...": "go",
		"a-b_c.d+e": "a-b_c.d+e", "é": "__",
	} {
		if got := sanitizeProgram(in); got != want {
			t.Errorf("sanitizeProgram(%q) = %q, want %q", in, got, want)
		}
	}
	if got := sanitizeProgram(""); got != sanitizeProgram(filepath.Base(os.Args[0])) {
		t.Errorf("default program %q", got)
	}
}

func TestPidOfName(t *testing.T) {
	for name, want := range map[string]int{
		"sessions-4242-20261208T003015.123Z-heap.pb.gz":       4242,
		"my-app-7-20261208T003015.123Z-goroutines-2.txt":      7,
		"x-20261208T003015.123Z-heap.pb.gz":                   0,
		"manifest.json":                                       0,
		"svc-abc-20261208T003015.123Z-cpu.pb.gz":              0,
		"svc-99-20261208T003015.123Z-cpu.pb.gz.something-odd": 99,
	} {
		got, ok := pidOfName(name)
		if got != want || ok != (want > 0) {
			t.Errorf("pidOfName(%q) = %d, %v; want %d", name, got, ok, want)
		}
	}
}

func entry(path, at string) FileEntry {
	return FileEntry{Path: path, Size: 1, SHA256: strings.Repeat("0", 64), Kind: KindHeap, Time: at,
		Trigger: TriggerSIGUSR1, PID: 1, Program: "p"}
}

func TestMergeKeepsPresentFilesInTimeOrder(t *testing.T) {
	old := &Manifest{InquestCapture: 1, Started: "2026-12-08T00:00:00.000000000Z",
		Steps: json.RawMessage(`[{"what":"x"}]`), Notes: json.RawMessage(`["kept"]`),
		Files: []FileEntry{
			entry("b", "2026-12-08T00:00:02.000000000Z"),
			entry("gone", "2026-12-08T00:00:01.000000000Z"),
			entry("a", "2026-12-08T00:00:01.500000000Z"),
			entry("../escape", "2026-12-08T00:00:01.000000000Z"),
			entry("manifest.json", "2026-12-08T00:00:01.000000000Z"),
			entry("a", "2026-12-08T00:00:01.500000000Z"), // listed twice
		}}
	present := map[string]bool{"a": true, "b": true, "c": true, "../escape": true, "manifest.json": true}
	m, removed := Merge(old, []FileEntry{entry("c", "2026-12-08T00:00:03.000000000Z")}, 20,
		func(n string) bool { return present[n] })
	if len(removed) != 0 {
		t.Errorf("removed %v", removed)
	}
	var got []string
	for _, e := range m.Files {
		got = append(got, e.Path)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Errorf("files %v, want a,b,c", got)
	}
	if m.Started != old.Started || string(m.Steps) != `[{"what":"x"}]` || string(m.Notes) != `["kept"]` {
		t.Errorf("started/steps/notes not kept: %q %s %s", m.Started, m.Steps, m.Notes)
	}
	if m.InquestCapture != 1 || m.Writer != Writer || m.Runtime != "go" {
		t.Errorf("header %+v", m)
	}
}

func TestMergeCapRemovesOldest(t *testing.T) {
	var old Manifest
	old.InquestCapture = 1
	for i := 0; i < 6; i++ {
		old.Files = append(old.Files, entry(string(rune('a'+i)), ManifestTime(time.Unix(int64(100-i), 0))))
	}
	// a is the newest (t=100), f the oldest (t=95).
	m, removed := Merge(&old, []FileEntry{entry("new", ManifestTime(time.Unix(200, 0)))}, 4,
		func(string) bool { return true })
	if strings.Join(removed, ",") != "f,e,d" {
		t.Errorf("removed %v, want the three oldest f,e,d", removed)
	}
	var got []string
	for _, e := range m.Files {
		got = append(got, e.Path)
	}
	if strings.Join(got, ",") != "c,b,a,new" {
		t.Errorf("kept %v", got)
	}
	// No cap.
	_, removed = Merge(&old, nil, -1, func(string) bool { return true })
	if len(removed) != 0 {
		t.Errorf("negative MaxDumps removed %v", removed)
	}
}

func TestMergeFromNothing(t *testing.T) {
	m, _ := Merge(nil, nil, 20, func(string) bool { return true })
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"inquest_capture":1,"writer":"inquest-dumps-go 1","runtime":"go","pid":0,"exe":"","started":"","finished":"","steps":[],"files":[],"notes":[]}`
	if string(data) != want {
		t.Errorf("got %s\nwant %s", data, want)
	}
}

func TestWriteNewNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	name := func(n int) string { return FileName("p", 1, time.Unix(0, 0), KindGoroutines, n) }
	for i, body := range []string{"one", "two", "three"} {
		got, size, sum, err := writeNew(dir, name, func(w io.Writer) error { _, err := io.WriteString(w, body); return err })
		if err != nil {
			t.Fatal(err)
		}
		if got != name(i+1) {
			t.Errorf("write %d named %q, want %q", i, got, name(i+1))
		}
		data, _ := os.ReadFile(filepath.Join(dir, got))
		h := sha256.Sum256(data)
		if string(data) != body || size != int64(len(body)) || sum != hex.EncodeToString(h[:]) {
			t.Errorf("%s: %q size %d sum %s", got, data, size, sum)
		}
		st, _ := os.Stat(filepath.Join(dir, got))
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %o", got, st.Mode().Perm())
		}
	}
	// A failing writer leaves nothing behind.
	_, _, _, err := writeNew(dir, name, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errors.New("disk full")
	})
	if err == nil {
		t.Error("no error from a failing writer")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	if len(entries) != 3 {
		t.Errorf("%d files, want 3", len(entries))
	}
}

func readManifest(t *testing.T, dir string) Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInstallDumpNowAndCap(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "dumps")
	var stderr bytes.Buffer
	h, err := Install(Options{Dir: dir, Program: "unit", MaxDumps: 3, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("folder %v mode %o", err, st.Mode().Perm())
	}
	m := readManifest(t, dir)
	if len(m.Files) != 0 || m.PID != os.Getpid() || m.Started == "" || m.Runtime != "go" {
		t.Errorf("manifest at install: %+v", m)
	}
	started := m.Started
	var all []string
	for i := 0; i < 3; i++ {
		paths, err := h.DumpNow("")
		if err != nil || len(paths) != 2 {
			t.Fatalf("DumpNow: %v %v", paths, err)
		}
		all = append(all, paths...)
	}
	m = readManifest(t, dir)
	if len(m.Files) != 3 {
		t.Fatalf("%d files listed, want the cap 3", len(m.Files))
	}
	if m.Started != started {
		t.Errorf("started changed: %s -> %s", started, m.Started)
	}
	// The three kept are the newest: the last three written.
	for i, e := range m.Files {
		if want := filepath.Base(all[len(all)-3+i]); e.Path != want {
			t.Errorf("file %d is %s, want %s", i, e.Path, want)
		}
		if e.Trigger != TriggerAPI || e.PID != os.Getpid() || e.Program != "unit" || !nameRE.MatchString(e.Path) {
			t.Errorf("entry %+v", e)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Path))
		h := sha256.Sum256(data)
		if err != nil || int64(len(data)) != e.Size || hex.EncodeToString(h[:]) != e.SHA256 {
			t.Errorf("%s: size or sha256 differ from the manifest (%v)", e.Path, err)
		}
	}
	for _, p := range all[:len(all)-3] {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s should have been removed by the cap", p)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(entries) != 5 { // 3 dumps, manifest.json, .manifest.lock
		t.Errorf("folder holds %v", names)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	// Only some kinds; a CPU profile without CPUProfile is an error, not a crash.
	if paths, err := h.DumpNow(TriggerPanic, KindGoroutines); err != nil || len(paths) != 1 {
		t.Errorf("goroutines only: %v %v", paths, err)
	}
	if _, err := h.DumpNow("", KindCPU); err == nil {
		t.Error("a CPU profile without Options.CPUProfile should fail")
	}
	if _, err := h.DumpNow("", "core"); err == nil {
		t.Error("an unknown kind should fail")
	}
	h.Stop()
	if _, err := h.DumpNow(""); err != ErrStopped {
		t.Errorf("after Stop: %v", err)
	}
}

func TestSecondHandlerKeepsEarlierDumps(t *testing.T) {
	dir := t.TempDir()
	h1, err := Install(Options{Dir: dir, Program: "one"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h1.DumpNow("", KindGoroutines); err != nil {
		t.Fatal(err)
	}
	h1.Stop()
	started := readManifest(t, dir).Started
	h2, err := Install(Options{Dir: dir, Program: "two"})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Stop()
	if _, err := h2.DumpNow("", KindGoroutines); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, dir)
	if len(m.Files) != 2 || m.Files[0].Program != "one" || m.Files[1].Program != "two" || m.Started != started {
		t.Errorf("manifest after a second handler: %+v", m)
	}
}

func TestInstallErrors(t *testing.T) {
	if _, err := Install(Options{}); err == nil {
		t.Error("no Dir accepted")
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	if _, err := Install(Options{Dir: f}); err == nil || !strings.HasPrefix(err.Error(), "inquest-dumps:") {
		t.Errorf("a file as Dir: %v", err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(t.TempDir(), "ro")
		os.Mkdir(ro, 0o500)
		if _, err := Install(Options{Dir: ro}); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Errorf("a read-only folder: %v", err)
		}
	}
}

func TestCorruptManifestIsReplaced(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, manifestName), []byte("{not json"), 0o600)
	var stderr bytes.Buffer
	h, err := Install(Options{Dir: dir, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	h.Stop()
	if m := readManifest(t, dir); m.InquestCapture != 1 {
		t.Errorf("manifest %+v", m)
	}
	if !strings.HasPrefix(stderr.String(), "inquest-dumps: ") || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("stderr %q", stderr.String())
	}
}

var sink [][]byte

func TestWatchdogOncePerCrossing(t *testing.T) {
	dir := t.TempDir()
	h, err := Install(Options{Dir: dir, HeapLimitBytes: 16 << 20, WatchdogInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	watchdogFiles := func() int {
		n := 0
		for _, e := range readManifest(t, dir).Files {
			if e.Trigger == TriggerWatchdog && e.Kind == KindHeap {
				n++
			}
		}
		return n
	}
	time.Sleep(100 * time.Millisecond)
	if n := watchdogFiles(); n != 0 {
		t.Fatalf("%d watchdog dumps under the limit", n)
	}
	for i := 0; i < 32; i++ {
		sink = append(sink, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for watchdogFiles() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // 15 more checks over the limit
	if n := watchdogFiles(); n != 1 {
		t.Fatalf("%d watchdog dumps over the limit, want 1", n)
	}
	// Under the re-arm level, then over again: a second crossing, a second dump.
	sink = nil
	runtime.GC()
	time.Sleep(200 * time.Millisecond)
	for i := 0; i < 32; i++ {
		sink = append(sink, make([]byte, 1<<20))
	}
	runtime.GC() // the live heap metric is updated by a GC
	deadline = time.Now().Add(5 * time.Second)
	for watchdogFiles() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := watchdogFiles(); n != 2 {
		t.Errorf("%d watchdog dumps after a second crossing, want 2", n)
	}
	sink = nil
	h.Stop()
	t.Logf("heap read from %s", h.wd.metric)
}

func TestInstallRemovesTempFilesOfDeadWriters(t *testing.T) {
	dir := t.TempDir()
	dead := ".svc-4194305-20261208T003015.123Z-heap.pb.gz.tmp" // above the kernel's PID_MAX_LIMIT
	mine := "." + FileName("svc", os.Getpid(), time.Now(), KindHeap, 1) + ".tmp"
	other := ".notes.tmp"
	for _, n := range []string{dead, mine, other} {
		os.WriteFile(filepath.Join(dir, n), []byte("partial"), 0o600)
	}
	h, err := Install(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	h.Stop()
	for n, want := range map[string]bool{dead: false, mine: true, other: true} {
		if _, err := os.Stat(filepath.Join(dir, n)); (err == nil) != want {
			t.Errorf("%s present: %v, want %v", n, err == nil, want)
		}
	}
}

func TestUnwritableFolder(t *testing.T) {
	// /proc/self is a folder no one, root included, can create files in.
	_, err := Install(Options{Dir: "/proc/self"})
	if err == nil || !strings.HasPrefix(err.Error(), "inquest-dumps: /proc/self is not writable") {
		t.Errorf("Install on /proc/self: %v", err)
	}
}

func TestFolderRemovedAfterInstallIsMadeAgain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dumps")
	var stderr bytes.Buffer
	h, err := Install(Options{Dir: dir, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	os.RemoveAll(dir)
	paths, err := h.DumpNow("", KindGoroutines)
	if err != nil || len(paths) != 1 {
		t.Fatalf("DumpNow after the folder was removed: %v %v (%s)", paths, err, stderr.String())
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("folder made again: %v", err)
	}
	if m := readManifest(t, dir); len(m.Files) != 1 {
		t.Errorf("manifest %+v", m)
	}
}
