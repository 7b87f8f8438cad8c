#pragma once
// The pipeline's JSON-over-HTTP API as a pure function from a request to a response, over one
// Pipeline. Routes and curl examples: src/pipeline/README.md. Errors are
// {"error":"<code>","message":"<text>"} with a 4xx status (5xx only for the store failing).

#include "net/http1_server.hpp"

namespace pipeline {

class Pipeline;

net::Http1Response handle_api_request(const net::Http1Request& request, Pipeline& pipeline);

} // namespace pipeline
