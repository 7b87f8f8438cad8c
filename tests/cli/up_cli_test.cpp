// `voipsim up` as its own process (issue #22 acceptance 1): a message to bob through the
// pipeline's API rings bob's phone (and carol's, a production build, hers); a second start in the
// same folder keeps the PKI and the certificate IDs and rings again for the same command; --fresh
// starts over with a new PKI.
#include "cli_support.hpp"
#include "net/http1_client.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using cli_test::event_line;
using nlohmann::json;

// One run of `voipsim up` in `dir`, on free ports (the default ones may be taken by a parallel
// test or by the developer's own 'voipsim up').
class Up {
public:
  Up(const std::string& dir, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {VOIPSIM_BINARY, "up",          "--dir",     dir,
                                     "--user",       "bob",         "--sandbox", "127.0.0.1:0",
                                     "--production", "127.0.0.1:0", "--admin",   "127.0.0.1:0",
                                     "--listen",     "127.0.0.1:0", "--seed",    "5"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<support::BackgroundProcess>(argv);
  }

  // The ready line, or null when it did not come.
  json ready() {
    if (!process_->wait_for_output("\"event\":\"ready\"", 60s)) return nullptr;
    return event_line(process_->output(), "ready");
  }

  // Sends alice -> `user` through the pipeline's API and waits for that user's phone to show
  // the call: the `shown`-th call_shown line of this run, each phone showing one.
  void call(const json& ready, const std::string& user, std::size_t shown) {
    auto api = net::parse_http_endpoint(ready["pipeline"].get<std::string>());
    ASSERT_TRUE(api);
    const json message = {{"sender", "alice"},
                          {"receiver", user},
                          {"offline_push_info", {{"ios_push_type", "voip"}}}};
    const auto sent = net::http1_request(*api, "POST", "/v1/messages", message.dump(), 30s);
    ASSERT_TRUE(sent) << sent.error().message();
    EXPECT_EQ(sent->status, 202) << sent->body;
    ASSERT_TRUE(process_->wait_for_output("\"kind\":\"call_shown\"", 60s, shown))
        << process_->output();
    std::size_t on_this_phone = 0;
    for (const auto& line : cli_test::json_lines(process_->output()))
      if (line.value("kind", "") == "call_shown" &&
          line.value("device_id", "") == user + "s-iphone")
        ++on_this_phone;
    EXPECT_EQ(on_this_phone, 1u) << process_->output();
  }

  // SIGTERM: everything stops and says so.
  void stop() {
    ::kill(process_->pid(), SIGTERM);
    EXPECT_EQ(process_->wait_for_exit(60s), 0) << process_->output();
    const json stopped = event_line(process_->output(), "stopped");
    ASSERT_TRUE(stopped.is_object()) << process_->output();
    EXPECT_EQ(stopped.value("signal", ""), "SIGTERM");
  }

  std::string output() const { return process_->output(); }

private:
  std::unique_ptr<support::BackgroundProcess> process_;
};

TEST(UpCli, ABobMessageRingsAndTheStateIsKeptUntilFresh) {
  support::TempDir dir;
  const std::string state = (dir.path() / "state").string();

  Up first(state, {"--user", "carol:production"});
  const json ready = first.ready();
  ASSERT_TRUE(ready.is_object()) << first.output();
  ASSERT_EQ(ready["devices"].size(), 2u);
  EXPECT_EQ(ready["devices"][0]["user"], "bob");
  EXPECT_EQ(ready["devices"][0]["environment"], "sandbox");
  EXPECT_EQ(ready["devices"][1]["user"], "carol");
  EXPECT_EQ(ready["devices"][1]["environment"], "production"); // reports the production ID
  EXPECT_EQ(ready["pki"], state + "/pki");
  // Issue #20: the console is served at the root of the admin port.
  EXPECT_EQ(ready["console"], ready["admin"].get<std::string>() + "/");
  const auto admin = net::parse_http_endpoint(ready["admin"].get<std::string>());
  ASSERT_TRUE(admin);
  const auto page = net::http1_request(*admin, "GET", "/", {}, 30s);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("mock APNs console"), std::string::npos);
  const json ids = ready["certificate_ids"];
  EXPECT_TRUE(ids["development"].is_number_integer()) << ready;
  const std::string ca = support::read_file(state + "/pki/ca-bundle.pem");
  ASSERT_FALSE(ca.empty());
  EXPECT_NE(first.output().find("a call to bob through the IM backend"), std::string::npos)
      << "stderr's copy-paste block";
  first.call(ready, "bob", 1);
  first.call(ready, "carol", 2);
  first.stop();

  Up again(state);
  const json ready_again = again.ready();
  ASSERT_TRUE(ready_again.is_object()) << again.output();
  EXPECT_EQ(ready_again["certificate_ids"], ids);
  EXPECT_EQ(ready_again["pki"], ready["pki"]);
  EXPECT_EQ(support::read_file(state + "/pki/ca-bundle.pem"), ca);
  EXPECT_NE(again.output().find("reused the certificate uploaded before"), std::string::npos);
  again.call(ready_again, "bob", 1);
  again.stop();

  Up fresh(state, {"--fresh"});
  const json ready_fresh = fresh.ready();
  ASSERT_TRUE(ready_fresh.is_object()) << fresh.output();
  EXPECT_NE(support::read_file(state + "/pki/ca-bundle.pem"), ca) << "a new PKI";
  EXPECT_NE(fresh.output().find("a new PKI; uploaded"), std::string::npos) << fresh.output();
  fresh.call(ready_fresh, "bob", 1);
  fresh.stop();
}

// Two starts in one folder cannot share it: the second, even with --fresh (which would delete
// the first one's PKI and database), says so and exits before it touches anything.
TEST(UpCli, ASecondUpInTheSameFolderIsRefusedSayingWhy) {
  support::TempDir dir;
  const std::string state = (dir.path() / "state").string();
  Up first(state);
  ASSERT_TRUE(first.ready().is_object()) << first.output();
  const std::string ca = support::read_file(state + "/pki/ca-bundle.pem");
  const auto second = cli_test::voipsim({"up", "--dir", state, "--fresh", "--sandbox",
                                         "127.0.0.1:0", "--production", "127.0.0.1:0", "--admin",
                                         "127.0.0.1:0", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(second.exit_code, 1) << second.describe();
  EXPECT_NE(second.output.find("another 'voipsim up' is using " + state), std::string::npos)
      << second.describe();
  EXPECT_EQ(support::read_file(state + "/pki/ca-bundle.pem"), ca) << "the first one's PKI is gone";
  first.stop();
}

} // namespace
