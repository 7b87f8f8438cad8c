# Writes OUT: a C++ source defining scenario::embedded_library() with every scenario file under
# DIR (*.yaml, *.yml, *.json), sorted by path. Run at build time, so an edited scenario is
# embedded again without re-running CMake by hand.
file(GLOB_RECURSE files RELATIVE "${DIR}" "${DIR}/*.yaml" "${DIR}/*.yml" "${DIR}/*.json")
list(FILTER files EXCLUDE REGEX "(^|/)scenario\\.schema\\.json$")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  file(READ "${DIR}/${f}" text)
  if(text MATCHES "\\)voipsim_scenario\"")
    message(FATAL_ERROR "${f} contains the raw-string delimiter )voipsim_scenario\"")
  endif()
  string(APPEND body "    {\"${f}\", R\"voipsim_scenario(${text})voipsim_scenario\"},\n")
endforeach()
set(source "// Generated from scenarios/ by src/scenario/embed_library.cmake. Do not edit.
#include \"scenario/library.hpp\"

namespace scenario {

namespace {
const EmbeddedFile kFiles[] = {
${body}    {\"\", \"\"},
};
} // namespace

std::span<const EmbeddedFile> embedded_library() {
  return std::span<const EmbeddedFile>(kFiles, std::size(kFiles) - 1);
}

} // namespace scenario
")
file(WRITE "${OUT}.tmp" "${source}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
