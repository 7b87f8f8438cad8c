#pragma once
// One provider connection to the mock: its auth state (apns-provider-api.md §6.4, §7), and per
// request the validation, the ids, the APNs-shaped response, the journal entry and, for an
// accepted push, its delivery, each its own step. Runs on the connection's I/O thread
// (net::Handler).
#include "core/uuid.hpp"
#include "mock_apns/connection_auth.hpp"
#include "mock_apns/mock_state.hpp"
#include "mock_apns/validate.hpp"
#include "net/server.hpp"

#include <memory>

namespace mock_apns {

class ApnsConnection final : public net::Handler {
public:
  // Classifies the client certificate, if any, and picks the initial MAX_CONCURRENT_STREAMS.
  ApnsConnection(std::shared_ptr<MockState> state, Environment environment,
                 const net::PeerInfo& peer, net::ConnectionHandle connection);

  void on_request(net::Request&& request, net::Responder responder) override;
  void on_request_too_large(net::Request&& head, net::Responder responder) override;
  void on_request_idle(const net::Request& head, net::Responder responder) override;
  std::string goaway_debug_data(net::GoawayCause cause) override;

private:
  void answer(net::Request&& request, net::Responder responder, bool body_too_large);
  // Sets apns_id_ and unique_id_: `request_id` when not empty, else a new id.
  void assign_ids(std::string_view request_id);
  // Writes the answer into response_.
  void make_response(const Verdict& verdict);
  // Sets `entry` (journal_entry_) from the request, its verdict and, when `answered`, response_.
  void fill_journal_entry(JournalEntry& entry, const net::Request& request, const Verdict& verdict,
                          core::TimePoint now, bool answered);
  void capture_request(JournalEntry& entry, const net::Request& request, const Verdict& verdict);
  // Journals the request as entry `sequence` (with response_ when `answered`), an accepted
  // push with where it went.
  void write_journal(std::uint64_t sequence, const net::Request& request, const Verdict& verdict,
                     core::TimePoint now, bool answered, std::optional<DeliveryStatus> delivered);
  void write_journal(const net::Request& request, const Verdict& verdict, bool answered = true);
  // Journals an accepted push with where it went, and hands it to the delivery bus or keeps it
  // while its device is away.
  void deliver(const net::Request& request, const Verdict& verdict);
  void throttle_after(const Verdict& verdict);
  const std::string& auth_description();

  std::shared_ptr<MockState> state_;
  Environment environment_;
  std::uint64_t connection_id_;
  net::ConnectionHandle connection_;
  ConnectionAuth auth_;
  core::UuidGenerator ids_;
  std::uint32_t consecutive_errors_ = 0;
  std::uint32_t consecutive_bad_tokens_ = 0;
  bool throttled_ = false;
  // Per request, reused so their buffers are (apns-provider-api.md §5.2: apns-id, apns-unique-id).
  std::string apns_id_;
  std::string unique_id_;
  net::Response response_; // sent with respond_copy: its buffers serve every answer
  Delivery delivery_;
  JournalEntry journal_entry_; // filled per request, then copied into the journal's slot
  std::string auth_text_;
  const ProviderKey* described_key_ = nullptr;
};

} // namespace mock_apns
