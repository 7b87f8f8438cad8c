#include "core/json_syntax.hpp"
#include "fuzz/fuzz_targets.hpp"

#include <string_view>

#include <nlohmann/json.hpp>

namespace fuzz {

// Differential: the mock's allocation-free payload check against nlohmann's full parser, which
// validation used before (see json_syntax.hpp for the one documented difference, NUL bytes).
int json_object(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool ours = core::is_json_object(text);
  const auto first = text.find_first_not_of(" \t\r\n");
  const bool reference = first != std::string_view::npos && text[first] == '{' &&
                         text.find('\0') == std::string_view::npos &&
                         nlohmann::json::accept(text.begin(), text.end());
  if (ours != reference) {
    __builtin_trap();
  }
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::json_object(data, size);
}
#endif
