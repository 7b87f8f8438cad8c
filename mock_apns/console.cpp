#include "mock_apns/console.hpp"

#include "mock_apns/embedded_files.hpp"

namespace mock_apns {
namespace {

// Only the console's own files run or style the page; fetches go to this origin only.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct Served {
  const char* path;
  const char* file;
  const char* content_type;
};
constexpr Served kServed[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/console.js", "console.js", "text/javascript; charset=utf-8"},
    {"/console.css", "console.css", "text/css; charset=utf-8"},
};

std::string_view bytes_of(std::string_view name) {
  for (std::size_t i = 0; i < kEmbeddedFileCount; ++i)
    if (kEmbeddedFiles[i].name == name) return kEmbeddedFiles[i].bytes;
  return {};
}

} // namespace

const std::vector<std::string>& console_paths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> out;
    for (const Served& s : kServed)
      out.emplace_back(s.path);
    return out;
  }();
  return paths;
}

std::optional<net::Http1Response> console_file(std::string_view path) {
  for (const Served& s : kServed) {
    if (path != s.path) continue;
    net::Http1Response response{200, s.content_type, std::string(bytes_of(s.file))};
    response.headers = {{"Content-Security-Policy", kContentSecurityPolicy},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Referrer-Policy", "no-referrer"},
                        {"Cache-Control", "no-store"}};
    return response;
  }
  return std::nullopt;
}

} // namespace mock_apns
