#include "net/json_api.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "core/json_string.hpp"
#include "core/parse_number.hpp"

#include <algorithm>
#include <limits>

namespace net {

Http1Response error_response(const ApiError& error) {
  return json_response(error.status, {{"error", error.code}, {"message", error.message}});
}

Http1Response json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", core::json_text(body) + "\n"};
}

Http1Response bad_request(std::string message) {
  return error_response({"BAD_REQUEST", std::move(message), 400});
}

Http1Response no_such_endpoint(const std::string& method, std::string_view path) {
  return error_response(
      {"NO_SUCH_ENDPOINT",
       "no endpoint " + method + " " + core::printable(path, 200) + "; GET /v1 lists them", 404});
}

Http1Target parse_target(std::string_view target) {
  Http1Target out;
  const auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  out.path = core::percent_decode(path);
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.ends_with('/')) path.remove_suffix(1);
  // Split before decoding: "a//b" is three parts, the middle one empty (an empty user id).
  for (std::size_t from = 0; !path.empty() && from <= path.size();) {
    const auto slash = std::min(path.find('/', from), path.size());
    out.segments.push_back(core::percent_decode(path.substr(from, slash - from)));
    from = slash + 1;
  }
  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (!pair.empty())
      out.query[core::percent_decode(pair.substr(0, eq))] =
          eq == std::string_view::npos ? std::string() : core::percent_decode(pair.substr(eq + 1));
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
  }
  return out;
}

QueryReader::QueryReader(const Http1Target& target, std::initializer_list<std::string_view> known)
    : target_(target) {
  for (const auto& [name, value] : target.query) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string names;
    for (auto k : known)
      names += (names.empty() ? "" : ", ") + std::string(k);
    problem_ = ApiError{"BAD_QUERY",
                        "unknown query parameter \"" + core::printable(name) + "\"; " +
                            (known.size() == 0 ? std::string("this endpoint takes none")
                                               : "this endpoint takes " + names),
                        400};
    return;
  }
}

const std::string* QueryReader::find(std::string_view name) const {
  const auto found = target_.query.find(name);
  return found == target_.query.end() ? nullptr : &found->second;
}

void QueryReader::refuse(std::string_view name, const std::string& value, std::string_view form) {
  if (problem_) return;
  problem_ = ApiError{"BAD_QUERY",
                      std::string(name) + " takes " + std::string(form) + ", not \"" +
                          core::printable(value) + "\"",
                      400};
}

std::optional<std::uint64_t> QueryReader::count(std::string_view name, std::uint64_t max) {
  const std::string* value = find(name);
  if (value == nullptr) return std::nullopt;
  const auto n = core::parse_whole<std::uint64_t>(*value);
  if (!n || *n > max) {
    refuse(name, *value,
           max == std::numeric_limits<std::uint64_t>::max()
               ? std::string("a whole number, 0 or more")
               : "a whole number from 0 to " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::int64_t> QueryReader::integer(std::string_view name) {
  const std::string* value = find(name);
  if (value == nullptr) return std::nullopt;
  const auto n = core::parse_whole<std::int64_t>(*value);
  if (!n) refuse(name, *value, "a whole number");
  return n;
}

std::optional<bool> QueryReader::flag(std::string_view name) {
  const std::string* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  refuse(name, *value, "true or false");
  return std::nullopt;
}

std::optional<std::string> QueryReader::text(std::string_view name) {
  const std::string* value = find(name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

core::Result<nlohmann::json, ApiError> json_body(const Http1Request& request,
                                                 std::string_view what) {
  auto parsed = core::parse_json(request.body.empty() ? std::string_view("{}") : request.body);
  if (!parsed)
    return core::Unexpected(
        ApiError{"BAD_JSON", std::string(what) + " is " + parsed.error().detail, 400});
  if (!parsed->is_object())
    return core::Unexpected(
        ApiError{"BAD_JSON", std::string(what) + " must be a JSON object", 400});
  return std::move(*parsed);
}

core::Result<nlohmann::json, ApiError> json_body(const Http1Request& request, std::string_view what,
                                                 std::initializer_list<std::string_view> known) {
  auto body = json_body(request, what);
  if (!body) return body;
  if (auto ok = core::require_json_object(*body, std::string(what).c_str(), known); !ok)
    return core::Unexpected(ApiError{"BAD_REQUEST", ok.error().detail, 400});
  return body;
}

ApiError api_error_of(int status, std::string_view body) {
  const ApiError as_sent{"HTTP_" + std::to_string(status), core::printable(body, 300), status};
  const auto parsed = core::parse_json(body);
  if (!parsed) return as_sent;
  // What error_response writes, read as strictly as any voipsim document; another shape (a
  // proxy's page, another server) is shown as it came.
  ApiError e{"", "", status};
  core::JsonFields f(*parsed, "an error", {"error", "message"});
  if (f.require("error", e.code).require("message", e.message).problem()) return as_sent;
  return e;
}

} // namespace net
