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
    if (setup_error) {
      RequestError error{make_error_code(Errc::InvalidOptions), *setup_error, false, 0};
      request.done(core::Unexpected(std::move(error)));
      return;
    }
    if (!connection || !connection->accepting())
      connection = start_client_connection(io, options, tls);
    connection->enqueue(std::move(request));
  }

  asio::io_context& io;
  ClientOptions options;
  std::shared_ptr<SslContext> tls;
  std::optional<std::string> setup_error; // TLS files that did not load: every request fails
  std::shared_ptr<ClientConnectionBase> connection;
};

Client::Client(IoThreads& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(io.context(io.next_index()), std::move(options))) {}

Client::~Client() {
  auto cancel = [impl = impl_] {
    if (impl->connection) impl->connection->cancel_all();
    impl->connection.reset();
  };
  if (impl_->io.get_executor().running_in_this_thread()) {
    cancel();
    return;
  }
  // Wait, so that every callback has run before the client is gone.
  std::promise<void> done;
  asio::post(impl_->io, [&done, cancel] {
    cancel();
    done.set_value();
  });
  done.get_future().wait();
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
