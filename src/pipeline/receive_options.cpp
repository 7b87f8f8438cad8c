#include "pipeline/receive_options.hpp"

#include "core/names.hpp"

namespace pipeline {
namespace {

// Tencent Chat's V2TIMReceiveMessageOpt spellings, as the API and the store write them.
constexpr core::Names<ReceiveOption, 4> kOptionNames{{
    {ReceiveOption::Receive, "RECEIVE"},
    {ReceiveOption::NotReceive, "NOT_RECEIVE"},
    {ReceiveOption::ReceiveNotNotify, "RECEIVE_NOT_NOTIFY"},
    {ReceiveOption::ReceiveNotNotifyExceptAt, "RECEIVE_NOT_NOTIFY_EXCEPT_AT"},
}};

constexpr core::Names<ReceiveScope, 3> kScopeNames{{
    {ReceiveScope::Global, "global"},
    {ReceiveScope::Conversation, "conversation"},
    {ReceiveScope::Group, "group"},
}};

} // namespace

std::string_view to_string(ReceiveOption option) {
  return core::name_of(kOptionNames, option);
}

std::optional<ReceiveOption> parse_receive_option(std::string_view text) {
  return core::value_named(kOptionNames, text);
}

std::string receive_option_words() {
  return core::words_of(kOptionNames);
}

std::string_view to_string(ReceiveScope scope) {
  return core::name_of(kScopeNames, scope);
}

std::optional<ReceiveScope> parse_receive_scope(std::string_view text) {
  return core::value_named(kScopeNames, text);
}

std::string receive_scope_words() {
  return core::words_of(kScopeNames);
}

void ReceiveOptions::set(ReceiveScope scope, const std::string& target, ReceiveOption option) {
  switch (scope) {
  case ReceiveScope::Global:
    global = option;
    return;
  case ReceiveScope::Conversation:
    conversations.insert_or_assign(target, option);
    return;
  case ReceiveScope::Group:
    groups.insert_or_assign(target, option);
    return;
  }
}

std::vector<ReceiveSetting> ReceiveOptions::settings() const {
  std::vector<ReceiveSetting> out;
  if (global) out.push_back({ReceiveScope::Global, "", *global});
  for (const auto& [peer, option] : conversations)
    out.push_back({ReceiveScope::Conversation, peer, option});
  for (const auto& [group, option] : groups)
    out.push_back({ReceiveScope::Group, group, option});
  return out;
}

std::optional<std::string> receive_option_blocks(const ReceiveOptions& options,
                                                 const MessageOrigin& origin) {
  const bool in_group = !origin.group.empty();
  const auto& specific = in_group ? options.groups : options.conversations;
  const std::string_view target = in_group ? origin.group : origin.sender;
  ReceiveOption option = ReceiveOption::Receive;
  std::string where;
  if (const auto found = specific.find(target); found != specific.end()) {
    option = found->second;
    where = (in_group ? "group " : "conversation with ") + std::string(target);
  } else if (options.global) {
    option = *options.global;
    where = "global";
  }
  if (option == ReceiveOption::Receive) return std::nullopt;
  // Only a group message can @-mention: one-to-one, EXCEPT_AT lets nothing through.
  if (option == ReceiveOption::ReceiveNotNotifyExceptAt && in_group && origin.mentions_receiver)
    return std::nullopt;
  return std::string(to_string(option)) + " (" + where + ")";
}

} // namespace pipeline
