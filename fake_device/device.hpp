#pragma once
// The simulated iPhone: installed apps and their lifecycle, PushKit registration, the handling of
// VoIP pushes with iOS's CallKit rule and penalties, CallKit's answers, IM SDK presence and
// network reachability (pushkit-callkit.md; device side of im-voip-flow.md §5). Every transition
// lands in the journal on the shared clock.
// Spec: docs/spec/pushkit-callkit.md
//
// Not thread-safe: call it from one thread, the same one that runs the clock's timers (with a
// VirtualClock, the thread calling advance()). Library code: it never prints.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/uuid.hpp"
#include "fake_device/apns_file.hpp"
#include "fake_device/app_config.hpp"
#include "fake_device/app_state.hpp"
#include "fake_device/device_config.hpp"
#include "fake_device/device_records.hpp"
#include "fake_device/im_server.hpp"
#include "fake_device/journal.hpp"
#include "fake_device/push.hpp"
#include "fake_device/reachability.hpp"
#include "fake_device/token_authority.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace fake_device {

// What deliver() did with a push: the device took it (whatever happened next is in the
// journal), or it is unreachable and the sender must hold the push.
enum class DeliverResult { Delivered, Unreachable };

class Device {
public:
  // `clock` and `authority` must outlive the device.
  Device(core::Clock& clock, TokenAuthority& authority, DeviceConfig config = {});
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // Settings a test may change at any time (Do Not Disturb, handles, lock, [sim] switches).
  DeviceConfig& config() { return config_; }
  const DeviceConfig& config() const { return config_; }
  const Journal& journal() const { return journal_; }
  // Called with every journal event as it is recorded; nullptr to stop.
  void set_event_observer(std::function<void(const DeviceEvent&)> observer) {
    journal_.set_observer(std::move(observer));
  }

  // --- Apps ----------------------------------------------------------------------------------
  core::Result<void> install(AppConfig app);
  // Retires the app's tokens (after config().uninstall_invalidate_delay) and forgets its kill
  // count (§4.3 "Reset", §7.4 Registration 4).
  core::Result<void> uninstall(std::string_view bundle_id);
  // Runs a new build over the installed one, as Xcode does: the process ends, data (consent,
  // login, kill count) stays. A build for the other aps-environment gets new tokens at its next
  // registration (§2.3 "Switching the build between development and production signing").
  core::Result<void> update(AppConfig app);
  // The delegate's behaviour for the pushes that arrive from now on.
  core::Result<void> set_callkit_behaviour(std::string_view bundle_id, CallKitBehaviour behaviour);

  // --- Lifecycle, as the user or the system drives it ---------------------------------------
  core::Result<void> launch(std::string_view bundle_id);     // user opens it: foreground
  core::Result<void> press_home(std::string_view bundle_id); // foreground -> background
  core::Result<void> suspend(std::string_view bundle_id);    // background -> suspended
  core::Result<void> swipe_away(std::string_view bundle_id); // app switcher: terminated by user
  core::Result<void> terminate(std::string_view bundle_id);  // e.g. memory: terminated by system

  // --- The app's own actions -----------------------------------------------------------------
  core::Result<void> give_consent(std::string_view bundle_id); // privacy policy accepted
  core::Result<void> login(std::string_view bundle_id);        // needs the app in foreground
  core::Result<void> logout(std::string_view bundle_id);
  core::Result<void> kick(std::string_view bundle_id); // another device logged in
  // UIApplication.registerForRemoteNotifications: the ordinary (alert) token.
  core::Result<void> register_remote_notifications(std::string_view bundle_id);
  // desiredPushTypes without .voIP (§7.4 Registration 3).
  core::Result<void> remove_voip_registration(std::string_view bundle_id);
  // reportCall(with:endedAt:reason:) (§6.3).
  core::Result<void> end_call(std::string_view call_uuid, CallEndedReason reason);

  // --- System events -------------------------------------------------------------------------
  core::Result<void> rotate_token(std::string_view bundle_id); // §2.3, §7.4 Registration 2
  // A new APNs identity for one environment: rotates the VoIP token of every app signed for it
  // (§2.3, §7.4 Registration 2).
  void reset_aps_identity(ApsEnvironment environment);

  // --- The user at the incoming-call UI ------------------------------------------------------
  core::Result<void> answer(std::string_view call_uuid);
  core::Result<void> decline(std::string_view call_uuid);

  // --- Network -------------------------------------------------------------------------------
  void set_reachability(Reachability reachability);
  Reachability reachability() const { return reachability_; }
  bool reachable() const { return reachability_ == Reachability::Online; }
  // nullptr to remove. Not owned.
  void set_reachability_listener(ReachabilityListener* listener) { listener_ = listener; }

  // --- IM backend ----------------------------------------------------------------------------
  // Where the app's IM SDK reports tokens and presence; nullptr for none. Not owned.
  void set_im_server(ImServer* server) { im_server_ = server; }

  // --- Pushes --------------------------------------------------------------------------------
  // Entry point for the mock's delivery records (§3, §7.4 "Push arrival").
  DeliverResult deliver(const Push& push);
  // A .apns file's push, addressed to the app's current token of that kind; returns the
  // generated apns-id. Fails for an unknown app, a missing token or an unreachable device.
  core::Result<std::string> inject(const ApnsFile& file);

  // --- Queries -------------------------------------------------------------------------------
  ProcessState process_state(std::string_view bundle_id) const;
  RegistrationState registration_state(std::string_view bundle_id) const;
  ImPresence presence(std::string_view bundle_id) const;
  std::optional<std::string> voip_token(std::string_view bundle_id) const;
  std::optional<std::string> alert_token(std::string_view bundle_id) const;
  // CSDVoIPApplicationKillCounts for the bundle (§4.3).
  int kill_count(std::string_view bundle_id) const;
  // True while VoIP pushes to a background app are dropped (§4.3: strict and kill count > 2).
  bool voip_launch_blocked(std::string_view bundle_id) const;
  std::optional<CallState> call_state(std::string_view call_uuid) const;
  std::optional<CallEndedReason> call_ended_reason(std::string_view call_uuid) const;

private:
  AppRecord* find_app(std::string_view bundle_id);
  const AppRecord* find_app(std::string_view bundle_id) const;
  core::Result<AppRecord*> require_app(std::string_view bundle_id);

  void emit(DeviceEventKind kind, std::string_view bundle_id, std::string detail = {},
            std::string_view apns_id = {}, std::string_view call_uuid = {}, int code = 0);
  void log_line(std::string_view bundle_id, std::string_view line, std::string_view apns_id = {});
  core::Clock::TimerId schedule(core::Duration delay, std::function<void()> callback);
  void cancel_timer(core::Clock::TimerId id);

  // Lifecycle helpers.
  void set_process(AppRecord& app, ProcessState to);
  void start_process(AppRecord& app, bool foreground);
  void stop_process(AppRecord& app, ProcessState to, CallEndedReason call_end);
  void update_presence(AppRecord& app);
  bool is_strict(const AppRecord& app) const;
  bool has_active_call(std::string_view bundle_id) const;

  // PushKit registration (§7.4 Registration).
  void maybe_create_registry(AppRecord& app, bool foreground_launch);
  // True when the delegate was told of a new token or an invalidation, which runs the app's
  // token reporting.
  bool create_registry(AppRecord& app);
  void retire_token(const std::string& bundle_id, const std::string& token, PushKind kind);
  // The IM SDK's setVOIP, when the app's TokenReporting says so.
  void on_token_changed(AppRecord& app);
  void on_logged_in(AppRecord& app);
  void report_token(AppRecord& app);

  // Push handling (device_push.cpp).
  void handle_voip(AppRecord& app, const Push& push, const std::string& payload_text);
  void run_delegate(AppRecord& app, std::uint64_t handling_id, const std::string& payload_text,
                    const std::string& why);
  void report_call(AppRecord& app, PushHandling* handling, const std::string& payload_text);
  void complete(std::uint64_t handling_id);
  void on_assertion_expired(std::uint64_t handling_id);
  void kill_app(AppRecord& app, std::string_view crash_record, std::string_view apns_id);

  core::Clock& clock_;
  TokenAuthority& authority_;
  DeviceConfig config_;
  Journal journal_;
  core::UuidGenerator uuids_;
  Reachability reachability_ = Reachability::Online;
  ReachabilityListener* listener_ = nullptr;
  ImServer* im_server_ = nullptr;

  std::map<std::string, AppRecord, std::less<>> apps_;
  std::map<std::string, int, std::less<>> kill_counts_; // survives reboots, not uninstall
  std::map<std::string, CallRecord, std::less<>> calls_;
  std::map<std::uint64_t, PushHandling> handlings_;
  std::uint64_t next_handling_ = 1;
  std::uint64_t generations_ = 0;         // source of AppRecord::generation
  std::set<core::Clock::TimerId> timers_; // pending, cancelled when the device goes away
};

} // namespace fake_device
