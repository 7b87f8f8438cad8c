// Xcode's simulator push file (.apns) and injecting it into a device.

#include "fake_device/apns_file.hpp"
#include "fake_device/device_fixture.hpp"
#include "fake_device/error.hpp"

#include <random>
#include <string>

namespace fake_device::testing {
namespace {

TEST(ApnsFile, AlertFileAsXcodeWritesIt) {
  const auto file = parse_apns_file(R"({
    "Simulator Target Bundle": "com.example.imapp",
    "aps": {"alert": {"title": "Hi", "body": "there"}, "sound": "default"},
    "custom": 1
  })");
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->bundle_id, "com.example.imapp");
  EXPECT_EQ(file->kind, PushKind::Alert);
  // The target key is not part of the payload; the rest keeps its order.
  EXPECT_EQ(file->payload,
            R"({"aps":{"alert":{"title":"Hi","body":"there"},"sound":"default"},"custom":1})");
}

TEST(ApnsFile, VoipTopicAsTargetMakesAVoipPush) {
  const auto file = parse_apns_file(
      R"({"Simulator Target Bundle":"com.example.imapp.voip","sender":"alice","ext":"{}"})");
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->bundle_id, "com.example.imapp");
  EXPECT_EQ(file->kind, PushKind::Voip);
  EXPECT_EQ(file->payload, R"({"sender":"alice","ext":"{}"})");
}

TEST(ApnsFile, RejectsWhatXcodeWouldRejectWithAReason) {
  struct Case {
    const char* name;
    std::string text;
    const char* reason_part;
  };
  const Case cases[] = {
      {"empty", "", "not valid JSON"},
      {"not json", "hello", "not valid JSON"},
      {"truncated", R"({"Simulator Target Bundle":"a")", "not valid JSON"},
      {"array", R"([{"Simulator Target Bundle":"a"}])", "not a JSON object"},
      {"string", R"("x")", "not a JSON object"},
      {"no target", R"({"aps":{"alert":"x"}})", "missing \"Simulator Target Bundle\""},
      {"target not string", R"({"Simulator Target Bundle":5,"aps":{}})", "non-empty string"},
      {"target empty", R"({"Simulator Target Bundle":"","aps":{}})", "non-empty string"},
      {"alert without aps", R"({"Simulator Target Bundle":"com.a"})", "\"aps\" object"},
      {"aps not object", R"({"Simulator Target Bundle":"com.a","aps":1})", "\"aps\" object"},
      {"bad utf-8", std::string("{\"Simulator Target Bundle\":\"\xff\"}"), "not UTF-8"},
      {"voip too big",
       R"({"Simulator Target Bundle":"com.a.voip","x":")" + std::string(5200, 'a') + "\"}",
       "limit for voip pushes is 5120"},
      {"alert too big",
       R"({"Simulator Target Bundle":"com.a","aps":{},"x":")" + std::string(4100, 'a') + "\"}",
       "limit for alert pushes is 4096"},
      {"file too big", std::string(kMaxApnsFileSize + 1, ' '), "at most"},
  };
  for (const auto& c : cases) {
    const auto file = parse_apns_file(c.text);
    ASSERT_FALSE(file) << c.name;
    EXPECT_EQ(file.error().code, Errc::InvalidApnsFile) << c.name;
    EXPECT_NE(file.error().detail.find(c.reason_part), std::string::npos)
        << c.name << ": " << file.error().detail;
  }
}

// apns-provider-api.md §4.4 (vectors V04-V07): at most 5120 bytes for VoIP, 4096 for other
// pushes. A .apns push skips the mock, so the parser applies the limits to the payload it will
// inject: compact JSON without the target key.
TEST(ApnsFile, PayloadLimitsHoldAtTheExactBoundary) {
  // {"x":"aa..."} is 8 bytes plus the a's; an alert needs "aps" first: {"aps":{},"x":"aa..."}.
  const auto file_with_payload_of = [](PushKind kind, std::size_t size) {
    const bool voip = kind == PushKind::Voip;
    const std::size_t overhead = voip ? 8 : 17;
    return std::string(R"({"Simulator Target Bundle":)") +
           (voip ? R"("com.a.voip",)" : R"("com.a","aps":{},)") + R"("x":")" +
           std::string(size - overhead, 'a') + R"("})";
  };
  struct Case {
    PushKind kind;
    std::size_t payload_size;
    bool accepted;
  };
  const Case cases[] = {
      {PushKind::Voip, kMaxVoipPayload, true},
      {PushKind::Voip, kMaxVoipPayload + 1, false},
      {PushKind::Alert, kMaxAlertPayload, true},
      {PushKind::Alert, kMaxAlertPayload + 1, false},
  };
  static_assert(kMaxVoipPayload == 5120 && kMaxAlertPayload == 4096);
  for (const auto& c : cases) {
    const auto file = parse_apns_file(file_with_payload_of(c.kind, c.payload_size));
    const std::string name = std::string(to_string(c.kind)) + " " + std::to_string(c.payload_size);
    ASSERT_EQ(file.has_value(), c.accepted) << name;
    if (file) {
      EXPECT_EQ(file->kind, c.kind) << name;
      EXPECT_EQ(file->payload.size(), c.payload_size) << name;
    } else {
      EXPECT_NE(file.error().detail.find("payload is " + std::to_string(c.payload_size)),
                std::string::npos)
          << name << ": " << file.error().detail;
    }
  }
}

TEST(ApnsFile, NeverCrashesOnMutatedOrDeeplyNestedInput) {
  const std::string seed =
      R"({"Simulator Target Bundle":"com.example.imapp.voip","aps":{"alert":"x"},"n":[1,2.5,null,true]})";
  std::mt19937_64 random(1234);
  for (int i = 0; i < 5000; ++i) {
    std::string text = seed;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      const auto at = random() % (text.size() + 1);
      switch (random() % 3) {
      case 0:
        text.insert(at, 1, static_cast<char>(random() % 256));
        break;
      case 1:
        if (at < text.size()) text.erase(at, 1);
        break;
      default:
        if (at < text.size()) text[at] = static_cast<char>(random() % 256);
        break;
      }
    }
    (void)parse_apns_file(text);
  }
  // A million levels, which once ran a server's stack out (issue #26), is refused by its size;
  // 30,000 by its depth.
  const auto huge = parse_apns_file(std::string(1'000'000, '[') + std::string(1'000'000, ']'));
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().detail.find("2000000 bytes"), std::string::npos) << huge.error().detail;
  const auto too_deep = parse_apns_file(std::string(30000, '[') + std::string(30000, ']'));
  ASSERT_FALSE(too_deep);
  EXPECT_NE(too_deep.error().detail.find("nested deeper than 64"), std::string::npos);
  const std::string deep_object = R"({"Simulator Target Bundle":"com.a.voip","x":)" +
                                  std::string(30000, '[') + std::string(30000, ']') + "}";
  const auto refused = parse_apns_file(deep_object);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("nested deeper than 64"), std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_TRUE(parse_apns_file(R"({"Simulator Target Bundle":"com.a.voip","x":")" +
                              std::string(100, '[') + R"(\"{"})"));
}

TEST_F(DeviceTest, ApnsFile_InjectedVoipPushRingsLikeADeliveredOne) {
  install_in_background();
  const auto file =
      parse_apns_file(R"({"Simulator Target Bundle":"com.example.imapp.voip","sender":"alice"})");
  ASSERT_TRUE(file);
  const auto id = device_.inject(*file);
  ASSERT_TRUE(id) << id.error().message();
  EXPECT_TRUE(has(DeviceEventKind::PushArrived, *id));
  EXPECT_TRUE(has(DeviceEventKind::CallShown, *id));
}

TEST_F(DeviceTest, ApnsFile_InjectedAlertNeedsTheAlertToken) {
  install_in_background();
  const auto file =
      parse_apns_file(R"({"Simulator Target Bundle":"com.example.imapp","aps":{"alert":"x"}})");
  ASSERT_TRUE(file);
  EXPECT_EQ(device_.inject(*file).error().code, Errc::NoToken);
  ASSERT_TRUE(device_.register_remote_notifications(kBundle));
  const auto id = device_.inject(*file);
  ASSERT_TRUE(id);
  EXPECT_TRUE(has(DeviceEventKind::AlertDelivered, *id));
}

TEST_F(DeviceTest, ApnsFile_InjectFailsForAnUnknownAppOrAnUnreachableDevice) {
  install_in_background();
  const auto other =
      parse_apns_file(R"({"Simulator Target Bundle":"com.example.other.voip","sender":"a"})");
  ASSERT_TRUE(other);
  EXPECT_EQ(device_.inject(*other).error().code, Errc::UnknownApp);
  device_.set_reachability(Reachability::PoweredOff);
  const auto file =
      parse_apns_file(R"({"Simulator Target Bundle":"com.example.imapp.voip","sender":"a"})");
  ASSERT_TRUE(file);
  EXPECT_EQ(device_.inject(*file).error().code, Errc::InvalidState);
}

} // namespace
} // namespace fake_device::testing
