#include "heap/heap_output.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "base/strings.h"
#include "base/time.h"

namespace inquest::heap {
namespace {

std::string Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * double(part) / double(whole));
}

std::string Length(const ObjectRow& o) {
  return o.length >= 0 ? fmt::format(" [{} elements]", WithThousands(o.length)) : "";
}

std::string Summary(const HeapReport& r) {
  std::string s =
      r.histogram_only
          ? fmt::format("{}: {} objects, {}, {} GC roots\n", r.version, WithThousands(r.objects),
                        HumanBytes(r.total_bytes), WithThousands(r.roots))
          : fmt::format("{}: {} objects, {} (live: {} objects, {}), {} references, {} GC roots\n",
                        r.version, WithThousands(r.objects), HumanBytes(r.total_bytes),
                        WithThousands(r.live_objects), HumanBytes(r.live_bytes),
                        WithThousands(r.references), WithThousands(r.roots));
  s += fmt::format(
      "sizes as the JVM counts them: {}-byte ids, {}-byte references{}, {}-byte "
      "alignment",
      r.id_size, r.ref_size, r.id_size == 8 && r.ref_size == 4 ? " (compressed oops)" : "",
      r.alignment);
  if (r.time != kNoTime) s += fmt::format("; dumped {}", FormatTime(r.time, 0));
  return s + "\n";
}

}  // namespace

std::string HistogramText(const HeapReport& r, size_t rows) {
  std::string s =
      fmt::format("  {:>12} {:>14} {:>14}  {}\n", "instances", "shallow", "retained", "class");
  size_t shown = 0;
  for (const ClassRow& c : r.histogram) {
    if (shown++ == rows) break;
    s += fmt::format("  {:>12} {:>14} {:>14}  {}\n", WithThousands(c.instances),
                     WithThousands(c.shallow),
                     r.histogram_only ? std::string("-") : WithThousands(c.retained), c.name);
  }
  if (r.histogram.size() > rows)
    s += fmt::format("  ... {} more classes (--format json lists them all)\n",
                     r.histogram.size() - rows);
  return s;
}

std::string HeapReportText(const HeapReport& r) {
  std::string s = Summary(r);
  for (const std::string& w : r.warnings) s += "note: " + w + "\n";
  if (r.histogram_only) {
    return s +
           "\nClass histogram (by shallow size; one pass, no retained sizes: run without "
           "--histogram for them and the leak suspects):\n" +
           HistogramText(r, 50);
  }
  s += fmt::format("\nLeak suspects (retaining {:.0f}% of the live heap or more):\n",
                   100 * r.suspect_share);
  if (r.suspects.empty()) s += "  none: no object or class retains that much\n";
  for (size_t k = 0; k < r.suspects.size(); ++k) {
    const LeakSuspect& x = r.suspects[k];
    s += fmt::format("  {}. {}\n", k + 1, x.explanation);
    for (size_t p = 0; p < x.path.size(); ++p)
      s += fmt::format("       {}{} @0x{:x}{}  ({} retained)\n", p == 0 ? "" : "→ ",
                       p == 0 ? x.path[p].object.class_name
                              : (x.path[p].via.empty() ? "" : x.path[p].via + ": ") +
                                    x.path[p].object.class_name,
                       x.path[p].object.id, p == 0 ? " [" + x.path[p].via + "]" : "",
                       HumanBytes(x.path[p].object.retained));
  }
  s += "\nBiggest objects by retained size:\n";
  s += fmt::format("  {:>12} {:>7} {:>12}  {}\n", "retained", "", "shallow", "object");
  for (const ObjectRow& o : r.top_objects)
    s += fmt::format("  {:>12} {:>7} {:>12}  {} @0x{:x}{}\n", HumanBytes(o.retained),
                     Percent(o.retained, r.live_bytes), HumanBytes(o.shallow), o.class_name, o.id,
                     Length(o));
  s += "\nClass histogram (by retained size):\n" + HistogramText(r, r.top_objects.size() + 10);
  s += "\nBiggest arrays:\n";
  for (const ObjectRow& o : r.biggest_arrays)
    s += fmt::format("  {:>12}  {} @0x{:x}{}\n", HumanBytes(o.shallow), o.class_name, o.id,
                     Length(o));
  const DuplicateStrings& d = r.duplicate_strings;
  if (d.strings > 0) {
    s += fmt::format(
        "\nDuplicate strings: {} strings hold {} distinct values; the copies beyond "
        "one of each take {} ({} of the live heap)\n",
        WithThousands(d.strings), WithThousands(d.distinct), HumanBytes(d.wasted),
        Percent(d.wasted, r.live_bytes));
    for (const DuplicateString& x : d.top)
      s += fmt::format("  {:>10} copies {:>12}  \"{}\"\n", WithThousands(x.count),
                       HumanBytes(x.wasted), SanitizeForTerminal(x.text));
  }
  if (!r.biggest_collections.empty()) s += "\nBiggest collections by retained size:\n";
  for (const CollectionObject& c : r.biggest_collections)
    s += fmt::format("  {:>12} {:>12} elements  {} @0x{:x}\n", HumanBytes(c.object.retained),
                     c.elements >= 0 ? WithThousands(uint64_t(c.elements)) : "?",
                     c.object.class_name, c.object.id);
  if (!r.threads.empty()) s += fmt::format("\nThreads ({}):\n", r.threads.size());
  for (const ThreadRow& t : r.threads) {
    s += fmt::format("  thread serial {}: retains {}, its frames hold {} objects\n", t.serial,
                     HumanBytes(t.thread.retained), WithThousands(t.locals));
    for (const std::string& f : t.frames) s += "      at " + f + "\n";
    for (const ObjectRow& o : t.held)
      s += fmt::format("      holds {} @0x{:x} ({} retained)\n", o.class_name, o.id,
                       HumanBytes(o.retained));
  }
  return s;
}

std::string HeapReportMarkdown(const HeapReport& r) {
  std::string s = "## Heap dump\n\n" + Summary(r) + "\n";
  for (const std::string& w : r.warnings) s += "- note: " + MarkdownCell(w) + "\n";
  s += "\n### Leak suspects\n\n";
  if (r.suspects.empty()) s += "No object or class retains that much.\n";
  for (size_t k = 0; k < r.suspects.size(); ++k)
    s += fmt::format("{}. {}\n", k + 1, r.suspects[k].explanation);
  s += "\n### Biggest objects by retained size\n\n| retained | % | shallow | object "
       "|\n|---:|---:|---:|---|\n";
  for (const ObjectRow& o : r.top_objects)
    s += fmt::format("| {} | {} | {} | `{}` @0x{:x}{} |\n", HumanBytes(o.retained),
                     Percent(o.retained, r.live_bytes), HumanBytes(o.shallow),
                     MarkdownCell(o.class_name), o.id, Length(o));
  s +=
      "\n### Class histogram\n\n| instances | shallow | retained | class |\n|---:|---:|---:|---|\n";
  size_t rows = 0;
  for (const ClassRow& c : r.histogram) {
    if (rows++ == r.top_objects.size() + 10) break;
    s += fmt::format("| {} | {} | {} | `{}` |\n", WithThousands(c.instances),
                     WithThousands(c.shallow), WithThousands(c.retained), MarkdownCell(c.name));
  }
  return s;
}

namespace {

void ObjectJson(JsonWriter& w, const ObjectRow& o) {
  w.BeginObject()
      .Field("id", fmt::format("0x{:x}", o.id))
      .Field("class", o.class_name)
      .FieldUint("shallow", o.shallow)
      .FieldUint("retained", o.retained);
  if (o.length >= 0) w.FieldInt("length", o.length);
  w.EndObject();
}

void SuspectJson(JsonWriter& w, const LeakSuspect& x) {
  w.BeginObject().Field("kind", x.is_class ? "class" : "object");
  if (x.is_class) w.Field("class", x.class_name).FieldUint("instances", x.instances);
  w.FieldUint("retained", x.retained).FieldDouble("share", x.share, 4);
  w.FieldBool("only_weakly_held", x.only_weakly_held);
  w.Key("subject");
  ObjectJson(w, x.subject);
  if (x.has_owner) {
    w.Key("owner");
    ObjectJson(w, x.owner);
    w.Field("owner_field", x.owner_field);
  }
  w.Key("accumulation");
  ObjectJson(w, x.accumulation);
  w.FieldUint("accumulation_children", x.accumulation_children);
  w.Key("path").BeginArray();
  for (const PathStep& p : x.path) {
    w.BeginObject().Field("via", p.via).Key("object");
    ObjectJson(w, p.object);
    w.EndObject();
  }
  w.EndArray();
  w.Key("dominators").BeginArray();
  for (const ObjectRow& d : x.dominators) ObjectJson(w, d);
  w.EndArray();
  w.Field("explanation", x.explanation).EndObject();
}

}  // namespace

Redacted HeapReportJson(const HeapReport& r) {
  JsonWriter w;
  w.BeginObject();
  w.FieldBool("histogram_only", r.histogram_only);
  w.Field("version", r.version).FieldInt("id_size", r.id_size).FieldInt("ref_size", r.ref_size);
  w.FieldInt("alignment", r.alignment).FieldUint("time_ms", r.time_ms);
  w.FieldUint("objects", r.objects).FieldUint("total_bytes", r.total_bytes);
  w.FieldUint("live_objects", r.live_objects).FieldUint("live_bytes", r.live_bytes);
  w.FieldUint("references", r.references).FieldUint("roots", r.roots);
  w.Key("roots_by_kind").BeginObject();
  for (const auto& [kind, n] : r.roots_by_kind) w.FieldUint(kind, n);
  w.EndObject();
  w.Key("warnings").BeginArray();
  for (const std::string& s : r.warnings) w.String(s);
  w.EndArray();
  w.FieldDouble("suspect_share", r.suspect_share, 3);
  w.Key("suspects").BeginArray();
  for (const LeakSuspect& x : r.suspects) SuspectJson(w, x);
  w.EndArray();
  w.Key("top_objects").BeginArray();
  for (const ObjectRow& o : r.top_objects) ObjectJson(w, o);
  w.EndArray();
  w.Key("biggest_arrays").BeginArray();
  for (const ObjectRow& o : r.biggest_arrays) ObjectJson(w, o);
  w.EndArray();
  w.Key("histogram").BeginArray();
  for (const ClassRow& c : r.histogram) {
    w.BeginObject()
        .Field("class", c.name)
        .FieldUint("instances", c.instances)
        .FieldUint("shallow", c.shallow)
        .FieldUint("retained", c.retained)
        .FieldUint("largest", c.largest);
    if (c.name.ends_with("[]")) w.FieldUint("elements", c.elements);
    w.EndObject();
  }
  w.EndArray();
  w.Key("duplicate_strings").BeginObject();
  w.FieldUint("strings", r.duplicate_strings.strings)
      .FieldUint("distinct", r.duplicate_strings.distinct)
      .FieldUint("wasted", r.duplicate_strings.wasted);
  w.Key("top").BeginArray();
  for (const DuplicateString& x : r.duplicate_strings.top)
    w.BeginObject()
        .Field("text", x.text)
        .FieldUint("count", x.count)
        .FieldUint("wasted", x.wasted)
        .EndObject();
  w.EndArray().EndObject();
  w.Key("biggest_collections").BeginArray();
  for (const CollectionObject& c : r.biggest_collections) {
    w.BeginObject().FieldInt("elements", c.elements).Key("object");
    ObjectJson(w, c.object);
    w.EndObject();
  }
  w.EndArray();
  w.Key("threads").BeginArray();
  for (const ThreadRow& t : r.threads) {
    w.BeginObject().FieldUint("serial", t.serial).FieldUint("locals", t.locals);
    w.Key("thread");
    ObjectJson(w, t.thread);
    w.Key("frames").BeginArray();
    for (const std::string& f : t.frames) w.String(f);
    w.EndArray();
    w.Key("held").BeginArray();
    for (const ObjectRow& o : t.held) ObjectJson(w, o);
    w.EndArray().EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace inquest::heap
