#pragma once
// The pipeline's JSON-over-HTTP API as a pure function from a request to a response, over one
// Pipeline. Routes and curl examples: src/pipeline/README.md. Errors are
// {"error":"<code>","message":"<text>"} with a 4xx status (5xx only for the store failing).

#include "net/http1_server.hpp"

namespace pipeline {

class Pipeline;

net::Http1Response handle_api_request(const net::Http1Request& request, Pipeline& pipeline);

// The handler to serve: handle_api_request, plus GET /v1/health?wait_idle_ms=N, which answers
// once nothing is in flight (or after N ms, at most 60 s) so a client can wait for the outbox to
// settle without polling.
net::Http1Handler api_handler(Pipeline& pipeline);

// The API's bearer check for `secret` (empty: none): every request but GET /v1/health needs
// "Authorization: Bearer <secret>". Health stays open for readiness probes and for waiting on
// the outbox; it shows only counts. Goes into net::Http1ServerOptions::auth.
net::BearerAuth api_auth(std::string secret);

// Where `voipsim pipeline` and `voipsim device` read the secret when no file is given.
inline constexpr const char* kApiSecretEnv = "VOIPSIM_API_SECRET";

} // namespace pipeline
