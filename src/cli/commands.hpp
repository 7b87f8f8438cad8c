#pragma once
// The subcommands of `voipsim`. Each reads its words into its Options (cli/<command>.hpp:
// args_of, then options_of, which reads no file and starts nothing), runs them, prints, and
// returns the process exit status: 0 success, 1 the job failed, 2 bad usage.

#include "cli/args.hpp"

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

namespace cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// SIGINT and SIGTERM blocked in this thread and in every thread started after it, so that the
// command takes them where it waits (sigwait, a signalfd) and no other thread is interrupted.
// Call it before starting any thread; the set it returns is what to wait on.
sigset_t block_stop_signals();
// "SIGINT" or "SIGTERM", as the stopped lines say.
const char* stop_signal_name(int signal);

// Says on stderr why `voipsim COMMAND` stops ("voipsim COMMAND: MESSAGE") and returns `status`.
// Bad usage (kExitUsage) also names the help to read: that of COMMAND's first word ('voipsim
// certs --help' for `certs issue`, whose usage is part of it).
int fail(const std::string& command, const std::string& message, int status);
// Bad usage said by the message alone, without the pointer to the help: kExitUsage.
int refuse(const std::string& command, const std::string& message);
// Writes a report or another text file whole; false, said on stderr ("voipsim: cannot write
// PATH"), when it cannot.
bool write_text(const std::filesystem::path& path, const std::string& text);

// `voipsim COMMAND WORDS`: the words to the command's Options (either step's error is bad usage,
// said with the pointer to the help, unless `options_errors_point_to_help` is false: then only a
// flag the command does not have does), then its run().
template <class Options>
int run_words(const std::string& command, const std::vector<std::string>& words,
              core::Result<Args> (*args_of)(const std::vector<std::string>&),
              core::Result<Options> (*options_of)(const Args&), int (*run)(const Options&),
              bool options_errors_point_to_help = true) {
  const auto args = args_of(words);
  if (!args) return fail(command, args.error().detail, kExitUsage);
  const auto options = options_of(*args);
  if (!options)
    return options_errors_point_to_help ? fail(command, options.error().detail, kExitUsage)
                                        : refuse(command, options.error().detail);
  return run(*options);
}

int selftest(const std::vector<std::string>& args);
extern const char* const kSelftestHelp;
int certs(const std::vector<std::string>& args);
// `voipsim certs issue ...`, reached through certs(); its usage is part of kCertsHelp.
int certs_issue(const std::vector<std::string>& args);
extern const char* const kCertsHelp;

int mock_apns(const std::vector<std::string>& args);
extern const char* const kMockApnsHelp;

int device(const std::vector<std::string>& args);
extern const char* const kDeviceHelp;

int pipeline(const std::vector<std::string>& args);
extern const char* const kPipelineHelp;

int up(const std::vector<std::string>& args);
extern const char* const kUpHelp;

int jwt(const std::vector<std::string>& args);
extern const char* const kJwtHelp;

int run(const std::vector<std::string>& args);
extern const char* const kRunHelp;
int demo(const std::vector<std::string>& args);
extern const char* const kDemoHelp;
int report(const std::vector<std::string>& args);
extern const char* const kReportHelp;

} // namespace cli
