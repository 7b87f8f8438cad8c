#include "mock_apns/test_push.hpp"

#include "core/device_token.hpp"
#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "mock_apns/pki_dir.hpp"
#include "net/client.hpp"
#include "net/io_threads.hpp"
#include "pki/certificate.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

core::Unexpected<core::Error> bad(std::string what) {
  return core::fail(core::Errc::InvalidArgument, std::move(what));
}

} // namespace

core::Result<TestPush> test_push_from_json(const nlohmann::json& json) {
  TestPush push;
  std::string auth = "certificate";
  core::JsonFields f(json, "a push to send",
                     {"environment", "auth", "token", "topic", "push_type", "priority",
                      "expiration", "collapse_id", "payload"});
  f.read_named("environment", push.environment, core::parse_apns_environment,
               core::apns_environment_words())
      .read("auth", auth)
      .require("token", push.token)
      .read("topic", push.topic)
      .read("push_type", push.push_type)
      .read("priority", push.priority)
      .read("expiration", push.expiration)
      .read("collapse_id", push.collapse_id)
      .read("payload", push.payload);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (auth != "certificate" && auth != "token")
    return bad("\"auth\" is certificate (the PKI's VoIP Services certificate) or token (a JWT "
               "signed with its .p8 key)");
  push.token_auth = auth == "token";
  return push;
}

core::Result<TestPushAnswer> send_test_push(const PkiDir& pki, std::uint16_t port,
                                            const TestPush& push, core::TimePoint now) {
  const std::string host(core::apns_host(push.environment));
  net::TlsClientConfig tls;
  tls.ca_file = pki.ca_bundle_file;
  tls.server_name = host;
  net::Request request;
  request.method = "POST";
  request.path = core::device_path(push.token);
  if (push.token_auth) {
    auto jwt = provider_token(pki, now);
    if (!jwt) return core::Unexpected(jwt.error());
    request.headers.push_back({"authorization", "bearer " + *jwt});
  } else {
    const auto voip = pki.dir / pki::kind_name(pki::CertificateKind::VoipServices);
    tls.certificate_file = voip.string() + ".pem";
    tls.private_key_file = voip.string() + ".key";
  }
  request.headers.push_back({"apns-push-type", push.push_type});
  request.headers.push_back(
      {"apns-topic", push.topic.empty() ? pki.bundle_id + ".voip" : push.topic});
  if (push.priority) request.headers.push_back({"apns-priority", std::to_string(*push.priority)});
  if (push.expiration)
    request.headers.push_back({"apns-expiration", std::to_string(*push.expiration)});
  if (!push.collapse_id.empty()) request.headers.push_back({"apns-collapse-id", push.collapse_id});
  request.body = push.payload;

  net::IoThreads io(1);
  net::ClientOptions options;
  options.port = port;
  options.tls = tls;
  options.authority = host + ":" + std::to_string(port);
  options.connect_timeout = kTimeout;
  options.request_timeout = kTimeout;
  net::Client client(io, options);
  auto answered = client.submit(std::move(request));
  if (answered.wait_for(kTimeout + std::chrono::seconds(5)) != std::future_status::ready)
    return core::fail(std::make_error_code(std::errc::timed_out),
                      "the mock's listener did not answer");
  auto response = answered.get();
  if (!response) return core::fail(response.error().code, response.error().message);
  TestPushAnswer answer;
  answer.status = response->status;
  if (const std::string* id = net::find_header(response->headers, "apns-id")) answer.apns_id = *id;
  answer.body = response->body;
  return answer;
}

} // namespace mock_apns
