// Our client against a real HTTP/2 server: nghttpd from Debian, started by the test.

#include "integration/test_server.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

namespace integration {
namespace {

using namespace std::chrono_literals;

// nghttpd on 127.0.0.1 with an ephemeral port, serving a small and a 1 MiB file and echoing
// uploads. It prints no port for port 0, so the test reads the bound one from /proc.
class Nghttpd {
public:
  Nghttpd(bool tls, std::vector<std::string> extra = {}) {
    small_ = body_for(5, 5 * 1024);
    large_ = body_for(6, 1 << 20);
    docs_.write("small.bin", small_);
    docs_.write("large.bin", large_);
    std::vector<std::string> argv{
        "nghttpd", "-v", "-a", "127.0.0.1", "-d", docs_.path().string(), "--echo-upload"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto& pki = support::TestPki::get();
    if (tls)
      argv.insert(argv.end(), {"0", pki.server_key, pki.server_cert});
    else
      argv.insert(argv.end(), {"--no-tls", "0"});
    process_ = std::make_unique<support::BackgroundProcess>(argv);
    if (process_->wait_for_output("listen", support::kEventTimeout)) {
      const auto ports = process_->listening_ports();
      if (!ports.empty()) port_ = ports.front();
    }
  }

  std::uint16_t port() const { return port_; }
  std::string output() const { return process_->output(); }
  const std::string& small() const { return small_; }
  const std::string& large() const { return large_; }

private:
  support::TempDir docs_;
  std::string small_, large_;
  std::unique_ptr<support::BackgroundProcess> process_;
  std::uint16_t port_ = 0;
};

net::Request request(std::string method, std::string path, std::string body = {}) {
  net::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  return r;
}

net::Response expect_ok(std::future<net::ResponseResult>& future) {
  auto result = support::get_within(future);
  EXPECT_TRUE(result.has_value()) << "no answer in time";
  if (!result) return {};
  EXPECT_TRUE(*result) << result->error().message;
  if (!*result) return {};
  EXPECT_EQ((*result)->status, 200);
  return std::move(**result);
}

class ClientVsNghttpd : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(support::find_program("nghttpd").empty())
        << "nghttpd is missing: run scripts/setup.sh";
  }
  net::IoThreads io;
};

TEST_F(ClientVsNghttpd, DownloadsAndUploadsOverTls) {
  Nghttpd server(true);
  ASSERT_NE(server.port(), 0) << server.output();
  net::Client client(io, client_options(server.port(), true));

  auto small = client.submit(request("GET", "/small.bin"));
  auto large = client.submit(request("GET", "/large.bin"));
  const std::string upload = body_for(7, 1 << 20);
  auto echoed = client.submit(request("POST", "/small.bin", upload));

  EXPECT_TRUE(expect_ok(small).body == server.small());
  EXPECT_TRUE(expect_ok(large).body == server.large());
  EXPECT_TRUE(expect_ok(echoed).body == upload);
}

TEST_F(ClientVsNghttpd, MissingFileIs404NotAnError) {
  Nghttpd server(false);
  ASSERT_NE(server.port(), 0) << server.output();
  net::Client client(io, client_options(server.port(), false));
  auto future = client.submit(request("GET", "/nope"));
  auto result = support::get_within(future);
  ASSERT_TRUE(result && *result);
  EXPECT_EQ((*result)->status, 404);
}

TEST_F(ClientVsNghttpd, QueuesBehindAServerThatAllowsOneStream) {
  Nghttpd server(false, {"--max-concurrent-streams=1"});
  ASSERT_NE(server.port(), 0) << server.output();
  net::Client client(io, client_options(server.port(), false));
  std::vector<std::future<net::ResponseResult>> futures;
  for (int i = 0; i < 200; ++i)
    futures.push_back(client.submit(request("GET", "/small.bin")));
  for (auto& f : futures)
    EXPECT_TRUE(expect_ok(f).body == server.small());
}

} // namespace
} // namespace integration
