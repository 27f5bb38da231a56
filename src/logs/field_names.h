// Which keys of a structured record (JSON, logfmt) carry the time, level, message, service,
// host and correlation ids. Defaults cover common names; inquest.toml can add more.
#ifndef INQUEST_LOGS_FIELD_NAMES_H_
#define INQUEST_LOGS_FIELD_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logs/event.h"
#include "logs/key_index.h"

namespace inquest {

enum class FieldRole : uint8_t {
  kNone = 0,
  kTime,
  kLevel,
  kMessage,
  kService,
  kHost,
  kRequestId,
  kTraceId,
  kSpanId,
};
// How many roles there are (for arrays indexed by role).
inline constexpr size_t kFieldRoleCount = static_cast<size_t>(FieldRole::kSpanId) + 1;

class FieldNames {
 public:
  FieldNames();  // the defaults
  // A table with no key at all: every key of a record is an attribute (field inference reads
  // a file's head through it to see every key with its value).
  static FieldNames Empty();
  // Adds `key` for `role`, ahead of the defaults. Keys compare case-sensitively, after
  // flattening ("http.request_id").
  void Add(FieldRole role, std::string key);
  // The role of a key and its priority (lower = preferred when several keys of one role are
  // present: "msg" over "event"); {kNone, large} for ordinary attributes. `wanted` is false for
  // a key whose attribute the reader does not want (a Projected table): a parser may then leave
  // the attribute out. This runs for every key of every structured line: one probe of a small
  // table, keys of up to 16 bytes compared as two words, no allocation.
  struct Lookup {
    FieldRole role = FieldRole::kNone;
    int priority = 1 << 30;
    bool wanted = true;
  };
  Lookup Find(std::string_view key) const { return Entry(keys_.Find(key), key); }
  // The same for a key followed by at least 16 readable bytes (KeyIndex::FindPadded).
  Lookup FindPadded(std::string_view key) const { return Entry(keys_.FindPadded(key), key); }
  // A test of a key outside a projection's list (see Projected).
  using KeyTest = bool (*)(std::string_view key);
  // A copy of this table for a reader that looks at the attributes in `attributes` only (`rate`
  // reads durations and its --group-by and --where fields), and at the keys `also` accepts when
  // given (`analyze` reads error texts under any key whose dotted parts name one): Find says
  // wanted == false for every other key. The roles are the same. `also` runs once per lookup of
  // an unlisted key, so it must be cheap; the parsers remember lookups by key position.
  FieldNames Projected(const KeyIndex& attributes, KeyTest also = nullptr) const;
  FieldRole RoleOf(std::string_view key) const { return Find(key).role; }
  // The keys for one role, in priority order (the first present wins).
  std::vector<std::string_view> KeysFor(FieldRole role) const;
  int Priority(std::string_view key) const { return Find(key).priority; }
  // Every (key, role) in the table, in no particular order.
  std::vector<std::pair<std::string_view, FieldRole>> Entries() const;
  // Differs between any two tables that may differ (a copy gets a new one, so does every Add):
  // a parser that remembers what keys looked up to keys its memory on it.
  uint64_t id() const { return id_.value; }

 private:
  Lookup Entry(int i, std::string_view key) const {
    if (i >= 0) return entries_[static_cast<size_t>(i)];
    return {FieldRole::kNone, 1 << 30, unlisted_wanted_ || (also_wanted_ && also_wanted_(key))};
  }
  // A number no other table had: a fresh one on construction, copy and assignment.
  struct Id {
    uint64_t value = Next();
    Id() = default;
    Id(const Id&) : value(Next()) {}
    Id& operator=(const Id&) {
      value = Next();
      return *this;
    }
    static uint64_t Next();
  };
  KeyIndex keys_;
  std::vector<Lookup> entries_;  // by the key's number in keys_
  Id id_;
  bool unlisted_wanted_ = true;    // false in a Projected table
  KeyTest also_wanted_ = nullptr;  // in a Projected table: unlisted keys it accepts
};

const FieldNames& DefaultFieldNames();

// The role's name as inquest.toml's [fields] table and user formats' named groups spell it:
// "time", "level", "message", "service", "host", "request_id", "trace_id", "span_id"; "" for
// kNone.
std::string_view FieldRoleName(FieldRole role);
// The role named `name` (one of the names above); kNone for any other text.
FieldRole FieldRoleNamed(std::string_view name);

// Stores `value` (which must outlive *event) in the Event field that `role` names when that field
// is plain text (message, service, host, request / trace / span id) and returns true. Returns
// false, *event untouched, for kNone and for kTime and kLevel, which need parsing.
bool SetTextField(FieldRole role, std::string_view value, Event* event);
// The same limited to the correlation ids (request, trace, span): for formats whose message and
// service come from fixed positions and whose key=value extras may only add ids.
bool SetCorrelationId(FieldRole role, std::string_view value, Event* event);

}  // namespace inquest

#endif  // INQUEST_LOGS_FIELD_NAMES_H_
