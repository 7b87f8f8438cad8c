#pragma once
// Pieces of the plain-language causes validation writes into the journal, shared by its steps.
#include "mock_apns/push_type.hpp"

#include <string>
#include <string_view>

namespace mock_apns {

// A client's value quoted for a cause: printable ASCII only (a header may carry any byte, and
// the journal is served as JSON), at most 80 characters.
std::string shown(std::string_view text);

// The listener a request came to, with the host name a client connects to.
std::string host_of(Environment environment);

} // namespace mock_apns
