# Compiler launcher, warnings and sanitizers shared by every target.

find_program(VOIPSIM_CCACHE ccache)
if(VOIPSIM_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${VOIPSIM_CCACHE}")
endif()

add_compile_options(-Wall -Wextra)

if(VOIPSIM_SANITIZE STREQUAL "address")
  set(VOIPSIM_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
                              -fno-omit-frame-pointer)
elseif(VOIPSIM_SANITIZE STREQUAL "thread")
  set(VOIPSIM_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  # Asio's handler fences are std::atomic_thread_fence, which TSan does not model; g++ says so
  # for every handler type. TSan still sees Asio's mutexes, which is what orders our handlers.
  add_compile_options(-Wno-tsan)
elseif(NOT VOIPSIM_SANITIZE STREQUAL "")
  message(FATAL_ERROR "VOIPSIM_SANITIZE must be empty, 'address' or 'thread', not '${VOIPSIM_SANITIZE}'")
endif()
if(VOIPSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VOIPSIM_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  # Coverage for libFuzzer in every library; the fuzz executables add -fsanitize=fuzzer.
  # UBSan findings abort, so libFuzzer keeps the input instead of printing and going on.
  set(VOIPSIM_SANITIZER_FLAGS -fsanitize=fuzzer-no-link,address,undefined
                              -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
endif()
if(VOIPSIM_SANITIZER_FLAGS)
  # Sanitizer builds compile at -O1 with line tables only: ASan+UBSan at -O2 -g takes 2.4 times
  # as long to compile (mock_apns/json_codec.cpp: 48 s against 20 s), TSan 1.7 times, and file
  # and line are all a sanitizer report needs. Compile time is most of what CI spends. (An
  # explicit Debug build keeps its -g.)
  if(NOT VOIPSIM_FUZZ)
    set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1 -DNDEBUG")
  endif()
  add_compile_options(${VOIPSIM_SANITIZER_FLAGS})
  add_link_options(${VOIPSIM_SANITIZER_FLAGS})
endif()

# Declares a part's library target voipsim_<part> with the alias voipsim::<part>.
# Includes start at the part folder: "net/server.hpp", "core/clock.hpp".
function(voipsim_library part)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(voipsim_${part} ${ARG_SOURCES})
  add_library(voipsim::${part} ALIAS voipsim_${part})
  # Installed (cmake/Install.cmake), the headers keep the same paths under include/voipsim.
  set_target_properties(voipsim_${part} PROPERTIES EXPORT_NAME ${part})
  target_include_directories(voipsim_${part} PUBLIC "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>"
                                                    "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>"
                                                    "$<INSTALL_INTERFACE:include/voipsim>")
  target_link_libraries(voipsim_${part} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
