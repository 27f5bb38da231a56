#include "analyze/log_streams.h"

#include <fmt/format.h>

namespace inquest {
namespace {

// The notes a file's reading leaves in its report.
void DescribeScan(const ScanReport& s, const LoadOptions& load, InputReport* r) {
  r->records = s.records;
  r->lines = s.lines;
  r->skipped = s.malformed;
  r->samples = s.samples;
  if (s.zone_assumed)
    r->notes.push_back(fmt::format("{} records had no time zone: taken as {}", s.zone_assumed,
                                   load.zone ? load.zone->name() : std::string("UTC")));
  if (s.without_time)
    r->notes.push_back(fmt::format(
        "{} records had no time of their own and were not counted in the windows", s.without_time));
  if (!s.year_source.empty())
    r->notes.push_back(fmt::format("year {} taken from {}", s.year_used, s.year_source));
  if (!s.warning.ok()) r->notes.push_back(s.warning.message());
}

// A whole-document file: loaded, then every record through the sink.
Status PassWhole(const InputReport& r, uint32_t index, const FormatRegistry& registry,
                 const LoadOptions& load, LogFilePass* out) {
  LoadOptions lo = load;
  lo.format = registry.Find(r.format);
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<LogFile> f, LoadLogFile(r.path, index, registry, lo));
  for (const Event& e : f->events) out->sink->Add(e);
  ScanReport& s = out->report;
  s.path = r.path;
  s.format = f->format ? std::string(f->format->name()) : "";
  s.confidence = f->confidence;
  s.lines = f->stats.lines;
  s.records = f->stats.records;
  s.malformed = f->stats.malformed;
  s.samples = f->issues.samples();
  s.zone_assumed = f->stats.zone_assumed;
  s.without_time = f->stats.without_time;
  s.service = f->path_service;
  s.context.format = f->format;
  s.context.service = f->path_service;
  s.warning = f->warning;
  out->whole = std::move(f);
  return Status::Ok();
}

}  // namespace

std::vector<LogFilePass> RunLogPass(BundleInputs* in, const FormatRegistry& registry,
                                    const LoadOptions& load, const std::vector<LogPassRules>& rules,
                                    int threads, Progress* progress, RequestTable* requests) {
  std::vector<LogFilePass> out;
  for (size_t i = 0; i < in->inputs.size(); ++i) {
    InputReport& r = in->inputs[i];
    if (r.kind != EvidenceKind::kLog || !r.error.ok()) continue;
    if (progress) progress->SetItem(r.relative);
    LogFilePass p;
    p.input = i;
    p.sink = std::make_unique<LogPassSink>(rules[i]);
    const LogFormat* format = registry.Find(r.format);
    LoadOptions lo = load;
    lo.format = format;
    std::unique_ptr<KeyIndex> wanted = LogPassAttributes(rules[i]);
    lo.attributes = wanted.get();
    lo.attribute_test = &IsLogPassKey;
    Status st;
    if (format && format->whole_document()) {
      st = PassWhole(r, static_cast<uint32_t>(i), registry, load, &p);
    } else {
      ScanSinks sinks;
      const LogPassRules& fr = rules[i];
      sinks.make = [&fr] { return std::make_unique<LogPassSink>(fr); };
      LogPassSink* into = p.sink.get();
      sinks.merge = [into, &st](std::unique_ptr<RecordSink> s, uint64_t line_base) {
        Status m = into->Merge(std::move(static_cast<LogPassSink&>(*s)), line_base);
        if (st.ok()) st = m;
      };
      Status scan =
          ScanLogFile(r.path, static_cast<uint32_t>(i), registry, lo, threads, sinks, &p.report);
      if (!scan.ok()) st = scan;
    }
    p.sink->Flush();
    if (st.ok()) st = requests->status();
    if (!st.ok()) {
      r.error = st;
      r.reason = "could not be read: " + st.message();
      continue;
    }
    DescribeScan(p.report, load, &r);
    if (progress) progress->Add(2 * r.bytes);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace inquest
