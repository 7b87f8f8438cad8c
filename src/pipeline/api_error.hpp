#pragma once
// A request the pipeline refuses: the product's code (e.g. CERT_NAME_INVALID, NOT_LOGGED_IN,
// UNKNOWN_CERTIFICATE_ID) and a sentence that says what was wrong and how to fix it. The HTTP
// API sends it in the house error shape (net/json_api.hpp) with its status.

#include "net/http1_message.hpp"

namespace pipeline {

using ApiError = net::ApiError;

} // namespace pipeline
