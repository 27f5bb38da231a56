#include "logs/field_names.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

TEST(FieldNamesTest, RoleNamesRoundTrip) {
  for (FieldRole role :
       {FieldRole::kTime, FieldRole::kLevel, FieldRole::kMessage, FieldRole::kService,
        FieldRole::kHost, FieldRole::kRequestId, FieldRole::kTraceId, FieldRole::kSpanId}) {
    ASSERT_FALSE(FieldRoleName(role).empty());
    EXPECT_EQ(FieldRoleNamed(FieldRoleName(role)), role) << FieldRoleName(role);
  }
  EXPECT_EQ(FieldRoleName(FieldRole::kNone), "");
  EXPECT_EQ(FieldRoleNamed("requestid"), FieldRole::kNone);
  EXPECT_EQ(FieldRoleNamed(""), FieldRole::kNone);
}

TEST(FieldNamesTest, SetTextFieldFillsPlainTextRolesOnly) {
  Event e;
  EXPECT_TRUE(SetTextField(FieldRole::kService, "pricing", &e));
  EXPECT_TRUE(SetTextField(FieldRole::kHost, "pod-1", &e));
  EXPECT_TRUE(SetTextField(FieldRole::kMessage, "pool exhausted", &e));
  EXPECT_TRUE(SetTextField(FieldRole::kRequestId, "req-1", &e));
  EXPECT_TRUE(SetTextField(FieldRole::kTraceId, "t1", &e));
  EXPECT_TRUE(SetTextField(FieldRole::kSpanId, "s1", &e));
  EXPECT_EQ(e.service, "pricing");
  EXPECT_EQ(e.host, "pod-1");
  EXPECT_EQ(e.message, "pool exhausted");
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_EQ(e.trace_id, "t1");
  EXPECT_EQ(e.span_id, "s1");
  // Time and level need parsing; kNone is an attribute: the caller's business.
  EXPECT_FALSE(SetTextField(FieldRole::kTime, "2026-05-29T14:11:08Z", &e));
  EXPECT_FALSE(SetTextField(FieldRole::kLevel, "error", &e));
  EXPECT_FALSE(SetTextField(FieldRole::kNone, "x", &e));
  EXPECT_EQ(e.time, kNoTime);
  EXPECT_EQ(e.level, Level::kUnknown);
}

TEST(FieldNamesTest, SetCorrelationIdLeavesServiceAndMessageAlone) {
  Event e;
  e.message = "GET /cart";
  EXPECT_FALSE(SetCorrelationId(FieldRole::kMessage, "other", &e));
  EXPECT_FALSE(SetCorrelationId(FieldRole::kService, "svc", &e));
  EXPECT_EQ(e.message, "GET /cart");
  EXPECT_TRUE(e.service.empty());
  EXPECT_TRUE(SetCorrelationId(FieldRole::kRequestId, "abc", &e));
  EXPECT_EQ(e.request_id, "abc");
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

TEST(FieldNamesTest, FindTellsDefaultKeysFromNearMisses) {
  const FieldNames& names = DefaultFieldNames();
  EXPECT_EQ(names.Find("ts").role, FieldRole::kTime);
  EXPECT_EQ(names.Find("msg").role, FieldRole::kMessage);
  EXPECT_EQ(names.Find("request_id").role, FieldRole::kRequestId);
  EXPECT_EQ(names.Find("http.request_id").role, FieldRole::kRequestId);
  EXPECT_EQ(names.Find("observedTimeUnixNano").role, FieldRole::kTime);  // > 16 bytes
  EXPECT_LT(names.Find("msg").priority, names.Find("event").priority);
  // Same length, one byte off, at the start, the middle and the end.
  for (std::string_view miss : {"xs", "tx", "mxg", "timesXamp", "Xtimestamp", "http.requeXt_id",
                                "observedTimeUnixNanx", "observedTimXUnixNano", "", "t.", "level "})
    EXPECT_EQ(names.Find(miss).role, FieldRole::kNone) << miss;
}

TEST(FieldNamesTest, AddedKeysWinAndAreFound) {
  FieldNames names;
  names.Add(FieldRole::kRequestId, "x-amzn-requestid-long-header");
  names.Add(FieldRole::kMessage, "event");
  EXPECT_EQ(names.Find("x-amzn-requestid-long-header").role, FieldRole::kRequestId);
  EXPECT_LT(names.Find("event").priority, names.Find("msg").priority);
}

TEST(FieldNamesTest, ProjectedKeepsRolesAndWantsOnlyTheListedAttributes) {
  KeyIndex wanted;
  wanted.Add("latency_ms");
  wanted.Add("event");  // a role's key: wanted when it loses to "msg" and becomes an attribute
  FieldNames projected = DefaultFieldNames().Projected(wanted);
  EXPECT_EQ(projected.Find("msg").role, FieldRole::kMessage);
  EXPECT_FALSE(projected.Find("msg").wanted);
  EXPECT_EQ(projected.Find("event").role, FieldRole::kMessage);
  EXPECT_TRUE(projected.Find("event").wanted);
  EXPECT_EQ(projected.Find("event").priority, DefaultFieldNames().Find("event").priority);
  EXPECT_EQ(projected.Find("latency_ms").role, FieldRole::kNone);
  EXPECT_TRUE(projected.Find("latency_ms").wanted);
  EXPECT_FALSE(projected.Find("path").wanted);
  // The table it was made from wants everything.
  EXPECT_TRUE(DefaultFieldNames().Find("path").wanted);
  EXPECT_TRUE(DefaultFieldNames().Find("msg").wanted);
}

}  // namespace
}  // namespace inquest
