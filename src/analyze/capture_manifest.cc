#include "analyze/capture_manifest.h"

#include <simdjson.h>

#include <string>

namespace inquest {
namespace {

TimePoint TimeOf(simdjson::dom::element e) {
  std::string_view text;
  if (e.get_string().get(text)) return kNoTime;
  ParsedTime pt;
  return ParseIso8601(text, {}, &pt) ? pt.time : kNoTime;
}

std::string StringOf(simdjson::dom::element e) {
  std::string_view text;
  return e.get_string().get(text) ? std::string() : std::string(text);
}

}  // namespace

const CapturedFile* CaptureManifest::Find(std::string_view path) const {
  for (const CapturedFile& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

Result<CaptureManifest> ParseCaptureManifest(std::string_view json) {
  if (json.size() > kMaxManifestBytes)
    return Status::BadInput("manifest.json is larger than a capture's manifest");
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  if (auto err = parser.parse(padded).get(doc))
    return Status::BadInput(std::string("manifest.json: ") + simdjson::error_message(err));
  simdjson::dom::object root;
  if (doc.get_object().get(root)) return Status::BadInput("manifest.json is not an object");
  int64_t version = 0;
  if (root["inquest_capture"].get_int64().get(version) || version < 1)
    return Status::BadInput("manifest.json has no \"inquest_capture\" version");
  CaptureManifest m;
  if (simdjson::dom::element e; !root["started"].get(e)) m.started = TimeOf(e);
  if (m.started == kNoTime) return Status::BadInput("manifest.json has no \"started\" time");
  if (simdjson::dom::element e; !root["finished"].get(e)) m.finished = TimeOf(e);
  int64_t pid = 0;
  if (!root["pid"].get_int64().get(pid)) m.pid = pid;
  if (simdjson::dom::element e; !root["exe"].get(e)) m.exe = StringOf(e);
  if (simdjson::dom::element e; !root["runtime"].get(e)) m.runtime = StringOf(e);
  if (simdjson::dom::element e; !root["writer"].get(e)) m.writer = StringOf(e);
  simdjson::dom::array steps;
  if (!root["steps"].get_array().get(steps)) {
    for (simdjson::dom::element step : steps) {
      std::string what;
      TimePoint taken = m.started;
      if (simdjson::dom::element e; !step["what"].get(e)) what = StringOf(e);
      if (simdjson::dom::element e; !step["started"].get(e) && TimeOf(e) != kNoTime)
        taken = TimeOf(e);
      simdjson::dom::array files;
      if (step["files"].get_array().get(files)) continue;
      for (simdjson::dom::element f : files) {
        std::string path = StringOf(f);
        if (!path.empty()) m.files.push_back({std::move(path), what, taken});
      }
    }
  }
  // Files the steps do not name (the manifest's own list) were taken during the capture, or,
  // when the entry says so (a handler's dump), at their own time.
  simdjson::dom::array listed;
  if (!root["files"].get_array().get(listed)) {
    for (simdjson::dom::element f : listed) {
      std::string path;
      if (simdjson::dom::element e; !f["path"].get(e)) path = StringOf(e);
      if (path.empty()) continue;
      CapturedFile* known = nullptr;
      for (CapturedFile& c : m.files)
        if (c.path == path) known = &c;
      if (!known) {
        m.files.push_back({std::move(path), "", m.started});
        known = &m.files.back();
      }
      if (simdjson::dom::element e; !f["time"].get(e) && TimeOf(e) != kNoTime)
        known->taken = TimeOf(e);
      if (simdjson::dom::element e; !f["kind"].get(e)) known->kind = StringOf(e);
      if (simdjson::dom::element e; !f["trigger"].get(e)) known->trigger = StringOf(e);
      int64_t file_pid = 0;
      if (!f["pid"].get_int64().get(file_pid)) known->pid = file_pid;
      if (known->step.empty() && !known->kind.empty())
        known->step = known->trigger.empty() ? known->kind + " dump"
                                             : known->kind + " dump on " + known->trigger;
    }
  }
  return m;
}

}  // namespace inquest
