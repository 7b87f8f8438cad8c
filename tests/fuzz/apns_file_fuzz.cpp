#include "fake_device/apns_file.hpp"
#include "fuzz/fuzz_targets.hpp"

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fuzz {
namespace {

using fake_device::ApnsFile;
using fake_device::PushKind;

// The file text that names `file`'s app and holds its payload: the target key first, then the
// payload's members, as parse_apns_file reads them back.
std::string rebuild(const ApnsFile& file) {
  const std::string target =
      file.kind == PushKind::Voip ? file.bundle_id + ".voip" : file.bundle_id;
  std::string text = "{" +
                     nlohmann::json(std::string(fake_device::kSimulatorTargetBundleKey)).dump() +
                     ":" + nlohmann::json(target).dump();
  if (file.payload != "{}")
    text += "," + file.payload.substr(1);
  else
    text += "}";
  return text;
}

// What every accepted file must satisfy; false means parse_apns_file broke its promise.
bool holds(const ApnsFile& file) {
  if (file.bundle_id.empty()) return false;
  const std::size_t limit =
      file.kind == PushKind::Voip ? fake_device::kMaxVoipPayload : fake_device::kMaxAlertPayload;
  if (file.payload.size() > limit) return false;
  const auto payload = nlohmann::ordered_json::parse(file.payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return false;
  if (payload.contains(fake_device::kSimulatorTargetBundleKey)) return false;
  if (file.kind == PushKind::Alert && !(payload.contains("aps") && payload["aps"].is_object())) {
    return false;
  }
  // The accepted file, written back, reads as the same push (unless the bundle id alone makes
  // it too big to be a file at all).
  const std::string again = rebuild(file);
  if (again.size() > fake_device::kMaxApnsFileSize) return true;
  const auto reread = fake_device::parse_apns_file(again);
  return reread && reread->bundle_id == file.bundle_id && reread->kind == file.kind &&
         reread->payload == file.payload;
}

} // namespace

int apns_file(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto file = fake_device::parse_apns_file(text);
  if (file && !holds(*file)) __builtin_trap();
  if (!file && file.error().detail.empty()) __builtin_trap(); // every refusal says why
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::apns_file(data, size);
}
#endif
