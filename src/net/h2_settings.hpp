#pragma once
// The SETTINGS a side advertises (RFC 9113 §6.5.2) plus its connection-level receive window.

#include <cstdint>

namespace net {

struct H2Settings {
  std::uint32_t header_table_size = 4096;
  std::uint32_t max_concurrent_streams = 100; // streams the peer may open towards us
  std::uint32_t initial_window_size = 65535;  // per-stream receive window
  std::uint32_t max_frame_size = 16384;
  std::uint32_t max_header_list_size = 65536;
  // Connection-level receive window; above 65535 it is raised with a WINDOW_UPDATE at start.
  std::uint32_t connection_window_size = 65535;
};

} // namespace net
