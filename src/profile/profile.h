// A sampled profile as pprof models it (profile.proto): sample types, samples with one value per
// type and a stack of locations, locations with their (inlined) lines, functions, mappings. One
// model for every profile inquest reads: gzipped profile.proto from Go's runtime/pprof, the pprof
// tools, Parca and others, and the legacy text heap profiles of Go, gperftools and Java.
//
// The model is flat for size: a 100 MB profile holds millions of samples, so stacks, values and
// labels of every sample live in three shared arrays and a Sample is four indexes into them.
// Locations, functions and mappings are referred to by their index in this model (not by the
// profile's own ids, which a reader has checked and translated); strings by their index in
// `strings`, whose element 0 is "".
#ifndef INQUEST_PROFILE_PROFILE_H_
#define INQUEST_PROFILE_PROFILE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace inquest::profile {

inline constexpr uint32_t kNone = UINT32_MAX;

struct ValueType {
  std::string type;  // "inuse_space", "cpu", "samples", ...
  std::string unit;  // "bytes", "nanoseconds", "count", ...
};

struct Function {
  uint32_t name = 0;  // string indexes
  uint32_t system_name = 0;
  uint32_t filename = 0;
  int64_t start_line = 0;
};

// One frame of a location: inlined callees come first, the location's own function last.
struct Line {
  uint32_t function = kNone;  // index in functions
  int64_t line = 0;
  int64_t column = 0;
};

struct Mapping {
  uint64_t start = 0;
  uint64_t limit = 0;
  uint64_t offset = 0;
  uint32_t filename = 0;
  uint32_t build_id = 0;
};

struct Location {
  uint64_t address = 0;
  uint32_t mapping = kNone;  // index in mappings
  uint32_t first_line = 0;   // lines[first_line, first_line + line_count)
  uint32_t line_count = 0;
};

struct Label {
  uint32_t key = 0;  // string indexes; str == 0 for a numeric label
  uint32_t str = 0;
  int64_t num = 0;
  uint32_t num_unit = 0;
};

struct Sample {
  uint64_t first_location = 0;  // stack[first_location, + location_count), leaf first
  uint32_t location_count = 0;
  uint32_t label_count = 0;
  uint64_t first_label = 0;  // labels[first_label, + label_count)
};

struct Profile {
  std::string source;  // the file it was read from
  std::string format;  // "profile.proto", "legacy Go heap profile", ...

  std::vector<std::string> strings{std::string()};
  std::vector<ValueType> sample_types;
  ValueType period_type;
  int64_t period = 0;
  int64_t time_nanos = 0;           // when the profile was taken; 0 unknown
  int64_t duration_nanos = 0;       // how long it covers; 0 unknown
  std::string default_sample_type;  // empty: the last sample type
  std::vector<std::string> comments;
  std::string drop_frames;  // regular expressions over function names; empty: none
  std::string keep_frames;

  std::vector<Function> functions;
  std::vector<Line> lines;
  std::vector<Mapping> mappings;
  std::vector<Location> locations;
  std::vector<uint32_t> stack;  // location indexes of every sample, leaf first
  std::vector<int64_t> values;  // sample_types.size() values per sample
  std::vector<Label> labels;
  std::vector<Sample> samples;

  std::string_view Str(uint32_t i) const {
    return i < strings.size() ? std::string_view(strings[i]) : std::string_view();
  }
  int64_t Value(size_t sample, size_t type) const {
    return values[sample * sample_types.size() + type];
  }
  std::span<const uint32_t> Stack(const Sample& s) const {
    return {stack.data() + s.first_location, s.location_count};
  }
  std::span<const Line> Lines(const Location& l) const {
    return {lines.data() + l.first_line, l.line_count};
  }
  std::span<const Label> Labels(const Sample& s) const {
    return {labels.data() + s.first_label, s.label_count};
  }
  // True when some location has a function name (a symbolized profile).
  bool HasFunctions() const;
};

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_H_
