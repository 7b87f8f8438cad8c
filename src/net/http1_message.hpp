#pragma once
// A request, a response and a refusal of voipsim's HTTP/1.1 JSON APIs as their handlers see
// them (http1_server.hpp serves them; bearer_auth.hpp checks them; json_api.hpp writes them).
// Optional fields default with `{}` so that `{status, type, body}` initialisations stay free of
// -Wmissing-field-initializers.

#include <string>
#include <utility>
#include <vector>

namespace net {

struct Http1Request {
  std::string method;
  std::string target; // path and query
  std::string body;
  // The header fields the server's checks read (bearer_auth.hpp, request_guard.hpp). Empty:
  // absent.
  std::string authorization{};
  std::string host{};
  std::string origin{};
  std::string content_type{};
};

// A refusal: the status, a code a program can branch on, a sentence that says what was wrong and
// how to fix it. Sent as {"error":"CODE","message":"..."} (json_api.hpp, error_response).
struct ApiError {
  std::string code; // e.g. BAD_QUERY, NO_SUCH_TOKEN, CERT_NAME_INVALID
  std::string message;
  int status = 400;
};

struct Http1Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers{}; // extra fields, e.g. WWW-Authenticate
};

} // namespace net
