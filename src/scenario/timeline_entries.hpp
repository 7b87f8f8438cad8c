#pragma once
// The timeline entries of what the parts report - a request the mock answered, an event of a
// simulated iPhone - with the fields the sequence diagram draws. Pure; both worlds use them.

#include "core/apns_environment.hpp"
#include "fake_device/device_event.hpp"
#include "mock_apns/journal.hpp"
#include "scenario/timeline.hpp"

#include <string>
#include <string_view>

namespace scenario {

std::string apns_lane(core::ApnsEnvironment environment); // kSandboxLane, kProductionLane

// Long hex tokens and UUIDs in `text` cut to their first 8 characters and "…", for labels; the
// JSON report keeps the full text.
std::string shorten_ids(std::string_view text);

// A request and its answer: from `sender_lane` (the pipeline, or the provider of a push step) to
// the environment's lane; t_ms is left to World::note.
TimelineEntry apns_entry(const mock_apns::JournalEntry& entry, std::string_view sender_lane);
// What the device did: an arrow to the pipeline (setVOIP, presence), from APNs (a delivery, of
// `environment`), or on its own lane.
TimelineEntry device_entry(const fake_device::DeviceEvent& event, const std::string& device,
                           core::ApnsEnvironment environment);
// Something an actor did by itself, drawn on `lane`.
TimelineEntry self_entry(std::string source, std::string actor, std::string_view lane,
                         std::string text, bool problem = false);
// The same for the mock's APNs `environment` (a fault set, a certificate refused, ...).
TimelineEntry apns_self_entry(core::ApnsEnvironment environment, std::string text,
                              bool problem = false);

} // namespace scenario
