#pragma once
// The one way voipsim code reaches Boost.Asio. Boost 1.74's asio/awaitable.hpp uses
// std::exchange without including <utility>, which g++ 12 in C++20 mode rejects when
// <boost/asio.hpp> comes first. Private to src/net's .cpp files: never include from a header.

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
