// The pipeline end to end over real TLS (issue #6, acceptance 1-2): an in-process mock APNs with
// its admin API, the pipeline with its HTTP API, and a simulated iPhone wired to both as the
// separate processes are (its IM SDK reports through the pipeline's API). A push counts as
// delivered only when the device records it.
// Spec: docs/spec/im-voip-flow.md
#include "../fake_device_remote/linked_mock.hpp"
#include "../fake_device_remote/remote_device.hpp"
#include "fake_device/remote/pipeline_link.hpp"
#include "net/http1_server.hpp"
#include "pipeline/api.hpp"
#include "pipeline/pipeline.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using fake_device::AppConfig;
using fake_device::DeviceEventKind;
using fake_device::testing::LinkedMock;
using fake_device::testing::RemoteDevice;
using mock_apns::Environment;
using pipeline::MessageState;

constexpr const char* kBundle = "com.example.imapp";
constexpr const char* kBobsPhone = "bobs-iphone"; // the installation bob's device reports as
constexpr auto kSettle = 20s;

class PipelineEndToEnd : public ::testing::Test {
protected:
  void SetUp() override { start_pipeline(mock_.server().port(Environment::Production)); }

  void start_pipeline(std::uint16_t production_port,
                      core::Duration lifetime = pipeline::RetryPolicy{}.lifetime) {
    pipeline::PipelineOptions options;
    options.apple_ca_file = mock_.scoped().ca_file();
    options.dispatcher.sandbox = {"127.0.0.1", mock_.server().port(Environment::Sandbox),
                                  "api.sandbox.push.apple.com"};
    options.dispatcher.production = {"127.0.0.1", production_port, "api.push.apple.com"};
    options.dispatcher.ca_file = mock_.scoped().ca_file();
    options.dispatcher.retry.first_delay = 20ms; // the policy's shape, not Apple's pace
    options.dispatcher.retry.lifetime = lifetime;
    options.mobile_instances = mobile_instances_;
    auto opened = pipeline::Pipeline::open(options, clock_);
    ASSERT_TRUE(opened) << opened.error().message();
    pipeline_ = std::move(*opened);
    api_ = std::make_unique<net::Http1Server>(net::Http1ServerOptions{},
                                              pipeline::api_handler(*pipeline_));
    ASSERT_TRUE(api_->start());
    im_ = std::make_unique<fake_device::remote::PipelineLink>(
        net::HttpEndpoint{"127.0.0.1", api_->port()}, "bob");
    const auto voip = upload("voip-services.p12", "Acme VoIP");
    ASSERT_TRUE(voip);
    dev_id_ = voip->cert_id_dev;
    prod_id_ = voip->cert_id_prod;
  }

  void TearDown() override {
    device_.reset();
    api_.reset();
    pipeline_.reset();
  }

  std::optional<pipeline::CertificateRecord> upload(const std::string& file, std::string name,
                                                    bool allow_other_types = false) {
    const std::string p12 = support::read_file((mock_.scoped().pki().dir / file).string());
    auto result =
        pipeline_->upload_certificate({std::move(name), p12, "voipsim", allow_other_types});
    if (auto* error = std::get_if<pipeline::ApiError>(&result)) {
      ADD_FAILURE() << error->code << ": " << error->message;
      return std::nullopt;
    }
    return std::get<pipeline::UploadedCertificate>(result).record;
  }

  // A phone of bob's with `app`, reporting to the pipeline as "bob" with its id `id` as the
  // installation; logged in, in the background unless `foreground`. Its VoIP token in `token`.
  // With `link`, the phone's SDK reports for that link's user instead.
  std::unique_ptr<RemoteDevice> phone(const std::string& id, const AppConfig& app, bool foreground,
                                      std::string& token, std::uint64_t seed = 11,
                                      fake_device::remote::PipelineLink* link = nullptr) {
    fake_device::DeviceConfig config;
    config.device_id = id;
    auto device =
        std::make_unique<RemoteDevice>(mock_.admin(), config, link ? link : im_.get(), seed);
    token = device->runner().call([&](fake_device::Device& d) {
      const bool ok = d.install(app) && d.give_consent(kBundle) && d.launch(kBundle) &&
                      d.login(kBundle) && (foreground || d.press_home(kBundle));
      return ok ? d.voip_token(kBundle).value_or("") : std::string();
    });
    EXPECT_FALSE(token.empty());
    return device;
  }
  // Bob's iPhone with `app`, as phone() makes it. Returns the VoIP token.
  std::string bob(AppConfig app, bool foreground = false) {
    std::string token;
    device_ = phone(kBobsPhone, app, foreground, token);
    return token;
  }
  std::string bob() {
    AppConfig app;
    app.certificate_id = dev_id_;
    return bob(app);
  }

  // alice -> bob with the seed's ext; the message once the pipeline has settled it.
  pipeline::MessageRecord send(std::string ext = R"({"entity":{"action":1,"sender":"alice"}})") {
    return send(
        pipeline::MessageToSend{"alice",
                                "bob",
                                "call",
                                false,
                                pipeline::OfflinePushInfo{"voip", std::move(ext), "", "", false},
                                std::nullopt,
                                {},
                                {}});
  }
  // `message`, once the pipeline has settled it.
  pipeline::MessageRecord send(const pipeline::MessageToSend& message) {
    auto sent = pipeline_->send_message(message);
    if (auto* error = std::get_if<pipeline::ApiError>(&sent)) {
      ADD_FAILURE() << error->code << ": " << error->message;
      return {};
    }
    EXPECT_TRUE(pipeline_->wait_idle(kSettle));
    const auto stored = pipeline_->message(std::get<std::string>(sent));
    EXPECT_TRUE(stored);
    return stored.value_or(pipeline::MessageRecord{});
  }

  // Requests in the mock's journal, all or those matching.
  std::uint64_t requests_at_mock(std::optional<Environment> environment = {},
                                 std::optional<std::string> token = {},
                                 std::optional<mock_apns::Reason> reason = {},
                                 bool accepted_only = false) {
    mock_apns::JournalFilter filter;
    filter.environment = environment;
    filter.token = std::move(token);
    filter.reason = reason;
    filter.accepted_only = accepted_only;
    return mock_.server().journal().query(filter, 1000).size();
  }

  void add_fault(mock_apns::Reason reason, std::int64_t count) {
    mock_apns::FaultRule rule;
    rule.reason = reason;
    rule.count = count;
    ASSERT_TRUE(mock_.server().faults().add(rule));
  }

  LinkedMock mock_;
  core::SystemClock clock_;
  std::unique_ptr<pipeline::Pipeline> pipeline_;
  std::unique_ptr<net::Http1Server> api_;
  std::unique_ptr<fake_device::remote::PipelineLink> im_;
  std::unique_ptr<RemoteDevice> device_;
  std::int64_t dev_id_ = 0;
  std::int64_t prod_id_ = 0;
  int mobile_instances_ = pipeline::kDefaultMobileInstances;
};

TEST_F(PipelineEndToEnd, B1_OfflineReceiverRingsAndTheDeviceSaysSo) {
  const std::string token = bob();
  const auto registration = pipeline_->registration("bob", kBobsPhone);
  ASSERT_TRUE(registration);
  EXPECT_EQ(registration->token_hex, token);
  EXPECT_EQ(registration->environment, pipeline::Environment::Sandbox);
  // Through the HTTP API, as a backend would.
  const auto posted = net::http1_request(
      {"127.0.0.1", api_->port()}, "POST", "/v1/messages",
      R"({"sender":"alice","receiver":"bob","content":"call","offline_push_info":)"
      R"({"ios_push_type":"voip","ext":"{\"entity\":{\"action\":1,\"sender\":\"alice\"}}"}})",
      10s);
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 202) << posted->body;
  const std::string id = nlohmann::json::parse(posted->body)["message_id"];
  ASSERT_TRUE(pipeline_->wait_idle(kSettle));
  const auto m = pipeline_->message(id);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->state, MessageState::Accepted);
  EXPECT_EQ(m->attempts, 1);
  // 200 is not delivery: the device records it.
  const auto shown = device_->wait_for(DeviceEventKind::CallShown, m->apns_id);
  ASSERT_TRUE(shown) << "APNs accepted " << m->apns_id << " but the phone did not ring";
  EXPECT_EQ(requests_at_mock(Environment::Sandbox, {}, {}, /*accepted_only=*/true), 1u);
  const auto status =
      net::http1_request({"127.0.0.1", api_->port()}, "GET", "/v1/messages/" + id, {}, 10s);
  ASSERT_TRUE(status);
  const auto j = nlohmann::json::parse(status->body);
  EXPECT_EQ(j["state"], "accepted");
  EXPECT_EQ(j["apns_id"], m->apns_id);
  EXPECT_EQ(j["attempts"], 1);
}

// The asynchronous sendMessage (what the HTTP API uses): many calls open at once, each
// answered with its id once stored, each push accepted and seen at the device.
TEST_F(PipelineEndToEnd, MessagesSentWithoutWaitingAreEachAnsweredAndDelivered) {
  const std::string token = bob();
  constexpr int kMessages = 20;
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<std::string> ids;
  for (int i = 0; i < kMessages; ++i) {
    pipeline_->send_message(
        {"alice",
         "bob",
         "call " + std::to_string(i),
         false,
         pipeline::OfflinePushInfo{"voip", R"({"entity":{"action":1}})", "", "", false},
         std::nullopt,
         {},
         {}},
        [&](pipeline::Pipeline::SendResult sent) {
          std::lock_guard lock(mutex);
          if (auto* id = std::get_if<std::string>(&sent)) ids.push_back(*id);
          answered.notify_all();
        });
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(answered.wait_for(lock, kSettle, [&] { return ids.size() == kMessages; }));
  }
  ASSERT_TRUE(pipeline_->wait_idle(kSettle));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  for (const auto& id : ids) {
    const auto message = pipeline_->message(id);
    ASSERT_TRUE(message) << id;
    EXPECT_EQ(message->state, MessageState::Accepted) << id;
    EXPECT_TRUE(device_->wait_for(DeviceEventKind::PushArrived, message->apns_id)) << id;
  }
  EXPECT_EQ(requests_at_mock(Environment::Sandbox, token, std::nullopt, true),
            static_cast<std::uint64_t>(kMessages));
  // A refusal of the request itself is answered at once, on the caller's thread.
  std::optional<pipeline::Pipeline::SendResult> refused;
  pipeline_->send_message({"alice", "", "call", false, std::nullopt, std::nullopt, {}, {}},
                          [&](pipeline::Pipeline::SendResult sent) { refused = std::move(sent); });
  ASSERT_TRUE(refused);
  ASSERT_TRUE(std::holds_alternative<pipeline::ApiError>(*refused));
  EXPECT_EQ(std::get<pipeline::ApiError>(*refused).code, "BAD_MESSAGE");
}

TEST_F(PipelineEndToEnd, FAQ2b_OnlineReceiverGetsTheMessageInAppAndNoPush) {
  AppConfig app;
  app.certificate_id = dev_id_;
  bob(app, /*foreground=*/true);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::SkippedOnline);
  EXPECT_EQ(requests_at_mock(), 0u);
}

TEST_F(PipelineEndToEnd, FAQ2b3_LoggedOutReceiverGetsNoPush) {
  bob();
  ASSERT_TRUE(device_->runner().call([](fake_device::Device& d) { return d.logout(kBundle); }));
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::SkippedLoggedOut);
  EXPECT_EQ(m.reason, "logged_out");
  EXPECT_EQ(requests_at_mock(), 0u);
}

TEST_F(PipelineEndToEnd, FAQ2a_DevelopmentBuildReportedWithTheProductionId) {
  AppConfig app;
  app.certificate_id = prod_id_; // the mistake
  const std::string token = bob(app);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Rejected);
  EXPECT_EQ(m.reason, "BadDeviceToken");
  const auto registration = pipeline_->registration("bob", kBobsPhone);
  ASSERT_TRUE(registration);
  EXPECT_EQ(registration->state, pipeline::RegistrationState::BadToken);
  EXPECT_EQ(registration->reason, "ENV_OR_TOKEN_INVALID");
  // Visible at the mock too: the production endpoint refused a sandbox token.
  EXPECT_EQ(requests_at_mock(Environment::Production, token, mock_apns::Reason::BadDeviceToken),
            1u);
  EXPECT_EQ(device_->count(DeviceEventKind::PushArrived), 0u);
  // No retry, and the next message is not even sent.
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(send().state, MessageState::SkippedNoRegistration);
}

// §4.3 condition 1 comes first: a message the sender asked not to push ends in a state that
// says so, although bob is offline with an active registration (issue #23: it ended
// skipped_no_registration).
TEST_F(PipelineEndToEnd, NoOfflinePushRequestedEndsSkippedNoPushRequestedDespiteARegistration) {
  bob();
  const std::string ext = R"({"entity":{"action":1,"sender":"alice"}})";
  const pipeline::OfflinePushInfo voip{"voip", ext, "", "", false};
  auto disabled = voip;
  disabled.disable_push = true;
  const auto online_only =
      send(pipeline::MessageToSend{"alice", "bob", "call", true, voip, std::nullopt, {}, {}});
  EXPECT_EQ(online_only.state, MessageState::SkippedNoPushRequested);
  EXPECT_EQ(online_only.reason, "online_user_only: an online-only message is not stored");
  const auto no_push =
      send(pipeline::MessageToSend{"alice", "bob", "call", false, disabled, std::nullopt, {}, {}});
  EXPECT_EQ(no_push.state, MessageState::SkippedNoPushRequested);
  EXPECT_EQ(no_push.reason, "disable_push");
  const auto no_info = send(
      pipeline::MessageToSend{"alice", "bob", "call", false, std::nullopt, std::nullopt, {}, {}});
  EXPECT_EQ(no_info.state, MessageState::SkippedNoPushRequested);
  EXPECT_EQ(no_info.reason, "no offline_push_info");
  EXPECT_EQ(online_only.attempts + no_push.attempts + no_info.attempts, 0);
  EXPECT_EQ(requests_at_mock(), 0u);
  EXPECT_EQ(send().state, MessageState::Accepted); // the registration was there all along
}

// §4.3 receive options: "Do not notify" for the conversation with alice skips her call push
// with the option as the reason; the most specific setting wins.
TEST_F(PipelineEndToEnd, AReceiveOptionOtherThanReceiveSkipsThePushAndSaysWhich) {
  bob();
  using pipeline::ReceiveOption;
  using pipeline::ReceiveScope;
  ASSERT_FALSE(pipeline_->set_receive_option("bob", ReceiveScope::Conversation, "alice",
                                             ReceiveOption::ReceiveNotNotify));
  const auto muted = send();
  EXPECT_EQ(muted.state, MessageState::SkippedReceiveOption);
  EXPECT_EQ(muted.reason, "RECEIVE_NOT_NOTIFY (conversation with alice)");
  EXPECT_EQ(requests_at_mock(), 0u);
  // The conversation's RECEIVE wins over a global NOT_RECEIVE.
  ASSERT_FALSE(
      pipeline_->set_receive_option("bob", ReceiveScope::Global, "", ReceiveOption::NotReceive));
  ASSERT_FALSE(pipeline_->set_receive_option("bob", ReceiveScope::Conversation, "alice",
                                             ReceiveOption::Receive));
  EXPECT_EQ(send().state, MessageState::Accepted);
  const auto refused =
      pipeline_->set_receive_option("bob", ReceiveScope::Group, "", ReceiveOption::Receive);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, "BAD_RECEIVE_OPTION");
}

// §4.3 duplicate sends through the HTTP API: the same (sender, receiver, random) again is
// answered with the first message's id; one APNs request in all; another random is another
// message.
TEST_F(PipelineEndToEnd, ADuplicateSendIsAnsweredWithTheFirstIdAndPushedOnce) {
  bob();
  const auto post = [&](std::uint64_t random) {
    const auto posted = net::http1_request(
        {"127.0.0.1", api_->port()}, "POST", "/v1/messages",
        R"({"sender":"alice","receiver":"bob","content":"call","random":)" +
            std::to_string(random) +
            R"(,"offline_push_info":{"ios_push_type":"voip","ext":"{\"entity\":{}}"}})",
        10s);
    EXPECT_TRUE(posted && posted->status == 202) << (posted ? posted->body : "no answer");
    return posted ? nlohmann::json::parse(posted->body)["message_id"].get<std::string>() : "";
  };
  const std::string first = post(18'446'744'073'709'551'615u);
  EXPECT_EQ(post(18'446'744'073'709'551'615u), first);
  ASSERT_TRUE(pipeline_->wait_idle(kSettle));
  EXPECT_EQ(requests_at_mock(), 1u);
  EXPECT_NE(post(1), first);
  ASSERT_TRUE(pipeline_->wait_idle(kSettle));
  EXPECT_EQ(requests_at_mock(), 2u);
  EXPECT_EQ(pipeline_->message(first)->random, 18'446'744'073'709'551'615u);
}

TEST_F(PipelineEndToEnd, FAQ2aPrime_ProductionBuildReportedWithTheDevelopmentId) {
  AppConfig app;
  app.environment = fake_device::ApsEnvironment::Production;
  app.certificate_id = dev_id_;
  const std::string token = bob(app);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Rejected);
  EXPECT_EQ(m.reason, "BadDeviceToken");
  EXPECT_EQ(requests_at_mock(Environment::Sandbox, token), 1u);
  EXPECT_EQ(device_->count(DeviceEventKind::PushArrived), 0u);
}

TEST_F(PipelineEndToEnd, FAQ2aTriplePrime_OrdinaryTokenReportedThroughSetVoip) {
  AppConfig app;
  app.certificate_id = dev_id_;
  app.reports_alert_token_as_voip = true;
  fake_device::DeviceConfig config;
  config.device_id = kBobsPhone;
  device_ = std::make_unique<RemoteDevice>(mock_.admin(), config, im_.get());
  ASSERT_TRUE(device_->runner().call([&](fake_device::Device& d) {
    return d.install(app) && d.give_consent(kBundle) && d.launch(kBundle) && d.login(kBundle) &&
           d.register_remote_notifications(kBundle) && d.press_home(kBundle);
  }));
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Rejected);
  EXPECT_EQ(m.reason, "DeviceTokenNotForTopic");
  const auto registration = pipeline_->registration("bob", kBobsPhone);
  ASSERT_TRUE(registration);
  EXPECT_EQ(registration->reason, "TOKEN_NOT_VOIP_OR_WRONG_APP");
}

TEST_F(PipelineEndToEnd, FAQ2aDoublePrime_WrongCertificateTypeFlagsTheCertificate) {
  const auto legacy = upload("apns-production.p12", "Legacy", /*allow_other_types=*/true);
  ASSERT_TRUE(legacy);
  AppConfig app;
  app.environment = fake_device::ApsEnvironment::Production;
  app.certificate_id = legacy->cert_id_prod;
  bob(app);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Rejected);
  EXPECT_EQ(m.reason, "BadTopic");
  for (const auto& c : pipeline_->certificates())
    EXPECT_EQ(pipeline::to_string(c.health),
              c.record_id == legacy->record_id ? "CERT_TOPIC_MISMATCH" : "ok")
        << c.name;
}

TEST_F(PipelineEndToEnd, Note8_UninstalledAppsTokenIsUnregistered) {
  bob();
  ASSERT_TRUE(device_->runner().call([](fake_device::Device& d) { return d.uninstall(kBundle); }));
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Rejected);
  EXPECT_EQ(m.reason, "Unregistered");
  const auto registration = pipeline_->registration("bob", kBobsPhone);
  ASSERT_TRUE(registration);
  EXPECT_EQ(registration->state, pipeline::RegistrationState::Unregistered);
}

TEST_F(PipelineEndToEnd, Note7_OversizedExtIsNeverSent) {
  bob();
  const auto m = send(std::string(6000, 'x'));
  EXPECT_EQ(m.state, MessageState::PayloadTooLarge);
  EXPECT_EQ(requests_at_mock(), 0u);
}

TEST_F(PipelineEndToEnd, A413FromApnsIsPayloadTooLargeWithoutRetry) {
  bob();
  add_fault(mock_apns::Reason::PayloadTooLarge, 1); // APNs' limit may be stricter than ours
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::PayloadTooLarge);
  EXPECT_EQ(m.reason, "PayloadTooLarge");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(requests_at_mock(), 1u);
}

// Any other 4xx, 403 Forbidden included (issue #27.2, §4.5: only a 403 naming the certificate
// flags it): rejected with its reason, not retried, neither the token nor the certificate blamed.
TEST_F(PipelineEndToEnd, AnyOther4xxIsRejectedWithItsReasonWithoutRetry) {
  bob();
  for (const auto reason : {mock_apns::Reason::BadPriority, mock_apns::Reason::Forbidden}) {
    add_fault(reason, 1);
    const auto m = send();
    EXPECT_EQ(m.state, MessageState::Rejected);
    EXPECT_EQ(m.reason, mock_apns::reason_text(reason));
    EXPECT_EQ(m.attempts, 1);
    const auto registration = pipeline_->registration("bob", kBobsPhone);
    ASSERT_TRUE(registration);
    EXPECT_EQ(registration->state, pipeline::RegistrationState::Active);
    for (const auto& c : pipeline_->certificates())
      EXPECT_EQ(c.health, pipeline::CertificateHealth::Ok) << c.name;
  }
}

TEST_F(PipelineEndToEnd, ServerErrorsAreRetriedWithTheSameApnsIdUntilAccepted) {
  bob();
  add_fault(mock_apns::Reason::ServiceUnavailable, 1);
  add_fault(mock_apns::Reason::InternalServerError, 1);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Accepted);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(requests_at_mock(), 3u); // one apns-id, three requests: the retry is recognisable
  for (const auto& e : mock_.server().journal().query({}, 10))
    EXPECT_EQ(e.apns_id, m.apns_id);
  EXPECT_TRUE(device_->wait_for(DeviceEventKind::CallShown, m.apns_id));
}

TEST_F(PipelineEndToEnd, ThrottlingThatNeverEndsFailsAfterBoundedRetries) {
  bob();
  add_fault(mock_apns::Reason::TooManyRequests, -1);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Failed);
  EXPECT_EQ(m.attempts, 4);
  EXPECT_NE(m.reason.find("gave up after 4 throttled attempts (4 in all): 429 TooManyRequests"),
            std::string::npos)
      << m.reason;
  EXPECT_EQ(requests_at_mock(), 4u);
}

TEST_F(PipelineEndToEnd, ACertificateRefusalFailsAndFlagsTheCertificate) {
  bob();
  add_fault(mock_apns::Reason::BadCertificate, 1);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Failed);
  EXPECT_EQ(m.reason, "FAILED_CERT: BadCertificate");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(pipeline_->certificates().at(0).health, pipeline::CertificateHealth::BadCertificate);
}

// §4.5: no answer is transient: retried until the call push is too old, then expired (never
// failed), the certificate not flagged. Calls that live 1 s instead of 30 s keep it short.
TEST_F(PipelineEndToEnd, AnUnreachableApnsIsRetriedUntilTheCallIsTooOldThenExpires) {
  // Production points at a port nothing listens on: every attempt loses its connection.
  api_.reset(); // before the pipeline it serves
  pipeline_.reset();
  start_pipeline(1, 1s);
  AppConfig app;
  app.environment = fake_device::ApsEnvironment::Production;
  app.certificate_id = prod_id_;
  bob(app);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Expired) << m.reason;
  EXPECT_GT(m.attempts, 4);
  EXPECT_NE(m.reason.find("older than 1 s"), std::string::npos) << m.reason;
  for (const auto& c : pipeline_->certificates())
    EXPECT_EQ(c.health, pipeline::CertificateHealth::Ok) << c.name;
}

} // namespace

// --- Several phones of one user (im-voip-flow.md §3.4) ---------------------------------------

class SeveralPhones : public PipelineEndToEnd {
protected:
  // Starts the pipeline again with `instances` as mobileInstances.
  void allow(int instances) {
    api_.reset();
    pipeline_.reset();
    mobile_instances_ = instances;
    start_pipeline(mock_.server().port(Environment::Production));
  }
  AppConfig app() const {
    AppConfig a;
    a.certificate_id = dev_id_;
    return a;
  }
  // GET /v1/messages/{id} as JSON.
  nlohmann::json message_json(const std::string& id) {
    const auto got =
        net::http1_request({"127.0.0.1", api_->port()}, "GET", "/v1/messages/" + id, {}, 10s);
    EXPECT_TRUE(got && got->status == 200);
    return got ? nlohmann::json::parse(got->body) : nlohmann::json();
  }
  static const pipeline::PushRecord* push_to(const pipeline::MessageRecord& m,
                                             const std::string& installation) {
    for (const auto& p : m.pushes)
      if (p.installation == installation) return &p;
    ADD_FAILURE() << "no push to " << installation;
    return nullptr;
  }
  std::unique_ptr<RemoteDevice> ipad_;
};

TEST_F(SeveralPhones, ByDefaultASecondLoginKicksTheFirstWhichIsToldAndOnlyTheSecondRings) {
  std::vector<std::string> kicked; // what the link heard in the login's answer
  std::mutex kicked_mutex;
  im_->set_kicked_handler([&](const std::string& installation) {
    std::lock_guard lock(kicked_mutex);
    kicked.push_back(installation);
  });
  bob();
  std::string ipad_token;
  ipad_ = phone("bobs-ipad", app(), false, ipad_token, 12);
  {
    std::lock_guard lock(kicked_mutex);
    EXPECT_EQ(kicked, std::vector<std::string>{kBobsPhone});
  }
  const auto iphone = pipeline_->registration("bob", kBobsPhone);
  ASSERT_TRUE(iphone);
  EXPECT_EQ(iphone->state, pipeline::RegistrationState::Inactive);
  EXPECT_EQ(iphone->reason, "kicked");
  EXPECT_EQ(pipeline_->registration("bob", "bobs-ipad")->state,
            pipeline::RegistrationState::Active);

  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Accepted);
  ASSERT_EQ(m.pushes.size(), 2u);
  EXPECT_EQ(push_to(m, "bobs-ipad")->state, MessageState::Accepted);
  EXPECT_EQ(push_to(m, kBobsPhone)->state, MessageState::SkippedLoggedOut);
  EXPECT_EQ(push_to(m, kBobsPhone)->reason, "kicked");
  EXPECT_EQ(requests_at_mock(), 1u);
  EXPECT_EQ(requests_at_mock({}, ipad_token), 1u);
  EXPECT_TRUE(ipad_->wait_for(DeviceEventKind::CallShown, push_to(m, "bobs-ipad")->apns_id));

  // The API: the top-level fields as before, and the pushes per installation.
  const auto j = message_json(m.message_id);
  EXPECT_EQ(j["state"], "accepted");
  EXPECT_EQ(j["attempts"], 1);
  EXPECT_EQ(j["apns_id"], push_to(m, "bobs-ipad")->apns_id);
  ASSERT_EQ(j["pushes"].size(), 2u);
  EXPECT_EQ(j["pushes"][0]["installation"], "bobs-ipad");
  EXPECT_EQ(j["pushes"][1]["installation"], kBobsPhone);
  EXPECT_EQ(j["pushes"][1]["state"], "skipped_logged_out");
  EXPECT_EQ(j["pushes"][1]["apns_id"], nullptr);
  const auto listed = net::http1_request({"127.0.0.1", api_->port()}, "GET",
                                         "/v1/users/bob/registrations", {}, 10s);
  ASSERT_TRUE(listed);
  EXPECT_EQ(nlohmann::json::parse(listed->body)["registrations"].size(), 2u) << listed->body;
  const auto one =
      net::http1_request({"127.0.0.1", api_->port()}, "GET",
                         "/v1/users/bob/registration?installation=bobs-iphone", {}, 10s);
  ASSERT_TRUE(one);
  EXPECT_EQ(nlohmann::json::parse(one->body)["state"], "inactive") << one->body;
}

TEST_F(SeveralPhones, WithTwoAllowedBothRingEachPushWithItsOwnAttemptsAndState) {
  allow(2);
  const std::string iphone_token = bob();
  std::string ipad_token;
  ipad_ = phone("bobs-ipad", app(), false, ipad_token, 12);
  EXPECT_EQ(pipeline_->registration("bob", kBobsPhone)->state, pipeline::RegistrationState::Active);

  auto m = send();
  EXPECT_EQ(m.state, MessageState::Accepted);
  EXPECT_EQ(requests_at_mock(), 2u);
  EXPECT_NE(push_to(m, kBobsPhone)->apns_id, push_to(m, "bobs-ipad")->apns_id);
  EXPECT_TRUE(device_->wait_for(DeviceEventKind::CallShown, push_to(m, kBobsPhone)->apns_id));
  EXPECT_TRUE(ipad_->wait_for(DeviceEventKind::CallShown, push_to(m, "bobs-ipad")->apns_id));

  // One push retried on its own (a 503), the other accepted at once.
  add_fault(mock_apns::Reason::ServiceUnavailable, 1);
  m = send();
  EXPECT_EQ(m.state, MessageState::Accepted);
  const auto* iphone = push_to(m, kBobsPhone);
  const auto* ipad = push_to(m, "bobs-ipad");
  ASSERT_TRUE(iphone && ipad);
  EXPECT_EQ(iphone->state, MessageState::Accepted);
  EXPECT_EQ(ipad->state, MessageState::Accepted);
  EXPECT_EQ(iphone->attempts + ipad->attempts, 3); // 1 + 2
  EXPECT_EQ(std::max(iphone->attempts, ipad->attempts), 2);
  EXPECT_EQ(m.attempts, push_to(m, "bobs-ipad")->attempts); // both accepted: the first by name
  // Each push its own terminal state: the iPad's token dies, the iPhone still rings.
  add_fault(mock_apns::Reason::BadDeviceToken, 1);
  m = send();
  EXPECT_EQ(m.state, MessageState::Accepted);
  int rejected = 0;
  for (const auto& p : m.pushes)
    if (p.state == MessageState::Rejected) ++rejected;
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(requests_at_mock({}, iphone_token) + requests_at_mock({}, ipad_token), 7u);
}

TEST_F(SeveralPhones, OnePhoneInUseAndOneLockedGetOnePushOnTheLockedOne) {
  allow(2);
  const std::string iphone_token = bob();
  device_->runner().call([](fake_device::Device& d) { d.config().locked = true; });
  std::string ipad_token;
  ipad_ = phone("bobs-ipad", app(), /*foreground=*/true, ipad_token, 12);
  const auto m = send();
  EXPECT_EQ(m.state, MessageState::Accepted);
  EXPECT_EQ(push_to(m, "bobs-ipad")->state, MessageState::SkippedOnline);
  EXPECT_EQ(push_to(m, kBobsPhone)->state, MessageState::Accepted);
  EXPECT_EQ(requests_at_mock(), 1u);
  EXPECT_EQ(requests_at_mock({}, iphone_token), 1u);
}

// Group sends (im-voip-flow.md §4.3 "Group sends") over the same wiring: alice calls a group;
// each member but her is a receiver of §4.3 with its own receive option and push.
class GroupSends : public PipelineEndToEnd {
protected:
  // `user`'s one phone ("<user>s-iphone"), logged in, in the background unless `foreground`.
  RemoteDevice& member_phone(const std::string& user, bool foreground = false) {
    links_.push_back(std::make_unique<fake_device::remote::PipelineLink>(
        net::HttpEndpoint{"127.0.0.1", api_->port()}, user));
    AppConfig app;
    app.certificate_id = dev_id_;
    std::string token;
    phones_.push_back(
        phone(user + "s-iphone", app, foreground, token, 20 + phones_.size(), links_.back().get()));
    tokens_[user] = token;
    return *phones_.back();
  }
  pipeline::MessageToSend group_call(std::vector<std::string> at_users = {}) {
    pipeline::MessageToSend m;
    m.sender = "alice";
    m.group = "team";
    m.content = "call";
    m.offline_push_info =
        pipeline::OfflinePushInfo{"voip", R"({"entity":{"chatType":2}})", "", "", false};
    m.at_users = std::move(at_users);
    return m;
  }
  static const pipeline::PushRecord* push_of_member(const pipeline::MessageRecord& m,
                                                    const std::string& user) {
    for (const auto& p : m.pushes)
      if (p.receiver == user) return &p;
    ADD_FAILURE() << "no push to " << user;
    return nullptr;
  }
  void expect_member(const pipeline::MessageRecord& m, const std::string& user, MessageState state,
                     const std::string& reason = "") {
    const auto* p = push_of_member(m, user);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->state, state) << user << ": " << p->reason;
    if (!reason.empty()) {
      EXPECT_EQ(p->reason, reason) << user;
    }
  }
  std::vector<std::unique_ptr<fake_device::remote::PipelineLink>> links_;
  std::vector<std::unique_ptr<RemoteDevice>> phones_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(GroupSends, EveryMemberButTheSenderIsAReceiverWithItsOwnOptionAndState) {
  RemoteDevice& bob = member_phone("bob");
  member_phone("carol");
  member_phone("dave", /*foreground=*/true);
  ASSERT_FALSE(pipeline_->create_group(
      {"team", pipeline::GroupType::Work, {"alice", "bob", "carol", "dave", "erin"}}));
  ASSERT_FALSE(pipeline_->set_receive_option("carol", pipeline::ReceiveScope::Group, "team",
                                             pipeline::ReceiveOption::ReceiveNotNotify));
  const auto m = send(group_call());
  EXPECT_EQ(m.state, MessageState::Accepted);
  EXPECT_EQ(m.group, "team");
  ASSERT_EQ(m.pushes.size(), 4u); // alice, the sender, gets none
  expect_member(m, "bob", MessageState::Accepted);
  expect_member(m, "carol", MessageState::SkippedReceiveOption, "RECEIVE_NOT_NOTIFY (group team)");
  expect_member(m, "dave", MessageState::SkippedOnline);
  expect_member(m, "erin", MessageState::SkippedLoggedOut, "never logged in");
  EXPECT_EQ(requests_at_mock(), 1u);
  EXPECT_EQ(requests_at_mock({}, tokens_["bob"]), 1u);
  EXPECT_TRUE(bob.wait_for(DeviceEventKind::CallShown, push_of_member(m, "bob")->apns_id));
  // What APNs got says it is a group call (im-voip-flow.md §4.2: chatType 2).
  const auto sent = mock_.server().journal().query({}, 10);
  ASSERT_EQ(sent.size(), 1u);
  const auto body = nlohmann::json::parse(sent[0].body);
  EXPECT_EQ(body["chatType"], 2);
  EXPECT_EQ(body["groupId"], "team");

  // A member who leaves is no longer called; one who joins is.
  ASSERT_FALSE(pipeline_->leave_group("team", "bob"));
  ASSERT_FALSE(pipeline_->join_group("team", "frank"));
  const auto after = send(group_call());
  EXPECT_EQ(after.pushes.size(), 4u);
  EXPECT_EQ(std::count_if(after.pushes.begin(), after.pushes.end(),
                          [](const auto& p) { return p.receiver == "bob"; }),
            0);
  expect_member(after, "frank", MessageState::SkippedLoggedOut, "never logged in");
  EXPECT_EQ(after.state, MessageState::SkippedOnline); // the furthest of the skips
  EXPECT_EQ(requests_at_mock(), 1u);
}

TEST_F(GroupSends, AnAtMentionPassesReceiveNotNotifyExceptAt) {
  member_phone("bob");
  RemoteDevice& carol = member_phone("carol");
  ASSERT_FALSE(
      pipeline_->create_group({"team", pipeline::GroupType::Public, {"alice", "bob", "carol"}}));
  for (const auto* user : {"bob", "carol"})
    ASSERT_FALSE(pipeline_->set_receive_option(user, pipeline::ReceiveScope::Group, "team",
                                               pipeline::ReceiveOption::ReceiveNotNotifyExceptAt));
  const auto plain = send(group_call());
  expect_member(plain, "bob", MessageState::SkippedReceiveOption,
                "RECEIVE_NOT_NOTIFY_EXCEPT_AT (group team)");
  expect_member(plain, "carol", MessageState::SkippedReceiveOption);
  EXPECT_EQ(requests_at_mock(), 0u);

  const auto mention = send(group_call({"carol"}));
  expect_member(mention, "bob", MessageState::SkippedReceiveOption);
  expect_member(mention, "carol", MessageState::Accepted);
  EXPECT_EQ(requests_at_mock({}, tokens_["carol"]), 1u);
  EXPECT_TRUE(
      carol.wait_for(DeviceEventKind::CallShown, push_of_member(mention, "carol")->apns_id));
}

TEST_F(GroupSends, AnAVChatRoomProducesNoOfflinePush) {
  member_phone("bob");
  ASSERT_FALSE(
      pipeline_->create_group({"team", pipeline::GroupType::AVChatRoom, {"alice", "bob"}}));
  const auto m = send(group_call());
  EXPECT_EQ(m.state, MessageState::SkippedGroupType);
  EXPECT_EQ(m.reason, "AVChatRoom group: it keeps no offline messages, so no offline push");
  EXPECT_TRUE(m.pushes.empty());
  EXPECT_EQ(requests_at_mock(), 0u);
}

TEST_F(GroupSends, TheApiCreatesJoinsLeavesAndRefusesWhatIsWrong) {
  const net::HttpEndpoint api{"127.0.0.1", api_->port()};
  auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
    auto got = net::http1_request(api, method, path, body, 10s);
    EXPECT_TRUE(got);
    return got ? std::make_pair(got->status, nlohmann::json::parse(got->body, nullptr, false))
               : std::make_pair(0, nlohmann::json());
  };
  auto [status, j] =
      call("POST", "/v1/groups", R"({"id":"team","type":"Meeting","members":["alice","bob"]})");
  EXPECT_EQ(status, 201);
  EXPECT_EQ(j,
            nlohmann::json::parse(R"({"id":"team","type":"Meeting","members":["alice","bob"]})"));
  std::tie(status, j) = call("POST", "/v1/groups", R"({"id":"team"})");
  EXPECT_EQ(status, 409);
  EXPECT_EQ(j["error"], "GROUP_EXISTS");
  std::tie(status, j) = call("POST", "/v1/groups", R"({"id":"x","type":"Chat"})");
  EXPECT_EQ(status, 400);
  EXPECT_NE(j["message"].get<std::string>().find("AVChatRoom"), std::string::npos) << j;
  std::tie(status, j) = call("POST", "/v1/groups/team/members", R"({"user":"carol"})");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(j["members"], nlohmann::json::parse(R"(["alice","bob","carol"])"));
  std::tie(status, j) = call("DELETE", "/v1/groups/team/members/bob", "");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(j["members"], nlohmann::json::parse(R"(["alice","carol"])"));
  std::tie(status, j) = call("GET", "/v1/groups/nowhere", "");
  EXPECT_EQ(status, 404);
  EXPECT_EQ(j["error"], "NO_SUCH_GROUP");
  std::tie(status, j) = call("POST", "/v1/groups/nowhere/members", R"({"user":"carol"})");
  EXPECT_EQ(status, 404);

  // A message names a receiver or a group, not both; the group must exist.
  std::tie(status, j) =
      call("POST", "/v1/messages", R"({"sender":"alice","receiver":"bob","group":"team"})");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(j["error"], "BAD_MESSAGE");
  std::tie(status, j) = call("POST", "/v1/messages", R"({"sender":"alice","group":"nowhere"})");
  EXPECT_EQ(status, 404);
  EXPECT_EQ(j["error"], "NO_SUCH_GROUP");
  std::tie(status, j) = call(
      "POST", "/v1/messages",
      R"({"sender":"alice","group":"team","at_users":["carol"],"offline_push_info":{"ext":"{}"}})");
  EXPECT_EQ(status, 202);
  ASSERT_TRUE(pipeline_->wait_idle(kSettle));
  const auto m = pipeline_->message(j["message_id"]);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->receiver, "team");
  EXPECT_EQ(m->group, "team");
  ASSERT_EQ(m->pushes.size(), 1u);
  EXPECT_EQ(m->pushes[0].receiver, "carol");
  std::tie(status, j) = call("GET", "/v1/messages/" + m->message_id, "");
  EXPECT_EQ(j["group"], "team");
  EXPECT_EQ(j["pushes"][0]["receiver"], "carol");
}

TEST_F(GroupSends, AResendToTheGroupWithTheSameRandomIsOneMessage) {
  member_phone("bob");
  ASSERT_FALSE(pipeline_->create_group({"team", pipeline::GroupType::Work, {"alice", "bob"}}));
  auto m = group_call();
  m.random = 42;
  const auto first = pipeline_->send_message(m);
  const auto again = pipeline_->send_message(m);
  ASSERT_TRUE(std::holds_alternative<std::string>(first));
  ASSERT_TRUE(std::holds_alternative<std::string>(again));
  EXPECT_EQ(std::get<std::string>(first), std::get<std::string>(again));
  // The same random to bob one-to-one is another message: (sender, receiver or group, random).
  auto direct = m;
  direct.group.clear();
  direct.receiver = "bob";
  const auto other = pipeline_->send_message(direct);
  ASSERT_TRUE(std::holds_alternative<std::string>(other));
  EXPECT_NE(std::get<std::string>(other), std::get<std::string>(first));
  ASSERT_TRUE(pipeline_->wait_idle(kSettle));
  EXPECT_EQ(requests_at_mock({}, tokens_["bob"]), 2u);
}
