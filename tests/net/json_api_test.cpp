// The kit of voipsim's JSON APIs (net/json_api.hpp), as pure functions: the target split into
// segments and query, query parameters and body fields read strictly, the one error shape and
// its reading on the client's side.
#include "net/json_api.hpp"

#include <gtest/gtest.h>

namespace {

using nlohmann::json;

TEST(ParseTarget, SplitsBeforeDecodingSoASegmentMayHoldASlash) {
  const auto t = net::parse_target("/v1/users/a%2Fb/presence?x=1%202&flag&y=%26");
  EXPECT_EQ(t.path, "/v1/users/a/b/presence");
  EXPECT_EQ(t.segments, (std::vector<std::string>{"v1", "users", "a/b", "presence"}));
  EXPECT_EQ(t.query.at("x"), "1 2");
  EXPECT_EQ(t.query.at("flag"), "");
  EXPECT_EQ(t.query.at("y"), "&");
}

TEST(ParseTarget, AFinalSlashAddsNoSegmentAnEmptyMiddleOneStays) {
  EXPECT_EQ(net::parse_target("/v1/tokens/").segments, (std::vector<std::string>{"v1", "tokens"}));
  EXPECT_EQ(net::parse_target("/v1/users//presence").segments,
            (std::vector<std::string>{"v1", "users", "", "presence"}));
  EXPECT_TRUE(net::parse_target("/").segments.empty());
  EXPECT_TRUE(net::parse_target("/?a=b").segments.empty());
}

TEST(QueryReader, ReadsWhatTheEndpointTakes) {
  const auto t = net::parse_target("/x?limit=20&after=0&accepted=true&since=-5&token=ab");
  net::QueryReader q(t, {"limit", "after", "accepted", "since", "token", "absent"});
  EXPECT_EQ(q.count("limit"), 20u);
  EXPECT_EQ(q.count("after"), 0u);
  EXPECT_EQ(q.flag("accepted"), true);
  EXPECT_EQ(q.integer("since"), -5);
  EXPECT_EQ(q.text("token"), "ab");
  EXPECT_FALSE(q.count("absent"));
  EXPECT_FALSE(q.problem());
}

// Issue #24 point 4: ?limit=abc and after=-1 were accepted (read as the default).
TEST(QueryReader, AValueOfTheWrongFormIsA400ThatNamesIt) {
  for (const char* target : {"/x?limit=abc", "/x?limit=-1", "/x?limit=", "/x?limit=1e3",
                             "/x?limit=%2B5", "/x?limit=99999999999999999999"}) {
    const auto t = net::parse_target(target);
    net::QueryReader q(t, {"limit"});
    EXPECT_FALSE(q.count("limit")) << target;
    ASSERT_TRUE(q.problem()) << target;
    EXPECT_EQ(q.problem()->status, 400);
    EXPECT_EQ(q.problem()->code, "BAD_QUERY");
    EXPECT_NE(q.problem()->message.find("limit takes a whole number"), std::string::npos)
        << q.problem()->message;
  }
  const auto over = net::parse_target("/x?wait=61");
  net::QueryReader q(over, {"wait"});
  EXPECT_FALSE(q.count("wait", 60));
  ASSERT_TRUE(q.problem());
  EXPECT_NE(q.problem()->message.find("from 0 to 60"), std::string::npos) << q.problem()->message;

  const auto yes = net::parse_target("/x?accepted=yes");
  net::QueryReader flags(yes, {"accepted"});
  EXPECT_FALSE(flags.flag("accepted"));
  ASSERT_TRUE(flags.problem());
  EXPECT_NE(flags.problem()->message.find("true or false"), std::string::npos);
}

TEST(QueryReader, AnUnknownNameIsA400ThatListsTheKnownOnes) {
  const auto t = net::parse_target("/v1/journal?tokn=ab");
  net::QueryReader q(t, {"token", "limit"});
  ASSERT_TRUE(q.problem());
  EXPECT_EQ(q.problem()->code, "BAD_QUERY");
  EXPECT_NE(q.problem()->message.find("\"tokn\""), std::string::npos) << q.problem()->message;
  EXPECT_NE(q.problem()->message.find("token, limit"), std::string::npos) << q.problem()->message;

  const auto none = net::parse_target("/v1/health?x=1");
  net::QueryReader nothing(none, {});
  ASSERT_TRUE(nothing.problem());
  EXPECT_NE(nothing.problem()->message.find("takes none"), std::string::npos);
}

TEST(QueryReader, KeepsTheFirstProblem) {
  const auto t = net::parse_target("/x?a=x&b=y");
  net::QueryReader q(t, {"a", "b"});
  q.count("a");
  q.count("b");
  ASSERT_TRUE(q.problem());
  EXPECT_NE(q.problem()->message.find("a takes"), std::string::npos) << q.problem()->message;
}

net::Http1Request post(std::string body) {
  return {"POST", "/x", std::move(body)};
}

TEST(JsonBody, AnEmptyBodyIsAnEmptyObjectAndAnythingElseMustBeOne) {
  EXPECT_EQ(*net::json_body(post(""), "a thing"), json::object());
  EXPECT_EQ(*net::json_body(post(R"({"a":1})"), "a thing"), (json{{"a", 1}}));

  const auto broken = net::json_body(post("{nope"), "a thing");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, "BAD_JSON");
  EXPECT_EQ(broken.error().status, 400);
  EXPECT_NE(broken.error().message.find("a thing is not valid JSON"), std::string::npos)
      << broken.error().message;
  EXPECT_NE(broken.error().message.find("line 1"), std::string::npos) << broken.error().message;

  const auto array = net::json_body(post("[1]"), "a thing");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().code, "BAD_JSON");
  EXPECT_NE(array.error().message.find("must be a JSON object"), std::string::npos);
}

TEST(JsonBody, AFieldOutsideTheKnownOnesIsRefused) {
  const auto typo = net::json_body(post(R"({"stat":"online"})"), "a presence report", {"state"});
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().code, "BAD_REQUEST");
  EXPECT_NE(typo.error().message.find("unknown field \"stat\""), std::string::npos)
      << typo.error().message;
  EXPECT_TRUE(net::json_body(post(R"({"state":"online"})"), "a presence report", {"state"}));
}

TEST(ErrorResponse, IsTheOneShapeAndReadsBack) {
  const auto r = net::error_response({"NO_SUCH_TOKEN", "token ab is not registered", 404});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"NO_SUCH_TOKEN","message":"token ab is not registered"})"
                    "\n");
  const auto back = net::api_error_of(r.status, r.body);
  EXPECT_EQ(back.code, "NO_SUCH_TOKEN");
  EXPECT_EQ(back.message, "token ab is not registered");
  EXPECT_EQ(back.status, 404);

  const auto endpoint = net::no_such_endpoint("GET", "/v1/nothing");
  EXPECT_EQ(endpoint.status, 404);
  EXPECT_EQ(net::api_error_of(404, endpoint.body).code, "NO_SUCH_ENDPOINT");
}

TEST(ApiErrorOf, AnAnswerOutsideTheShapeKeepsItsStatusAndText) {
  const auto html = net::api_error_of(502, "<html>Bad Gateway</html>");
  EXPECT_EQ(html.code, "HTTP_502");
  EXPECT_EQ(html.message, "<html>Bad Gateway</html>");
  const auto other = net::api_error_of(500, R"({"detail":"x"})");
  EXPECT_EQ(other.code, "HTTP_500");
  EXPECT_EQ(other.message, R"({"detail":"x"})");
}

} // namespace
