// Each subcommand's flags to options, without a process: the values it reads, and the message of
// each usage error (the binary prints it and exits 2; tests/cli/*_cli_test.cpp check that part).
#include "cli/certs.hpp"
#include "cli/certs_issue.hpp"
#include "cli/commands.hpp"
#include "cli/device.hpp"
#include "cli/jwt.hpp"
#include "cli/mock_apns.hpp"
#include "cli/pipeline.hpp"
#include "cli/run.hpp"
#include "cli/selftest.hpp"
#include "cli/up.hpp"
#include "support/names_round_trip.hpp"

#include <functional>
#include <iostream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>

namespace {

using Words = std::vector<std::string>;

// "--a 1 --b" as the shell splits it.
Words split(const std::string& line) {
  std::istringstream in(line);
  return Words(std::istream_iterator<std::string>(in), std::istream_iterator<std::string>());
}

// One command's words to its Options, as the binary reads them.
template <auto args_of, auto options_of>
auto options(const Words& words) {
  return cli::options_from(words, args_of, options_of);
}
const auto mock_apns = options<cli::mock_apns_command::args_of, cli::mock_apns_command::options_of>;
const auto pipeline = options<cli::pipeline_command::args_of, cli::pipeline_command::options_of>;
const auto device = options<cli::device_command::args_of, cli::device_command::options_of>;
const auto run = options<cli::run_command::args_of, cli::run_command::options_of>;
const auto demo = options<cli::demo_command::args_of, cli::demo_command::options_of>;
const auto selftest = options<cli::selftest_command::args_of, cli::selftest_command::options_of>;
const auto certs = options<cli::certs_command::args_of, cli::certs_command::options_of>;
const auto certs_issue =
    options<cli::certs_issue_command::args_of, cli::certs_issue_command::options_of>;
const auto jwt = options<cli::jwt_command::args_of, cli::jwt_command::options_of>;
const auto up = options<cli::up_command::args_of, cli::up_command::options_of>;

template <class T>
std::string error_of(const core::Result<T>& result) {
  return result ? "(no error)" : result.error().detail;
}

TEST(ArgsTest, NumbersAreWholeAndInRange) {
  const auto args = cli::Args::parse({"--n", "12", "--m=+3", "--k", "99"}, {"n", "m", "k"}, {});
  ASSERT_TRUE(args);
  EXPECT_EQ(*args->number("n", 0, 0, 20), 12u);
  EXPECT_EQ(*args->number("absent", 7, 0, 20), 7u);
  EXPECT_EQ(error_of(args->number("m", 0, 0, 20)),
            "--m must be a whole number from 0 to 20, not '+3'");
  EXPECT_EQ(error_of(args->number("k", 0, 0, 20)),
            "--k must be a whole number from 0 to 20, not '99'");
}

TEST(ArgsTest, UnknownMissingAndSurplusValues) {
  EXPECT_EQ(error_of(cli::Args::parse({"--x"}, {}, {})), "unknown option --x");
  EXPECT_EQ(error_of(cli::Args::parse({"--v"}, {"v"}, {})), "--v needs a value");
  EXPECT_EQ(error_of(cli::Args::parse({"--f=1"}, {}, {"f"})), "--f takes no value");
}

TEST(ArgsTest, HostPort) {
  EXPECT_EQ(cli::parse_host_port(":80", "x")->host, "127.0.0.1");
  EXPECT_EQ(cli::parse_host_port("[::1]:2197", "x")->host, "::1");
  EXPECT_EQ(cli::parse_host_port("[::1]:2197", "x")->port, 2197);
  for (const char* bad : {"80", "h:", "h:65536", "h:-1", "h: 80"}) {
    EXPECT_EQ(error_of(cli::parse_host_port(bad, "listen")),
              "--listen needs HOST:PORT (e.g. 127.0.0.1:2197, port 0 for a free one), got '" +
                  std::string(bad) + "'")
        << bad;
  }
}

TEST(ArgsTest, HostPortFlagOrItsFallback) {
  const auto args =
      cli::Args::parse({"--listen", "[::1]:8080", "--bad", "8080"}, {"listen", "bad"}, {});
  ASSERT_TRUE(args);
  EXPECT_EQ(args->host_port("listen", cli::kAnyLoopbackPort)->host, "::1");
  EXPECT_EQ(args->host_port("listen", cli::kAnyLoopbackPort)->port, 8080);
  const auto fallback = args->host_port("absent", cli::kAnyLoopbackPort);
  ASSERT_TRUE(fallback) << error_of(fallback);
  EXPECT_EQ(cli::address(fallback->host, fallback->port), "127.0.0.1:0");
  EXPECT_EQ(error_of(args->host_port("bad", cli::kAnyLoopbackPort)),
            "--bad needs HOST:PORT (e.g. 127.0.0.1:2197, port 0 for a free one), got '8080'");
  // A bad fallback is reported as the flag's: the flag was what the user left out.
  EXPECT_EQ(error_of(args->host_port("absent", "")).rfind("--absent needs HOST:PORT", 0), 0u);
}

TEST(ArgsTest, OptionalNumbersAreAbsentOrChecked) {
  const auto args = cli::Args::parse({"--n", "0", "--big", "21"}, {"n", "big"}, {});
  ASSERT_TRUE(args);
  EXPECT_EQ(*args->optional_number("n", 0, 20), std::optional<std::uint64_t>(0));
  EXPECT_EQ(*args->optional_number("absent", 0, 20), std::nullopt);
  EXPECT_EQ(error_of(args->optional_number("big", 0, 20)),
            "--big must be a whole number from 0 to 20, not '21'");
}

TEST(ArgsTest, RequireNamesTheFirstFlagLeftOut) {
  const auto args = cli::Args::parse({"--a", "1", "--f"}, {"a", "b", "c"}, {"f"});
  ASSERT_TRUE(args);
  EXPECT_TRUE(args->require({"a", "f"}));
  EXPECT_EQ(error_of(args->require({"a", "c", "b"})), "--c is required");
  EXPECT_EQ(error_of(args->require({"b"}, " (because)")), "--b is required (because)");
}

TEST(ArgsTest, TimeOrNowInWholeSeconds) {
  EXPECT_EQ(cli::time_or_now(std::uint64_t{1'700'000'000}), core::from_unix_seconds(1'700'000'000));
  const auto before = core::unix_seconds(core::SystemClock().now());
  const auto now = cli::time_or_now(std::nullopt);
  EXPECT_EQ(now, core::from_unix_seconds(core::unix_seconds(now)));
  EXPECT_GE(core::unix_seconds(now), before);
  EXPECT_LE(core::unix_seconds(now), before + 5);
}

// What a command prints on stderr for `say`, and the status it returns.
using Said = std::pair<std::string, int>;
Said stderr_of(const std::function<int()>& say) {
  std::ostringstream captured;
  auto* const saved = std::cerr.rdbuf(captured.rdbuf());
  const int status = say();
  std::cerr.rdbuf(saved);
  return {captured.str(), status};
}

TEST(CommandsTest, UsageErrorsPointToTheHelpOfTheFirstWord) {
  EXPECT_EQ(stderr_of([] { return cli::fail("certs issue", "no --kind", cli::kExitUsage); }),
            (Said{"voipsim certs issue: no --kind\nRun 'voipsim certs --help' for usage.\n", 2}));
  EXPECT_EQ(stderr_of([] { return cli::fail("pipeline", "busy port", cli::kExitFailed); }),
            (Said{"voipsim pipeline: busy port\n", 1}));
  EXPECT_EQ(stderr_of([] { return cli::refuse("run", "no scenario"); }),
            (Said{"voipsim run: no scenario\n", 2}));
}

// A run() for run_words that records the Options it was given.
std::optional<cli::selftest_command::Options> ran;
int record_run(const cli::selftest_command::Options& options) {
  ran = options;
  return cli::kExitOk;
}

TEST(CommandsTest, RunWordsRunsOnlyWhatReadsAsOptions) {
  const auto run_selftest = [](const Words& words) {
    ran.reset();
    return cli::run_words("selftest", words, cli::selftest_command::args_of,
                          cli::selftest_command::options_of, record_run);
  };
  EXPECT_EQ(stderr_of([&] { return run_selftest({"--requests", "7"}); }), (Said{"", 0}));
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->requests, 7u);
  EXPECT_EQ(stderr_of([&] {
              return run_selftest({"--requests", "0"});
            }),
            (Said{"voipsim selftest: --requests must be a whole number from 1 to 10000000, not "
                  "'0'\nRun 'voipsim selftest --help' for usage.\n",
                  2}));
  EXPECT_FALSE(ran);
  EXPECT_EQ(stderr_of([&] { return run_selftest({"--nope"}); }).second, 2);
  EXPECT_FALSE(ran);
}

TEST(MockApnsOptionsTest, DefaultsStartNothingAndNameNoFile) {
  const auto o = mock_apns({});
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(cli::address(o->sandbox.host, o->sandbox.port), "127.0.0.1:0");
  EXPECT_EQ(o->admin.port, 0);
  EXPECT_TRUE(o->certificate_auth && o->token_auth);
  EXPECT_FALSE(o->strict_tokens || o->per_token_burst || o->unregister_delay);
  EXPECT_FALSE(o->pki_dir || o->config_file || o->tokens_file || o->record_file ||
               o->admin_secret_file);
  EXPECT_EQ(o->threads, 1u);
  EXPECT_EQ(o->journal_size, 10'000u);
  EXPECT_EQ(o->seed, 0u);
}

TEST(MockApnsOptionsTest, EveryFlagRead) {
  const auto o =
      mock_apns(split("--sandbox 0.0.0.0:2197 --production=0.0.0.0:2198 --admin :8080 --pki dir "
                      "--auth token --permissive --tokens t.json --config c.json --seed 9 "
                      "--threads 4 --journal-size 5 --per-token-burst 0 --unregister-delay 60 "
                      "--record r.yaml --admin-secret-file s --allow-host a --allow-host b"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->sandbox.port, 2197);
  EXPECT_EQ(o->production.port, 2198);
  EXPECT_EQ(o->admin.host, "127.0.0.1");
  EXPECT_EQ(o->admin.port, 8080);
  EXPECT_EQ(o->pki_dir, "dir");
  EXPECT_FALSE(o->certificate_auth);
  EXPECT_TRUE(o->token_auth);
  EXPECT_EQ(o->strict_tokens, false);
  EXPECT_EQ(o->tokens_file, "t.json");
  EXPECT_EQ(o->config_file, "c.json");
  EXPECT_EQ(o->seed, 9u);
  EXPECT_EQ(o->threads, 4u);
  EXPECT_EQ(o->journal_size, 5u);
  EXPECT_EQ(o->per_token_burst, 0u);
  EXPECT_EQ(o->unregister_delay, std::chrono::seconds(60));
  EXPECT_EQ(o->record_file, "r.yaml");
  EXPECT_EQ(o->admin_secret_file, "s");
  EXPECT_EQ(o->allowed_hosts, (Words{"a", "b"}));
  EXPECT_EQ(mock_apns({"--strict"})->strict_tokens, true);
  EXPECT_TRUE(mock_apns({"--auth", "cert"})->certificate_auth);
  EXPECT_FALSE(mock_apns({"--auth", "cert"})->token_auth);
  EXPECT_FALSE(mock_apns({"--auth", "token"})->certificate_auth);
  EXPECT_TRUE(mock_apns({"--auth", "token,cert"})->certificate_auth);
  EXPECT_TRUE(mock_apns({"--auth", "token,cert"})->token_auth);
}

TEST(MockApnsOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{"extra"}, "unexpected argument 'extra'"},
      {{"--bogus"}, "unknown option --bogus"},
      {{"--sandbox", "nowhere"},
       "--sandbox needs HOST:PORT (e.g. 127.0.0.1:2197, port 0 for a free one), got 'nowhere'"},
      {{"--sandbox", "127.0.0.1:1", "--production", "::1:2"},
       "--sandbox and --production must use the same host"},
      {{"--auth", "password"}, "--auth takes cert, token or cert,token; got 'password'"},
      // Word by word: a word that only contains "cert" or "token" is not one.
      {{"--auth", "certs"}, "--auth takes cert, token or cert,token; got 'certs'"},
      {{"--auth", "cert,tokens"}, "--auth takes cert, token or cert,token; got 'cert,tokens'"},
      {{"--auth", "cert,cert"}, "--auth takes cert, token or cert,token; got 'cert,cert'"},
      {{"--auth", "cert,"}, "--auth takes cert, token or cert,token; got 'cert,'"},
      {{"--strict", "--permissive"}, "--strict and --permissive exclude each other"},
      {{"--threads", "0"}, "--threads must be a whole number from 1 to 64, not '0'"},
      {{"--seed", "-1"}, "--seed must be a whole number from 0 to 18446744073709551615, not '-1'"},
      {{"--journal-size", "1e3"},
       "--journal-size must be a whole number from 1 to 100000000, not '1e3'"},
      {{"--per-token-burst", "4294967296"},
       "--per-token-burst must be a whole number from 0 to 4294967295, not '4294967296'"},
      {{"--unregister-delay", "31536001"},
       "--unregister-delay must be a whole number from 0 to 31536000, not '31536001'"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(mock_apns(words)), message) << words.front();
}

const Words kPipelineRequired = {"--apns-sandbox", "127.0.0.1:1", "--apns-production",
                                 "127.0.0.1:2",    "--ca",        "ca.pem"};

// `words` after a command's required flags.
Words with(const Words& required, Words words) {
  words.insert(words.begin(), required.begin(), required.end());
  return words;
}

Words with_required(Words words) {
  return with(kPipelineRequired, std::move(words));
}

TEST(PipelineOptionsTest, RequiredFlagsAndDefaults) {
  const auto o = pipeline(kPipelineRequired);
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->apns_sandbox.port, 1);
  EXPECT_EQ(o->apns_production.port, 2);
  EXPECT_EQ(o->ca_file, "ca.pem");
  EXPECT_FALSE(o->apple_ca_file || o->api_secret_file);
  EXPECT_EQ(o->database, "voipsim-pipeline.db");
  EXPECT_EQ(cli::address(o->listen.host, o->listen.port), "127.0.0.1:0");
  EXPECT_EQ(o->seed, 1u);
  EXPECT_EQ(o->retry_delay, std::chrono::milliseconds(1000));
  EXPECT_EQ(o->max_retries, 3);
  EXPECT_EQ(o->max_in_flight, 2048u);
}

TEST(PipelineOptionsTest, EveryFlagRead) {
  const auto o = pipeline(
      with_required({"--listen", "0.0.0.0:8081", "--db", ":memory:", "--apple-ca", "apple.pem",
                     "--seed", "0", "--retry-delay", "5", "--max-retries", "0", "--max-in-flight",
                     "1", "--api-secret-file", "s", "--allow-host", "h"}));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->listen.host, "0.0.0.0");
  EXPECT_EQ(o->listen.port, 8081);
  EXPECT_EQ(o->database, ":memory:");
  EXPECT_EQ(o->apple_ca_file, "apple.pem");
  EXPECT_EQ(o->seed, 0u);
  EXPECT_EQ(o->retry_delay, std::chrono::milliseconds(5));
  EXPECT_EQ(o->max_retries, 0);
  EXPECT_EQ(o->max_in_flight, 1u);
  EXPECT_EQ(o->api_secret_file, "s");
  EXPECT_EQ(o->allowed_hosts, Words{"h"});
}

TEST(PipelineOptionsTest, UsageErrors) {
  const std::string required =
      " is required (see the ready line of 'voipsim mock-apns' for the values)";
  const std::pair<Words, std::string> cases[] = {
      {{}, "--apns-sandbox" + required},
      {{"--apns-sandbox", ":1", "--ca", "x"}, "--apns-production" + required},
      {{"--apns-sandbox", ":1", "--apns-production", ":2"}, "--ca" + required},
      {with_required({"extra"}), "unexpected argument 'extra'"},
      {with_required({"--listen", "8081"}),
       "--listen needs HOST:PORT (e.g. 127.0.0.1:2197, port 0 for a free one), got '8081'"},
      {with_required({"--retry-delay", "0"}),
       "--retry-delay must be a whole number from 1 to 3600000, not '0'"},
      {with_required({"--max-retries", "101"}),
       "--max-retries must be a whole number from 0 to 100, not '101'"},
      {with_required({"--max-in-flight", "0"}),
       "--max-in-flight must be a whole number from 1 to 1000000, not '0'"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(pipeline(words)), message);
}

TEST(DeviceOptionsTest, Defaults) {
  const auto o = device(split("--mock-admin http://127.0.0.1:8080"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->admin.url(), "http://127.0.0.1:8080");
  EXPECT_FALSE(o->pipeline || o->admin_secret_file || o->pipeline_secret_file);
  EXPECT_EQ(o->app.bundle_id, "com.example.imapp");
  EXPECT_EQ(o->app.environment, fake_device::ApsEnvironment::Sandbox);
  EXPECT_EQ(o->app.certificate_id, 1001);
  EXPECT_TRUE(o->app.voip_background_mode && o->app.push_notifications_capability);
  EXPECT_EQ(o->user, "user-1");
  EXPECT_TRUE(o->consent && o->login);
  EXPECT_EQ(o->start, cli::device_command::StartState::Background);
  EXPECT_EQ(o->device.device_id, "iphone-1");
  EXPECT_EQ(o->seed, 0u);
}

TEST(DeviceOptionsTest, EveryFlagRead) {
  const auto o = device(split(
      "--mock-admin http://127.0.0.1:8080 --pipeline http://127.0.0.1:8081 --app com.x.y --env "
      "production --ios 12 --linked-sdk 13 --no-voip-background --no-push-capability --no-consent "
      "--no-login --callkit never --user bob --certificate-id 7 --start not-running --device-id "
      "ipad --seed 3 --mock-admin-secret-file a --pipeline-secret-file p"));
  ASSERT_TRUE(o) << error_of(o);
  ASSERT_TRUE(o->pipeline);
  EXPECT_EQ(o->pipeline->url(), "http://127.0.0.1:8081");
  EXPECT_EQ(o->admin_secret_file, "a");
  EXPECT_EQ(o->pipeline_secret_file, "p");
  EXPECT_EQ(o->app.bundle_id, "com.x.y");
  EXPECT_EQ(o->app.environment, fake_device::ApsEnvironment::Production);
  EXPECT_EQ(o->device.ios, (fake_device::IosVersion{12, 0}));
  EXPECT_EQ(o->app.linked_sdk, (fake_device::IosVersion{13, 0}));
  EXPECT_FALSE(o->app.voip_background_mode || o->app.push_notifications_capability);
  EXPECT_FALSE(o->consent || o->login);
  EXPECT_EQ(o->user, "bob");
  EXPECT_EQ(o->app.certificate_id, 7);
  EXPECT_EQ(o->start, cli::device_command::StartState::NotRunning);
  using cli::device_command::StartState;
  support::expect_round_trip<StartState>(
      {{StartState::Foreground, "foreground"},
       {StartState::Background, "background"},
       {StartState::NotRunning, "not-running"}},
      [](StartState s) { return cli::device_command::to_string(s); },
      cli::device_command::parse_start_state);
  EXPECT_EQ(o->device.device_id, "ipad");
  EXPECT_EQ(o->seed, 3u);
}

TEST(DeviceOptionsTest, UsageErrors) {
  const std::string admin = "--mock-admin=http://127.0.0.1:8080";
  const std::pair<Words, std::string> cases[] = {
      {{}, "--mock-admin URL is required (the admin address 'voipsim mock-apns' prints)"},
      {{admin, "extra"}, "unexpected argument 'extra'"},
      {{admin, "--app="}, "--app needs a bundle id"},
      {{admin, "--user="}, "--user needs an account name"},
      {{admin, "--start", "asleep"},
       "--start takes foreground, background or not-running, got 'asleep'"},
      {{admin, "--certificate-id", "0"},
       "--certificate-id must be a whole number from 1 to 9223372036854775807, not '0'"},
      {{admin, "--seed", "x"},
       "--seed must be a whole number from 0 to 18446744073709551615, not 'x'"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(device(words)), message);
  // The parsers' own messages follow the flag's name.
  for (const char* flag : {"--mock-admin", "--pipeline", "--ios", "--linked-sdk", "--callkit"}) {
    const auto o = device({admin, std::string(flag) + "=nonsense"});
    EXPECT_EQ(error_of(o).rfind(std::string(flag) + ": ", 0), 0u) << error_of(o);
  }
}

TEST(RunOptionsTest, Defaults) {
  const auto o = run({"a.yaml", "dir/"});
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->paths, (Words{"a.yaml", "dir/"}));
  EXPECT_FALSE(o->junit_file || o->json_file);
  EXPECT_EQ(o->seed, 1u);
  EXPECT_EQ(o->filter, "");
  EXPECT_FALSE(o->quiet || o->live);
}

TEST(RunOptionsTest, EveryFlagRead) {
  const auto o =
      run(split("s/ --junit j.xml --json=r.json --seed 7 --filter token --quiet --live t.yaml"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->paths, (Words{"s/", "t.yaml"}));
  EXPECT_EQ(o->junit_file, "j.xml");
  EXPECT_EQ(o->json_file, "r.json");
  EXPECT_EQ(o->seed, 7u);
  EXPECT_EQ(o->filter, "token");
  EXPECT_TRUE(o->quiet && o->live);
}

TEST(RunOptionsTest, HtmlReportAndMermaidFolder) {
  const auto o = run(split("s/ --html report.html --mermaid=diagrams"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->html_file, "report.html");
  EXPECT_EQ(o->mermaid_dir, "diagrams");
  EXPECT_EQ(error_of(run(split("s/ --html"))), "--html needs a value");
}

TEST(RunOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{}, "name at least one scenario file or folder, e.g. 'voipsim run scenarios/'."},
      {{"--quiet"}, "name at least one scenario file or folder, e.g. 'voipsim run scenarios/'."},
      {{"s/", "--bogus"}, "unknown option --bogus"},
      {{"s/", "--help"}, "unknown option --help"}, // main() answers --help before the command
      {{"s/", "--junit"}, "--junit needs a value"},
      {{"s/", "--seed", "0"},
       "--seed must be a whole number from 1 to 18446744073709551615, not '0'"},
      {{"s/", "--seed", "x"},
       "--seed must be a whole number from 1 to 18446744073709551615, not 'x'"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(run(words)), message);
}

TEST(DemoOptionsTest, DefaultsAndEveryFlag) {
  const auto o = demo({});
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_FALSE(o->out_dir);
  EXPECT_EQ(o->seed, 1u);
  EXPECT_FALSE(o->verbose);
  const auto given = demo(split("--out reports --seed 3 --verbose"));
  ASSERT_TRUE(given) << error_of(given);
  EXPECT_EQ(given->out_dir, "reports");
  EXPECT_EQ(given->seed, 3u);
  EXPECT_TRUE(given->verbose);
}

TEST(DemoOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{"scenarios/"}, "takes no file names (use 'voipsim run FILE...' for your own)"},
      {{"--quiet"}, "unknown option --quiet"},
      {{"--verbose=yes"}, "--verbose takes no value"},
      {{"--seed", "0"}, "--seed must be a whole number from 1 to 18446744073709551615, not '0'"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(demo(words)), message);
}

TEST(SelftestOptionsTest, Defaults) {
  const auto o = selftest({});
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->requests, 10'000u);
  EXPECT_EQ(o->connections, 1u);
  EXPECT_EQ(o->streams, 100u);
  EXPECT_EQ(o->body_bytes, 1024u);
  EXPECT_EQ(o->threads, 1u);
  EXPECT_EQ(o->tls_dir, "");
  EXPECT_FALSE(o->json);
}

TEST(SelftestOptionsTest, EveryFlagRead) {
  const auto o = selftest(split("--requests 5 --connections 64 --streams 1 --body-bytes 0 "
                                "--threads 2 --tls-dir pki --json"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->requests, 5u);
  EXPECT_EQ(o->connections, 64u);
  EXPECT_EQ(o->streams, 1u);
  EXPECT_EQ(o->body_bytes, 0u);
  EXPECT_EQ(o->threads, 2u);
  EXPECT_EQ(o->tls_dir, "pki");
  EXPECT_TRUE(o->json);
  // The bodies' total may reach 1 GiB exactly.
  EXPECT_TRUE(selftest(split("--requests 128 --body-bytes 8388608")));
}

TEST(SelftestOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{"extra"}, "unexpected argument 'extra'"},
      {{"--bogus"}, "unknown option --bogus"},
      {{"--json=1"}, "--json takes no value"},
      {{"--requests", "lots"}, "--requests must be a whole number from 1 to 10000000, not 'lots'"},
      {{"--connections", "65"}, "--connections must be a whole number from 1 to 64, not '65'"},
      {{"--streams", "0"}, "--streams must be a whole number from 1 to 100000, not '0'"},
      {{"--body-bytes", "8388609"},
       "--body-bytes must be a whole number from 0 to 8388608, not '8388609'"},
      {{"--threads", "0"}, "--threads must be a whole number from 1 to 64, not '0'"},
      {{"--requests", "129", "--body-bytes", "8388608"},
       "--requests times --body-bytes must stay within 1 GiB"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(selftest(words)), message);
}

const Words kCertsRequired = {"--out",     "pki",        "--bundle-id", "com.example.imapp",
                              "--team-id", "TEAMA12345", "--key-id",    "KB00000001"};

Words certs_with(Words words) {
  return with(kCertsRequired, std::move(words));
}

TEST(CertsOptionsTest, RequiredFlagsAndDefaults) {
  const auto o = certs(certs_with({"--p12-password", "pw"}));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->out_dir, "pki");
  EXPECT_EQ(o->bundle_id, "com.example.imapp");
  EXPECT_EQ(o->team_id, "TEAMA12345");
  EXPECT_EQ(o->key_id, "KB00000001");
  EXPECT_EQ(o->p12_password, "pw");
  EXPECT_FALSE(o->p12_password_file);
  EXPECT_EQ(o->days, 365u);
  EXPECT_FALSE(o->now); // the time it runs, not the time its flags were read
  EXPECT_FALSE(o->force || o->json);
}

TEST(CertsOptionsTest, EveryFlagRead) {
  // The password file is only named here: run() reads it.
  const auto o = certs(certs_with(
      split("--p12-password-file /no/such/file --days 36500 --now 1700000000 --force --json")));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_FALSE(o->p12_password);
  EXPECT_EQ(o->p12_password_file, "/no/such/file");
  EXPECT_EQ(o->days, 36500u);
  EXPECT_EQ(o->now, 1'700'000'000u);
  EXPECT_TRUE(o->force && o->json);
  EXPECT_EQ(certs(certs_with({"--p12-password="}))->p12_password, "");
}

TEST(CertsOptionsTest, UsageErrors) {
  const std::string one_password =
      "give the .p12 password with exactly one of --p12-password and --p12-password-file";
  const std::pair<Words, std::string> cases[] = {
      {{"--p12-password", "pw"}, "--out is required"},
      {{"--out", "pki"}, "--bundle-id is required"},
      {{"--out", "pki", "--bundle-id", "b"}, "--team-id is required"},
      {{"--out", "pki", "--bundle-id", "b", "--team-id", "T"}, "--key-id is required"},
      {certs_with({}), one_password},
      {certs_with({"--p12-password", "a", "--p12-password-file", "f"}), one_password},
      {certs_with({"--p12-password", "a", "--days", "0"}),
       "--days must be a whole number from 1 to 36500, not '0'"},
      {certs_with({"--p12-password", "a", "--now", "253402300800"}),
       "--now must be a whole number from 0 to 253402300799, not '253402300800'"},
      {certs_with({"--p12-password", "a", "--now", "253402300000"}),
       "--now plus --days reaches past the year 9999, which certificates cannot express"},
      {certs_with({"--p12-password", "a", "extra"}), "unexpected argument 'extra'"},
      {certs_with({"--p12-password", "a", "--csr", "x"}), "unknown option --csr"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(certs(words)), message);
}

const Words kIssueRequired = {"--csr",         "my.csr",      "--kind",
                              "voip-services", "--bundle-id", "com.example.imapp",
                              "--pki",         "pki"};

Words issue_with(Words words) {
  return with(kIssueRequired, std::move(words));
}

TEST(CertsIssueOptionsTest, RequiredFlagsAndDefaults) {
  const auto o = certs_issue(kIssueRequired);
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->csr_file, "my.csr"); // named, not read
  EXPECT_EQ(o->kind, pki::CertificateKind::VoipServices);
  EXPECT_EQ(o->bundle_id, "com.example.imapp");
  EXPECT_EQ(o->pki_dir, "pki");
  EXPECT_EQ(o->out_file, "voip_services.cer");
  EXPECT_FALSE(o->now);
  EXPECT_FALSE(o->force);
  // Each kind's default file is Apple's download name.
  EXPECT_EQ(
      certs_issue({"--csr", "c", "--kind", "apns-production", "--bundle-id", "b", "--pki", "p"})
          ->out_file,
      "aps.cer");
}

TEST(CertsIssueOptionsTest, EveryFlagRead) {
  const auto o = certs_issue(issue_with(split("--out my.cer --now 0 --force")));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->out_file, "my.cer");
  EXPECT_EQ(o->now, 0u);
  EXPECT_TRUE(o->force);
}

TEST(CertsIssueOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{}, "--csr is required"},
      {{"--csr", "c"}, "--kind is required"},
      {{"--csr", "c", "--kind", "voip-services"}, "--bundle-id is required"},
      {{"--csr", "c", "--kind", "voip-services", "--bundle-id", "b"}, "--pki is required"},
      {issue_with({"extra"}), "unexpected argument 'extra'"},
      {issue_with({"--days", "1"}), "unknown option --days"},
      {{"--csr", "c", "--kind", "apns-voip", "--bundle-id", "b", "--pki", "p"},
       "unknown --kind 'apns-voip': the portal issues voip-services, apns-development, "
       "apns-production or apple-push-services"},
      {issue_with({"--now", "253370678400"}),
       "--now must be a whole number from 0 to 253370678399, not '253370678400'"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(certs_issue(words)), message);
}

TEST(JwtOptionsTest, DefaultsAndEveryFlag) {
  const auto plain = jwt({"--pki", "p"});
  ASSERT_TRUE(plain) << error_of(plain);
  EXPECT_EQ(plain->pki_dir, "p");
  EXPECT_FALSE(plain->key_id);
  EXPECT_FALSE(plain->team_id);
  EXPECT_FALSE(plain->iat); // now, when it runs
  EXPECT_FALSE(plain->header);
  EXPECT_FALSE(jwt({"--pki", "p", "--iat", "now"})->iat);
  const auto o = jwt(split("--pki p --key-id K1 --team-id T1 --iat 1767225600 --header"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->key_id, "K1");
  EXPECT_EQ(o->team_id, "T1");
  EXPECT_EQ(o->iat, 1767225600u);
  EXPECT_TRUE(o->header);
}

TEST(JwtOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{}, "--pki is required"},
      {{"--pki", "p", "extra"}, "unexpected argument 'extra'"},
      {{"--pki", "p", "--iat", "yesterday"},
       "--iat must be a whole number from 0 to 4611686018427387904, not 'yesterday'"},
      {{"--pki", "p", "--key-id", ""}, "--key-id is empty"},
      {{"--pki", "p", "--kid", "K"}, "unknown option --kid"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(jwt(words)), message);
}

TEST(UpOptionsTest, Defaults) {
  const auto o = up({});
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->dir, ".voipsim");
  EXPECT_FALSE(o->fresh);
  ASSERT_EQ(o->users.size(), 1u); // bob, a development build
  EXPECT_EQ(o->users[0].name, "bob");
  EXPECT_EQ(o->users[0].environment, core::ApnsEnvironment::Sandbox);
  // The documented stable ports, not given: each falls back to a free one when busy.
  EXPECT_EQ(o->sandbox.address.port, 2197);
  EXPECT_EQ(o->production.address.port, 2198);
  EXPECT_EQ(o->admin.address.port, 2199);
  EXPECT_EQ(o->pipeline.address.port, 2200);
  EXPECT_FALSE(o->sandbox.given || o->production.given || o->admin.given || o->pipeline.given);
  EXPECT_EQ(o->seed, 0u);
}

TEST(UpOptionsTest, EveryFlagRead) {
  const auto o = up(split("--dir d --user bob --user carol:production --user dave:dev --fresh "
                          "--sandbox 127.0.0.1:0 --production 127.0.0.1:1 --admin [::1]:2 "
                          "--listen 127.0.0.1:3 --seed 9"));
  ASSERT_TRUE(o) << error_of(o);
  EXPECT_EQ(o->dir, "d");
  EXPECT_TRUE(o->fresh);
  ASSERT_EQ(o->users.size(), 3u);
  EXPECT_EQ(o->users[1].name, "carol");
  EXPECT_EQ(o->users[1].environment, core::ApnsEnvironment::Production);
  EXPECT_EQ(o->users[2].environment, core::ApnsEnvironment::Sandbox);
  EXPECT_TRUE(o->sandbox.given);
  EXPECT_EQ(o->production.address.port, 1);
  EXPECT_EQ(o->admin.address.host, "::1");
  EXPECT_EQ(o->pipeline.address.port, 3);
  EXPECT_EQ(o->seed, 9u);
  // One listener given: the other's default port on the same host.
  const auto v6 = up(split("--sandbox [::1]:2197"));
  ASSERT_TRUE(v6) << error_of(v6);
  EXPECT_EQ(v6->production.address.host, "::1");
  EXPECT_EQ(v6->production.address.port, 2198);
  EXPECT_FALSE(v6->production.given);
}

TEST(UpOptionsTest, UsageErrors) {
  const std::pair<Words, std::string> cases[] = {
      {{"extra"}, "unexpected argument 'extra'"},
      {{"--user", ":production"},
       "--user takes NAME or NAME:development|production, got ':production'"},
      {{"--user", "bob:staging"},
       "--user bob:staging: the build takes sandbox, development, dev, production or prod, got "
       "'staging'"},
      {{"--user", "bob", "--user", "bob:production"},
       "--user bob is given twice: one phone per user"},
      {{"--dir", ""}, "--dir needs a folder"},
      {split("--sandbox 127.0.0.1:0 --production [::1]:0"),
       "--sandbox and --production must use the same host"},
      {split("--production [::1]:0 --sandbox 127.0.0.1:0"),
       "--sandbox and --production must use the same host"},
  };
  for (const auto& [words, message] : cases)
    EXPECT_EQ(error_of(up(words)), message);
}

} // namespace
