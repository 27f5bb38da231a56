// The manifest.json of an `inquest capture` folder, as `analyze` reads it.
#include <string_view>

#include "analyze/capture_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  inquest::Result<inquest::CaptureManifest> m = inquest::ParseCaptureManifest(text);
  if (m.ok()) (void)m->Find("core.1");
  return 0;
}
