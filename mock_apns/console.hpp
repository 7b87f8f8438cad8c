#pragma once
// The web console at the root of the admin port (issue #20): static HTML, CSS and JavaScript
// compiled into the binary, served with a Content-Security-Policy that allows only its own
// script and style (no inline script, nothing from another origin) and that no page may frame.
// The files need no secret (they hold none); the API calls they make do.
#include "net/http1_message.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mock_apns {

// The paths the console serves: "/", "/console.js", "/console.css".
const std::vector<std::string>& console_paths();
// The answer to GET `path` when it is one of the console's, else nullopt.
std::optional<net::Http1Response> console_file(std::string_view path);

} // namespace mock_apns
