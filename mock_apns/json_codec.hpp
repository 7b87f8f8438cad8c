#pragma once
// The mock's values as JSON, one shape each, shared by the admin API, the CLI's --tokens file
// and the config file. Parsing never throws: errors are values naming the field.
#include "core/result.hpp"
#include "mock_apns/delivery.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/settings.hpp"
#include "mock_apns/token_registry.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace mock_apns {

// {"token":"<hex>","environment":"sandbox|production","topic":"<bundle>[.voip]",
//  "state":"active|unregistered|expired","timestamp":<ms>} (issue #4); `state` defaults to
// active, `timestamp` to 0: people write these records (POST /v1/tokens, --tokens, as
// mock_apns/README.md documents), so those two are optional by design.
core::Result<TokenRecord> token_record_from_json(const nlohmann::json& json);
nlohmann::json to_json(const TokenRecord& record);
// One record or an array of them (a POST body), and the same as text (a --tokens file).
core::Result<std::vector<TokenRecord>> token_records_from_json(const nlohmann::json& document);
core::Result<std::vector<TokenRecord>> parse_token_records(std::string_view text);

// {"key_id","team_id","kind":"team|topic","environments":["sandbox","production"],
//  "bundle_ids":[...],"related_key_id","public_key_pem","revoked"}
core::Result<ProviderKeySpec> key_spec_from_json(const nlohmann::json& json);
nlohmann::json
to_json(const ProviderKeySpec& spec);           // what key_spec_from_json reads (POST /v1/keys)
nlohmann::json to_json(const ProviderKey& key); // a listing: the spec without its key

// {"scope":"any|token|topic|team","match","skip","count","reason","latency_ms","goaway"}
core::Result<FaultRule> fault_rule_from_json(const nlohmann::json& json);
nlohmann::json to_json(const FaultRule& rule); // what fault_rule_from_json reads (POST /v1/faults)
nlohmann::json to_json(const ListedFault& fault);
// Reads what to_json writes: the rule with its "id" and "applied".
core::Result<ListedFault> listed_fault_from_json(const nlohmann::json& json);

// Query parameters or a JSON object with: environment, token, topic, push_type, status, reason,
// accepted, since_ms, until_ms.
core::Result<JournalFilter> journal_filter_from_json(const nlohmann::json& json);
nlohmann::json to_json(const JournalEntry& entry);
core::Result<JournalEntry> journal_entry_from_json(const nlohmann::json& json);
nlohmann::json to_json(const JournalCounters& counters); // for people: not read back
// GET /v1/journal: {"entries":[entries],"counters":{...}}; the reader takes the entries (the
// first unreadable one fails the page, naming its place) and leaves the counters to people.
nlohmann::json journal_page_json(const std::vector<JournalEntry>& entries,
                                 const JournalCounters& counters);
core::Result<std::vector<JournalEntry>> journal_page_entries_from_json(const nlohmann::json& json);
// GET /v1/journal?summary=true, the console's list: the same page, "summary": true, each entry
// without what the client sent and the answer (no headers, body, JWT or answer fields, rather
// than empty ones that would read as an empty or cut request). Not read back.
nlohmann::json journal_summary_page_json(const std::vector<JournalEntry>& entries,
                                         const JournalCounters& counters);
nlohmann::json to_json(const Delivery& delivery);
// Reads what to_json writes (a "cursor" beside it, as the feed adds, is allowed).
core::Result<Delivery> delivery_from_json(const nlohmann::json& json);

// The switches of apns-provider-api.md §10 by their spec names (envKeyReasonSpelling,
// perStreamCertEnvErrors, strictJson, perTokenBurst, ...); unknown keys are an error naming them.
core::Result<void> apply_settings_json(const nlohmann::json& json, Settings& settings);
nlohmann::json to_json(const Settings& settings);

// One delivery of the feed as GET /v1/deliveries and the event stream write it: the delivery's
// fields and its "cursor".
nlohmann::json feed_item_json(std::uint64_t cursor, const Delivery& delivery);
// GET /v1/deliveries: {"deliveries":[feed items],"next":N}. The reader refuses a page of
// another shape, but keeps going past a delivery it cannot read: one bad record must not stop a
// feed's reader.
struct FeedPage {
  std::vector<std::pair<std::uint64_t, Delivery>> deliveries; // cursor, delivery
  std::uint64_t next = 0;                                     // the cursor to ask after next
  // Read only: the first item's cursor as written (readable or not, to notice a gap), and
  // why each item that could not be read was skipped (with the item's text).
  std::optional<std::uint64_t> first_cursor;
  std::vector<std::string> skipped;
};
nlohmann::json to_json(const FeedPage& page);
core::Result<FeedPage> feed_page_from_json(const nlohmann::json& json);

// POST /v1/tokens/{token}/reachability: {"reachable": true|false} (false: airplane mode).
nlohmann::json reachability_body(bool reachable);
core::Result<bool> reachable_from_body(const nlohmann::json& json);
// POST /v1/tokens/{token}/unregister: {"timestamp": ms since the epoch}, or {} for now.
nlohmann::json unregister_body(std::optional<std::int64_t> timestamp_ms);
core::Result<std::optional<std::int64_t>>
unregister_timestamp_from_body(const nlohmann::json& json);
// POST /v1/certificates/refused: {"certificate": "<PEM>"} (the first certificate: the leaf) or
// {"sha256": "<fingerprint>"}, exactly one; read as the fingerprint to refuse, lower-case hex.
nlohmann::json refused_certificate_body(std::string_view sha256);
core::Result<std::string> refused_fingerprint_from_body(const nlohmann::json& json);

// GET /v1/health (no secret needed): what a client checks before it relies on the mock;
// written with "status":"ok", which the reader requires.
struct AdminHealth {
  int sandbox_port = 0;
  int production_port = 0;
  std::size_t tokens = 0;
  std::size_t keys = 0;
  std::uint64_t deliveries = 0; // the feed's last cursor: GET /v1/deliveries?after= this
};
nlohmann::json to_json(const AdminHealth& health);
core::Result<AdminHealth> admin_health_from_json(const nlohmann::json& json);

// The line `voipsim mock-apns` prints on stdout once it listens: {"event":"ready","sandbox",
// "production","admin" (host:port each),"pki" (the folder)}, in that order for the people who
// read it.
struct ReadyLine {
  std::string sandbox;
  std::string production;
  std::string admin;
  std::string console; // http://ADMIN/: the web console (issue #20)
  std::string pki;
};
nlohmann::ordered_json to_json(const ReadyLine& ready);
core::Result<ReadyLine> ready_line_from_json(const nlohmann::json& json);

} // namespace mock_apns
