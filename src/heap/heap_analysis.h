// What a heap dump says: the class histogram with retained sizes, the biggest objects by
// retained size, the leak suspects with their accumulation point and the path from a GC root,
// the biggest arrays, and the threads with their stacks.
//
//   INQ_ASSIGN_OR_RETURN(HeapGraph g, BuildHeapGraph(path));
//   HeapReport r = AnalyzeHeap(g, ComputeDominators(g), HeapOptions{});
#ifndef INQUEST_HEAP_HEAP_ANALYSIS_H_
#define INQUEST_HEAP_HEAP_ANALYSIS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "heap/dominators.h"
#include "heap/duplicate_strings.h"
#include "heap/heap_graph.h"

namespace inquest::heap {

// An object or a class retaining at least this share of the live heap is a leak suspect.
inline constexpr double kDefaultSuspectShare = 0.10;
// Walking down from a suspect, the accumulation point is where the biggest child keeps less
// than this share of its parent's retained size: the memory spreads over many small objects.
inline constexpr double kAccumulationShare = 0.80;

// Objects listed per thread among those its frames hold.
inline constexpr size_t kHeldPerThread = 5;

struct HeapOptions {
  double suspect_share = kDefaultSuspectShare;
  size_t top = 20;                 // rows of the histogram and of the biggest-object lists
  bool path_through_weak = false;  // paths from GC roots may pass weak and soft references
};

struct ClassRow {
  std::string name;
  uint64_t instances = 0;
  uint64_t shallow = 0;
  uint64_t retained = 0;  // of all its instances together (nested ones counted once)
  uint64_t elements = 0;  // arrays: elements of all instances
  uint64_t largest = 0;   // biggest instance's shallow size
};

struct ObjectRow {
  uint32_t object = 0;
  uint64_t id = 0;
  std::string class_name;  // "class com.acme.Cache" for a class object
  uint64_t shallow = 0;
  uint64_t retained = 0;
  int64_t length = -1;  // arrays: elements; otherwise -1
};

struct CollectionObject {
  ObjectRow object;
  int64_t elements = -1;  // from its count field; -1 when unread
};

// A thread, its stack, and the biggest objects its frames hold.
struct ThreadRow {
  uint32_t serial = 0;
  ObjectRow thread;  // the java.lang.Thread (retained: what it and its frames keep)
  std::vector<std::string> frames;
  uint64_t locals = 0;
  std::vector<ObjectRow> held;  // biggest locals by retained size
};

struct PathStep {
  ObjectRow object;
  std::string
      via;  // how the step before reaches it: "GC root: system class", "field cache", "[12]"
};

struct LeakSuspect {
  bool is_class = false;  // many instances of one class rather than one object
  ObjectRow subject;      // the object (for a class: its biggest instance)
  // When the subject is an array no single object dominates (a map's table while a thread
  // resizes it), the object that holds it in a field, and that field; the path then runs
  // through it.
  bool has_owner = false;
  ObjectRow owner;
  std::string owner_field;
  std::string class_name;  // the class, for a class suspect
  uint64_t instances = 0;  // for a class suspect
  uint64_t retained = 0;
  double share = 0;        // of the live heap
  ObjectRow accumulation;  // where the memory accumulates
  uint64_t accumulation_children = 0;
  std::vector<PathStep> path;         // from a GC root to the subject, shortest
  bool only_weakly_held = false;      // the path has to pass a weak or soft reference
  std::vector<ObjectRow> dominators;  // the subject's dominators, nearest first, up to the root
  std::string explanation;
};

struct HeapReport {
  bool histogram_only = false;  // one pass, no graph: no retained sizes, suspects or paths
  std::string path;
  std::string version;
  int id_size = 0;
  int ref_size = 0;
  int alignment = 0;
  uint64_t time_ms = 0;
  TimePoint time = kNoTime;  // time_ms on inquest's clock, kNoTime when unknown or damaged
  uint64_t objects = 0;
  uint64_t total_bytes = 0;  // shallow size of every object in the dump
  uint64_t live_objects = 0;
  uint64_t live_bytes = 0;  // reachable from the GC roots
  uint64_t references = 0;
  uint64_t roots = 0;
  std::vector<std::pair<std::string, uint64_t>> roots_by_kind;
  std::vector<ClassRow> histogram;     // every class with instances, by retained then shallow size
  std::vector<ObjectRow> top_objects;  // by retained size
  std::vector<ObjectRow> biggest_arrays;              // by shallow size
  std::vector<CollectionObject> biggest_collections;  // by retained size
  std::vector<LeakSuspect> suspects;
  double suspect_share = 0;
  DuplicateStrings duplicate_strings;
  std::vector<ThreadRow> threads;
  std::vector<std::string> warnings;
};

HeapReport AnalyzeHeap(const HeapGraph& g, const DominatorTree& t, const HeapOptions& options);

// "class com.acme.Cache" for a class object, else its class's name.
std::string ObjectClassName(const HeapGraph& g, uint32_t object);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HEAP_ANALYSIS_H_
