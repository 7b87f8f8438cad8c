#pragma once
// A request the pipeline refuses: the product's code and a sentence that says what was wrong
// and how to fix it. The HTTP API sends it as {"error":code,"message":message} with `status`.

#include <string>

namespace pipeline {

struct ApiError {
  std::string code; // e.g. CERT_NAME_INVALID, NOT_LOGGED_IN, UNKNOWN_CERTIFICATE_ID
  std::string message;
  int status = 400;
};

} // namespace pipeline
