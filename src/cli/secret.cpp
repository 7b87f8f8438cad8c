#include "cli/secret.hpp"

#include "core/file.hpp"
#include "net/bearer_auth.hpp"
#include "net/http1_server.hpp"

#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

namespace cli {

core::Result<std::string> read_secret(const std::optional<std::string>& file,
                                      const std::string& file_flag, const char* env) {
  std::string secret;
  std::string source;
  if (file) {
    source = "--" + file_flag + " " + *file;
    auto text = core::read_file(*file);
    if (!text) return core::fail(core::Errc::InvalidArgument, "cannot read " + source);
    secret = std::move(*text);
    // `echo secret > FILE` and editors end the file with a newline that is not the secret's.
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
      secret.pop_back();
  } else if (const char* value = std::getenv(env); value != nullptr) {
    source = env;
    secret = value;
  } else {
    return std::string();
  }
  // An empty source is a mistake (a missing file substituted by the shell, say), not "no
  // secret": running open by accident is what the secret is there to prevent.
  if (auto usable = net::check_secret_text(secret); !usable)
    return core::fail(core::Errc::InvalidArgument, source + ": " + usable.error().detail);
  return secret;
}

void warn_if_exposed(const std::string& api, const std::string& host, const std::string& secret,
                     const std::string& file_flag, const char* env) {
  if (!secret.empty() || net::is_loopback_address(host)) return;
  const std::string message =
      api + " listens on " + host +
      ", beyond loopback, with no secret: anyone who can reach the port can use it; give --" +
      file_flag + " FILE or " + env + ", or listen on 127.0.0.1";
  std::cout << nlohmann::ordered_json{{"event", "warning"}, {"message", message}}.dump()
            << std::endl;
}

} // namespace cli
