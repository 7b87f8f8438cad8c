#pragma once
// Receive options, the IM app's "Do not notify" (im-voip-flow.md §4.3): a user sets one per
// one-to-one conversation, per group, or globally; the most specific one wins. A VoIP push needs
// RECEIVE (in a group, RECEIVE_NOT_NOTIFY_EXCEPT_AT lets an @-mention through); otherwise the
// push is skipped with the option as its reason. Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipeline {

enum class ReceiveOption { Receive, NotReceive, ReceiveNotNotify, ReceiveNotNotifyExceptAt };
std::string_view to_string(ReceiveOption option); // RECEIVE, NOT_RECEIVE, RECEIVE_NOT_NOTIFY, ...
std::optional<ReceiveOption> parse_receive_option(std::string_view text);
std::string receive_option_words(); // "RECEIVE, NOT_RECEIVE, ... or RECEIVE_NOT_NOTIFY_EXCEPT_AT"

// Where a setting applies: all messages, one one-to-one conversation (by the peer's user id),
// or one group (by its id).
enum class ReceiveScope { Global, Conversation, Group };
std::string_view to_string(ReceiveScope scope); // global, conversation, group
std::optional<ReceiveScope> parse_receive_scope(std::string_view text);
std::string receive_scope_words(); // "global, conversation or group"

// One setting: `target` is the peer's user id or the group id, empty for Global.
struct ReceiveSetting {
  ReceiveScope scope = ReceiveScope::Global;
  std::string target;
  ReceiveOption option = ReceiveOption::Receive;
  bool operator==(const ReceiveSetting&) const = default;
};

// One user's settings; nothing set means RECEIVE.
struct ReceiveOptions {
  std::optional<ReceiveOption> global;
  std::map<std::string, ReceiveOption, std::less<>> conversations;
  std::map<std::string, ReceiveOption, std::less<>> groups;
  bool operator==(const ReceiveOptions&) const = default;

  // `target` is ignored for Global.
  void set(ReceiveScope scope, const std::string& target, ReceiveOption option);
  // Every setting: the global one first, then conversations and groups by target.
  std::vector<ReceiveSetting> settings() const;
};

// Where a message comes from, as the receive option sees it: a one-to-one message from `sender`
// (`group` empty), or a message to `group`, which may @-mention the receiver.
struct MessageOrigin {
  std::string_view sender;
  std::string_view group;
  bool mentions_receiver = false;

  static MessageOrigin one_to_one(std::string_view sender) { return {sender, {}, false}; }
  static MessageOrigin in_group(std::string_view sender, std::string_view group,
                                bool mentions_receiver = false) {
    return {sender, group, mentions_receiver};
  }
};

// The skip reason, e.g. "RECEIVE_NOT_NOTIFY (conversation with alice)", "NOT_RECEIVE (global)" or
// "RECEIVE_NOT_NOTIFY (group team)"; nullopt when a push may go. The conversation's (or the
// group's) setting wins over the global one.
std::optional<std::string> receive_option_blocks(const ReceiveOptions& options,
                                                 const MessageOrigin& origin);

} // namespace pipeline
