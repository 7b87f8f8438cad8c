#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "fuzz/fuzz_targets.hpp"
#include "fuzz/request_script.hpp"
#include "net/json_api.hpp"
#include "pipeline/api.hpp"
#include "pipeline/pipeline.hpp"
#include "pki/credential_set.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fuzz {
namespace {

using nlohmann::json;

constexpr std::string_view kP12Open = "@p12:"; // "@p12:voip-services@": that .p12 as base64

// Made once per process: a fresh credential set (never committed), its CA bundle written to a
// file for Pipeline::open, and every .p12 as base64 for the inputs' placeholders.
struct Credentials {
  std::filesystem::path ca_file;
  std::map<std::string, std::string, std::less<>> p12_base64; // by name without ".p12"

  Credentials() {
    const pki::CredentialSetOptions options{"com.example.imapp", "TEAMA12345", "KB00000001", "fuzz",
                                            core::from_unix_seconds(1767225600)};
    const auto files = pki::make_credential_set(options);
    if (!files) __builtin_trap(); // the fixture itself is broken, not the code under test
    ca_file = std::filesystem::temp_directory_path() /
              ("voipsim-fuzz-pipeline-" + std::to_string(::getpid()) + "-ca.pem");
    for (const auto& f : *files) {
      if (f.name == "ca-bundle.pem") std::ofstream(ca_file, std::ios::binary) << f.contents;
      if (f.name.ends_with(".p12"))
        p12_base64[f.name.substr(0, f.name.size() - 4)] = core::base64url_encode(f.contents);
    }
  }
  ~Credentials() {
    std::error_code ignored;
    std::filesystem::remove(ca_file, ignored);
  }
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
};

const Credentials& credentials() {
  static const Credentials c;
  return c;
}

core::VirtualClock& virtual_clock() {
  static core::VirtualClock clock;
  return clock;
}

// A pipeline per input, so every finding reproduces from its input alone. Pushes go to a port
// nobody listens on; their retries wait for the virtual clock, which never moves.
std::unique_ptr<pipeline::Pipeline> fresh_pipeline() {
  pipeline::PipelineOptions options;
  options.apple_ca_file = credentials().ca_file.string();
  options.dispatcher.sandbox = {"127.0.0.1", 9, "api.sandbox.push.apple.com"};
  options.dispatcher.production = {"127.0.0.1", 9, "api.push.apple.com"};
  options.dispatcher.ca_file = options.apple_ca_file;
  auto opened = pipeline::Pipeline::open(options, virtual_clock());
  if (!opened) __builtin_trap();
  return std::move(*opened);
}

// The body with each "@p12:NAME@" replaced by NAME.p12 of the credential set (password
// "fuzz"), so inputs can upload a real certificate and go on to setVOIP and messages.
std::string expand(std::string_view body) {
  std::string out;
  for (std::size_t at; (at = body.find(kP12Open)) != std::string_view::npos;) {
    const std::size_t end = body.find('@', at + kP12Open.size());
    if (end == std::string_view::npos) break;
    out += body.substr(0, at);
    const auto name = body.substr(at + kP12Open.size(), end - at - kP12Open.size());
    const auto found = credentials().p12_base64.find(name);
    out += found != credentials().p12_base64.end() ? std::string_view(found->second)
                                                   : body.substr(at, end + 1 - at);
    body.remove_prefix(end + 1);
  }
  out += body;
  return out;
}

// The POST endpoints that read a JSON object body (src/pipeline/README.md), routed as
// handle_api_request routes them: by the path's segments, each decoded on its own.
bool reads_body(const net::Http1Request& request, const std::vector<std::string>& s,
                std::string_view path) {
  if (request.method != "POST") return false;
  return path == "/v1/console/certificates" || path == "/v1/messages" ||
         (s.size() == 4 && s[0] == "v1" && s[1] == "users" && !s[2].empty() &&
          (s[3] == "presence" || s[3] == "voip-token"));
}

// What every answer promises (api.hpp): JSON; errors as {"error":code,"message":text} with a
// 4xx status (5xx only for a failing store, and an in-memory one does not fail); 201 for an
// upload and 202 for a message alone; no success for a body that is not a JSON object.
bool answer_holds(const net::Http1Request& request, const net::Http1Response& response,
                  pipeline::Pipeline& p) {
  const auto segments = net::parse_target(request.target).segments;
  const std::string path = routed_path(request.target);
  const int status = response.status;
  if (status < 200 || status > 499 || response.content_type != "application/json") return false;
  if (!response.body.ends_with('\n')) return false;
  const json answer = json::parse(response.body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return false;
  if (status >= 400) return is_house_error(answer);
  if (status != 200 && status != 201 && status != 202) return false;
  const bool upload = request.method == "POST" && path == "/v1/console/certificates";
  const bool send = request.method == "POST" && path == "/v1/messages";
  if ((status == 201) != upload || (status == 202) != send) return false;
  if (reads_body(request, segments, path) && !json::parse(request.body, nullptr, false).is_object())
    return false;
  if (send) {
    const auto& id = answer.at("message_id");
    const json body = json::parse(request.body);
    const auto stored = p.message(id.get<std::string>());
    return stored && stored->sender == body.at("sender") && stored->receiver == body.at("receiver");
  }
  if (upload) {
    const auto id = answer.at("record_id");
    for (const auto& c : p.certificates())
      if (id == c.record_id) return true;
    return false;
  }
  return true;
}

} // namespace

int pipeline_api(const std::uint8_t* data, std::size_t size) {
  const auto p = fresh_pipeline();
  for (const ScriptedRequest& scripted : read_script(data, size)) {
    const net::Http1Request request{std::string(scripted.method), std::string(scripted.target),
                                    expand(scripted.body)};
    const net::Http1Response response = pipeline::handle_api_request(request, *p);
    if (!answer_holds(request, response, *p)) __builtin_trap();
  }
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::pipeline_api(data, size);
}
#endif
