#include "fuzz/fuzz_targets.hpp"
#include "fuzz/request_script.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/rate_limiter.hpp"
#include "mock_apns/settings.hpp"
#include "mock_apns/token_registry.hpp"
#include "mock_apns/validate.hpp"
#include "pki/keys.hpp"

#include <string_view>
#include <vector>

namespace fuzz {
namespace {

using namespace mock_apns;

// A small world: one team key, one bundle, one token of each state.
struct World {
  Settings settings;
  TokenRegistry tokens;
  ProviderKeys keys;
  RateLimiter rate;
  Faults faults;

  World() {
    if (auto key = pki::generate_private_key(pki::KeyType::EcP256)) {
      (void)keys.add({"KB00000001", "TEAMA12345", KeyKind::TeamScoped, true, true, {}, {}, *key});
    }
    (void)keys.add_bundle("TEAMA12345", "com.example.imapp");
    (void)tokens.put({std::string(64, 'a'), Environment::Sandbox, "com.example.imapp.voip"});
    (void)tokens.put({std::string(64, 'b'), Environment::Sandbox, "com.example.imapp",
                      TokenState::Unregistered, 1000});
    (void)tokens.put({std::string(64, 'c'), Environment::Production, "com.example.imapp.voip"});
  }
};

World& world() {
  static World w;
  return w;
}

// One request of the input (see split_requests): a method line, a path line, header lines
// "name: value", an empty line, then the body.
Verdict run_one(std::string_view text, ConnectionAuth& auth, Environment env) {
  PushRequest request;
  request.method = next_line(text);
  request.path = next_line(text);
  std::vector<RequestField> fields;
  while (!text.empty()) {
    std::string_view line = next_line(text);
    if (line.empty()) {
      break;
    }
    const std::size_t colon = line.find(": ");
    fields.push_back(colon == std::string_view::npos
                         ? RequestField{line, {}}
                         : RequestField{line.substr(0, colon), line.substr(colon + 2)});
  }
  request.fields = fields;
  request.body = text;
  World& w = world();
  const ValidationContext ctx{env,
                              &w.settings,
                              &w.tokens,
                              &w.keys,
                              &w.rate,
                              &w.faults,
                              core::from_unix_seconds(1767225600)};
  return validate(request, auth, ctx);
}

} // namespace

int push_request(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  pki::ProviderIdentity identity;
  identity.kind = pki::CertificateKind::ApplePushServices;
  identity.development = true;
  identity.production = size % 2 == 0;
  identity.uid = "com.example.imapp";
  identity.topics = {"com.example.imapp", "com.example.imapp.voip"};
  ConnectionAuth token_connection = ConnectionAuth::token_based();
  ConnectionAuth certificate_connection = ConnectionAuth::certificate_based(identity);
  for (std::string_view request : split_requests(input)) {
    for (Environment env : {Environment::Sandbox, Environment::Production}) {
      const Verdict a = run_one(request, token_connection, env);
      const Verdict b = run_one(request, certificate_connection, env);
      // Invariants: a status always comes from the reason table, 410 alone carries a timestamp.
      for (const Verdict* v : {&a, &b}) {
        if (v->reason && (reason_status(*v->reason) != v->status ||
                          v->timestamp_ms.has_value() != (v->status == 410))) {
          __builtin_trap();
        }
      }
    }
  }
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::push_request(data, size);
}
#endif
