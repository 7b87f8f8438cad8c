#include "pki/credential_manifest.hpp"

#include "core/json_fields.hpp"

#include <nlohmann/json.hpp>

namespace pki {
namespace {

using nlohmann::json;

json to_json(const ManifestCertificate& c) {
  json environments = json::array();
  for (const auto environment : c.environments)
    environments.push_back(core::to_string(environment));
  return {{"kind", c.kind},
          {"subject_common_name", c.subject_common_name},
          {"subject_uid", c.subject_uid},
          {"environments", environments},
          {"topics", c.topics},
          {"not_before", c.not_before},
          {"not_after", c.not_after}};
}

core::Result<ManifestCertificate> certificate_from_json(const json& j) {
  ManifestCertificate c;
  std::vector<std::string> environments;
  core::JsonFields f(j, "a manifest's certificate",
                     {"kind", "subject_common_name", "subject_uid", "environments", "topics",
                      "not_before", "not_after"});
  f.require("kind", c.kind)
      .require("subject_common_name", c.subject_common_name)
      .require("subject_uid", c.subject_uid)
      .require("environments", environments)
      .require("topics", c.topics)
      .require("not_before", c.not_before)
      .require("not_after", c.not_after);
  if (f.problem()) return core::Unexpected(*f.problem());
  auto read = core::parse_apns_environments(environments);
  if (!read) return core::Unexpected(read.error());
  c.environments = std::move(*read);
  return c;
}

json to_json(const ManifestFile& f) {
  json j = {
      {"file", f.file}, {"role", f.role}, {"description", f.description}, {"secret", f.secret}};
  if (f.certificate) j["certificate"] = to_json(*f.certificate);
  return j;
}

core::Result<ManifestFile> file_from_json(const json& j) {
  ManifestFile file;
  std::optional<json> certificate; // only for the files that hold one
  core::JsonFields f(j, "a manifest's file",
                     {"file", "role", "description", "secret", "certificate"});
  f.require("file", file.file)
      .require("role", file.role)
      .require("description", file.description)
      .require("secret", file.secret)
      .read("certificate", certificate);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (certificate) {
    auto read = certificate_from_json(*certificate);
    if (!read) return core::Unexpected(read.error().in_context("file " + file.file));
    file.certificate = std::move(*read);
  }
  return file;
}

} // namespace

json to_json(const CredentialManifest& m) {
  json files = json::array();
  for (const auto& file : m.files)
    files.push_back(to_json(file));
  return {{"generator", m.generator}, {"bundle_id", m.bundle_id},       {"team_id", m.team_id},
          {"key_id", m.key_id},       {"generated_at", m.generated_at}, {"files", files}};
}

core::Result<CredentialManifest> credential_manifest_from_json(const json& j) {
  CredentialManifest m;
  std::vector<json> files;
  core::JsonFields f(j, "a credential manifest",
                     {"generator", "bundle_id", "team_id", "key_id", "generated_at", "files"});
  f.require("generator", m.generator)
      .require("bundle_id", m.bundle_id)
      .require("team_id", m.team_id)
      .require("key_id", m.key_id)
      .require("generated_at", m.generated_at)
      .require("files", files);
  if (f.problem()) return core::Unexpected(*f.problem());
  for (const auto& entry : files) {
    auto file = file_from_json(entry);
    if (!file) return core::Unexpected(file.error());
    m.files.push_back(std::move(*file));
  }
  return m;
}

} // namespace pki
