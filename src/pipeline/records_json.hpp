#pragma once
// The pipeline's records as its API shows them (src/pipeline/README.md), and read back from
// that shape: the scenario runner's live world reads them from the API of a pipeline process.
// One shape per type, written and read here only. A reader refuses a missing or mistyped field
// by name: a field the writer always sends is never silently defaulted.

#include "core/result.hpp"
#include "pipeline/groups.hpp"
#include "pipeline/receive_options.hpp"
#include "pipeline/records.hpp"

#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pipeline {

// {"record_id","name","bundle_id","type","development_id","production_id","not_before_ms",
//  "not_after_ms","health"}: no key material.
nlohmann::json to_json(const CertificateRecord& certificate);
core::Result<CertificateRecord> certificate_from_json(const nlohmann::json& json);
// GET /v1/console/certificates: {"certificates":[records]}; the first unreadable record fails
// the list, naming its place.
nlohmann::json certificate_list_json(const std::vector<CertificateRecord>& certificates);
core::Result<std::vector<CertificateRecord>> certificate_list_from_json(const nlohmann::json& json);

// {"installation","state","reason","apns_id","attempts"}: one installation's push of a message
// (im-voip-flow.md §3.4); reason and apns_id are null until there is one.
nlohmann::json to_json(const PushRecord& push);
core::Result<PushRecord> push_from_json(const nlohmann::json& json);

// {"message_id","state","reason","apns_id","attempts","sender","receiver","created_at_ms",
// "random","pushes":[...]}; reason and apns_id are null until there is one, random when the
// sender gave none. The top-level state, reason, apns_id and attempts summarise the pushes
// (message_summary.hpp).
nlohmann::json to_json(const MessageRecord& message);
core::Result<MessageRecord> message_from_json(const nlohmann::json& json);

// {"user","installation","token","environment":"sandbox|production","bundle_id","state","reason",
//  "updated_at_ms"}
nlohmann::json to_json(const Registration& registration);
core::Result<Registration> registration_from_json(const nlohmann::json& json);

// {"scope":"global|conversation|group","target","option":"RECEIVE|..."}; target "" for global
// (absent is read as ""): the body of POST /v1/users/{user}/receive-options too.
nlohmann::json to_json(const ReceiveSetting& setting);
core::Result<ReceiveSetting> receive_setting_from_json(const nlohmann::json& json);

// {"id","type":"Work|Public|Meeting|AVChatRoom|Community","members":[...]}: a group and its
// members in order; the body of POST /v1/groups too (type absent: Work; members absent: none).
nlohmann::json to_json(const Group& group);
core::Result<Group> group_from_json(const nlohmann::json& json);

} // namespace pipeline
