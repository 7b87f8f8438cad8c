#pragma once
// A request and a response of voipsim's HTTP/1.1 JSON APIs as their handlers see them
// (http1_server.hpp serves them; bearer_auth.hpp checks them). Optional fields default with `{}`
// so that `{status, type, body}` initialisations stay free of -Wmissing-field-initializers.

#include <string>
#include <utility>
#include <vector>

namespace net {

struct Http1Request {
  std::string method;
  std::string target; // path and query
  std::string body;
  // The one header field a handler needs: the bearer secret's (bearer_auth.hpp). Empty: absent.
  std::string authorization{};
};

struct Http1Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers{}; // extra fields, e.g. WWW-Authenticate
};

} // namespace net
