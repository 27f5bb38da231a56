#include "traces/span.h"

#include <fmt/format.h>

namespace inquest {

std::string_view SpanKindName(SpanKind k) {
  switch (k) {
    case SpanKind::kInternal:
      return "internal";
    case SpanKind::kServer:
      return "server";
    case SpanKind::kClient:
      return "client";
    case SpanKind::kProducer:
      return "producer";
    case SpanKind::kConsumer:
      return "consumer";
    case SpanKind::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view TraceFormatName(TraceFormat f) {
  switch (f) {
    case TraceFormat::kOtlp:
      return "otlp";
    case TraceFormat::kJaeger:
      return "jaeger";
    case TraceFormat::kZipkin:
      return "zipkin";
    case TraceFormat::kUnknown:
      break;
  }
  return "unknown";
}

int64_t TimeResolutionNs(TraceFormat f) {
  return f == TraceFormat::kJaeger || f == TraceFormat::kZipkin ? 1000 : 1;
}

std::string FormatSpanId(SpanId id) { return fmt::format("{:016x}", id); }

std::string FormatTraceId(const TraceId& id) {
  if (!id.text.empty()) return std::string(id.text);
  if (id.hi == 0 && !id.wide) return fmt::format("{:016x}", id.lo);
  return fmt::format("{:016x}{:016x}", id.hi, id.lo);
}

std::string SpanLabel(const Span& s) {
  std::string id = s.span_id_text.empty() ? FormatSpanId(s.span_id) : std::string(s.span_id_text);
  if (s.shared) id += "+server";
  return id;
}

std::string SpanDuration(int64_t ns) {
  int64_t a = ns < 0 ? -ns : ns;
  if (a < 1000) return fmt::format("{}ns", ns);
  if (a < 1000 * 1000) return fmt::format("{:.0f}µs", static_cast<double>(ns) / 1e3);
  if (a < kNanosPerSecond) return fmt::format("{:.2f}ms", static_cast<double>(ns) / 1e6);
  return fmt::format("{:.3f}s", static_cast<double>(ns) / 1e9);
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseHex64(std::string_view s, uint64_t* out) {
  uint64_t v = 0;
  for (char c : s) {
    int d = HexValue(c);
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseHexSpanId(std::string_view s, SpanId* out) {
  if (s.empty() || s.size() > 16) return false;
  return ParseHex64(s, out);
}

bool ParseHexTraceId(std::string_view s, TraceId* out) {
  if (s.empty() || s.size() > 32) return false;
  TraceId id;
  size_t split = s.size() > 16 ? s.size() - 16 : 0;
  if (!ParseHex64(s.substr(split), &id.lo)) return false;
  if (split > 0 && !ParseHex64(s.substr(0, split), &id.hi)) return false;
  id.wide = s.size() > 16;
  *out = id;
  return true;
}

SpanId HashIdText(std::string_view s) {
  // FNV-1a, 64 bit: stable across runs and platforms, and 0 (no parent) is avoided.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h == 0 ? 1 : h;
}

}  // namespace inquest
