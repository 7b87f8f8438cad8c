#pragma once
// The console's files (mock_apns/console/), compiled into the binary by cmake/embed_files.cmake:
// the page works offline and needs no file at run time.
#include <cstddef>
#include <string_view>

namespace mock_apns {

struct EmbeddedFile {
  std::string_view name; // "index.html", "console.js", ...
  std::string_view bytes;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

} // namespace mock_apns
