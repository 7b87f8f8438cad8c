#include "core/clock.hpp"
#include "fuzz/fuzz_targets.hpp"
#include "fuzz/request_script.hpp"
#include "mock_apns/admin_api.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/server.hpp"
#include "net/json_api.hpp"

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fuzz {
namespace {

using nlohmann::json;
using namespace mock_apns;

core::VirtualClock& virtual_clock() {
  static core::VirtualClock clock;
  return clock;
}

// A mock per input, never started: the router needs its registries, not its listeners, and a
// fresh one makes every finding reproducible from its input alone.
std::unique_ptr<Server> fresh_mock() {
  ServerOptions options;
  options.clock = &virtual_clock();
  options.seed = 1;
  options.journal.capacity = 64;
  options.delivery_feed_capacity = 64;
  return std::make_unique<Server>(std::move(options));
}

// The body as admin_api.cpp reads it: empty means {}; discarded when it is not JSON.
json body_of(std::string_view body) {
  return json::parse(body.empty() ? std::string_view("{}") : body, nullptr, false);
}

json without_listing_fields(json listed) {
  listed.erase("id");
  listed.erase("applied");
  return listed;
}

// A fault rule as the admin API lists it, without what the listing adds.
json rule_json(const FaultRule& rule) {
  return without_listing_fields(to_json(ListedFault{0, rule, 0}));
}

// The codec's promises on any JSON value: a refusal says why; what it accepts, written back
// with to_json, reads as the same value ("one shape each", json_codec.hpp).
bool codec_holds(const json& j, std::string_view text) {
  if (auto records = parse_token_records(text)) {
    for (const auto& record : *records) {
      const auto again = token_record_from_json(to_json(record));
      if (!again || to_json(*again) != to_json(record)) return false;
    }
  } else if (records.error().detail.empty()) {
    return false;
  }
  if (auto rule = fault_rule_from_json(j)) {
    const auto again = fault_rule_from_json(rule_json(*rule));
    if (!again || rule_json(*again) != rule_json(*rule)) return false;
  } else if (rule.error().detail.empty()) {
    return false;
  }
  if (auto key = key_spec_from_json(j); !key && key.error().detail.empty()) return false;
  if (auto filter = journal_filter_from_json(j); !filter && filter.error().detail.empty())
    return false;
  return true;
}

// apply_settings_json (the config file's parser) on the same value: an accepted value is
// consistent, shows back exactly as given, and applying what it shows changes nothing.
bool settings_hold(const json& j) {
  Settings settings;
  const auto applied = apply_settings_json(j, settings);
  if (!applied) return !applied.error().detail.empty();
  if (settings.token_syntax.min_hex > settings.token_syntax.max_hex) return false;
  if (settings.max_concurrent_streams == 0) return false;
  const json shown = to_json(settings);
  for (const auto& [name, value] : j.items()) {
    if (!value.is_null() && !value.is_number_float() && shown.at(name) != value) return false;
  }
  Settings again;
  return apply_settings_json(shown, again) && to_json(again) == shown;
}

// POST endpoints that read a JSON body (mock_apns/README.md, "Admin API").
bool reads_body(const net::Http1Request& request, std::string_view path) {
  if (request.method != "POST") return false;
  if (path == "/v1/tokens" || path == "/v1/keys" || path == "/v1/faults" ||
      path == "/v1/journal/verify") {
    return true;
  }
  return (path.starts_with("/v1/tokens/") &&
          (path.ends_with("/reachability") || path.ends_with("/unregister"))) ||
         (path.starts_with("/v1/teams/") && path.ends_with("/bundles"));
}

// What every answer promises: a known status, JSON (Prometheus text for /metrics only), an
// error in the house shape, and no success for a body its parser refuses.
bool answer_holds(const net::Http1Request& request, const net::Http1Response& response,
                  Server& mock) {
  const std::string path = routed_path(request.target);
  const int status = response.status;
  if (status != 200 && status != 400 && status != 404 && status != 409 && status != 417)
    return false;
  if (response.content_type != "application/json")
    return path == "/metrics" && request.method == "GET" && status == 200;
  if (!response.body.ends_with('\n')) return false;
  const json answer = json::parse(response.body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return false;
  const bool verify = path == "/v1/journal/verify" && request.method == "POST";
  if (status == 417) return verify && answer.at("ok") == false;
  if (status != 200) return is_house_error(answer);
  if (verify && answer.at("ok") != true) return false;

  const json body = body_of(request.body);
  if (reads_body(request, path) && body.is_discarded()) return false;
  if (request.method == "POST" && path == "/v1/tokens") {
    const auto records = parse_token_records(request.body);
    if (!records || answer.at("added") != records->size()) return false;
    for (const auto& record : *records)
      if (!mock.tokens().find(record.token)) return false;
  }
  if (request.method == "POST" && path == "/v1/keys") {
    const auto spec = key_spec_from_json(body);
    if (!spec || !mock.keys().find(spec->key_id)) return false;
  }
  if (request.method == "POST" && path == "/v1/faults") {
    // Listed as added (Faults::add may complete it: a Shutdown reason implies its GOAWAY).
    if (!fault_rule_from_json(body)) return false;
    for (const auto& listed : mock.faults().list()) {
      if (answer.at("id") != listed.id) continue;
      const auto again = fault_rule_from_json(rule_json(listed.rule));
      return again && rule_json(*again) == rule_json(listed.rule);
    }
    return false;
  }
  return true;
}

} // namespace

int admin_json(const std::uint8_t* data, std::size_t size) {
  const auto mock = fresh_mock();
  for (const ScriptedRequest& scripted : read_script(data, size)) {
    const net::Http1Request request{std::string(scripted.method), std::string(scripted.target),
                                    std::string(scripted.body)};
    if (const json body = body_of(scripted.body); !body.is_discarded()) {
      if (!codec_holds(body, scripted.body) || !settings_hold(body)) __builtin_trap();
    }
    if (const auto poll = delivery_poll_of(net::parse_target(request.target));
        poll ? poll->wait_ms > kMaxDeliveryWaitMs
             : !is_house_error(json::parse(net::error_response(poll.error()).body)))
      __builtin_trap();
    const net::Http1Response response = handle_admin_request(request, *mock);
    if (!answer_holds(request, response, *mock)) __builtin_trap();
  }
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::admin_json(data, size);
}
#endif
