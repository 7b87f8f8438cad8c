#include "pki/apple_extensions.hpp"

#include "core/encoding.hpp"
#include "pki/openssl_util.hpp"

#include <algorithm>

#include <openssl/asn1.h>

namespace pki {
namespace {

struct SequenceDeleter {
  void operator()(ASN1_SEQUENCE_ANY* s) const { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
};
using SequencePtr = std::unique_ptr<ASN1_SEQUENCE_ANY, SequenceDeleter>;
using TypePtr = std::unique_ptr<ASN1_TYPE, detail::Deleter<ASN1_TYPE_free>>;

constexpr std::size_t kMaxExtensionBytes = std::size_t{64} << 10;

std::string to_der(ASN1_SEQUENCE_ANY* seq) {
  unsigned char* der = nullptr;
  const int len = i2d_ASN1_SEQUENCE_ANY(seq, &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

// A UTF8String element, or nullptr.
TypePtr utf8_element(std::string_view text) {
  ASN1_UTF8STRING* s = ASN1_UTF8STRING_new();
  if (!s || ASN1_STRING_set(s, text.data(), static_cast<int>(text.size())) != 1) {
    ASN1_UTF8STRING_free(s);
    return nullptr;
  }
  TypePtr t(ASN1_TYPE_new());
  if (!t) {
    ASN1_UTF8STRING_free(s);
    return nullptr;
  }
  ASN1_TYPE_set(t.get(), V_ASN1_UTF8STRING, s);
  return t;
}

// A nested SEQUENCE element holding `inner_der` (a complete SEQUENCE encoding).
TypePtr sequence_element(const std::string& inner_der) {
  ASN1_STRING* s = ASN1_STRING_new();
  if (!s || ASN1_STRING_set(s, inner_der.data(), static_cast<int>(inner_der.size())) != 1) {
    ASN1_STRING_free(s);
    return nullptr;
  }
  TypePtr t(ASN1_TYPE_new());
  if (!t) {
    ASN1_STRING_free(s);
    return nullptr;
  }
  ASN1_TYPE_set(t.get(), V_ASN1_SEQUENCE, s);
  return t;
}

bool push(ASN1_SEQUENCE_ANY* seq, TypePtr element) {
  if (!element || sk_ASN1_TYPE_push(seq, element.get()) <= 0) return false;
  static_cast<void>(element.release()); // the sequence owns it now
  return true;
}

SequencePtr parse_sequence(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  SequencePtr seq(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size())));
  // Trailing bytes after the SEQUENCE make the value malformed too.
  if (seq && p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) seq.reset();
  return seq;
}

std::string string_of(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

// Topics are bundle ids with suffixes: never empty, UTF-8, no control characters.
bool acceptable_topic(const std::string& topic) {
  if (topic.empty() || !core::is_valid_utf8(topic)) return false;
  return std::none_of(topic.begin(), topic.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

} // namespace

core::Result<std::string> encode_topics_extension(const std::vector<TopicEntry>& topics) {
  const detail::ErrorQueueGuard clean_error_queue;
  SequencePtr outer(sk_ASN1_TYPE_new_null());
  if (!outer) return detail::fail(Errc::CryptoFailure, "out of memory");
  for (const auto& entry : topics) {
    SequencePtr inner(sk_ASN1_TYPE_new_null());
    if (!inner || !push(inner.get(), utf8_element(entry.type)) ||
        !push(outer.get(), utf8_element(entry.topic)) ||
        !push(outer.get(), sequence_element(to_der(inner.get()))))
      return detail::fail(Errc::CryptoFailure, "cannot encode topics extension");
  }
  return to_der(outer.get());
}

core::Result<std::vector<TopicEntry>> decode_topics_extension(std::string_view der) {
  const detail::ErrorQueueGuard clean_error_queue;
  if (der.size() > kMaxExtensionBytes)
    return core::fail(Errc::Malformed, "topics extension too large");
  const SequencePtr outer = parse_sequence(der);
  if (!outer) {
    detail::take_openssl_errors();
    return core::fail(Errc::Malformed, "topics extension is not a DER SEQUENCE");
  }
  std::vector<TopicEntry> topics;
  const int n = sk_ASN1_TYPE_num(outer.get());
  for (int i = 0; i < n; ++i) {
    const ASN1_TYPE* element = sk_ASN1_TYPE_value(outer.get(), i);
    if (element->type == V_ASN1_UTF8STRING) {
      std::string topic = string_of(element->value.utf8string);
      if (!acceptable_topic(topic))
        return core::fail(Errc::Malformed, "topics extension: topic " +
                                               std::to_string(topics.size()) +
                                               " is empty, not UTF-8 or has control characters");
      topics.push_back({std::move(topic), {}});
      continue;
    }
    // The type of the topic before it: SEQUENCE { UTF8String type }.
    if (element->type != V_ASN1_SEQUENCE || topics.empty() || !topics.back().type.empty())
      return core::fail(Errc::Malformed,
                        "topics extension: unexpected element " + std::to_string(i));
    const SequencePtr inner = parse_sequence(string_of(element->value.sequence));
    if (!inner || sk_ASN1_TYPE_num(inner.get()) != 1 ||
        sk_ASN1_TYPE_value(inner.get(), 0)->type != V_ASN1_UTF8STRING) {
      detail::take_openssl_errors();
      return core::fail(Errc::Malformed,
                        "topics extension: bad type of topic " + topics.back().topic);
    }
    topics.back().type = string_of(sk_ASN1_TYPE_value(inner.get(), 0)->value.utf8string);
  }
  return topics;
}

std::string der_null() {
  return std::string("\x05\x00", 2);
}

core::Result<std::string> der_utf8_string(std::string_view text) {
  const detail::ErrorQueueGuard clean_error_queue;
  TypePtr t = utf8_element(text);
  unsigned char* der = nullptr;
  const int len = t ? i2d_ASN1_TYPE(t.get(), &der) : 0;
  if (len <= 0) return detail::fail(Errc::CryptoFailure, "cannot encode UTF8String");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

core::Result<std::string> decode_utf8_string(std::string_view der) {
  const detail::ErrorQueueGuard clean_error_queue;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  TypePtr t(d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(der.size())));
  const bool whole = p == reinterpret_cast<const unsigned char*>(der.data()) + der.size();
  if (!t || !whole || t->type != V_ASN1_UTF8STRING) {
    detail::take_openssl_errors();
    return core::fail(Errc::Malformed, "extension value is not a UTF8String");
  }
  return string_of(t->value.utf8string);
}

std::vector<std::string> split_topic_list(std::string_view text) {
  std::vector<std::string> topics;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (!item.empty()) topics.emplace_back(item);
    start = comma + 1;
  }
  return topics;
}

} // namespace pki
