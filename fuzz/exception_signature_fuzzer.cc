// Stack traces in log text (Java, Python, Go): the signature reader and the field-value probe
// on any bytes. A signature that is returned must have a key and at most kSignatureFrames
// frames.
#include <string_view>

#include "timeline/exception_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)inquest::LooksLikeStackTrace(bytes);
  (void)inquest::MessageShape(bytes.substr(0, 4096));
  std::optional<inquest::ExceptionSignature> s = inquest::ParseStackTrace(bytes, "", bytes);
  if (s && (s->key.empty() || s->top.empty() || s->top.size() > inquest::kSignatureFrames))
    __builtin_trap();
  if (s) (void)s->Label();
  return 0;
}
