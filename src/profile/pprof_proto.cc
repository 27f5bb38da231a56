#include "profile/pprof_proto.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>
#include <utility>

#include "profile/profile.pb.h"

namespace inquest::profile {
namespace {

namespace pb = perftools::profiles;
using google::protobuf::internal::WireFormatLite;

// The wire type each top-level field of Profile is written with (13, `comment`, may also come
// unpacked as varints); 0 for a field number the format does not define.
int ExpectedWireType(uint32_t field) {
  switch (field) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 11:
    case 13:
    case 15:
      return WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    case 7:
    case 8:
    case 9:
    case 10:
    case 12:
    case 14:
      return WireFormatLite::WIRETYPE_VARINT;
    default:
      return -1;
  }
}

// Whether the `len` bytes at `data` decode as the message a top-level field holds.
bool SubmessageParses(uint32_t field, const void* data, int len) {
  switch (field) {
    case 1:
    case 11:
      return pb::ValueType().ParseFromArray(data, len);
    case 2:
      return pb::Sample().ParseFromArray(data, len);
    case 3:
      return pb::Mapping().ParseFromArray(data, len);
    case 4:
      return pb::Location().ParseFromArray(data, len);
    case 5:
      return pb::Function().ParseFromArray(data, len);
    default:
      return true;
  }
}

// Walks the top-level fields of `bytes`. Returns the offset of the first field that is not
// well formed (a bad tag, a length past the end, a sub-message that does not decode when
// `check_submessages`), or bytes.size() when every field is; `fields` counts the good ones and
// `cut` tells whether the field at the returned offset only runs past the end of `bytes`;
// `sample_type` whether a sample type is among the first 16 fields.
size_t FirstBadField(std::string_view bytes, bool check_submessages, size_t* fields,
                     bool* cut = nullptr, bool* sample_type = nullptr) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  google::protobuf::io::CodedInputStream in(data, static_cast<int>(bytes.size()));
  *fields = 0;
  for (;;) {
    size_t at = static_cast<size_t>(in.CurrentPosition());
    if (at == bytes.size()) return at;
    uint32_t tag = in.ReadTag();
    uint32_t field = WireFormatLite::GetTagFieldNumber(tag);
    auto wire = static_cast<int>(WireFormatLite::GetTagWireType(tag));
    int expected = ExpectedWireType(field);
    if (tag == 0 || expected < 0) return at;
    if (wire != expected && !(field == 13 && wire == WireFormatLite::WIRETYPE_VARINT)) return at;
    if (wire == WireFormatLite::WIRETYPE_VARINT) {
      uint64_t v;
      if (!in.ReadVarint64(&v)) return at;
    } else {
      uint32_t len;
      if (!in.ReadVarint32(&len)) return at;
      int pos = in.CurrentPosition();
      if (len > bytes.size() - static_cast<size_t>(pos)) {
        if (cut) *cut = true;
        return at;
      }
      if (check_submessages && !SubmessageParses(field, data + pos, static_cast<int>(len)))
        return at;
      if (!in.Skip(static_cast<int>(len))) return at;
    }
    if (sample_type && field == 1 && *fields < 16) *sample_type = true;
    ++*fields;
  }
}

// Profile ids (locations, functions, mappings) to indexes in the model: a vector when the ids are
// small (as every known writer makes them: 1..N), a hash map otherwise.
class IdIndex {
 public:
  explicit IdIndex(size_t count) : count_(count) {}
  // False when `id` is 0 or already present.
  bool Add(uint64_t id, uint32_t index) {
    if (id == 0) return false;
    if (id <= 4 * count_ + 16) {
      if (dense_.size() <= id) dense_.resize(std::max<size_t>(id + 1, count_ + 1), kNone);
      if (dense_[id] != kNone) return false;
      dense_[id] = index;
      return true;
    }
    return sparse_.emplace(id, index).second;
  }
  uint32_t Find(uint64_t id) const {
    if (id < dense_.size()) return dense_[id];
    auto it = sparse_.find(id);
    return it == sparse_.end() ? kNone : it->second;
  }

 private:
  size_t count_;
  std::vector<uint32_t> dense_;
  absl::flat_hash_map<uint64_t, uint32_t> sparse_;
};

class Converter {
 public:
  Converter(pb::Profile* msg, const std::string& name) : msg_(*msg), name_(name) {}

  Result<Profile> Run() {
    Profile p;
    p.source = name_;
    p.format = "profile.proto";
    p.strings.clear();
    p.strings.reserve(static_cast<size_t>(msg_.string_table_size()));
    // Copied: the message's strings live in its arena.
    for (const std::string& s : msg_.string_table()) p.strings.push_back(s);
    if (p.strings.empty()) p.strings.emplace_back();
    if (!p.strings[0].empty())
      return Bad(fmt::format("the string table's first entry is \"{}\", not the empty string",
                             p.strings[0].substr(0, 40)));
    strings_ = p.strings.size();

    for (const pb::ValueType& t : msg_.sample_type()) {
      INQ_ASSIGN_OR_RETURN(ValueType v, Type(p, t, "a sample type"));
      p.sample_types.push_back(std::move(v));
    }
    if (msg_.has_period_type()) {
      INQ_ASSIGN_OR_RETURN(p.period_type, Type(p, msg_.period_type(), "the period type"));
    }
    p.period = msg_.period();
    p.time_nanos = msg_.time_nanos();
    p.duration_nanos = msg_.duration_nanos();
    INQ_ASSIGN_OR_RETURN(uint32_t dst, Str(msg_.default_sample_type(), "the default sample type"));
    p.default_sample_type = p.strings[dst];
    INQ_ASSIGN_OR_RETURN(uint32_t drop, Str(msg_.drop_frames(), "drop_frames"));
    INQ_ASSIGN_OR_RETURN(uint32_t keep, Str(msg_.keep_frames(), "keep_frames"));
    p.drop_frames = p.strings[drop];
    p.keep_frames = p.strings[keep];
    for (int64_t c : msg_.comment()) {
      INQ_ASSIGN_OR_RETURN(uint32_t ci, Str(c, "a comment"));
      p.comments.push_back(p.strings[ci]);
    }
    INQ_RETURN_IF_ERROR(Mappings(p));
    INQ_RETURN_IF_ERROR(Functions(p));
    INQ_RETURN_IF_ERROR(Locations(p));
    INQ_RETURN_IF_ERROR(Samples(p));
    return p;
  }

 private:
  Status Bad(std::string what) const {
    return Status::BadInput(fmt::format("not a usable pprof profile: {}", what),
                            SourceLocation{name_});
  }
  Result<uint32_t> Str(int64_t index, std::string_view what) const {
    if (index < 0 || static_cast<uint64_t>(index) >= strings_)
      return Bad(fmt::format("{} is string {}, past the string table's {} entries", what, index,
                             strings_));
    return static_cast<uint32_t>(index);
  }
  Result<ValueType> Type(const Profile& p, const pb::ValueType& t, std::string_view what) const {
    INQ_ASSIGN_OR_RETURN(uint32_t type, Str(t.type(), what));
    INQ_ASSIGN_OR_RETURN(uint32_t unit, Str(t.unit(), what));
    return ValueType{p.strings[type], p.strings[unit]};
  }

  Status Mappings(Profile& p) {
    p.mappings.reserve(static_cast<size_t>(msg_.mapping_size()));
    for (const pb::Mapping& m : msg_.mapping()) {
      auto index = static_cast<uint32_t>(p.mappings.size());
      if (!mappings_.Add(m.id(), index))
        return Bad(fmt::format("mapping {} has id {}, {}", index, m.id(),
                               m.id() == 0 ? "which is reserved" : "defined twice"));
      Mapping out{m.memory_start(), m.memory_limit(), m.file_offset(), 0, 0};
      INQ_ASSIGN_OR_RETURN(out.filename, Str(m.filename(), "a mapping's file name"));
      INQ_ASSIGN_OR_RETURN(out.build_id, Str(m.build_id(), "a mapping's build id"));
      p.mappings.push_back(out);
    }
    return Status::Ok();
  }

  Status Functions(Profile& p) {
    p.functions.reserve(static_cast<size_t>(msg_.function_size()));
    for (const pb::Function& f : msg_.function()) {
      auto index = static_cast<uint32_t>(p.functions.size());
      if (!functions_.Add(f.id(), index))
        return Bad(fmt::format("function {} has id {}, {}", index, f.id(),
                               f.id() == 0 ? "which is reserved" : "defined twice"));
      Function out;
      INQ_ASSIGN_OR_RETURN(out.name, Str(f.name(), "a function's name"));
      INQ_ASSIGN_OR_RETURN(out.system_name, Str(f.system_name(), "a function's system name"));
      INQ_ASSIGN_OR_RETURN(out.filename, Str(f.filename(), "a function's file name"));
      out.start_line = f.start_line();
      p.functions.push_back(out);
    }
    return Status::Ok();
  }

  Status Locations(Profile& p) {
    p.locations.reserve(static_cast<size_t>(msg_.location_size()));
    for (const pb::Location& l : msg_.location()) {
      auto index = static_cast<uint32_t>(p.locations.size());
      if (!locations_.Add(l.id(), index))
        return Bad(fmt::format("location {} has id {}, {}", index, l.id(),
                               l.id() == 0 ? "which is reserved" : "defined twice"));
      Location out;
      out.address = l.address();
      if (l.mapping_id() != 0) {
        out.mapping = mappings_.Find(l.mapping_id());
        if (out.mapping == kNone)
          return Bad(fmt::format("location id {} names mapping id {}, which is not defined", l.id(),
                                 l.mapping_id()));
      }
      if (p.lines.size() + static_cast<size_t>(l.line_size()) > UINT32_MAX)
        return Bad("more than 4 billion lines");
      out.first_line = static_cast<uint32_t>(p.lines.size());
      out.line_count = static_cast<uint32_t>(l.line_size());
      for (const pb::Line& ln : l.line()) {
        Line line{kNone, ln.line(), ln.column()};
        if (ln.function_id() != 0) {
          line.function = functions_.Find(ln.function_id());
          if (line.function == kNone)
            return Bad(fmt::format("location id {} names function id {}, which is not defined",
                                   l.id(), ln.function_id()));
        }
        p.lines.push_back(line);
      }
      p.locations.push_back(out);
    }
    return Status::Ok();
  }

  Status Samples(Profile& p) {
    const size_t types = p.sample_types.size();
    const auto n = static_cast<size_t>(msg_.sample_size());
    size_t frames = 0, labels = 0;
    for (const pb::Sample& s : msg_.sample()) {
      frames += static_cast<size_t>(s.location_id_size());
      labels += static_cast<size_t>(s.label_size());
    }
    p.samples.reserve(n);
    p.values.reserve(n * types);
    p.stack.reserve(frames);
    p.labels.reserve(labels);
    for (const pb::Sample& s : msg_.sample()) {
      if (static_cast<size_t>(s.value_size()) != types)
        return Bad(fmt::format("sample {} has {} values for {} sample types", p.samples.size(),
                               s.value_size(), types));
      Sample out;
      out.first_location = p.stack.size();
      out.location_count = static_cast<uint32_t>(s.location_id_size());
      for (uint64_t id : s.location_id()) {
        uint32_t loc = locations_.Find(id);
        if (loc == kNone)
          return Bad(fmt::format("sample {} names location id {}, which is not defined",
                                 p.samples.size(), id));
        p.stack.push_back(loc);
      }
      p.values.insert(p.values.end(), s.value().begin(), s.value().end());
      out.first_label = p.labels.size();
      out.label_count = static_cast<uint32_t>(s.label_size());
      for (const pb::Label& l : s.label()) {
        Label label;
        INQ_ASSIGN_OR_RETURN(label.key, Str(l.key(), "a label's key"));
        INQ_ASSIGN_OR_RETURN(label.str, Str(l.str(), "a label's value"));
        INQ_ASSIGN_OR_RETURN(label.num_unit, Str(l.num_unit(), "a label's unit"));
        label.num = l.num();
        p.labels.push_back(label);
      }
      p.samples.push_back(out);
    }
    return Status::Ok();
  }

  pb::Profile& msg_;
  const std::string& name_;
  size_t strings_ = 0;
  IdIndex mappings_{static_cast<size_t>(msg_.mapping_size())};
  IdIndex functions_{static_cast<size_t>(msg_.function_size())};
  IdIndex locations_{static_cast<size_t>(msg_.location_size())};
};

}  // namespace

Result<Profile> ParsePprofProto(std::string_view bytes, const std::string& name) {
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return Status::BadInput(
        fmt::format("{} bytes: past the 2 GiB a profile.proto message can hold", bytes.size()),
        SourceLocation{name});
  google::protobuf::Arena arena;
  auto* msg = google::protobuf::Arena::CreateMessage<pb::Profile>(&arena);
  if (!msg->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    size_t fields = 0;
    size_t at = FirstBadField(bytes, true, &fields);
    SourceLocation where{name};
    where.byte_offset = at == bytes.size() ? 0 : at;
    where.has_offset = at != bytes.size();
    return Status::BadInput(
        fmt::format("not a pprof profile (profile.proto): {} after {} well-formed fields",
                    at == bytes.size() ? "a field that does not decode" : "a malformed field",
                    fields),
        std::move(where));
  }
  return Converter(msg, name).Run();
}

bool LooksLikePprofProto(std::string_view head) {
  size_t fields = 0;
  bool cut = false, sample_type = false;
  size_t at = FirstBadField(head, false, &fields, &cut, &sample_type);
  // Well-formed fields up to a field cut by the end of the head (expected) or the end itself; a
  // malformed one is not (except a varint cut in the last 10 bytes). Writers put the sample
  // types among the first fields (Go's first, others after the period).
  bool well_formed = at == head.size() || cut || head.size() - at < 10;
  return well_formed && sample_type && fields + (cut ? 1 : 0) >= 2;
}

}  // namespace inquest::profile
