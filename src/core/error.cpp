#include "core/error.hpp"

namespace core {
namespace {

class CoreCategory final : public std::error_category {
public:
  const char* name() const noexcept override { return "voipsim.core"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
    case Errc::InvalidArgument:
      return "invalid argument";
    case Errc::InvalidEncoding:
      return "invalid encoding";
    }
    return "unknown core error";
  }
};

} // namespace

const std::error_category& core_category() noexcept {
  static const CoreCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), core_category()};
}

std::string Error::message() const {
  if (!code) return detail.empty() ? "no error" : detail;
  std::string text = code.category().name();
  text += ": ";
  text += code.message();
  if (detail.empty()) return text;
  return detail + " (" + text + ")";
}

Error Error::in_context(const std::string& context) const {
  return {code, detail.empty() ? context : context + ": " + detail};
}

} // namespace core
