// Status and Result<T>: the one error type of inquest.
//
// A Status is cheap on success (a null pointer) and carries a code, a message and, for input
// errors, where in the input the problem is (file, line, byte offset). No exception crosses a
// folder boundary; third-party exceptions are caught at the edge and turned into a Status.
//
//   Result<Config> LoadConfig(const std::string& path);
//   INQ_ASSIGN_OR_RETURN(Config cfg, LoadConfig(path));
//   INQ_RETURN_IF_ERROR(Validate(cfg));
#ifndef INQUEST_BASE_STATUS_H_
#define INQUEST_BASE_STATUS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace inquest {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,  // the caller (usually the user on the command line) asked for nonsense
  kNotFound,
  kBadInput,  // an input file is malformed or not what it claims to be
  kIoError,
  kUnsupported,
  kInternal,
};

// Where in the input an error was found. Any field may be unknown (empty / 0).
struct SourceLocation {
  std::string file;
  uint64_t line = 0;         // 1-based; 0 when unknown
  uint64_t byte_offset = 0;  // valid when has_offset
  bool has_offset = false;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status BadInput(std::string msg, SourceLocation where = {}) {
    return Status(StatusCode::kBadInput, std::move(msg), std::move(where));
  }
  static Status IoError(std::string msg, std::string file = {}) {
    return Status(StatusCode::kIoError, std::move(msg), SourceLocation{std::move(file)});
  }
  static Status Unsupported(std::string msg) {
    return Status(StatusCode::kUnsupported, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;
  const SourceLocation& where() const;

  // "file:line: message" (or "file: byte N: message"), the form printed to the user.
  std::string ToString() const;

  // The exit code DESIGN.md assigns: 2 usage, 3 bad input, 4 internal.
  int ExitCode() const;

 private:
  Status(StatusCode code, std::string msg, SourceLocation where = {});
  struct Rep {
    StatusCode code;
    std::string message;
    SourceLocation where;
  };
  std::unique_ptr<Rep> rep_;
};

// Thrown by Result::value() (and * and ->) on an error: a caller read a value without checking
// ok(). A bug, not bad input; cli's main reports it as an internal error (exit 4) with the
// status it carried, instead of a bare std::bad_variant_access.
class UncheckedResultError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};
[[noreturn]] void ThrowUncheckedResult(const Status& status);

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const& {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  Status status() && { return ok() ? Status() : std::move(std::get<Status>(v_)); }

  T& value() & {
    if (!ok()) ThrowUncheckedResult(std::get<Status>(v_));
    return std::get<T>(v_);
  }
  const T& value() const& {
    if (!ok()) ThrowUncheckedResult(std::get<Status>(v_));
    return std::get<T>(v_);
  }
  T&& value() && {
    if (!ok()) ThrowUncheckedResult(std::get<Status>(v_));
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace inquest

#define INQ_CONCAT_INNER_(a, b) a##b
#define INQ_CONCAT_(a, b) INQ_CONCAT_INNER_(a, b)

#define INQ_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::inquest::Status inq_status_ = (expr);    \
    if (!inq_status_.ok()) return inq_status_; \
  } while (0)

#define INQ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).status();   \
  lhs = std::move(tmp).value()

#define INQ_ASSIGN_OR_RETURN(lhs, expr) \
  INQ_ASSIGN_OR_RETURN_IMPL_(INQ_CONCAT_(inq_result_, __LINE__), lhs, expr)

#endif  // INQUEST_BASE_STATUS_H_
