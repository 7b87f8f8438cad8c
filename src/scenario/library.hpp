#pragma once
// The scenario library of scenarios/ (faq/ and flows/), compiled into the binary so that
// `voipsim demo` needs no files: each entry is a path relative to scenarios/ and the file's text.

#include <span>
#include <string_view>

namespace scenario {

struct EmbeddedFile {
  std::string_view path; // e.g. "faq/2a-dev-build-production-id.yaml"
  std::string_view text;
};

// Sorted by path.
std::span<const EmbeddedFile> embedded_library();

} // namespace scenario
