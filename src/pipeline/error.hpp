#pragma once
// Failures of the pipeline's store, as core::Error codes. SQLite's own message and result code
// are in the error's detail.

#include "core/error.hpp"

#include <system_error>

namespace pipeline {

enum class Errc {
  Database = 1,             // SQLite failed: cannot open, not a database, disk full, ...
  UnsupportedSchemaVersion, // the file was written by a newer (or unknown) schema
  NotFound,                 // the record to change does not exist
  Busy, // SQLITE_BUSY or SQLITE_LOCKED: another connection (another process) holds the file
};

const std::error_category& pipeline_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

} // namespace pipeline

template <>
struct std::is_error_code_enum<pipeline::Errc> : std::true_type {};
