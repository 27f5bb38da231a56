#include "dumps/wait_sites.h"

#include <fmt/format.h>

#include <cctype>
#include <string>

namespace inquest {
namespace {

constexpr std::string_view kBuiltInText =
#include "dumps/wait_sites_table.inc"
    ;

// Entries a user table may hold: a bound on what a config file can make us allocate and try
// on every frame of every stack.
constexpr size_t kMaxUserSites = 4096;

Result<WaitRuntime> ParseRuntime(std::string_view s, const std::string& where) {
  if (s == "go") return WaitRuntime::kGo;
  if (s == "java") return WaitRuntime::kJava;
  if (s == "python") return WaitRuntime::kPython;
  return Status::InvalidArgument(
      fmt::format("{}: runtime = \"{}\" is not go, java or python", where, s));
}

std::string Str(const toml::table& t, std::string_view key) {
  if (auto v = t[key].value<std::string>()) return *v;
  return {};
}

Result<WaitSite> ParseSite(const toml::table& t, const std::string& where, bool user) {
  static constexpr std::string_view kKeys[] = {"runtime", "frame", "state", "lock",  "resource",
                                               "pool",    "kind",  "role",  "normal"};
  for (const auto& [key, node] : t) {
    bool known = false;
    for (std::string_view k : kKeys) known = known || key.str() == k;
    if (!known)
      return Status::InvalidArgument(fmt::format("{}: unknown key '{}'", where, key.str()));
    if (key.str() == "normal" ? !node.is_boolean() : !node.is_string())
      return Status::InvalidArgument(fmt::format("{}: '{}' must be a {}", where, key.str(),
                                                 key.str() == "normal" ? "boolean" : "string"));
  }
  WaitSite s;
  s.user = user;
  INQ_ASSIGN_OR_RETURN(s.runtime, ParseRuntime(Str(t, "runtime"), where));
  s.frame = Str(t, "frame");
  s.state = Str(t, "state");
  s.lock = Str(t, "lock");
  s.resource = Str(t, "resource");
  s.pool = Str(t, "pool");
  s.kind = Str(t, "kind");
  if (s.frame.empty() && s.lock.empty())
    return Status::InvalidArgument(fmt::format("{}: needs a frame or a lock pattern", where));
  if (s.resource.empty())
    return Status::InvalidArgument(fmt::format("{}: needs a resource (what is waited for)", where));
  if (s.pool.empty()) s.pool = s.resource;
  if (s.kind.empty()) s.kind = "resource";
  std::string role = Str(t, "role");
  if (role.empty() || role == "acquire") {
    s.role = WaitRole::kAcquire;
  } else if (role == "hold") {
    s.role = WaitRole::kHold;
  } else {
    return Status::InvalidArgument(
        fmt::format("{}: role = \"{}\" is not acquire or hold", where, role));
  }
  s.normal = t["normal"].value_or(false);
  return s;
}

// Names of the functions through which programs borrow from a pool of their own making
// (lowercase prefixes of the method's name): the hint that turns an idle-looking queue or
// condition wait into a pool acquire.
constexpr std::string_view kBorrowVerbs[] = {
    "borrow",  "acquire",       "checkout",  "getconn",     "lease",    "obtain",
    "reserve", "getconnection", "getpooled", "getresource", "getobject"};

// The method's own name: after the last '.', without a lambda or inner-class suffix.
bool IsBorrowName(std::string_view name) {
  size_t dot = name.find_last_of('.');
  std::string method(name.substr(dot == std::string_view::npos ? 0 : dot + 1));
  for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view verb : kBorrowVerbs)
    if (method.starts_with(verb)) return true;
  return false;
}

// What a normal wait becomes under a borrow-named caller.
const WaitSite* BorrowSite(WaitRuntime runtime) {
  static const WaitSite kSites[] = {
      {WaitRuntime::kGo, "", "", "", "an object of the program's own pool",
       "the program's own pool", "pool"},
      {WaitRuntime::kJava, "", "", "", "an object of the program's own pool",
       "the program's own pool", "pool"},
      {WaitRuntime::kPython, "", "", "", "an object of the program's own pool",
       "the program's own pool", "pool"},
  };
  return &kSites[static_cast<size_t>(runtime)];
}

bool Matches(const WaitSite& s, const WaitQuery& q, std::string_view frame) {
  if (s.runtime != q.runtime) return false;
  if (!s.state.empty() && !WaitGlob(s.state, q.state)) return false;
  if (!s.frame.empty() && !WaitNameMatches(s.frame, frame)) return false;
  if (!s.lock.empty()) {
    bool any = false;
    for (std::string_view l : q.waiting) any = any || WaitNameMatches(s.lock, l);
    if (!any) return false;
  }
  return true;
}

}  // namespace

std::string_view WaitRuntimeName(WaitRuntime r) {
  switch (r) {
    case WaitRuntime::kGo:
      return "go";
    case WaitRuntime::kJava:
      return "java";
    case WaitRuntime::kPython:
      return "python";
  }
  return "?";
}

bool WaitGlob(std::string_view p, std::string_view t) {
  // Iterative glob with one backtrack point: linear enough for frame names, never recursive.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool WaitNameMatches(std::string_view pattern, std::string_view name) {
  if (WaitGlob(pattern, name)) return true;
  for (size_t i = 0; i < name.size(); ++i)
    if ((name[i] == '.' || name[i] == '/' || name[i] == '$') &&
        WaitGlob(pattern, name.substr(i + 1)))
      return true;
  return false;
}

Result<WaitSiteTable> WaitSiteTable::FromTable(const toml::table& doc, std::string_view name,
                                               bool user) {
  WaitSiteTable out;
  const toml::node* node = doc.get("wait_sites");
  if (node == nullptr) return out;
  const toml::array* arr = node->as_array();
  if (arr == nullptr)
    return Status::BadInput(fmt::format("wait_sites must be an array of tables ([[wait_sites]])"),
                            SourceLocation{std::string(name), node->source().begin.line});
  if (arr->size() > kMaxUserSites)
    return Status::BadInput(
        fmt::format("{} [[wait_sites]] entries, more than {}", arr->size(), kMaxUserSites),
        SourceLocation{std::string(name), node->source().begin.line});
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& entry = (*arr)[i];
    std::string where = fmt::format("[[wait_sites]] #{}", i + 1);
    const toml::table* t = entry.as_table();
    Result<WaitSite> s = t == nullptr
                             ? Result<WaitSite>(Status::InvalidArgument(where + ": not a table"))
                             : ParseSite(*t, where, user);
    if (!s.ok())
      return Status::BadInput(s.status().message(),
                              SourceLocation{std::string(name), entry.source().begin.line});
    out.sites_.push_back(std::move(*s));
  }
  return out;
}

Result<WaitSiteTable> WaitSiteTable::Parse(std::string_view text, std::string_view name,
                                           bool user) {
  toml::table doc;
  try {
    doc = toml::parse(text, std::string(name));
  } catch (const toml::parse_error& e) {
    return Status::BadInput(std::string(e.description()),
                            SourceLocation{std::string(name), e.source().begin.line});
  }
  return FromTable(doc, name, user);
}

const WaitSiteTable& WaitSiteTable::BuiltIn() {
  static const WaitSiteTable kTable = [] {
    Result<WaitSiteTable> t = Parse(kBuiltInText, "wait_sites_table.inc", false);
    // The built-in text is tested (wait_sites_test.cc); an error here is a build defect.
    return t.ok() ? std::move(*t) : WaitSiteTable();
  }();
  return kTable;
}

Result<WaitSiteTable> WaitSiteTable::WithConfig(const toml::table& config, std::string_view name) {
  INQ_ASSIGN_OR_RETURN(WaitSiteTable out, FromTable(config, name, true));
  out.Append(BuiltIn());
  return out;
}

void WaitSiteTable::Append(const WaitSiteTable& other) {
  sites_.insert(sites_.end(), other.sites_.begin(), other.sites_.end());
}

WaitMatch WaitSiteTable::Match(const WaitQuery& q) const {
  WaitMatch best;
  for (size_t i = 0; i < q.frames.size(); ++i) {
    const WaitFrame& f = q.frames[i];
    const WaitSite* hit = nullptr;
    for (const WaitSite& s : sites_) {
      if (!s.frame.empty() && Matches(s, q, f.name)) {
        hit = &s;
        break;
      }
    }
    if (hit != nullptr) {
      best.site = hit;
      best.frame = static_cast<int>(i);
    } else if (!f.library) {
      // The program's own code: what it called is the wait; frames further out are its own
      // business (a task running on a pool worker is not an idle worker).
      best.caller = static_cast<int>(i);
      break;
    }
  }
  if (best.site != nullptr) {
    if (best.site->normal && best.caller >= 0 && IsBorrowName(q.frames[best.caller].name)) {
      best.borrowed_from = best.site;
      best.site = BorrowSite(q.runtime);
    }
    return best;
  }
  // No call into a known site: a lock the program itself waits for may still name one
  // (synchronized on a pool object).
  for (const WaitSite& s : sites_)
    if (s.frame.empty() && Matches(s, q, {})) {
      best.site = &s;
      return best;
    }
  best.caller = -1;
  return best;
}

}  // namespace inquest
