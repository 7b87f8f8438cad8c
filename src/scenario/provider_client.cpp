#include "scenario/provider_client.hpp"

#include "core/apns_error_body.hpp"
#include "core/device_token.hpp"
#include "net/client.hpp"
#include "net/io_threads.hpp"
#include "pki/keys.hpp"
#include "pki/provider_token.hpp"
#include "scenario/timeline_entries.hpp"
#include "scenario/world.hpp"

#include <filesystem>

namespace scenario {

namespace {
constexpr auto kAnswerTimeout = std::chrono::seconds(20);

// What a push sends beyond the defaults, for the timeline: ", collapse-id c1, 12-byte body".
std::string unusual_parts(const PushSpec& spec, const std::optional<std::string>& expiration) {
  const PushSpec usual;
  std::string out;
  const auto part = [&](const char* name, const std::optional<std::string>& value,
                        const std::optional<std::string>& default_value) {
    if (value != default_value) out += std::string(", ") + name + " " + value.value_or("none");
  };
  part("apns-push-type", spec.push_type, usual.push_type);
  part("apns-priority", spec.priority, usual.priority);
  part("apns-expiration", expiration, usual.expiration);
  part("apns-collapse-id", spec.collapse_id, usual.collapse_id);
  part("apns-id", spec.apns_id, usual.apns_id);
  if (spec.body != usual.body) out += ", " + std::to_string(spec.body.size()) + "-byte body";
  return out;
}
} // namespace

ProviderClients::ProviderClients(const mock_apns::PkiDir& pki, std::uint16_t sandbox_port,
                                 std::uint16_t production_port)
    : pki_(pki), sandbox_port_(sandbox_port), production_port_(production_port),
      io_(std::make_unique<net::IoThreads>(1)) {}

ProviderClients::~ProviderClients() {
  clients_.clear(); // before their I/O threads
}

core::Result<ProviderClients::NewKey> ProviderClients::rotate_key() {
  auto key = pki::generate_private_key(pki::KeyType::EcP256);
  if (!key) return core::Unexpected(key.error());
  auto public_key = pki::public_key_pem_of(*key);
  if (!public_key) return core::Unexpected(public_key.error());
  char id[16];
  std::snprintf(id, sizeof id, "KR%08d", ++rotations_); // 10 characters, as Apple's
  NewKey out;
  out.old_key_id = key_id_.empty() ? pki_.key.key_id : key_id_;
  out.spec.key_id = id;
  out.spec.team_id = pki_.team_id;
  out.spec.public_key_pem = *public_key;
  key_id_ = id;
  key_pem_ = *key;
  // The connections stay: pushes keep the current token, on the connection bound to its key,
  // until one asks for a new token (push() reconnects then).
  return out;
}

ProviderAnswer ProviderClients::push(const PushSpec& spec, const std::string& token,
                                     core::ApnsEnvironment environment, const std::string& topic,
                                     core::TimePoint now,
                                     const std::function<void(TimelineEntry)>& note) {
  const auto said = [&](std::string text) {
    note(self_entry("provider", "provider", kProviderLane, std::move(text)));
  };
  const bool sandbox = environment == core::ApnsEnvironment::Sandbox;
  const std::string host(core::apns_host(environment));
  if (spec.auth == PushAuth::Certificate &&
      !std::filesystem::exists(pki_.dir / (spec.credential + ".pem"))) {
    return {0,
            "no client certificate '" + spec.credential +
                "' in the PKI; there are: " + credential_stems(pki_, ".pem", ".key"),
            {}};
  }
  std::string authorization;
  if (spec.auth == PushAuth::Token) {
    if (jwt_.empty() || spec.new_provider_token) {
      const std::string key_id = key_id_.empty() ? pki_.key.key_id : key_id_;
      auto jwt = key_id_.empty() ? mock_apns::provider_token(pki_, now)
                                 : pki::make_provider_token(key_pem_, key_id_, pki_.team_id, now);
      if (!jwt) return {0, "could not sign a provider token: " + jwt.error().message(), {}};
      // APNs binds a connection to the key of its first token (apns-provider-api.md §6.4): the
      // first token of a new key goes on new connections, as a real provider must do.
      if (!jwt_key_id_.empty() && jwt_key_id_ != key_id) {
        for (auto it = clients_.begin(); it != clients_.end();)
          it = it->first.starts_with("token/") ? clients_.erase(it) : std::next(it);
        said("a new key: token connections reopen");
      }
      jwt_ = *jwt;
      jwt_key_id_ = key_id;
      said("signed a new provider token with key " + key_id + " (iat " +
           std::to_string(core::unix_seconds(now)) + ")");
    }
    authorization = "bearer " + jwt_;
  }
  auto& client = clients_[std::string(to_string(spec.auth)) + "/" + spec.credential + "/" +
                          std::string(core::to_string(environment))];
  if (!client) {
    net::ClientOptions o;
    o.port = sandbox ? sandbox_port_ : production_port_;
    o.authority = host;
    net::TlsClientConfig tls;
    tls.ca_file = pki_.ca_bundle_file;
    tls.server_name = host;
    if (spec.auth == PushAuth::Certificate) {
      tls.certificate_file = (pki_.dir / (spec.credential + ".pem")).string();
      tls.private_key_file = (pki_.dir / (spec.credential + ".key")).string();
    }
    o.tls = std::move(tls);
    client = std::make_unique<net::Client>(*io_, std::move(o));
  }
  net::Request request;
  request.method = "POST";
  request.path = core::device_path(token);
  request.headers = {{"apns-topic", topic}};
  const auto expiration =
      spec.expires_in ? std::optional(std::to_string(core::unix_seconds(now + *spec.expires_in)))
                      : spec.expiration;
  for (const auto& [name, value] :
       {std::pair{"apns-push-type", spec.push_type}, std::pair{"apns-priority", spec.priority},
        std::pair{"apns-expiration", expiration}, std::pair{"apns-collapse-id", spec.collapse_id},
        std::pair{"apns-id", spec.apns_id}}) {
    if (value) request.headers.push_back({name, *value});
  }
  if (!authorization.empty()) request.headers.push_back({"authorization", authorization});
  request.body = spec.body;
  auto future = client->submit(std::move(request));
  ProviderAnswer answer;
  if (future.wait_for(kAnswerTimeout) != std::future_status::ready) {
    answer.reason = "no answer from the mock within the time limit";
  } else if (auto result = future.get(); !result) {
    answer.reason = result.error().message;
  } else {
    answer.status = result->status;
    for (const auto& h : result->headers)
      if (h.name == "apns-id") answer.apns_id = h.value;
    answer.reason = core::apns_error_body_of(result->body).reason;
  }
  TimelineEntry entry;
  entry.source = entry.actor = "provider";
  entry.text = "push (" + std::string(to_string(spec.auth)) + " auth) to " +
               std::string(core::to_string(environment)) + " " + short_token(token) +
               unusual_parts(spec, expiration) + " -> " +
               (answer.status ? std::to_string(answer.status) : "no answer") +
               (answer.reason.empty() ? "" : " " + answer.reason);
  // An answered request is drawn from the mock's journal entry; one without an answer may have
  // none, so it is drawn here.
  if (answer.status == 0) {
    entry.cause = answer.reason;
    entry.arrow = Arrow{std::string(kProviderLane), apns_lane(environment),
                        "POST " + core::device_path(short_token(token)), "no answer", true};
  }
  note(std::move(entry));
  return answer;
}

} // namespace scenario
