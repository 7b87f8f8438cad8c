#pragma once
// The subcommands of `voipsim`. Each parses its own flags, calls the libraries, prints, and
// returns the process exit status: 0 success, 1 the job failed, 2 bad usage.

#include <string>
#include <vector>

namespace cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

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

int run(const std::vector<std::string>& args);
extern const char* const kRunHelp;
int demo(const std::vector<std::string>& args);
extern const char* const kDemoHelp;

} // namespace cli
