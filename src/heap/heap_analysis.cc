#include "heap/heap_analysis.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "base/strings.h"
#include "heap/collections.h"
#include "heap/fan_out.h"
#include "heap/reference_names.h"
#include "heap/top_k.h"

namespace inquest::heap {
namespace {

ObjectRow Row(const HeapGraph& g, const DominatorTree& t, uint32_t i) {
  ObjectRow r;
  r.object = i;
  r.id = g.IdOf(i);
  r.class_name = ObjectClassName(g, i);
  r.shallow = g.Shallow(i);
  r.retained = t.retained[i];
  HeapClass::Kind k = g.classes()[g.ClassOf(i)].kind;
  if (k == HeapClass::Kind::kObjectArray || k == HeapClass::Kind::kPrimitiveArray)
    r.length = g.ArrayLength(i);
  return r;
}

bool IsArray(const HeapGraph& g, uint32_t i) {
  HeapClass::Kind k = g.classes()[g.ClassOf(i)].kind;
  return k == HeapClass::Kind::kObjectArray || k == HeapClass::Kind::kPrimitiveArray;
}

// Retained size of all instances of each class together: an instance counts when no instance
// of its own class dominates it (walked over the dominator tree, depth first, without recursion).
std::vector<uint64_t> ClassRetained(const HeapGraph& g, const DominatorTree& t) {
  std::vector<uint64_t> sum(g.classes().size(), 0);
  std::vector<uint32_t> open(g.classes().size(), 0);
  struct Frame {
    uint32_t object;
    uint32_t next;
  };
  std::vector<Frame> stack;
  for (uint32_t top : t.top) {
    stack.push_back({top, t.child_start[top]});
    uint32_t c = g.ClassOf(top);
    if (open[c]++ == 0) sum[c] += t.retained[top];
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == t.child_start[f.object + 1]) {
        --open[g.ClassOf(f.object)];
        stack.pop_back();
        continue;
      }
      uint32_t child = t.children[f.next++];
      uint32_t cc = g.ClassOf(child);
      if (open[cc]++ == 0) sum[cc] += t.retained[child];
      stack.push_back({child, t.child_start[child]});
    }
  }
  return sum;
}

std::vector<ClassRow> Histogram(const HeapGraph& g, const DominatorTree& t) {
  std::vector<ClassRow> rows(g.classes().size());
  for (size_t k = 0; k < rows.size(); ++k) rows[k].name = g.classes()[k].name;
  for (uint32_t i = 0; i < g.objects(); ++i) {
    ClassRow& r = rows[g.ClassOf(i)];
    uint64_t s = g.Shallow(i);
    ++r.instances;
    r.shallow += s;
    r.largest = std::max(r.largest, s);
    if (IsArray(g, i)) r.elements += g.ArrayLength(i);
  }
  std::vector<uint64_t> retained = ClassRetained(g, t);
  for (size_t k = 0; k < rows.size(); ++k) rows[k].retained = retained[k];
  // Classes of the same name (loaded twice) stay apart, as in MAT.
  std::erase_if(rows, [](const ClassRow& r) { return r.instances == 0; });
  std::sort(rows.begin(), rows.end(), [](const ClassRow& a, const ClassRow& b) {
    if (a.retained != b.retained) return a.retained > b.retained;
    if (a.shallow != b.shallow) return a.shallow > b.shallow;
    return a.name < b.name;
  });
  return rows;
}

// Shortest path from any GC root to `target` (breadth first over the references), as objects
// from the root down; empty when unreachable. Without `through_locals` the path never steps
// from a thread into a local variable of its frames: a field that keeps the object (a static
// cache) explains more than the frame that happened to touch it when the dump was taken.
std::vector<uint32_t> PathFromRoot(const HeapGraph& g, uint32_t target, bool through_weak,
                                   bool through_locals) {
  absl::flat_hash_map<uint32_t, const std::vector<uint32_t>*> locals;
  if (!through_locals)
    for (const HeapThread& th : g.threads())
      if (th.object != kNoIndex) locals[th.object] = &th.locals;
  std::vector<uint32_t> from(g.objects(), kNoIndex);
  std::deque<uint32_t> queue;
  for (const HeapRoot& r : g.roots()) {
    if (from[r.object] != kNoIndex) continue;
    from[r.object] = kVirtualRoot;
    queue.push_back(r.object);
  }
  while (!queue.empty() && from[target] == kNoIndex) {
    uint32_t v = queue.front();
    queue.pop_front();
    auto frame = locals.find(v);
    for (uint32_t e : g.Refs(v)) {
      if ((e & kWeakEdge) && !through_weak) continue;
      uint32_t w = e & ~kWeakEdge;
      if (from[w] != kNoIndex) continue;
      if (frame != locals.end() &&
          std::binary_search(frame->second->begin(), frame->second->end(), w))
        continue;
      from[w] = v;
      queue.push_back(w);
    }
  }
  std::vector<uint32_t> path;
  if (from[target] == kNoIndex) return path;
  for (uint32_t v = target; v != kVirtualRoot; v = from[v]) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

std::string RootKinds(const HeapGraph& g, uint32_t object) {
  auto it = std::lower_bound(g.roots().begin(), g.roots().end(), object,
                             [](const HeapRoot& r, uint32_t v) { return r.object < v; });
  return it != g.roots().end() && it->object == object ? std::string(RootKindName(it->kind))
                                                       : "root";
}

// The object that holds array `v` in a field (not a thread's frame), the biggest such by
// retained size; kNoIndex when none. One scan of the references.
uint32_t InstanceHolder(const HeapGraph& g, const DominatorTree& t, uint32_t v) {
  uint32_t best = kNoIndex;
  for (uint32_t i = 0; i < g.objects(); ++i) {
    if (t.idom[i] == kNoIndex || IsArray(g, i)) continue;
    bool refers = false;
    for (uint32_t e : g.Refs(i)) refers |= (e & ~kWeakEdge) == v;
    if (!refers) continue;
    bool local = false;
    for (const HeapThread& th : g.threads())
      if (th.object == i && std::binary_search(th.locals.begin(), th.locals.end(), v)) local = true;
    if (local || g.classes()[g.ClassOf(i)].kind == HeapClass::Kind::kClass) continue;
    if (best == kNoIndex || t.retained[i] > t.retained[best]) best = i;
  }
  return best;
}

// The objects outside the tree that a GC root still reaches through weak or soft references.
std::vector<uint32_t> WeaklyReachable(const HeapGraph& g, const DominatorTree& t) {
  std::vector<uint32_t> found;
  std::vector<bool> seen(g.objects(), false);
  std::vector<uint32_t> stack;
  for (uint32_t v = 0; v < g.objects(); ++v)
    if (t.idom[v] != kNoIndex) seen[v] = true;
  for (uint32_t v = 0; v < g.objects(); ++v) {
    if (t.idom[v] == kNoIndex) continue;
    for (uint32_t e : g.Refs(v)) {
      uint32_t w = e & ~kWeakEdge;
      if (seen[w]) continue;
      seen[w] = true;
      stack.push_back(w);
      while (!stack.empty()) {
        uint32_t x = stack.back();
        stack.pop_back();
        found.push_back(x);
        for (uint32_t f : g.Refs(x))
          if (uint32_t y = f & ~kWeakEdge; !seen[y]) {
            seen[y] = true;
            stack.push_back(y);
          }
      }
    }
  }
  return found;
}

uint32_t BiggestChild(const DominatorTree& t, uint32_t v) {
  uint32_t best = kNoIndex;
  for (uint32_t k = t.child_start[v]; k < t.child_start[v + 1]; ++k)
    if (best == kNoIndex || t.retained[t.children[k]] > t.retained[best]) best = t.children[k];
  return best;
}

std::string Objects(uint64_t n) { return n == 1 ? "one object" : WithThousands(n) + " objects"; }

std::string Explain(const LeakSuspect& s) {
  std::string text;
  if (s.is_class && s.class_name == "java.lang.Class") {
    text = fmt::format(
        "{} classes retain {} ({:.0f}% of the live heap) through their static "
        "fields.",
        WithThousands(s.instances), HumanBytes(s.retained), 100 * s.share);
  } else if (s.is_class) {
    text = fmt::format("{} instances of {} retain {} ({:.0f}% of the live heap).",
                       WithThousands(s.instances), s.class_name, HumanBytes(s.retained),
                       100 * s.share);
  } else {
    text = fmt::format("One {} retains {} ({:.0f}% of the live heap).", s.subject.class_name,
                       HumanBytes(s.retained), 100 * s.share);
  }
  if (s.has_owner) {
    text += fmt::format(
        " No single object dominates it: it is the {} of a {}, and is also "
        "referenced from elsewhere (a thread's frame while the owner resizes or "
        "copies it, or a second holder).",
        s.owner_field.empty() ? "array" : s.owner_field.substr(s.owner_field.find(' ') + 1),
        s.owner.class_name);
  }
  if (s.accumulation.object != s.subject.object || s.is_class) {
    text += fmt::format(" The memory accumulates in one {}", s.accumulation.class_name);
    if (s.accumulation.length >= 0)
      text += fmt::format(" of {} elements", WithThousands(s.accumulation.length));
    text +=
        fmt::format(" ({} retained, {} objects directly below it).",
                    HumanBytes(s.accumulation.retained), WithThousands(s.accumulation_children));
  } else if (s.accumulation_children > 0) {
    text += fmt::format(" It holds {} objects directly.", WithThousands(s.accumulation_children));
  }
  if (!s.path.empty()) {
    text += s.only_weakly_held
                ? " It is reachable only through a weak or soft reference, so the collector may "
                  "free it under memory pressure; the path: "
                : " The path from its GC root: ";
    for (size_t k = 0; k < s.path.size(); ++k) {
      const PathStep& p = s.path[k];
      if (k == 0)
        text += fmt::format("{} [{}]", p.object.class_name, p.via);
      else
        text += fmt::format(" → {}{}", p.via.empty() ? "" : p.via + ": ", p.object.class_name);
    }
    text += ".";
  }
  return text;
}

// The suspects and their paths from the GC roots; the references on the paths, to be named by
// the shared pass, go to *pairs_out.
void FindSuspects(const HeapGraph& g, const DominatorTree& t, const HeapOptions& o,
                  const std::vector<ClassRow>& histogram, HeapReport* r,
                  std::vector<std::pair<uint32_t, uint32_t>>* pairs_out) {
  if (t.reachable_bytes == 0) return;
  uint64_t threshold = static_cast<uint64_t>(o.suspect_share * double(t.reachable_bytes));
  // The deepest objects over the threshold: none of their children is.
  std::vector<uint32_t> deepest;
  for (uint32_t v = 0; v < g.objects(); ++v) {
    if (t.retained[v] < threshold || t.retained[v] == 0) continue;
    uint32_t c = BiggestChild(t, v);
    if (c == kNoIndex || t.retained[c] < threshold) deepest.push_back(v);
  }
  std::sort(deepest.begin(), deepest.end(),
            [&](uint32_t a, uint32_t b) { return t.retained[a] > t.retained[b]; });
  for (uint32_t v : deepest) {
    LeakSuspect s;
    // The subject is the holder: the nearest object above (or at) the deepest one that is not
    // an array (a map rather than its table).
    uint32_t holder = v;
    while (IsArray(g, holder) && t.idom[holder] != kVirtualRoot) holder = t.idom[holder];
    // The accumulation point: down from the holder while one child keeps most of it.
    uint32_t acc = holder;
    for (;;) {
      uint32_t c = BiggestChild(t, acc);
      if (c == kNoIndex || double(t.retained[c]) < kAccumulationShare * double(t.retained[acc]))
        break;
      acc = c;
    }
    s.subject = Row(g, t, holder);
    if (IsArray(g, holder)) {
      uint32_t owner = InstanceHolder(g, t, holder);
      if (owner != kNoIndex) {
        s.has_owner = true;
        s.owner = Row(g, t, owner);
      }
    }
    s.retained = t.retained[holder];
    s.share = double(s.retained) / double(t.reachable_bytes);
    s.accumulation = Row(g, t, acc);
    s.accumulation_children = t.child_start[acc + 1] - t.child_start[acc];
    for (uint32_t d = t.idom[holder]; d != kVirtualRoot && d != kNoIndex; d = t.idom[d])
      s.dominators.push_back(Row(g, t, d));
    r->suspects.push_back(std::move(s));
  }
  // Classes whose top-level instances (dominated by nothing but the roots) together cross the
  // threshold, as MAT groups them, unless an object suspect already stands for the class.
  std::vector<uint64_t> top_sum(g.classes().size(), 0), top_count(g.classes().size(), 0);
  std::vector<uint32_t> top_best(g.classes().size(), kNoIndex);
  for (uint32_t v : t.top) {
    uint32_t c = g.ClassOf(v);
    top_sum[c] += t.retained[v];
    ++top_count[c];
    if (top_best[c] == kNoIndex || t.retained[v] > t.retained[top_best[c]]) top_best[c] = v;
  }
  for (uint32_t c = 0; c < g.classes().size(); ++c) {
    if (top_sum[c] < threshold || top_count[c] < 2) continue;
    // One instance over the threshold on its own is followed down as an object suspect.
    if (t.retained[top_best[c]] >= threshold) continue;
    bool covered = false;
    for (const LeakSuspect& s : r->suspects)
      if (g.ClassOf(s.subject.object) == c) covered = true;
    if (covered) continue;
    LeakSuspect s;
    s.is_class = true;
    s.class_name = g.classes()[c].name;
    s.instances = top_count[c];
    s.retained = top_sum[c];
    s.share = double(top_sum[c]) / double(t.reachable_bytes);
    s.subject = Row(g, t, top_best[c]);
    s.accumulation = s.subject;
    s.accumulation_children = t.child_start[top_best[c] + 1] - t.child_start[top_best[c]];
    r->suspects.push_back(std::move(s));
  }
  // Paths from the GC roots.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (LeakSuspect& s : r->suspects) {
    // Through the owner, when there is one: the map that holds the table, not the frame.
    uint32_t to = s.has_owner ? s.owner.object : s.subject.object;
    std::vector<uint32_t> path = PathFromRoot(g, to, o.path_through_weak, false);
    if (path.empty()) path = PathFromRoot(g, to, o.path_through_weak, true);
    if (path.empty() && !o.path_through_weak) {
      // Held only through weak or soft references: the collector may free it under pressure.
      path = PathFromRoot(g, to, true, true);
      s.only_weakly_held = !path.empty();
    }
    if (!path.empty() && to != s.subject.object) path.push_back(s.subject.object);
    for (size_t k = 0; k < path.size(); ++k) {
      PathStep step;
      step.object = Row(g, t, path[k]);
      if (k == 0) step.via = "GC root: " + RootKinds(g, path[0]);
      s.path.push_back(std::move(step));
      if (k > 0) pairs.emplace_back(path[k - 1], path[k]);
    }
  }
  *pairs_out = std::move(pairs);
}

// The names a shared pass found, put on the suspects' paths, and their explanations written.
void NamePaths(const std::vector<std::string>& names, HeapReport* r) {
  size_t n = 0;
  for (LeakSuspect& s : r->suspects) {
    for (size_t k = 1; k < s.path.size(); ++k) s.path[k].via = names[n++];
    if (s.has_owner && s.path.size() >= 2) s.owner_field = s.path.back().via;
    s.explanation = Explain(s);
  }
}

}  // namespace

std::string ObjectClassName(const HeapGraph& g, uint32_t object) {
  const HeapClass& c = g.classes()[g.ClassOf(object)];
  if (c.kind == HeapClass::Kind::kClass) return "class " + g.classes()[g.ArrayLength(object)].name;
  return c.name;
}

HeapReport AnalyzeHeap(const HeapGraph& g, const DominatorTree& t, const HeapOptions& o) {
  HeapReport r;
  r.version = g.header().version;
  r.id_size = g.header().id_size;
  r.ref_size = g.ref_size();
  r.alignment = g.alignment();
  r.time_ms = g.header().time_ms;
  r.time = g.header().time();
  r.objects = g.objects();
  r.references = g.edge_count();
  r.live_objects = t.reachable_objects;
  r.live_bytes = t.reachable_bytes;
  r.suspect_share = o.suspect_share;
  r.warnings = g.warnings();
  for (const HeapThread& th : g.threads()) {
    ThreadRow row;
    row.serial = th.serial;
    if (th.object != kNoIndex) row.thread = Row(g, t, th.object);
    row.frames = th.frames;
    row.locals = th.locals.size();
    std::vector<uint32_t> held = th.locals;
    std::sort(held.begin(), held.end(), [&](uint32_t a, uint32_t b) {
      return t.retained[a] != t.retained[b] ? t.retained[a] > t.retained[b] : a < b;
    });
    for (size_t k = 0; k < held.size() && k < kHeldPerThread; ++k)
      row.held.push_back(Row(g, t, held[k]));
    r.threads.push_back(std::move(row));
  }
  for (uint32_t i = 0; i < g.objects(); ++i) r.total_bytes += g.Shallow(i);
  r.roots = g.roots().size();
  std::vector<uint64_t> by_kind(kRootKinds, 0);
  for (const HeapRoot& root : g.roots()) ++by_kind[static_cast<int>(root.kind)];
  for (int k = 0; k < kRootKinds; ++k)
    if (by_kind[k] > 0)
      r.roots_by_kind.emplace_back(std::string(RootKindName(static_cast<RootKind>(k))), by_kind[k]);
  r.histogram = Histogram(g, t);
  for (uint32_t i : TopBy(g.objects(), o.top,
                          [&](uint32_t i) { return t.idom[i] == kNoIndex ? 0 : t.retained[i]; }))
    r.top_objects.push_back(Row(g, t, i));
  for (uint32_t i :
       TopBy(g.objects(), o.top, [&](uint32_t i) { return IsArray(g, i) ? g.Shallow(i) : 0; }))
    r.biggest_arrays.push_back(Row(g, t, i));
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  FindSuspects(g, t, o, r.histogram, &r, &pairs);
  std::vector<uint32_t> holders;
  for (const LeakSuspect& s : r.suspects)
    holders.push_back(s.has_owner ? s.owner.object : s.subject.object);
  // One more read of the dump for what the graph does not keep: the fields on the suspects'
  // paths, the strings' values, the collections' counts. A read that fails part way leaves
  // what it did not reach unnamed or uncounted.
  ReferenceNamer namer(g, pairs);
  DuplicateStringFinder strings(g);
  CollectionCounter collections(g, t, o.top, holders);
  std::vector<HprofVisitor*> readers;
  for (HprofVisitor* v : {namer.visitor(), strings.visitor(), collections.visitor()})
    if (v != nullptr) readers.push_back(v);
  FanOutVisitor all(readers);
  if (!readers.empty()) (void)g.Reread(&all);
  NamePaths(namer.names(), &r);
  r.duplicate_strings = strings.Finish(o.top);
  for (const CollectionRow& c : collections.rows())
    r.biggest_collections.push_back({Row(g, t, c.object), c.elements});
  // Objects the dominator tree leaves out: held only through weak or soft references (the
  // collector may free them), or garbage not yet collected.
  uint64_t weak_objects = 0, weak_bytes = 0;
  for (uint32_t v : WeaklyReachable(g, t)) {
    ++weak_objects;
    weak_bytes += g.Shallow(v);
  }
  if (weak_objects > 0)
    r.warnings.push_back(fmt::format(
        "{} objects ({}) are reachable only through weak or soft references: the collector may "
        "free them, so they count as no one's retained size",
        WithThousands(weak_objects), HumanBytes(weak_bytes)));
  if (r.objects > r.live_objects + weak_objects)
    r.warnings.push_back(fmt::format(
        "{} objects ({}) are not reachable from the GC roots: garbage not yet collected; they "
        "count in the histogram's shallow sizes and retain nothing",
        WithThousands(r.objects - r.live_objects - weak_objects),
        HumanBytes(r.total_bytes - r.live_bytes - weak_bytes)));
  return r;
}

}  // namespace inquest::heap
