#include "net/client.hpp"

#include "net/asio.hpp"
#include "net/client_connection.hpp"
#include "net/error.hpp"

namespace net {

namespace asio = boost::asio;

// Lives on one io_context; every member below runs on its thread.
struct Client::Impl {
  Impl(asio::io_context& context, ClientOptions opts) : io(context), options(std::move(opts)) {
    if (options.authority.empty())
      options.authority = options.host + ":" + std::to_string(options.port);
    if (options.tls) {
      auto ctx = make_client_tls_context(*options.tls);
      if (ctx)
        tls = std::move(*ctx);
      else
        setup_error = ctx.error().message();
    }
  }

  void submit(PendingRequest&& request) {
    if (destroyed || setup_error) {
      RequestError error = destroyed ? RequestError{.code = make_error_code(Errc::Cancelled),
                                                    .message = "client destroyed",
                                                    .retryable = true}
                                     : RequestError{.code = make_error_code(Errc::InvalidOptions),
                                                    .message = *setup_error};
      request.done(core::Unexpected(std::move(error)));
      return;
    }
    if (!connection || !connection->accepting()) {
      if (connection) retired.push_back(connection);
      std::erase_if(retired, [](const auto& weak) { return weak.expired(); });
      connection = start_client_connection(io, options, tls);
    }
    connection->enqueue(std::move(request));
  }

  // Ends every request of every connection this client opened; later submits fail.
  void destroy() {
    destroyed = true;
    for (auto& weak : retired)
      if (auto c = weak.lock()) c->cancel_all();
    retired.clear();
    if (connection) connection->cancel_all();
    connection.reset();
  }

  asio::io_context& io;
  ClientOptions options;
  std::shared_ptr<SslContext> tls;
  std::optional<std::string> setup_error; // TLS files that did not load: every request fails
  std::shared_ptr<ClientConnectionBase> connection; // takes new requests
  // Earlier connections still finishing requests (after GOAWAY or close()).
  std::vector<std::weak_ptr<ClientConnectionBase>> retired;
  bool destroyed = false;
};

Client::Client(IoThreads& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(io.context(io.next_index()), std::move(options))) {}

Client::~Client() {
  if (impl_->io.get_executor().running_in_this_thread()) {
    impl_->destroy();
    return;
  }
  // Wait, so that every callback has run before the client is gone. If the I/O threads were
  // stopped first (the owner broke the contract) nothing runs there any more: end it here.
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  asio::post(impl_->io, [impl = impl_, done] {
    impl->destroy();
    done->set_value();
  });
  while (finished.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if (impl_->io.stopped()) {
      impl_->destroy();
      break;
    }
  }
}

void Client::submit(Request request, ResponseCallback done) {
  if (request.scheme.empty()) request.scheme = impl_->options.tls ? "https" : "http";
  if (request.authority.empty()) request.authority = impl_->options.authority;
  if (request.method.empty()) request.method = "GET";
  const auto timeout = impl_->options.request_timeout;
  PendingRequest pending{std::move(request), std::move(done),
                         timeout.count() > 0 ? std::chrono::steady_clock::now() + timeout
                                             : std::chrono::steady_clock::time_point::max()};
  asio::post(impl_->io,
             [impl = impl_, p = std::move(pending)]() mutable { impl->submit(std::move(p)); });
}

void Client::post(std::function<void()> task) {
  asio::post(impl_->io, std::move(task));
}

std::future<ResponseResult> Client::submit(Request request) {
  auto promise = std::make_shared<std::promise<ResponseResult>>();
  auto future = promise->get_future();
  submit(std::move(request),
         [promise](ResponseResult result) { promise->set_value(std::move(result)); });
  return future;
}

void Client::close() {
  asio::post(impl_->io, [impl = impl_] {
    if (impl->connection) impl->connection->close_gracefully();
  });
}

} // namespace net
