#include "net/h2_session.hpp"

#include "core/parse_number.hpp"
#include "net/error.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include <nghttp2/nghttp2.h>

namespace net {
namespace {

using Side = H2Session::Side;

// Per-stream state. The server receives `request` and sends `response`; the client the reverse.
struct StreamData {
  Request request;
  Response response;
  std::size_t send_offset = 0;
  std::size_t header_bytes = 0;
  bool responded = false;       // server: a response was submitted
  bool refused = false;         // body over the limit: ignore the rest
  std::array<char, 4> status{}; // server: the :status text, borrowed by nghttp2 until sent
};

std::string_view view(const std::uint8_t* p, std::size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

// Names and values are sent exactly as given (nghttp2 would lower-case copied names), and not
// copied: they live in the StreamData until the stream closes.
constexpr std::array<std::uint8_t, 8> kPingData{'v', 'o', 'i', 'p', 's', 'i', 'm', 0};

// Response field values at least this long are sent without HPACK indexing (RFC 7541 §6.2.2):
// in practice they are ids unique to one response (apns-id, apns-unique-id).
constexpr std::size_t kNeverIndexFrom = 32;

nghttp2_nv borrowed_nv(std::string_view name, std::string_view value) {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
          value.size(), NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

} // namespace

struct H2Session::Impl {
  Impl(Side s, H2SessionHandler& h, std::size_t max_body)
      : side(s), handler(h), max_body_size(max_body) {}
  ~Impl() {
    if (session) nghttp2_session_del(session);
  }

  Side side;
  H2SessionHandler& handler;
  std::size_t max_body_size;
  std::uint32_t max_header_list_size = 0;
  nghttp2_session* session = nullptr;
  bool remote_settings_received = false;
  // Every StreamData this session made; nghttp2's stream user data points at the open ones,
  // `spare` holds closed ones for reuse, so a stream costs no allocation of its own.
  std::vector<std::unique_ptr<StreamData>> all_streams;
  std::vector<StreamData*> spare;
  // Header fields of closed requests, their strings' buffers kept: a request's fields are
  // assigned into them rather than allocated (a JWT, a path and a dozen names per push).
  std::vector<Header> spare_headers;
  // RFC 9113 §5.1.1: request stream ids the client skipped are closed for good, and HEADERS on
  // one is a connection error PROTOCOL_ERROR. nghttp2 ignores such HEADERS (it cannot tell them
  // from streams it closed itself), so the latest skipped ranges [first, last] are kept here.
  std::int32_t highest_request_id = 0;
  std::array<std::pair<std::int32_t, std::int32_t>, 8> skipped{};
  std::size_t next_skipped = 0;

  void note_request_id(std::int32_t id) {
    const std::int32_t expected = highest_request_id == 0 ? 1 : highest_request_id + 2;
    if (id > expected) {
      skipped[next_skipped] = {expected, id - 2};
      next_skipped = (next_skipped + 1) % skipped.size();
    }
    highest_request_id = std::max(highest_request_id, id);
  }
  bool was_skipped(std::int32_t id) const {
    return std::any_of(skipped.begin(), skipped.end(), [id](const auto& range) {
      return range.first != 0 && id >= range.first && id <= range.second;
    });
  }

  StreamData* stream(std::int32_t id) const {
    return static_cast<StreamData*>(nghttp2_session_get_stream_user_data(session, id));
  }

  StreamData& take_spare() {
    if (spare.empty()) {
      all_streams.push_back(std::make_unique<StreamData>());
      spare.push_back(all_streams.back().get());
    }
    StreamData& data = *spare.back();
    spare.pop_back();
    return data;
  }

  StreamData& open_stream(std::int32_t id) {
    StreamData& data = take_spare();
    data.request.headers.reserve(16); // a typical request's fields, in one allocation
    nghttp2_session_set_stream_user_data(session, id, &data);
    return data;
  }

  void close_stream(std::int32_t id, StreamData& data) {
    nghttp2_session_set_stream_user_data(session, id, nullptr);
    recycle(data);
    spare.push_back(&data);
  }

  // Clears `data` for its next stream but keeps the request's buffers (a handler that moved
  // the request away leaves nothing to keep). Only a server keeps header fields: it is the side
  // that receives requests, and so the only one whose add_request_header takes them back; a
  // client that kept the fields of the requests it sent would grow without end.
  void recycle(StreamData& data) {
    Request& r = data.request;
    constexpr std::size_t kLargestKept = 1024; // an odd huge field is not worth keeping
    if (side == Side::Server) {
      for (Header& h : r.headers) {
        if (h.name.capacity() + h.value.capacity() <= kLargestKept)
          spare_headers.push_back(std::move(h));
      }
    }
    r.headers.clear();
    r.method.clear();
    r.scheme.clear();
    r.authority.clear();
    r.path.clear();
    r.body.clear();
    r.peer.reset();
    // A server's response is overwritten field by field by the next one (submit_response);
    // a client's is filled by appending, so it starts empty.
    if (side == Side::Client) {
      data.response = Response{};
    } else if (data.response.body.capacity() > kLargestKept) {
      data.response.body = std::string();
    }
    data.send_offset = 0;
    data.header_bytes = 0;
    data.responded = false;
    data.refused = false;
    data.status = {};
  }

  void add_request_header(Request& r, std::string_view name, std::string_view value) {
    if (spare_headers.empty()) {
      r.headers.push_back({std::string(name), std::string(value)});
      return;
    }
    Header& h = r.headers.emplace_back(std::move(spare_headers.back()));
    spare_headers.pop_back();
    h.name.assign(name);
    h.value.assign(value);
  }

  // Copy-assigning the fields keeps the strings a pooled stream had from its last response: a
  // steady load answers without allocating. A body given as an rvalue is moved (it may be big).
  template <class Given>
  core::Result<void> submit_response(std::int32_t id, Given&& response) {
    StreamData* open = stream(id);
    if (!open) return core::fail(Errc::StreamReset, "stream " + std::to_string(id) + " is closed");
    StreamData& data = *open;
    if (data.responded) return core::fail(Errc::ProtocolError, "stream already answered");
    data.response.status = response.status;
    data.response.headers = response.headers;
    data.response.body = std::forward<Given>(response).body;
    data.send_offset = 0;
    data.responded = true;

    if (data.response.status < 100 || data.response.status > 999) data.response.status = 500;
    const auto end = std::to_chars(data.status.data(), data.status.data() + data.status.size(),
                                   data.response.status)
                         .ptr;
    // A response's few fields on the stack; a long list in a vector.
    constexpr std::size_t kInline = 16;
    std::array<nghttp2_nv, kInline> inline_nva;
    std::vector<nghttp2_nv> heap_nva;
    const std::size_t count = 1 + data.response.headers.size();
    nghttp2_nv* nva = inline_nva.data();
    if (count > kInline) {
      heap_nva.resize(count);
      nva = heap_nva.data();
    }
    nva[0] = borrowed_nv(":status", {data.status.data(), std::size_t(end - data.status.data())});
    for (std::size_t i = 1; i < count; ++i) {
      const Header& h = data.response.headers[i - 1];
      nva[i] = borrowed_nv(h.name, h.value);
      // A value met once (an id) would only push useful entries out of the peer's table.
      if (h.value.size() >= kNeverIndexFrom) nva[i].flags |= NGHTTP2_NV_FLAG_NO_INDEX;
    }

    nghttp2_data_provider body{};
    body.source.ptr = &data;
    body.read_callback = read_body;
    const int rv = nghttp2_submit_response(session, id, nva, count,
                                           data.response.body.empty() ? nullptr : &body);
    if (rv != 0) {
      data.responded = false;
      return core::fail(make_nghttp2_error(rv), "nghttp2_submit_response");
    }
    return {};
  }

  // --- nghttp2 callbacks: noexcept, no exception may cross into C ---------------------------

  static Impl& self(void* user) { return *static_cast<Impl*>(user); }

  static ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source* source, void* user) noexcept {
    auto& data = *static_cast<StreamData*>(source->ptr);
    const std::string& body =
        self(user).side == Side::Server ? data.response.body : data.request.body;
    const std::size_t n = std::min(length, body.size() - data.send_offset);
    // NOLINTNEXTLINE(bugprone-not-null-terminated-result): bytes, not a C string
    std::memcpy(buf, body.data() + data.send_offset, n);
    data.send_offset += n;
    if (data.send_offset == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) noexcept {
    auto& s = self(user);
    if (s.side != Side::Server || frame->hd.type != NGHTTP2_HEADERS ||
        frame->headers.cat != NGHTTP2_HCAT_REQUEST)
      return 0;
    s.note_request_id(frame->hd.stream_id);
    try {
      s.open_stream(frame->hd.stream_id);
    } catch (...) {
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; // resets just this stream
    }
    return 0;
  }

  static int on_begin_frame(nghttp2_session* session, const nghttp2_frame_hd* hd,
                            void* user) noexcept {
    auto& s = self(user);
    if (s.side != Side::Server || hd->type != NGHTTP2_HEADERS) return 0;
    if (hd->stream_id < s.highest_request_id && s.was_skipped(hd->stream_id))
      nghttp2_session_terminate_session(session, NGHTTP2_PROTOCOL_ERROR);
    // A new stream beyond the acknowledged limit: nghttp2 would end the session with its own
    // text; the handler chooses it here (APNs has its own words, apns-provider-api.md §3.2).
    const std::size_t open_requests = s.all_streams.size() - s.spare.size();
    if (hd->stream_id > s.highest_request_id &&
        open_requests >=
            nghttp2_session_get_local_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)) {
      std::string text;
      try {
        text = s.handler.too_many_streams_debug_data();
      } catch (...) {
      }
      nghttp2_submit_goaway(
          session, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session),
          NGHTTP2_PROTOCOL_ERROR, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
      return NGHTTP2_ERR_CALLBACK_FAILURE; // read no further; the GOAWAY goes out, then close
    }
    return 0;
  }

  static int on_header(nghttp2_session* session, const nghttp2_frame* frame,
                       const std::uint8_t* name, std::size_t namelen, const std::uint8_t* value,
                       std::size_t valuelen, std::uint8_t, void* user) noexcept {
    auto& s = self(user);
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    StreamData* data = s.stream(frame->hd.stream_id);
    if (!data) return 0;
    // RFC 9113 §6.5.2 counts 32 bytes of overhead per field.
    data->header_bytes += namelen + valuelen + 32;
    if (data->header_bytes > s.max_header_list_size) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    const std::string_view n = view(name, namelen);
    const std::string_view v = view(value, valuelen);
    try {
      if (s.side == Side::Server) {
        Request& r = data->request;
        if (n == ":method")
          r.method = v;
        else if (n == ":path")
          r.path = v;
        else if (n == ":authority")
          r.authority = v;
        else if (n == ":scheme")
          r.scheme = v;
        else if (n.empty() || n[0] != ':')
          s.add_request_header(r, n, v);
      } else if (n == ":status") {
        // Three digits (RFC 9110 §15); anything else makes the response malformed, a stream
        // error PROTOCOL_ERROR (RFC 9113 §8.1.1). nghttp2 checks this first; kept for safety.
        const auto status = core::parse_whole<unsigned>(v);
        if (!status || v.size() != 3) {
          nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, frame->hd.stream_id,
                                    NGHTTP2_PROTOCOL_ERROR);
          return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        data->response.status = static_cast<int>(*status);
      } else {
        data->response.headers.push_back({std::string(n), std::string(v)});
      }
    } catch (...) {
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    return 0;
  }

  static int on_data_chunk(nghttp2_session* session, std::uint8_t, std::int32_t id,
                           const std::uint8_t* bytes, std::size_t len, void* user) noexcept {
    auto& s = self(user);
    StreamData* data = s.stream(id);
    if (!data || data->refused) return 0;
    std::string& body = s.side == Side::Server ? data->request.body : data->response.body;
    if (body.size() + len > s.max_body_size) {
      data->refused = true;
      std::string().swap(body);
      if (s.side == Side::Server) {
        // The handler answers now; the rest of the body is read and dropped.
        s.handler.on_request_too_large(id, std::move(data->request));
      } else {
        nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
        s.handler.on_body_too_large(id);
      }
      return 0;
    }
    try {
      body.append(reinterpret_cast<const char*>(bytes), len);
    } catch (...) {
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) noexcept {
    auto& s = self(user);
    switch (frame->hd.type) {
    case NGHTTP2_HEADERS:
    case NGHTTP2_DATA: {
      StreamData* data = s.stream(frame->hd.stream_id);
      if (!data) break;
      if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
        if (data->refused) break;
        if (s.side == Side::Server)
          s.handler.on_request(frame->hd.stream_id, std::move(data->request));
        else
          s.handler.on_response(frame->hd.stream_id, std::move(data->response));
      } else if (s.side == Side::Server && frame->hd.type == NGHTTP2_HEADERS && !data->refused) {
        s.handler.on_request_started(frame->hd.stream_id, data->request);
      } else if (s.side == Side::Client && frame->hd.type == NGHTTP2_HEADERS &&
                 data->response.status < 200) {
        data->response = Response{0, {}, {}}; // an interim (1xx) response: wait for the final one
      }
      break;
    }
    case NGHTTP2_SETTINGS:
      if (!(frame->hd.flags & NGHTTP2_FLAG_ACK)) {
        s.remote_settings_received = true;
        s.handler.on_remote_settings();
      }
      break;
    case NGHTTP2_GOAWAY:
      s.handler.on_goaway(frame->goaway.last_stream_id, frame->goaway.error_code,
                          view(frame->goaway.opaque_data, frame->goaway.opaque_data_len));
      break;
    case NGHTTP2_PING:
      if ((frame->hd.flags & NGHTTP2_FLAG_ACK) &&
          std::equal(kPingData.begin(), kPingData.end(), frame->ping.opaque_data))
        s.handler.on_ping_ack();
      break;
    default:
      break;
    }
    return 0;
  }

  static int on_frame_send(nghttp2_session* session, const nghttp2_frame* frame,
                           void* user) noexcept {
    auto& s = self(user);
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      s.handler.on_goaway_sent(frame->goaway.last_stream_id);
      return 0;
    }
    // A response completed before its request (a refused body, a stream idle timeout): tell
    // the client to stop sending (RFC 9113 §8.1: RST_STREAM NO_ERROR after the response).
    if (s.side == Side::Server &&
        (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) && s.stream(frame->hd.stream_id) &&
        nghttp2_session_get_stream_remote_close(session, frame->hd.stream_id) == 0)
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, frame->hd.stream_id, NGHTTP2_NO_ERROR);
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t error_code,
                             void* user) noexcept {
    auto& s = self(user);
    StreamData* data = s.stream(id);
    if (!data) return 0;
    s.handler.on_stream_close(id, error_code);
    s.close_stream(id, *data);
    return 0;
  }
};

H2Session::H2Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
H2Session::~H2Session() = default;

core::Result<std::unique_ptr<H2Session>>
H2Session::create(Side side, const H2SessionOptions& options, H2SessionHandler& handler) {
  auto impl = std::make_unique<Impl>(side, handler, options.max_body_size);
  impl->max_header_list_size = options.settings.max_header_list_size;

  nghttp2_session_callbacks* callbacks = nullptr;
  if (int rv = nghttp2_session_callbacks_new(&callbacks); rv != 0)
    return core::fail(make_nghttp2_error(rv), "nghttp2_session_callbacks_new");
  nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks, Impl::on_begin_frame);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, Impl::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, Impl::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, Impl::on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, Impl::on_frame_recv);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, Impl::on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, Impl::on_stream_close);

  nghttp2_option* option = nullptr;
  if (int rv = nghttp2_option_new(&option); rv != 0) {
    nghttp2_session_callbacks_del(callbacks);
    return core::fail(make_nghttp2_error(rv), "nghttp2_option_new");
  }
  // Until the peer's SETTINGS arrive, assume it accepts as many streams as we would.
  nghttp2_option_set_peer_max_concurrent_streams(option, options.settings.max_concurrent_streams);

  const int rv = side == Side::Server
                     ? nghttp2_session_server_new2(&impl->session, callbacks, impl.get(), option)
                     : nghttp2_session_client_new2(&impl->session, callbacks, impl.get(), option);
  nghttp2_option_del(option);
  nghttp2_session_callbacks_del(callbacks);
  if (rv != 0) return core::fail(make_nghttp2_error(rv), "nghttp2_session_new");

  auto session = std::unique_ptr<H2Session>(new H2Session(std::move(impl)));
  if (auto r = session->submit_settings(options.settings); !r) return core::Unexpected(r.error());
  if (options.settings.connection_window_size > NGHTTP2_INITIAL_CONNECTION_WINDOW_SIZE) {
    const int wrv = nghttp2_session_set_local_window_size(
        session->impl_->session, NGHTTP2_FLAG_NONE, 0,
        static_cast<std::int32_t>(options.settings.connection_window_size));
    if (wrv != 0) return core::fail(make_nghttp2_error(wrv), "connection window size");
  }
  return session;
}

core::Result<void> H2Session::feed(std::span<const std::uint8_t> bytes) {
  const ssize_t n = nghttp2_session_mem_recv(impl_->session, bytes.data(), bytes.size());
  if (n < 0) return core::fail(make_nghttp2_error(static_cast<int>(n)), "nghttp2_session_mem_recv");
  return {};
}

core::Result<void> H2Session::pull(std::string& out, std::size_t limit) {
  while (out.size() < limit) {
    const std::uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(impl_->session, &data);
    if (n < 0)
      return core::fail(make_nghttp2_error(static_cast<int>(n)), "nghttp2_session_mem_send");
    if (n == 0) break;
    out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
  }
  return {};
}

bool H2Session::want_read() const {
  return nghttp2_session_want_read(impl_->session) != 0;
}
bool H2Session::want_write() const {
  return nghttp2_session_want_write(impl_->session) != 0;
}

core::Result<std::int32_t> H2Session::submit_request(Request&& request) {
  // nghttp2 would accept the request and fail it later; say so now (RFC 9113 §6.8).
  if (!nghttp2_session_check_request_allowed(impl_->session))
    return core::fail(Errc::GoAway, "no new streams after GOAWAY");
  StreamData& data = impl_->take_spare();
  data.request = std::move(request);
  const Request& r = data.request;

  std::vector<nghttp2_nv> nva;
  nva.reserve(4 + r.headers.size());
  nva.push_back(borrowed_nv(":method", r.method));
  nva.push_back(borrowed_nv(":scheme", r.scheme));
  nva.push_back(borrowed_nv(":authority", r.authority));
  nva.push_back(borrowed_nv(":path", r.path));
  for (const auto& h : r.headers)
    nva.push_back(borrowed_nv(h.name, h.value));

  nghttp2_data_provider body{};
  body.source.ptr = &data;
  body.read_callback = Impl::read_body;
  const std::int32_t id = nghttp2_submit_request(impl_->session, nullptr, nva.data(), nva.size(),
                                                 r.body.empty() ? nullptr : &body, &data);
  if (id < 0) {
    impl_->recycle(data);
    impl_->spare.push_back(&data);
    return core::fail(make_nghttp2_error(id), "nghttp2_submit_request");
  }
  return id;
}

core::Result<void> H2Session::submit_response(std::int32_t stream_id, Response&& response) {
  return impl_->submit_response(stream_id, std::move(response));
}

core::Result<void> H2Session::submit_response(std::int32_t stream_id, const Response& response) {
  return impl_->submit_response(stream_id, response);
}

bool H2Session::stream_open(std::int32_t stream_id) const {
  return impl_->stream(stream_id) != nullptr;
}

const Request* H2Session::request_on(std::int32_t stream_id) const {
  const StreamData* data = impl_->stream(stream_id);
  return data != nullptr ? &data->request : nullptr;
}

void H2Session::submit_rst_stream(std::int32_t stream_id, std::uint32_t error_code) {
  nghttp2_submit_rst_stream(impl_->session, NGHTTP2_FLAG_NONE, stream_id, error_code);
}

core::Result<void> H2Session::submit_settings(const H2Settings& s) {
  std::vector<nghttp2_settings_entry> iv = {
      {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, s.header_table_size},
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, s.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, s.initial_window_size},
      {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, s.max_frame_size},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, s.max_header_list_size},
  };
  if (impl_->side == Side::Client) iv.push_back({NGHTTP2_SETTINGS_ENABLE_PUSH, 0});
  impl_->max_header_list_size = s.max_header_list_size;
  const int rv = nghttp2_submit_settings(impl_->session, NGHTTP2_FLAG_NONE, iv.data(), iv.size());
  if (rv != 0) return core::fail(make_nghttp2_error(rv), "SETTINGS values out of range");
  return {};
}

void H2Session::submit_ping() {
  nghttp2_submit_ping(impl_->session, NGHTTP2_FLAG_NONE, kPingData.data());
}

void H2Session::submit_shutdown_notice() {
  nghttp2_submit_shutdown_notice(impl_->session);
}

core::Result<void> H2Session::submit_goaway(std::uint32_t error_code, std::string_view debug_data,
                                            std::int32_t last_stream_id) {
  if (last_stream_id < 0) last_stream_id = nghttp2_session_get_last_proc_stream_id(impl_->session);
  const int rv = nghttp2_submit_goaway(
      impl_->session, NGHTTP2_FLAG_NONE, last_stream_id, error_code,
      reinterpret_cast<const std::uint8_t*>(debug_data.data()), debug_data.size());
  if (rv != 0)
    return core::fail(make_nghttp2_error(rv),
                      "GOAWAY with last-stream-id " + std::to_string(last_stream_id));
  return {};
}

std::uint32_t H2Session::remote_max_concurrent_streams() const {
  return nghttp2_session_get_remote_settings(impl_->session,
                                             NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

bool H2Session::remote_settings_received() const {
  return impl_->remote_settings_received;
}

} // namespace net
