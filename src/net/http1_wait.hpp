#pragma once
// A long-poll's waiting, written once for every API: an exchange waits for an event that some
// other part reports from any thread, and the wait ends exactly once, on whichever comes first
// of the event, the time limit, and the client leaving (or the server refusing one more wait,
// Http1ServerOptions::max_waiting). Whatever ends it, the registration with the event's source
// is undone, so a client that hangs up leaves nothing behind.

#include "net/http1_server.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace net {

// Undoes a registration with an event's source.
using Unsubscribe = std::function<void()>;
// Registers `notify` with the event's source and returns how to undo that. `notify` may be
// called from any thread, at any time, any number of times (only the first counts), also from
// within the subscription itself.
using Subscribe = std::function<Unsubscribe(std::function<void()> notify)>;

// Runs `subscribe` once, now, and later `finish` once on the exchange's thread: finish(true)
// when the event came, finish(false) when `limit` passed first. When the client leaves first,
// `finish` never runs. `finish` may answer the exchange, write to its stream, or wait again.
void wait_for_event(const std::shared_ptr<Http1Exchange>& exchange, std::chrono::milliseconds limit,
                    const Subscribe& subscribe, std::function<void(bool event_came)> finish);

} // namespace net
