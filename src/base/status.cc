#include "base/status.h"

#include <fmt/format.h>

namespace inquest {

Status::Status(StatusCode code, std::string msg, SourceLocation where)
    : rep_(std::make_unique<Rep>(Rep{code, std::move(msg), std::move(where)})) {}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  return *this;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

const SourceLocation& Status::where() const {
  static const SourceLocation kNowhere;
  return rep_ ? rep_->where : kNowhere;
}

void ThrowUncheckedResult(const Status& status) {
  throw UncheckedResultError("a Result's value was read without checking it: " + status.ToString());
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  const SourceLocation& w = rep_->where;
  if (w.file.empty()) return rep_->message;
  if (w.line > 0) return fmt::format("{}:{}: {}", w.file, w.line, rep_->message);
  if (w.has_offset) return fmt::format("{}: byte {}: {}", w.file, w.byte_offset, rep_->message);
  return fmt::format("{}: {}", w.file, rep_->message);
}

int Status::ExitCode() const {
  switch (code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
      return 2;
    case StatusCode::kNotFound:
    case StatusCode::kBadInput:
    case StatusCode::kIoError:
    case StatusCode::kUnsupported:
      return 3;
    case StatusCode::kInternal:
      return 4;
  }
  return 4;
}

}  // namespace inquest
