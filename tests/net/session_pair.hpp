#pragma once
// Two H2Sessions, client and server, wired back to back in memory: tests submit on one side,
// pump() moves the bytes, and the recorders show what each side observed.

#include "net/h2_session.hpp"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace net_test {

struct Recorder final : net::H2SessionHandler {
  struct Goaway {
    std::int32_t last_stream_id;
    std::uint32_t error_code;
    std::string debug;
  };
  std::vector<std::pair<std::int32_t, net::Request>> requests;
  std::vector<std::pair<std::int32_t, net::Response>> responses;
  std::vector<std::pair<std::int32_t, std::uint32_t>> closed;
  std::vector<Goaway> goaways;
  std::vector<std::int32_t> too_large;
  std::vector<std::pair<std::int32_t, net::Request>> requests_too_large; // server: body over limit
  std::vector<std::int32_t> started; // server: HEADERS without END_STREAM
  std::vector<std::int32_t> goaways_sent;
  int settings = 0;
  int ping_acks = 0;

  void on_request(std::int32_t id, net::Request&& r) override {
    requests.emplace_back(id, std::move(r));
  }
  void on_response(std::int32_t id, net::Response&& r) override {
    responses.emplace_back(id, std::move(r));
  }
  void on_stream_close(std::int32_t id, std::uint32_t code) override {
    closed.emplace_back(id, code);
  }
  void on_remote_settings() override { ++settings; }
  void on_goaway(std::int32_t last, std::uint32_t code, std::string_view debug) override {
    goaways.push_back({last, code, std::string(debug)});
  }
  void on_ping_ack() override { ++ping_acks; }
  void on_body_too_large(std::int32_t id) override { too_large.push_back(id); }
  void on_request_too_large(std::int32_t id, net::Request&& head) override {
    requests_too_large.emplace_back(id, std::move(head));
  }
  void on_request_started(std::int32_t id, const net::Request&) override { started.push_back(id); }
  void on_goaway_sent(std::int32_t last) override { goaways_sent.push_back(last); }
};

class SessionPair {
public:
  explicit SessionPair(const net::H2SessionOptions& client_options = {},
                       const net::H2SessionOptions& server_options = {});

  // Moves bytes both ways until neither side has anything to send. False when a feed failed.
  bool pump();
  // A request with the scheme and authority filled in.
  static net::Request request(std::string method, std::string path, net::Headers headers = {},
                              std::string body = {});

  Recorder client_events;
  Recorder server_events;
  std::unique_ptr<net::H2Session> client;
  std::unique_ptr<net::H2Session> server;
};

} // namespace net_test
