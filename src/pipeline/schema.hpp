#pragma once
// The store's tables and the checks made on every open: pragmas, then the schema version kept
// in PRAGMA user_version (0 = a new database, whose schema is created here).

#include "core/result.hpp"
#include "pipeline/sqlite.hpp"

#include <string>

namespace pipeline {

// Readies `connection`, opened on `path`, for the Store at schema version `version`: a new file
// gets the schema, an older one is migrated. Nothing is written to a file that is refused (not a
// database, or a newer schema version). Tests make older files with a smaller `version`.
core::Result<void> prepare_database(sqlite::Connection& connection, const std::string& path,
                                    int version);

} // namespace pipeline
