#include "dumps/java/thread_dump_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <unordered_map>

#include "base/strings.h"

namespace inquest {
namespace {

namespace dom = simdjson::dom;

std::string_view Str(dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get_string().get(v)) return {};
  return v;
}

// "java.lang.Object@1b2c3d" -> address "1b2c3d", class "java.lang.Object".
bool AtLock(std::string_view s, LockAction action, LockRef* out) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  out->action = action;
  out->address = NormalizeLockAddress(s.substr(at + 1));
  out->class_name = std::string(s.substr(0, at));
  return true;
}

// A parkBlocker / blockedOn / waitingOn value: a string, or an object with "object".
std::string_view LockText(dom::element e) {
  std::string_view v;
  if (!e.get_string().get(v)) return v;
  return Str(e, "object");
}

}  // namespace

Result<JavaThreadDump> ParseJavaThreadDumpJson(std::string_view bytes) {
  dom::parser parser;
  simdjson::padded_string padded(bytes.data(), bytes.size());
  dom::element doc;
  if (auto err = parser.parse(padded).get(doc)) {
    return Status::BadInput(fmt::format("invalid JSON: {}", simdjson::error_message(err)));
  }
  dom::element td;
  if (doc["threadDump"].get(td)) {
    return Status::BadInput("JSON without a \"threadDump\" object: not a Thread.dump_to_file dump");
  }
  JavaThreadDump d;
  d.format = "json";
  d.jvm = std::string(Str(td, "runtimeVersion"));
  d.complete = true;
  d.has_header = true;
  std::string_view time = Str(td, "time");
  ParsedTime pt;
  if (!time.empty() && ParseIso8601(time, TimeContext{}, &pt)) {
    d.time = pt.time;
    d.time_zone_assumed = pt.zone_assumed;
  }
  dom::array containers;
  if (td["threadContainers"].get_array().get(containers)) {
    return Status::BadInput("\"threadDump\" has no \"threadContainers\" array");
  }
  std::unordered_map<std::string, size_t> by_tid;
  std::vector<std::pair<std::string, LockRef>> owned_by_tid;  // parkBlocker owners
  std::unordered_map<std::string, std::string> carrier_tid;   // virtual tid -> carrier tid
  for (dom::element c : containers) {
    dom::array threads;
    if (c["threads"].get_array().get(threads)) continue;
    for (dom::element t : threads) {
      JavaThread th;
      th.id = std::string(Str(t, "tid"));
      th.name = std::string(Str(t, "name"));
      std::string_view state = Str(t, "state");
      th.state = ParseJavaThreadState(state);
      bool is_virtual = false;
      if (!t["virtual"].get_bool().get(is_virtual)) th.is_virtual = is_virtual;
      std::string_view carrier = Str(t, "carrier");
      if (!carrier.empty()) carrier_tid[th.id] = std::string(carrier);
      dom::array stack;
      if (!t["stack"].get_array().get(stack)) {
        for (dom::element f : stack) {
          std::string_view text;
          if (!f.get_string().get(text)) th.frames.push_back({std::string(text)});
        }
      }
      dom::element e;
      LockRef lock;
      if (!t["blockedOn"].get(e) && AtLock(LockText(e), LockAction::kWaitingToLock, &lock)) {
        lock.frame = 0;
        th.locks.push_back(lock);
      }
      if (!t["waitingOn"].get(e) && AtLock(LockText(e), LockAction::kWaitingOn, &lock)) {
        lock.frame = 0;
        th.locks.push_back(lock);
      }
      if (!t["parkBlocker"].get(e) && AtLock(LockText(e), LockAction::kParkedOn, &lock)) {
        lock.frame = 0;
        th.locks.push_back(lock);
        std::string_view owner = Str(e, "owner");
        if (!owner.empty()) {
          LockRef held = lock;
          held.action = LockAction::kOwnsSynchronizer;
          held.frame = -1;
          owned_by_tid.emplace_back(std::string(owner), std::move(held));
        }
      }
      dom::array monitors;
      if (!t["monitorsOwned"].get_array().get(monitors)) {
        for (dom::element m : monitors) {
          int64_t depth = 0;
          if (m["depth"].get_int64().get(depth)) depth = 0;
          dom::array locks;
          if (m["locks"].get_array().get(locks)) continue;
          for (dom::element l : locks) {
            std::string_view text;
            if (l.get_string().get(text)) continue;
            if (AtLock(text, LockAction::kLocked, &lock)) {
              lock.frame = static_cast<int>(depth);
              th.locks.push_back(lock);
            }
          }
        }
      }
      if (!th.id.empty()) by_tid.emplace(th.id, d.threads.size());
      d.threads.push_back(std::move(th));
    }
  }
  for (auto& [tid, lock] : owned_by_tid) {
    auto it = by_tid.find(tid);
    if (it != by_tid.end()) d.threads[it->second].locks.push_back(std::move(lock));
  }
  for (auto& [vtid, ctid] : carrier_tid) {
    auto v = by_tid.find(vtid), c = by_tid.find(ctid);
    if (v == by_tid.end() || c == by_tid.end()) continue;
    d.threads[v->second].carrier = d.threads[c->second].name;
    d.threads[c->second].carrying = "#" + vtid;
  }
  return d;
}

double ProbeJavaThreadDumpJson(std::string_view head) {
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || head[i] != '{') return 0;
  if (head.find("\"threadDump\"") == std::string_view::npos) return 0;
  return head.find("\"threadContainers\"") != std::string_view::npos ? 0.95 : 0.8;
}

}  // namespace inquest
