#pragma once
// voipsim up: the mock, the pipeline and simulated iPhones in one process, their state kept in
// one folder. Its flags read into Options (pure: tests check every flag without starting
// anything), then run(), which starts the stack and serves until a signal.

#include "cli/args.hpp"
#include "core/apns_environment.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::up_command {

// The listening addresses used when their flags are left out and the port is free; a busy one
// is replaced by a free port (the ready line always says which).
inline constexpr const char* kDefaultSandbox = "127.0.0.1:2197";
inline constexpr const char* kDefaultProduction = "127.0.0.1:2198";
inline constexpr const char* kDefaultAdmin = "127.0.0.1:2199";
inline constexpr const char* kDefaultPipeline = "127.0.0.1:2200";
// The .p12 password of the PKI voipsim up makes (as that of a plain 'voipsim mock-apns').
inline constexpr const char* kP12Password = "voipsim";
// The name the VoIP certificate is uploaded under, and found by at the next start.
inline constexpr const char* kCertificateName = "voipsim up";

// One --user: a simulated iPhone whose app logs in as `name`, built for `environment`
// (development: the sandbox, reporting the development certificate ID).
struct User {
  std::string name;
  core::ApnsEnvironment environment = core::ApnsEnvironment::Sandbox;
};

// A listening address and whether its flag gave it (a given one must be free; a default one
// falls back to a free port).
struct Listen {
  HostPort address;
  bool given = false;
};

struct Options {
  std::string dir = ".voipsim";
  std::vector<User> users; // none given: one, "bob", development
  bool fresh = false;
  Listen sandbox;
  Listen production;
  Listen admin;
  Listen pipeline;
  std::uint64_t seed = 0; // 0: random tokens and call UUIDs
};

// "NAME" or "NAME:development|production" (also sandbox, dev, prod).
core::Result<User> parse_user(const std::string& text);

core::Result<Args> args_of(const std::vector<std::string>& words);
core::Result<Options> options_of(const Args& args);
int run(const Options& options);

} // namespace cli::up_command
