#include "net/h2_connection.hpp"

#include "net/error.hpp"

#include <type_traits>

namespace net {

namespace asio = boost::asio;

namespace {
// How long a closing connection waits for the peer's close_notify or FIN.
constexpr auto kLinger = std::chrono::seconds(1);
// Big enough to take a full DATA frame plus headers in one read.
constexpr std::size_t kReadBufferSize = std::size_t{32} << 10;

template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;
} // namespace

template <class Stream>
H2Connection<Stream>::H2Connection(asio::io_context& io, Stream stream,
                                   std::size_t write_high_water)
    : stream_(std::move(stream)), executor_(io.get_executor()), timer_(io),
      read_buffer_(kReadBufferSize), write_high_water_(write_high_water),
      last_read_(std::chrono::steady_clock::now()) {}

template <class Stream>
H2Connection<Stream>::~H2Connection() = default;

template <class Stream>
core::Result<void> H2Connection<Stream>::start_session(H2Session::Side side,
                                                       const H2SessionOptions& options) {
  auto session = H2Session::create(side, options, *this);
  if (!session) return core::Unexpected(session.error());
  session_ = std::move(*session);
  state_ = State::Open;
  last_read_ = std::chrono::steady_clock::now();
  do_write();
  do_read();
  return {};
}

template <class Stream>
void H2Connection<Stream>::schedule_write() {
  if (!in_session_) do_write();
}

template <class Stream>
void H2Connection<Stream>::close_after_flush() {
  close_after_flush_ = true;
  schedule_write();
  if (!in_session_) maybe_close();
}

template <class Stream>
void H2Connection<Stream>::close_now(std::error_code cause) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  boost::system::error_code ignored;
  timer_.cancel();
  socket().close(ignored);
  on_closed(cause);
}

template <class Stream>
void H2Connection<Stream>::linger_close() {
  if (state_ == State::Closed || state_ == State::Closing) return;
  begin_close(/*close_notify=*/false); // the handshake failed: no TLS session to close
}

template <class Stream>
void H2Connection<Stream>::arm_timer(std::chrono::steady_clock::duration after) {
  timer_.expires_after(after);
  timer_.async_wait([self = self()](const boost::system::error_code& ec) { self->on_timer(ec); });
}

template <class Stream>
void H2Connection<Stream>::cancel_timer() {
  timer_.cancel();
}

template <class Stream>
void H2Connection<Stream>::on_timer(const boost::system::error_code& ec) {
  // A wait that completed just before the timer was re-armed still runs: check the expiry.
  if (ec || timer_.expiry() > std::chrono::steady_clock::now()) return;
  if (state_ == State::Closing)
    close_now({});
  else if (state_ != State::Closed)
    on_deadline();
}

template <class Stream>
void H2Connection<Stream>::do_read() {
  if (reading_ || state_ != State::Open || close_after_flush_) return;
  reading_ = true;
  stream_.async_read_some(asio::buffer(read_buffer_),
                          [self = self()](const boost::system::error_code& ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
}

template <class Stream>
void H2Connection<Stream>::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (state_ != State::Open) return;
  if (ec) {
    // Cancelled by maybe_close(): the session is done and the read was only in the way.
    if (ec == asio::error::operation_aborted && !write_failed_) {
      maybe_close();
    } else {
      on_transport_error(ec);
      close_now(ec);
    }
    return;
  }
  last_read_ = std::chrono::steady_clock::now();
  in_session_ = true;
  auto fed = session_->feed({read_buffer_.data(), n});
  in_session_ = false;
  if (!fed) {
    // nghttp2 already queued a GOAWAY where the protocol calls for one; send it, then close.
    close_after_flush_ = true;
  }
  do_write();
  if (state_ != State::Open) return;
  if (!close_after_flush_ && session_->want_read())
    do_read();
  else
    maybe_close();
}

template <class Stream>
void H2Connection<Stream>::do_write() {
  if (writing_ || in_session_ || state_ != State::Open || write_failed_) return;
  // nghttp2 runs callbacks inside mem_send too (a stream closes once its RST_STREAM or
  // END_STREAM is sent), and those may ask for a write: that must not pull re-entrantly.
  in_session_ = true;
  auto pulled = session_->pull(write_buffer_, write_high_water_);
  if (pulled && submit_after_pull() && write_buffer_.empty())
    pulled = session_->pull(write_buffer_, write_high_water_);
  in_session_ = false;
  if (state_ != State::Open) return;
  if (!pulled) {
    close_now(pulled.error().code);
    return;
  }
  if (write_buffer_.empty()) {
    maybe_close();
    return;
  }
  writing_ = true;
  asio::async_write(
      stream_, asio::buffer(write_buffer_),
      [self = self()](const boost::system::error_code& ec, std::size_t) { self->on_write(ec); });
}

template <class Stream>
void H2Connection<Stream>::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  write_buffer_.clear();
  if (state_ != State::Open) return;
  if (ec) {
    // The peer's last words may still wait to be read (under TLS 1.3, the alert refusing our
    // certificate arrives after our first writes): the pending read reports them, then closes.
    if (reading_) {
      write_failed_ = true;
      return;
    }
    on_transport_error(ec);
    close_now(ec);
    return;
  }
  do_write();
}

template <class Stream>
void H2Connection<Stream>::maybe_close() {
  if (state_ != State::Open || writing_ || in_session_ || !write_buffer_.empty() || write_failed_)
    return;
  if (!close_after_flush_ && (session_->want_read() || session_->want_write())) return;
  if (reading_) {
    boost::system::error_code ignored;
    socket().cancel(ignored); // on_read(operation_aborted) comes back here
    return;
  }
  begin_close();
}

template <class Stream>
void H2Connection<Stream>::begin_close(bool close_notify) {
  state_ = State::Closing;
  arm_timer(kLinger);
  if constexpr (kIsTls<Stream>) {
    if (close_notify) {
      // Whatever close_notify yields (OpenSSL fails it when application data follows), the raw
      // socket is then half-closed and drained like a plain one, so the peer gets our last
      // frames rather than a RST.
      stream_.async_shutdown(
          [self = self()](const boost::system::error_code&) { self->half_close(); });
      return;
    }
  }
  half_close();
}

template <class Stream>
void H2Connection<Stream>::half_close() {
  if (state_ != State::Closing) return;
  boost::system::error_code ignored;
  socket().shutdown(Tcp::socket::shutdown_send, ignored);
  drain();
}

template <class Stream>
void H2Connection<Stream>::drain() {
  socket().async_read_some(asio::buffer(read_buffer_),
                           [self = self()](const boost::system::error_code& ec, std::size_t) {
                             if (ec)
                               self->close_now({});
                             else
                               self->drain();
                           });
}

template class H2Connection<TcpStream>;
template class H2Connection<TlsStream>;

} // namespace net
