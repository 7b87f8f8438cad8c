#include "soak/fault_soak.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/server.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/push_request.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

namespace soak {
namespace {

using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kP12Password = "voipsim";
constexpr const char* kExt = R"({"entity":{"action":1,"sender":"alice"}})";

double resident_mib() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1048576.0;
}

// The i-th user's VoIP token: 64 hex digits, distinct per i.
std::string token_of(std::uint64_t i) {
  char text[65];
  std::snprintf(text, sizeof text, "50a4%060llx", static_cast<unsigned long long>(i));
  return text;
}

std::string user_of(std::uint64_t i) {
  return "user-" + std::to_string(i);
}

// Runs `work(i)` for i in [0, n) on `threads` threads; the first error stops the rest.
std::optional<std::string>
parallel_for(std::uint64_t n, std::uint64_t threads,
             const std::function<std::optional<std::string>(std::uint64_t)>& work) {
  std::atomic<std::uint64_t> next{0};
  std::mutex mutex;
  std::optional<std::string> first_error;
  std::vector<std::thread> pool;
  for (std::uint64_t t = 0; t < std::max<std::uint64_t>(threads, 1); ++t) {
    pool.emplace_back([&] {
      for (std::uint64_t i; (i = next.fetch_add(1)) < n;) {
        if (auto error = work(i)) {
          std::lock_guard lock(mutex);
          if (!first_error) first_error = std::move(error);
          next.store(n);
        }
      }
    });
  }
  for (auto& t : pool)
    t.join();
  return first_error;
}

// Deliveries per apns-id (lower case), counted as the mock publishes them.
class DeliveryCounter {
public:
  void add(const std::string& apns_id) {
    const std::string id = core::to_lower_ascii(apns_id);
    std::lock_guard lock(mutex_);
    ++counts_[id];
  }
  std::uint64_t of(const std::string& apns_id) const {
    std::lock_guard lock(mutex_);
    const auto found = counts_.find(core::to_lower_ascii(apns_id));
    return found == counts_.end() ? 0 : found->second;
  }

private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> counts_;
};

auto setup_error(const std::string& what) {
  return core::fail(core::Errc::InvalidArgument, "soak set-up: " + what);
}

} // namespace

std::uint64_t SoakReport::state(const std::string& name) const {
  const auto found = states.find(name);
  return found == states.end() ? 0 : found->second;
}

std::string SoakReport::line() const {
  std::ostringstream out;
  out << "messages=" << messages << " delivered=" << delivered << " rejected=" << state("rejected")
      << " lost=" << lost << " duplicates=" << duplicates << " accepted=" << state("accepted")
      << " failed=" << state("failed") << " expired=" << state("expired")
      << " duplicates_unexplained=" << unexplained_duplicates << " requests=" << requests
      << " faults_503=" << faults_503 << " faults_429=" << faults_429
      << " answers_dropped=" << answers_dropped << " goaways=" << goaways
      << " gave_up_early=" << gave_up_early << " accepted_after_retry=" << accepted_after_retry;
  char figures[128];
  std::snprintf(figures, sizeof figures, " seconds=%.1f rss_mib_mid=%.0f rss_mib_end=%.0f", seconds,
                rss_mib_mid, rss_mib_end);
  return out.str() + figures +
         (outage_seconds > 0 ? " outage_s=" + std::to_string(outage_seconds) : "") +
         (settled ? "" : " settled=false");
}

std::string SoakReport::to_json() const {
  return nlohmann::json{{"messages", messages},
                        {"delivered", delivered},
                        {"deliveries", deliveries},
                        {"duplicates", duplicates},
                        {"duplicates_unexplained", unexplained_duplicates},
                        {"lost", lost},
                        {"first_lost", first_lost},
                        {"states", states},
                        {"requests", requests},
                        {"faults_503", faults_503},
                        {"faults_429", faults_429},
                        {"answers_dropped", answers_dropped},
                        {"goaways", goaways},
                        {"gave_up_early", gave_up_early},
                        {"accepted_after_retry", accepted_after_retry},
                        {"seconds", seconds},
                        {"outage_seconds", outage_seconds},
                        {"rss_mib_mid", rss_mib_mid},
                        {"rss_mib_end", rss_mib_end},
                        {"settled", settled}}
      .dump();
}

core::Result<SoakReport> run_fault_soak(const SoakOptions& o) {
  const auto say = [&](const std::string& text) {
    if (o.progress) o.progress(text);
  };
  auto pki = mock_apns::make_temporary_pki_dir(std::chrono::system_clock::now(), kP12Password);
  if (!pki) return core::Unexpected(pki.error());
  struct RemoveWhenDone {
    std::filesystem::path dir;
    ~RemoveWhenDone() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{pki->dir};

  // Declared before the mock: its subscriber writes here until the mock is gone.
  DeliveryCounter delivered_by_id;
  std::atomic<std::uint64_t> deliveries{0};

  mock_apns::ServerOptions mock_options;
  mock_apns::use_tls_files(*pki, mock_options);
  mock_options.settings.per_token_burst = 0; // one push per user: no per-token limit in play
  mock_options.seed = o.seed;
  struct FaultKind {
    double probability;
    std::optional<mock_apns::Reason> reason;
    std::optional<mock_apns::Reason> goaway;
    bool drop;
  };
  const std::vector<FaultKind> kinds = {
      {o.service_unavailable, mock_apns::Reason::ServiceUnavailable, std::nullopt, false},
      {o.too_many_requests, mock_apns::Reason::TooManyRequests, std::nullopt, false},
      {o.connection_drop, std::nullopt, std::nullopt, true},
      {o.goaway, std::nullopt, mock_apns::Reason::Shutdown, false}};
  // One mock, or two with an outage between them (the second on the first one's ports): what
  // each did is added up in `report` when it stops.
  SoakReport report;
  std::vector<std::uint64_t> fault_ids(kinds.size());
  const auto start_mock = [&]() -> core::Result<std::unique_ptr<mock_apns::Server>> {
    auto mock = std::make_unique<mock_apns::Server>(mock_options);
    for (std::uint64_t i = 0; i < o.messages; ++i)
      (void)mock->tokens().put(
          {token_of(i), mock_apns::Environment::Sandbox, pki->bundle_id + ".voip"});
    mock->deliveries().subscribe([&](const mock_apns::Delivery& d) {
      deliveries.fetch_add(1);
      delivered_by_id.add(d.apns_id);
    });
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k].probability <= 0) continue;
      mock_apns::FaultRule rule;
      rule.count = -1;
      rule.probability = kinds[k].probability;
      rule.reason = kinds[k].reason;
      rule.goaway = kinds[k].goaway;
      rule.drop = kinds[k].drop;
      auto id = mock->faults().add(rule);
      if (!id) return core::Unexpected(id.error());
      fault_ids[k] = *id;
    }
    if (auto started = mock->start(); !started) return core::Unexpected(started.error());
    return mock;
  };
  const auto stop_mock = [&](std::unique_ptr<mock_apns::Server>& mock) {
    mock->stop();
    const auto counters = mock->journal().counters();
    report.requests += counters.requests;
    report.answers_dropped += counters.answers_dropped;
    for (const auto& listed : mock->faults().list()) {
      if (listed.id == fault_ids[0]) report.faults_503 += listed.applied;
      if (listed.id == fault_ids[1]) report.faults_429 += listed.applied;
      if (listed.id == fault_ids[3]) report.goaways += listed.applied;
    }
    mock.reset();
  };
  auto first_mock = start_mock();
  if (!first_mock) return core::Unexpected(first_mock.error());
  std::unique_ptr<mock_apns::Server> mock = std::move(*first_mock);
  // The second mock binds the same ports.
  mock_options.sandbox_port = mock->port(mock_apns::Environment::Sandbox);
  mock_options.production_port = mock->port(mock_apns::Environment::Production);

  core::SystemClock clock;
  pipeline::PipelineOptions options;
  options.database = o.database.empty() ? (pki->dir / "soak.db").string() : o.database;
  if (std::filesystem::exists(options.database))
    return setup_error(options.database + " exists; the soak needs a new database");
  options.apple_ca_file = pki->ca_bundle_file;
  options.dispatcher.sandbox = {"127.0.0.1", mock_options.sandbox_port,
                                "api.sandbox.push.apple.com"};
  options.dispatcher.production = {"127.0.0.1", mock_options.production_port, "api.push.apple.com"};
  options.dispatcher.ca_file = pki->ca_bundle_file;
  options.dispatcher.seed = o.seed;
  auto opened = pipeline::Pipeline::open(options, clock);
  if (!opened) return core::Unexpected(opened.error());
  pipeline::Pipeline& p = **opened;
  auto p12 = core::read_file(pki->dir / "voip-services.p12");
  if (!p12) return core::Unexpected(p12.error());
  auto uploaded = p.upload_certificate({"Soak VoIP", *p12, kP12Password});
  if (auto* error = std::get_if<pipeline::ApiError>(&uploaded))
    return setup_error("upload: " + error->message);
  const auto dev_id = std::get<pipeline::UploadedCertificate>(uploaded).record.cert_id_dev;

  say("registering " + std::to_string(o.messages) + " offline users");
  if (auto error = parallel_for(o.messages, o.senders, [&](std::uint64_t i) {
        const std::string user = user_of(i);
        const auto presence =
            p.set_presence(user, pipeline::kDefaultInstallation, pipeline::Presence::Background);
        if (auto* e = std::get_if<pipeline::ApiError>(&presence)) return std::optional(e->message);
        if (auto e = p.set_voip(user, pipeline::kDefaultInstallation, token_of(i), dev_id))
          return std::optional(e->message);
        return std::optional<std::string>();
      }))
    return setup_error(*error);

  // The outage: once half the messages are taken, the mock stops for o.outage and a new one
  // starts on the same ports. Its thread sleeps for the outage itself, not to wait for an event.
  std::mutex outage_mutex;
  std::condition_variable halfway;
  bool half_sent = false;
  std::optional<core::Error> restart_error;
  std::thread outage;
  if (o.outage.count() > 0) {
    outage = std::thread([&] {
      {
        std::unique_lock lock(outage_mutex);
        halfway.wait(lock, [&] { return half_sent; });
      }
      say("outage: mock APNs stopped for " + std::to_string(o.outage.count()) + " s");
      stop_mock(mock);
      std::this_thread::sleep_for(o.outage);
      auto restarted = start_mock();
      if (!restarted) {
        restart_error = restarted.error();
        return;
      }
      mock = std::move(*restarted);
      say("outage over: mock APNs back on the same ports");
    });
  }
  const auto reach_halfway = [&] {
    std::lock_guard lock(outage_mutex);
    half_sent = true;
    halfway.notify_all();
  };

  std::vector<std::string> ids(o.messages);
  std::atomic<std::uint64_t> sent{0};
  const auto start = SteadyClock::now();
  const std::uint64_t step = std::max<std::uint64_t>(o.messages / 10, 1);
  auto send_error = parallel_for(o.messages, o.senders, [&](std::uint64_t i) {
    auto id = p.send_message({"alice",
                              user_of(i),
                              "call",
                              false,
                              pipeline::OfflinePushInfo{"voip", kExt, "", "", false},
                              std::nullopt,
                              {},
                              {}});
    if (auto* error = std::get_if<pipeline::ApiError>(&id)) return std::optional(error->message);
    ids[i] = std::get<std::string>(id);
    const auto n = sent.fetch_add(1) + 1;
    if (n == o.messages / 2) {
      report.rss_mib_mid = resident_mib();
      reach_halfway();
    }
    if (n % step == 0)
      say("sent " + std::to_string(n) + "/" + std::to_string(o.messages) + ", " +
          std::to_string(p.in_flight()) + " in flight");
    return std::optional<std::string>();
  });
  reach_halfway(); // also when the sends stopped early
  if (outage.joinable()) outage.join();
  if (send_error) return setup_error("sendMessage: " + *send_error);
  if (restart_error)
    return setup_error("mock restart after the outage: " + restart_error->message());
  report.messages = sent.load();
  report.outage_seconds = o.outage.count();

  const auto deadline = start + o.max_duration;
  while (!(report.settled = p.wait_idle(5s))) {
    if (SteadyClock::now() >= deadline) break;
    say("settling: " + std::to_string(p.in_flight()) + " pushes in flight or waiting to retry, " +
        std::to_string(deliveries.load()) + " deliveries");
  }
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  report.rss_mib_end = resident_mib();

  for (std::uint64_t i = 0; i < o.messages; ++i) {
    const auto record = ids[i].empty() ? std::nullopt : p.message(ids[i]);
    const auto lose = [&](const std::string& why) {
      if (report.lost++ == 0)
        report.first_lost = (ids[i].empty() ? user_of(i) : ids[i]) + ": " + why;
    };
    if (!record) {
      lose("not in the outbox");
      continue;
    }
    ++report.states[std::string(pipeline::to_string(record->state))];
    const std::uint64_t times = delivered_by_id.of(record->apns_id);
    if (times > 0) ++report.delivered;
    if (times > 1) report.duplicates += times - 1;
    // Each attempt can deliver at most once; more deliveries than attempts is a real duplicate.
    if (times > static_cast<std::uint64_t>(std::max(record->attempts, 0)))
      report.unexplained_duplicates += times - std::max(record->attempts, 0);
    if (record->state == pipeline::MessageState::Failed &&
        record->attempts <= options.dispatcher.retry.max_retries)
      ++report.gave_up_early;
    if (record->state == pipeline::MessageState::Accepted && record->attempts > 1)
      ++report.accepted_after_retry;
    if (record->state == pipeline::MessageState::Pending)
      lose("still pending after " + std::to_string(record->attempts) + " attempts");
    else if (record->state == pipeline::MessageState::Accepted && times == 0)
      lose("accepted by APNs but never delivered");
  }
  report.deliveries = deliveries.load();
  stop_mock(mock);
  return report;
}

} // namespace soak
