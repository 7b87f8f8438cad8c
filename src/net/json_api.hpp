#pragma once
// The kit every JSON API of voipsim is written with (the mock's admin API, the pipeline's API):
// one error shape, the request target split into path segments and query parameters, query
// parameters and bodies read strictly (body fields: core::JsonFields), and the other side's reading
// of an error answer. A long-poll's waiting is http1_wait.hpp. Include it only where an API is
// implemented: it brings nlohmann/json.
//
// The error shape of every answer that is not a success, whatever refused it (the handler, the
// request guard, the bearer check, the server itself):
//   {"error":"CODE","message":"what was wrong and how to fix it"}
// CODE is stable for programs (BAD_QUERY, BAD_JSON, BAD_REQUEST, NO_SUCH_ENDPOINT, ...); the
// message is for people and may change.

#include "core/result.hpp"
#include "net/http1_message.hpp"

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace net {

Http1Response error_response(const ApiError& error);
// `body` as compact JSON (core::json_text) with a final newline, so `curl` output ends its line.
Http1Response json_response(int status, const nlohmann::json& body);
// 400 BAD_REQUEST: a body field is missing, unknown or wrong (what core::JsonFields or a
// from_json reader said).
Http1Response bad_request(std::string message);
// 404 NO_SUCH_ENDPOINT naming the method and path, pointing at the endpoint list (`GET /v1`).
Http1Response no_such_endpoint(const std::string& method, std::string_view path);

// A request target split for routing. A path segment may hold an encoded '/' (a user id): split
// first, then decode each segment.
struct Http1Target {
  std::string path;                  // the whole path, percent-decoded
  std::vector<std::string> segments; // the parts between '/', each decoded (a final '/' adds none)
  std::map<std::string, std::string, std::less<>> query; // decoded names and values
};
Http1Target parse_target(std::string_view target);

// Reads the query parameters of one endpoint. A name the endpoint does not take, or a value
// not of the form asked for, is a 400 BAD_QUERY that names it (a misspelt parameter must not be
// silently ignored: it would answer a question the client did not ask); the first problem is
// kept. A getter returns nullopt when the parameter is absent or bad.
class QueryReader {
public:
  QueryReader(const Http1Target& target, std::initializer_list<std::string_view> known);

  // A whole number from 0 to `max`, in decimal.
  std::optional<std::uint64_t> count(std::string_view name,
                                     std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
  // A whole number, possibly negative.
  std::optional<std::int64_t> integer(std::string_view name);
  // true or false (also 1 or 0).
  std::optional<bool> flag(std::string_view name);
  std::optional<std::string> text(std::string_view name);

  const std::optional<ApiError>& problem() const { return problem_; }

private:
  const std::string* find(std::string_view name) const;
  void refuse(std::string_view name, const std::string& value, std::string_view form);

  const Http1Target& target_;
  std::optional<ApiError> problem_;
};

// The request body as JSON: an empty body reads as {}; anything else must be a JSON object, or
// the result is a 400 BAD_JSON that says where the syntax broke. `what` names the body in
// messages ("a message", "a fault rule"). The second form also refuses (400 BAD_REQUEST) a field
// outside `known`; use the first when a from_json reader checks the fields itself.
core::Result<nlohmann::json, ApiError> json_body(const Http1Request& request,
                                                 std::string_view what);
core::Result<nlohmann::json, ApiError> json_body(const Http1Request& request, std::string_view what,
                                                 std::initializer_list<std::string_view> known);

// The client's side: what an answer that is not a success says, as an ApiError. A body in the
// house shape gives its code and message; any other body becomes HTTP_<status> with the body
// (cut, made printable) as the message.
ApiError api_error_of(int status, std::string_view body);

} // namespace net
