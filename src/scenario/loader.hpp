#pragma once
// Reads scenario files (YAML, or the same structure as JSON) into the model. Every mistake is an
// error naming the file, the line and, for a bad key or value, the ones allowed. Pure apart from
// load_scenario_files, which reads the files and walks folders.

#include "core/result.hpp"
#include "scenario/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace scenario {

// `name` is used when the text has no `name:`; `file` is where errors point.
core::Result<Scenario> parse_scenario(std::string_view text, const std::string& file,
                                      const std::string& name);

// Each path is a scenario file or a folder searched recursively for *.yaml, *.yml and *.json
// (sorted by path). A scenario is named by its `name:` or else by its path without extension,
// relative to the folder given. Stops at the first file that does not load.
core::Result<std::vector<Scenario>> load_scenario_files(const std::vector<std::string>& paths);

// "250ms", "5s", "61m", "1h"; a bare number is seconds.
core::Result<core::Duration> parse_duration(std::string_view text);

// The step words, in the order scenarios/README.md documents them.
const std::vector<std::string>& action_names();
std::string_view to_string(Action action);

} // namespace scenario
