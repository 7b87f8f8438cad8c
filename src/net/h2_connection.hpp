#pragma once
// H2Connection<Stream>: the transport loop shared by ServerConnection and ClientConnection. It
// owns the stream (TCP or TLS), the H2Session, the buffers and a deadline timer — one object,
// one lifetime, kept alive by its pending operations. Private to src/net; defined in the .cpp
// and instantiated for plain TCP and for TLS.
//
// Read loop:  read some -> feed all of it -> write step -> read again while the session wants.
// Write loop: exactly one async_write in flight; pull until the high-water mark, write, repeat.
// Close:      when the session wants nothing and the output is flushed: TLS close_notify or TCP
//             FIN, drain what the peer still sends (so it gets our last frames, not a RST),
//             then close; bounded by the linger time.
// All members run on the connection's io_context thread.

#include "net/asio.hpp"
#include "net/h2_session.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

namespace net {

using Tcp = boost::asio::ip::tcp;
using TcpStream = Tcp::socket;
using TlsStream = boost::asio::ssl::stream<Tcp::socket>;

template <class Stream>
class H2Connection : public std::enable_shared_from_this<H2Connection<Stream>>,
                     public H2SessionHandler {
public:
  ~H2Connection() override;
  H2Connection(const H2Connection&) = delete;
  H2Connection& operator=(const H2Connection&) = delete;

  boost::asio::io_context::executor_type executor() { return executor_; }
  bool on_own_thread() const { return executor_.running_in_this_thread(); }

protected:
  // `stream` must belong to `io`.
  H2Connection(boost::asio::io_context& io, Stream stream, std::size_t write_high_water);

  // After the transport is up (TLS handshake done): creates the session, sends SETTINGS and
  // starts the read loop.
  core::Result<void> start_session(H2Session::Side side, const H2SessionOptions& options);
  // Writes pending output now, or after the current session callback or write completes.
  void schedule_write();
  // Reads no further frames; closes once everything queued is written.
  void close_after_flush();
  // Closes the socket at once; on_closed(cause) follows.
  void close_now(std::error_code cause);
  // After a failed TLS handshake, whose alert OpenSSL has written: sends FIN and drops what the
  // peer still sends until it closes or the linger time passes, then closes; on_closed({})
  // follows. Closing at once would answer the peer's unread bytes with a RST that can reach it
  // before it reads the alert (a TLS 1.3 client sends its request before it can read a refusal
  // of its certificate).
  void linger_close();
  // (Re)arms the single deadline timer; on_deadline() runs when it expires.
  void arm_timer(std::chrono::steady_clock::duration after);
  void cancel_timer();
  bool open() const { return state_ == State::Open; }
  // Closing, closed, or about to close once the output is flushed.
  bool winding_down() const {
    return close_after_flush_ || state_ == State::Closing || state_ == State::Closed;
  }
  bool closed() const { return state_ == State::Closed; }
  std::chrono::steady_clock::time_point last_read() const { return last_read_; }
  Tcp::socket& socket() {
    if constexpr (std::is_same_v<Stream, TlsStream>)
      return stream_.next_layer();
    else
      return stream_;
  }

  virtual void on_deadline() = 0;
  // Called after each pull from the session: frames submitted here go out after the ones
  // just pulled (nghttp2 would otherwise send SETTINGS ahead of queued responses). True when
  // it submitted something.
  virtual bool submit_after_pull() { return false; }
  // The socket is closed. `cause` is empty when we closed on purpose.
  virtual void on_closed(std::error_code cause) = 0;
  // A read or write failed with `ec` (a TLS alert, a reset, EOF); on_closed follows at once.
  // The TLS layer's code says more than `cause` can once converted: the client classifies it.
  virtual void on_transport_error(const boost::system::error_code& /*ec*/) {}

  Stream stream_;
  std::unique_ptr<H2Session> session_;

private:
  enum class State { Starting, Open, Closing, Closed };

  std::shared_ptr<H2Connection> self() { return this->shared_from_this(); }
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void do_write();
  void on_write(const boost::system::error_code& ec);
  void maybe_close();
  // Closing: the linger deadline, then (with `close_notify`, over TLS) our close_notify, then
  // the half-close and drain.
  void begin_close(bool close_notify = true);
  void half_close();
  void drain();
  void on_timer(const boost::system::error_code& ec);

  boost::asio::io_context::executor_type executor_;
  boost::asio::steady_timer timer_;
  std::vector<std::uint8_t> read_buffer_;
  std::string write_buffer_;
  std::size_t write_high_water_;
  std::chrono::steady_clock::time_point last_read_;
  State state_ = State::Starting;
  bool reading_ = false;
  bool writing_ = false;
  bool in_session_ = false; // inside feed(): nghttp2 callbacks may run, no pull allowed
  bool close_after_flush_ = false;
  bool write_failed_ = false; // no more writes; the pending read reports and closes
};

extern template class H2Connection<TcpStream>;
extern template class H2Connection<TlsStream>;

} // namespace net
