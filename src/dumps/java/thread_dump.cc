#include "dumps/java/thread_dump.h"

namespace inquest {

std::string_view JavaThreadStateName(JavaThreadState s) {
  switch (s) {
    case JavaThreadState::kNew:
      return "NEW";
    case JavaThreadState::kRunnable:
      return "RUNNABLE";
    case JavaThreadState::kBlocked:
      return "BLOCKED";
    case JavaThreadState::kWaiting:
      return "WAITING";
    case JavaThreadState::kTimedWaiting:
      return "TIMED_WAITING";
    case JavaThreadState::kTerminated:
      return "TERMINATED";
    case JavaThreadState::kUnknown:
      break;
  }
  return "UNKNOWN";
}

JavaThreadState ParseJavaThreadState(std::string_view s) {
  if (s == "RUNNABLE") return JavaThreadState::kRunnable;
  if (s == "BLOCKED") return JavaThreadState::kBlocked;
  if (s == "WAITING") return JavaThreadState::kWaiting;
  if (s == "TIMED_WAITING") return JavaThreadState::kTimedWaiting;
  if (s == "NEW") return JavaThreadState::kNew;
  if (s == "TERMINATED") return JavaThreadState::kTerminated;
  return JavaThreadState::kUnknown;
}

std::string_view LockActionName(LockAction a) {
  switch (a) {
    case LockAction::kLocked:
      return "locked";
    case LockAction::kWaitingToLock:
      return "waiting to lock";
    case LockAction::kWaitingOn:
      return "waiting on";
    case LockAction::kParkedOn:
      return "parking to wait for";
    case LockAction::kWaitingToRelock:
      return "waiting to re-lock";
    case LockAction::kEliminated:
      return "eliminated";
    case LockAction::kOwnsSynchronizer:
      return "owns synchronizer";
  }
  return "?";
}

std::string NormalizeLockAddress(std::string_view s) {
  std::string_view v = s;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) v.remove_prefix(2);
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return std::string(s);
    if (out.empty() && c == '0') continue;
    out.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (out.empty() && !v.empty()) out = "0";
  return out;
}

}  // namespace inquest
