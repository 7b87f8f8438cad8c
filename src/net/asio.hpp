#pragma once
// The one way voipsim code reaches Boost.Asio. Boost 1.74's asio/awaitable.hpp uses
// std::exchange without including <utility>, which g++ 12 in C++20 mode rejects when
// <boost/asio.hpp> comes first. Private to src/net's .cpp files: never include from a header
// (tls_context.hpp, transport_failure.hpp and h2_connection.hpp are src/net's own). Beast's
// headers, which include Asio's themselves, come after it (http1_client.cpp, http1_server.cpp).

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
