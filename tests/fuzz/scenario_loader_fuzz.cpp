#include "fuzz/fuzz_targets.hpp"
#include "scenario/loader.hpp"

#include <string_view>

namespace fuzz {

// Whatever the text, parse_scenario returns: a scenario with a name and at least one step, each
// placed in the file, or an error that names the file (issue #7: errors name file and line).
int scenario_loader(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto sc = scenario::parse_scenario(text, "fuzz.yaml", "fuzz");
  if (!sc) {
    if (!sc.error().detail.starts_with("fuzz.yaml")) __builtin_trap();
    return 0;
  }
  if (sc->name.empty() || sc->steps.empty()) __builtin_trap();
  for (const auto& step : sc->steps)
    if (step.where.file != "fuzz.yaml" || step.text.empty()) __builtin_trap();
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::scenario_loader(data, size);
}
#endif
