#include "core/file.hpp"

#include <fstream>
#include <sstream>

namespace core {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::InvalidArgument, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace core
