#include "pipeline/error.hpp"

#include <string>

namespace pipeline {
namespace {

class PipelineCategory final : public std::error_category {
public:
  const char* name() const noexcept override { return "voipsim.pipeline"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
    case Errc::Database:
      return "database error";
    case Errc::UnsupportedSchemaVersion:
      return "unsupported schema version";
    case Errc::NotFound:
      return "no such record";
    case Errc::Busy:
      return "database held by another connection";
    }
    return "unknown pipeline error";
  }
};

} // namespace

const std::error_category& pipeline_category() noexcept {
  static const PipelineCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), pipeline_category()};
}

} // namespace pipeline
