#include "web/form_problems.h"

#include <gtest/gtest.h>

namespace reciprocity::web {
namespace {

std::string Text(const Data& page, const std::string& key) {
  const Data* value = page.get(key);
  return value != nullptr && value->is_string() ? value->string_value() : "";
}

TEST(FormProblemsTest, ARefusedFieldIsShownByItsFormField) {
  FormProblems problems;
  EXPECT_TRUE(problems.AddRefusal(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                   "agreement.date_to: must be on or after date_from"),
      {{"agreement.date_from", "date_from"},
       {"agreement.date_to", "date_to"}}));
  Data page;
  problems.Into(page, "Nothing is saved yet.");
  EXPECT_EQ(Text(page, "date_to_error"), "Must be on or after date_from.");
  EXPECT_EQ(Text(page, "problem_title"), "There is a problem");
  EXPECT_EQ(Text(page, "problem"),
            "Nothing is saved yet. Please put right the things below.");
  ASSERT_TRUE(page.get("errors")->is_non_empty_list());
}

TEST(FormProblemsTest, APositionInAFileKeepsItsCase) {
  FormProblems problems;
  EXPECT_TRUE(problems.AddRefusal(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                   "rule_file_text: draft.textproto:3:7: Expected integer"),
      {{"rule_file_text", "rules"}}, "There is a mistake in the draft at "));
  Data page;
  problems.Into(page, "x.");
  EXPECT_EQ(Text(page, "rules_error"),
            "There is a mistake in the draft at draft.textproto:3:7: "
            "Expected integer.");
}

TEST(FormProblemsTest, OtherRefusalsAreLeftToTheCaller) {
  FormProblems problems;
  EXPECT_FALSE(problems.AddRefusal(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "note: too long"),
      {{"agreement.note", "note"}}));
  EXPECT_FALSE(
      problems.AddRefusal(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                       "agreement.note: not yours"),
                          {{"agreement.note", "note"}}));
  EXPECT_FALSE(problems.AddRefusal(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, ""), {{"note", "note"}}));
  EXPECT_TRUE(problems.empty());
}

TEST(FormProblemsTest, DaysAreChecked) {
  FormProblems problems;
  problems.CheckDay("from", "2026-12-05", "bad");
  problems.CheckDay("to", "", "empty is fine here", /*may_be_empty=*/true);
  EXPECT_TRUE(problems.empty());
  problems.CheckDay("from", "05/12/2026", "Type a day like 2026-12-05.");
  problems.CheckDay("to", "", "Type the last day.");
  Data page;
  problems.Into(page, "x.");
  EXPECT_EQ(Text(page, "from_error"), "Type a day like 2026-12-05.");
  EXPECT_EQ(Text(page, "to_error"), "Type the last day.");
}

TEST(FormProblemsTest, TheMistakenLineIsQuoted) {
  Data page;
  QuoteMistakenLine(page, "rules", "a: 1\nb: 2\ncar: fifty  \n",
                    "rule_file_text: x.textproto:3:6: Expected integer");
  QuoteMistakenLine(page, "bill", "serial,value,date\nTS-1,3.205,2026-12-05",
                    "invoice_csv: 2:6: value: '3.205' is not an amount");
  QuoteMistakenLine(page, "none", "a\nb", "date_to: must be after 2026");
  QuoteMistakenLine(page, "past", "a\nb", "x.textproto:9:1: too far");
  EXPECT_EQ(Text(page, "rules_line"), "Line 3 reads: car: fifty");
  EXPECT_EQ(Text(page, "bill_line"), "Line 2 reads: TS-1,3.205,2026-12-05");
  EXPECT_EQ(page.get("none_line"), nullptr);
  EXPECT_EQ(page.get("past_line"), nullptr);
}

TEST(FormProblemsTest, EmptyTextIsNotSetForASection) {
  Data page;
  SetIfAny(page, "note", "");
  SetIfAny(page, "ended_by", "officer-2");
  EXPECT_EQ(page.get("note"), nullptr);
  EXPECT_EQ(Text(page, "ended_by"), "officer-2");
}

}  // namespace
}  // namespace reciprocity::web
