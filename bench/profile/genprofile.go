// genprofile: writes a large pprof profile shaped like what Go's runtime/pprof writes for a big
// service, for bench/profile_compare.sh. The profile.proto wire format is encoded by hand (field
// numbers as in src/profile/profile.proto) and gzipped, so nothing outside the standard library
// is needed.
//
//	go run . -out heap.pb.gz                       heap profile: alloc_objects/count,
//	                                               alloc_space/bytes, inuse_objects/count,
//	                                               inuse_space/bytes; a numeric "bytes" label
//	go run . -kind cpu -out cpu.pb.gz              CPU profile: samples/count, cpu/nanoseconds;
//	                                               string labels "handler" and "tenant"
//	go run . -epoch 2 -out heap-2.pb.gz            the same program later: the same call graph
//	                                               and stacks, other values, and 1% of the
//	                                               allocation sites (the leaks) grown 2x
//
// The program behind the profile is synthetic: -functions functions (Go-style names in a few
// hundred packages) in 40 call layers, each with a few call sites; a site's location holds 1 to
// 3 Line entries (inlined callees first, the function the call is in last, as the Go runtime
// writes them). Each sample is a walk down the call graph from a root to an allocation site,
// the callee picked with a skew so that some paths are hot, as in real services. Everything
// comes from -seed: the same flags write the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
)

// Field numbers of profile.proto.
const (
	profSampleType        = 1
	profSample            = 2
	profMapping           = 3
	profLocation          = 4
	profFunction          = 5
	profStringTable       = 6
	profTimeNanos         = 9
	profDurationNanos     = 10
	profPeriodType        = 11
	profPeriod            = 12
	profDefaultSampleType = 14

	vtType = 1
	vtUnit = 2

	sampleLocationID = 1
	sampleValue      = 2
	sampleLabel      = 3

	labelKey     = 1
	labelStr     = 2
	labelNum     = 3
	labelNumUnit = 4

	mappingID              = 1
	mappingMemoryStart     = 2
	mappingMemoryLimit     = 3
	mappingFileOffset      = 4
	mappingFilename        = 5
	mappingBuildID         = 6
	mappingHasFunctions    = 7
	mappingHasFilenames    = 8
	mappingHasLineNumbers  = 9
	mappingHasInlineFrames = 10

	locID        = 1
	locMappingID = 2
	locAddress   = 3
	locLine      = 4

	lineFunctionID = 1
	lineLine       = 2

	funcID         = 1
	funcName       = 2
	funcSystemName = 3
	funcFilename   = 4
	funcStartLine  = 5
)

// enc appends protobuf wire format to a byte slice.
type enc struct{ b []byte }

func (e *enc) varint(v uint64) {
	for v >= 0x80 {
		e.b = append(e.b, byte(v)|0x80)
		v >>= 7
	}
	e.b = append(e.b, byte(v))
}

func (e *enc) key(field, wire int) { e.varint(uint64(field)<<3 | uint64(wire)) }

// uint writes a varint field; zero is the default and is left out, as proto3 encoders do.
func (e *enc) uint(field int, v uint64) {
	if v != 0 {
		e.key(field, 0)
		e.varint(v)
	}
}

func (e *enc) int(field int, v int64) { e.uint(field, uint64(v)) }

func (e *enc) bool(field int, v bool) {
	if v {
		e.uint(field, 1)
	}
}

func (e *enc) bytes(field int, b []byte) {
	e.key(field, 2)
	e.varint(uint64(len(b)))
	e.b = append(e.b, b...)
}

// packed writes a packed repeated varint field.
func (e *enc) packed(field int, vs []uint64, scratch *enc) {
	scratch.b = scratch.b[:0]
	for _, v := range vs {
		scratch.varint(v)
	}
	e.bytes(field, scratch.b)
}

// strtab interns strings in first-use order; index 0 is "".
type strtab struct {
	index map[string]int64
	list  []string
}

func newStrtab() *strtab { return &strtab{index: map[string]int64{"": 0}, list: []string{""}} }

func (t *strtab) id(s string) int64 {
	if i, ok := t.index[s]; ok {
		return i
	}
	i := int64(len(t.list))
	t.index[s] = i
	t.list = append(t.list, s)
	return i
}

type function struct {
	name, file int64
	startLine  int64
	layer      int
}

type site struct {
	address uint64
	mapping uint64
	// lines[0] is the innermost frame (an inlined callee), the last the function the site is in.
	funcs  []int32
	lines  []int32
	callee int32 // -1: an allocation site (a leaf)
	size   int64 // bytes per object at an allocation site
	leaky  bool
}

type program struct {
	funcs     []function
	sites     []site
	siteOf    [][]int32 // per function, its sites
	byLayer   [][]int32 // per layer, its functions
	strings   *strtab
	roots     []int32
	maxLayer  int
	mappingNm []int64
}

var sizeClasses = []int64{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
	240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280,
	1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784,
	6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480,
	21760, 24576, 27264, 28672, 32768}

var (
	orgs    = []string{"github.com/acme", "go.acme.internal", "github.com/shopfront", "gitlab.example.com/platform"}
	nouns   = []string{"order", "cart", "price", "quote", "session", "user", "ledger", "invoice", "stock", "search", "catalog", "ship", "tax", "auth", "token", "route", "feed", "event", "metric", "cache", "queue", "batch", "report", "audit", "promo", "review", "media", "notify", "payment", "refund"}
	verbs   = []string{"Get", "Put", "Load", "Store", "Encode", "Decode", "Marshal", "Unmarshal", "Handle", "Serve", "Apply", "Build", "Render", "Parse", "Validate", "Merge", "Flush", "Write", "Read", "Lookup", "Resolve", "Compute", "Update", "Insert", "Scan", "Next", "Close", "Open", "Emit", "Visit"}
	types   = []string{"Server", "Client", "Store", "Cache", "Index", "Pool", "Encoder", "Decoder", "Builder", "Reader", "Writer", "Tree", "Batch", "Queue", "Router", "Handler", "Conn", "Txn", "Iter", "Buffer"}
	stdRoot = []string{"runtime.main", "runtime.goexit", "net/http.(*conn).serve", "google.golang.org/grpc.(*Server).handleStream", "main.main"}
)

// build makes the call graph: nfunc functions in layers, each with its sites.
func build(r *rand.Rand, nfunc int, st *strtab) *program {
	const layers = 40
	p := &program{strings: st, maxLayer: layers - 1, byLayer: make([][]int32, layers)}
	p.mappingNm = []int64{st.id("/usr/local/bin/storefront"), st.id("/usr/lib/x86_64-linux-gnu/libc.so.6"), st.id("[vdso]")}
	npkg := nfunc/300 + 1
	pkgs := make([]string, npkg)
	for i := range pkgs {
		pkgs[i] = fmt.Sprintf("%s/%s%d/internal/%s", orgs[r.Intn(len(orgs))], nouns[r.Intn(len(nouns))], i/20, nouns[r.Intn(len(nouns))])
	}
	seen := map[string]bool{}
	for f := 0; f < nfunc; f++ {
		var name string
		layer := 0
		if f < len(stdRoot) {
			name = stdRoot[f]
			p.roots = append(p.roots, int32(f))
		} else {
			layer = 1 + (f-len(stdRoot))*(layers-1)/(nfunc-len(stdRoot))
			for name == "" || seen[name] {
				pkg := pkgs[r.Intn(npkg)]
				short := pkg[lastSlash(pkg)+1:]
				switch r.Intn(4) {
				case 0:
					name = fmt.Sprintf("%s.%s%s", pkg, verbs[r.Intn(len(verbs))], capital(nouns[r.Intn(len(nouns))]))
				case 1:
					name = fmt.Sprintf("%s.(*%s%s).%s", pkg, capital(nouns[r.Intn(len(nouns))]), types[r.Intn(len(types))], verbs[r.Intn(len(verbs))])
				case 2:
					name = fmt.Sprintf("%s.%s%s.func%d", pkg, lower(verbs[r.Intn(len(verbs))]), capital(short), 1+r.Intn(4))
				default:
					name = fmt.Sprintf("%s.%s.%s%s", pkg, capital(nouns[r.Intn(len(nouns))])+types[r.Intn(len(types))], verbs[r.Intn(len(verbs))], capital(nouns[r.Intn(len(nouns))]))
				}
			}
		}
		seen[name] = true
		file := fmt.Sprintf("/src/%s/%s.go", pkgDir(name), nouns[r.Intn(len(nouns))])
		p.funcs = append(p.funcs, function{name: st.id(name), file: st.id(file), startLine: int64(20 + r.Intn(2000)), layer: layer})
		p.byLayer[layer] = append(p.byLayer[layer], int32(f))
	}
	p.siteOf = make([][]int32, nfunc)
	addr := uint64(0x401000)
	for f := range p.funcs {
		layer := p.funcs[f].layer
		n := 1 + r.Intn(4)
		if layer == 0 {
			n = 8
		}
		for k := 0; k < n; k++ {
			s := site{mapping: 1, callee: -1}
			if r.Intn(50) == 0 {
				s.mapping = 2 // a call into libc (cgo)
			}
			addr += uint64(8 + r.Intn(120))
			s.address = addr
			// Allocation sites get likelier deeper down; the last layer only allocates.
			leaf := layer == p.maxLayer || (layer > 8 && r.Intn(3*p.maxLayer) < layer-8)
			if !leaf {
				next := layer + 1 + r.Intn(2)
				if next > p.maxLayer {
					next = p.maxLayer
				}
				cands := p.byLayer[next]
				if len(cands) == 0 {
					leaf = true
				} else {
					// Skewed: low indexes of a layer are called from many places (hot paths).
					u := r.Float64()
					s.callee = cands[int(u*u*u*float64(len(cands)))]
				}
			}
			// Inlined frames: 0 to 2 small callees of a later layer folded into this site.
			inl := 0
			if x := r.Intn(10); x >= 7 {
				inl = 1
				if x == 9 {
					inl = 2
				}
			}
			for i := 0; i < inl; i++ {
				helper := p.byLayer[min(layer+1+i, p.maxLayer)]
				if len(helper) == 0 {
					break
				}
				h := helper[r.Intn(len(helper))]
				s.funcs = append([]int32{h}, s.funcs...)
				s.lines = append([]int32{int32(p.funcs[h].startLine) + 1 + int32(r.Intn(15))}, s.lines...)
			}
			s.funcs = append(s.funcs, int32(f))
			s.lines = append(s.lines, int32(p.funcs[f].startLine)+1+int32(r.Intn(80)))
			if leaf {
				// Small objects are the common case; a few sites allocate big buffers.
				i := int(math.Pow(r.Float64(), 2.5) * float64(len(sizeClasses)))
				s.size = sizeClasses[i]
				if r.Intn(200) == 0 {
					s.size = int64(65536 << r.Intn(6))
				}
				s.leaky = r.Intn(100) == 0
			}
			p.siteOf[f] = append(p.siteOf[f], int32(len(p.sites)))
			p.sites = append(p.sites, s)
		}
	}
	return p
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// pkgDir: the import path of a function's package (up to the first dot after the last slash).
func pkgDir(name string) string {
	sl := lastSlash(name)
	for i := sl + 1; i < len(name); i++ {
		if name[i] == '.' {
			return name[:i]
		}
	}
	return name
}

func capital(s string) string { return string(s[0]-'a'+'A') + s[1:] }
func lower(s string) string   { return string(s[0]-'A'+'a') + s[1:] }

// walk fills stack (leaf first) with one path from a root down to an allocation site.
func (p *program) walk(r *rand.Rand, stack []uint64) []uint64 {
	stack = stack[:0]
	f := p.roots[r.Intn(len(p.roots))]
	var path []int32
	for depth := 0; depth < 64; depth++ {
		sites := p.siteOf[f]
		// Skewed towards a function's first sites.
		u := r.Float64()
		s := sites[int(u*u*float64(len(sites)))]
		path = append(path, s)
		c := p.sites[s].callee
		if c < 0 {
			break
		}
		f = c
	}
	// A walk that never reached an allocation site ends with its last site's function
	// allocating there: find one of its leaf sites, else keep the call site as the leaf.
	last := path[len(path)-1]
	if p.sites[last].callee >= 0 {
		for _, s := range p.siteOf[f] {
			if p.sites[s].callee < 0 {
				path = append(path, s)
				break
			}
		}
	}
	for i := len(path) - 1; i >= 0; i-- {
		stack = append(stack, uint64(path[i])+1)
	}
	return stack
}

func main() {
	out := flag.String("out", "profile.pb.gz", "where to write the gzipped profile")
	kind := flag.String("kind", "heap", "heap or cpu")
	seed := flag.Int64("seed", 1, "seed of the call graph, the stacks and the values")
	epoch := flag.Int("epoch", 1, "which snapshot of the same program (values and leaks differ; the stacks do not)")
	samples := flag.Int("samples", 2500000, "number of samples")
	nfunc := flag.Int("functions", 120000, "number of functions")
	flag.Parse()
	if *kind != "heap" && *kind != "cpu" {
		fmt.Fprintln(os.Stderr, "-kind is heap or cpu")
		os.Exit(2)
	}
	st := newStrtab()
	prog := build(rand.New(rand.NewSource(*seed)), *nfunc, st)

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The Go runtime writes its profiles with gzip.BestSpeed.
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	w := bufio.NewWriterSize(zw, 1<<20)
	var e, sub, scratch enc
	flush := func() {
		if _, err := w.Write(e.b); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		e.b = e.b[:0]
	}
	valueType := func(field int, typ, unit string) {
		sub.b = sub.b[:0]
		sub.int(vtType, st.id(typ))
		sub.int(vtUnit, st.id(unit))
		e.bytes(field, sub.b)
	}
	var nvalues int
	// In the order the Go runtime writes them: the period, the sample types, then each sample
	// preceded by the locations it is the first to use, each location by its new functions;
	// what no sample used, the mappings and the string table at the end.
	if *kind == "heap" {
		valueType(profPeriodType, "space", "bytes")
		e.int(profPeriod, 512*1024)
		valueType(profSampleType, "alloc_objects", "count")
		valueType(profSampleType, "alloc_space", "bytes")
		valueType(profSampleType, "inuse_objects", "count")
		valueType(profSampleType, "inuse_space", "bytes")
		nvalues = 4
	} else {
		valueType(profPeriodType, "cpu", "nanoseconds")
		e.int(profPeriod, 10000000)
		valueType(profSampleType, "samples", "count")
		valueType(profSampleType, "cpu", "nanoseconds")
		nvalues = 2
	}
	flush()
	locDone := make([]bool, len(prog.sites))
	funcDone := make([]bool, len(prog.funcs))
	var le, fe enc
	emitFunc := func(i int) {
		if funcDone[i] {
			return
		}
		funcDone[i] = true
		fn := prog.funcs[i]
		fe.b = fe.b[:0]
		fe.uint(funcID, uint64(i+1))
		fe.int(funcName, fn.name)
		fe.int(funcSystemName, fn.name)
		fe.int(funcFilename, fn.file)
		fe.int(funcStartLine, fn.startLine)
		e.bytes(profFunction, fe.b)
	}
	// emitLoc: a location, its Line entries innermost first, then the functions it introduces.
	emitLoc := func(i int) {
		if locDone[i] {
			return
		}
		locDone[i] = true
		s := prog.sites[i]
		le.b = le.b[:0]
		le.uint(locID, uint64(i+1))
		le.uint(locMappingID, s.mapping)
		le.uint(locAddress, s.address)
		for k, fn := range s.funcs {
			fe.b = fe.b[:0]
			fe.uint(lineFunctionID, uint64(fn)+1)
			fe.int(lineLine, int64(s.lines[k]))
			le.bytes(locLine, fe.b)
		}
		e.bytes(profLocation, le.b)
		for _, fn := range s.funcs {
			emitFunc(int(fn))
		}
	}

	// Samples: stacks from their own generator (the same for every epoch), values from the
	// epoch's.
	stackRand := rand.New(rand.NewSource(*seed*7919 + 1))
	valueRand := rand.New(rand.NewSource(*seed*104729 + int64(*epoch)))
	handlers := make([]int64, 24)
	for i := range handlers {
		handlers[i] = st.id(fmt.Sprintf("/api/v%d/%s/%s", 1+i%3, nouns[i%len(nouns)], lower(verbs[(i*7)%len(verbs)])))
	}
	tenants := make([]int64, 60)
	for i := range tenants {
		tenants[i] = st.id(fmt.Sprintf("tenant-%04d", 17*i+3))
	}
	keyBytes, keyHandler, keyTenant := st.id("bytes"), st.id("handler"), st.id("tenant")
	var stack []uint64
	values := make([]uint64, nvalues)
	var total [4]uint64
	frames := 0
	for i := 0; i < *samples; i++ {
		stack = prog.walk(stackRand, stack)
		frames += len(stack)
		leaf := &prog.sites[stack[0]-1]
		// Pareto-like counts: most sites few, a few sites very many.
		n := uint64(1 + math.Floor(math.Pow(1/(1-valueRand.Float64()*0.999999), 1.3)))
		if *kind == "heap" {
			size := uint64(leaf.size)
			if size == 0 {
				size = 64
			}
			inuse := n * uint64(valueRand.Intn(101)) / 100
			if leaf.leaky {
				inuse = n * uint64(*epoch)
				n = inuse + n/2
			}
			values[0], values[1], values[2], values[3] = n, n*size, inuse, inuse*size
		} else {
			values[0], values[1] = n, n*10000000
		}
		for k, v := range values {
			total[k] += v
		}
		sub.b = sub.b[:0]
		sub.packed(sampleLocationID, stack, &scratch)
		sub.packed(sampleValue, values, &scratch)
		var lab enc
		if *kind == "heap" {
			lab.int(labelKey, keyBytes)
			lab.int(labelNum, int64(leaf.size))
			sub.bytes(sampleLabel, lab.b)
		} else {
			lab.int(labelKey, keyHandler)
			lab.int(labelStr, handlers[valueRand.Intn(len(handlers))])
			sub.bytes(sampleLabel, lab.b)
			lab.b = lab.b[:0]
			lab.int(labelKey, keyTenant)
			lab.int(labelStr, tenants[int(math.Pow(valueRand.Float64(), 2)*float64(len(tenants)))])
			sub.bytes(sampleLabel, lab.b)
		}
		for _, id := range stack {
			emitLoc(int(id - 1))
		}
		e.bytes(profSample, sub.b)
		if len(e.b) > 1<<16 {
			flush()
		}
	}

	// The locations and functions no sample used (a runtime profile has none; they keep the
	// counts up here), then the mappings and the string table.
	for i := range prog.sites {
		emitLoc(i)
		if len(e.b) > 1<<16 {
			flush()
		}
	}
	for i := range prog.funcs {
		emitFunc(i)
		if len(e.b) > 1<<16 {
			flush()
		}
	}
	// Mappings: the binary (with symbols), libc, the vDSO.
	limits := []uint64{0x400000, 0x7f3a2c000000, 0x7ffd5e3f0000}
	for i, name := range prog.mappingNm {
		sub.b = sub.b[:0]
		sub.uint(mappingID, uint64(i+1))
		sub.uint(mappingMemoryStart, limits[i])
		sub.uint(mappingMemoryLimit, limits[i]+0x4000000)
		sub.uint(mappingFileOffset, 0)
		sub.int(mappingFilename, name)
		if i == 0 {
			sub.int(mappingBuildID, st.id("4f1c0a9e2d7b36c58e0f91a2b3c4d5e6f7a8b9c0"))
			sub.bool(mappingHasFunctions, true)
			sub.bool(mappingHasFilenames, true)
			sub.bool(mappingHasLineNumbers, true)
			sub.bool(mappingHasInlineFrames, true)
		}
		e.bytes(profMapping, sub.b)
	}
	e.int(profTimeNanos, 1795000000e9+int64(*epoch)*600e9)
	if *kind == "cpu" {
		e.int(profDurationNanos, 60e9)
	}
	for _, s := range st.list {
		e.bytes(profStringTable, []byte(s))
		if len(e.b) > 1<<16 {
			flush()
		}
	}
	flush()
	if err := w.Flush(); err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	info, _ := os.Stat(*out)
	fmt.Fprintf(os.Stderr, "%s: %s profile, %d bytes gzipped; %d samples (%.1f locations deep on average), %d locations, %d functions, %d strings; totals %v\n",
		*out, *kind, info.Size(), *samples, float64(frames)/float64(*samples), len(prog.sites), len(prog.funcs), len(st.list), total[:nvalues])
}
