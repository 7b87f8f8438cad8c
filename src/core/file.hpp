#pragma once
// Reading a whole file: certificates, keys, manifests, configuration. The one file read every
// part shares; everything else in core stays free of I/O.

#include "core/result.hpp"

#include <filesystem>
#include <string>

namespace core {

// The file's bytes; InvalidArgument "cannot read <path>" when it cannot be opened.
Result<std::string> read_file(const std::filesystem::path& path);

} // namespace core
