// Every page's words read plainly: each template of the web front (the
// participant's, the officer's, finance's and the staff pages), rendered
// with every section shown and again with none, reads at Flesch reading
// ease above 95 by the same count the policy engine uses for its reasons.
#include <gtest/gtest.h>

#include <ostream>
#include <regex>
#include <set>
#include <string>

#include "policy/explain.h"
#include "web/html.h"
#include "web/staff_pages.h"

namespace reciprocity::web {
namespace {

// Every {{name}}, {{#name}} and {{^name}} of `text`: sections in
// `sections`, all in `names`.
void Names(const std::string& text, std::set<std::string>& names,
           std::set<std::string>& sections) {
  static const std::regex tag(R"(\{\{\{?([#^/]?)\s*([a-z_]+)\s*\}?\}\})");
  for (std::sregex_iterator it(text.begin(), text.end(), tag), end; it != end;
       ++it) {
    names.insert((*it)[2]);
    if ((*it)[1] == "#" || (*it)[1] == "^") sections.insert((*it)[2]);
  }
}

// `tmpl` with every name a short word, every section shown once.
std::string RenderAllShown(const std::string& tmpl) {
  std::set<std::string> names, sections;
  Names(tmpl, names, sections);
  Data item;
  for (const std::string& name : names) item.set(name, "Sam");
  Data page;
  for (const std::string& name : names) {
    if (sections.count(name) > 0) {
      Data list = List();
      list.push_back(item);
      page.set(name, list);
    } else {
      page.set(name, "Sam");
    }
  }
  return Render(tmpl, page);
}

// The words a reader sees: a block element ends a line (as a heading or
// list item ends a sentence), inline markup is dropped.
std::string VisibleText(const std::string& html) {
  static const std::regex block(
      R"(</?(p|li|h[1-6]|label|legend|button|option|th|td|span|div|ul|table|tr|section|textarea|select)\b[^>]*>)");
  static const std::regex other(R"(<[^>]*>)");
  std::string text = std::regex_replace(html, block, "\n");
  text = std::regex_replace(text, other, " ");
  text = std::regex_replace(text, std::regex("&quot;"), "\"");
  // Dates, times, amounts and ids (any word with a digit) are the records'
  // and the formats', not the page's words: left out, as the browser tests
  // leave them out.
  return std::regex_replace(text, std::regex(R"([^\s]*[0-9][^\s]*)"), "");
}

struct Template {
  const char* name;
  const char* html;
  friend void PrintTo(const Template& t, std::ostream* os) { *os << t.name; }
};

class PageWordsTest : public testing::TestWithParam<Template> {};

TEST_P(PageWordsTest, ReadsPlainly) {
  const std::string tmpl = GetParam().html;
  for (const std::string& html : {RenderAllShown(tmpl), Render(tmpl, Data())}) {
    const std::string text = VisibleText(html);
    EXPECT_GT(policy::FleschReadingEase(text), 95.0) << text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Pages, PageWordsTest,
    testing::Values(
        Template{"SignIn", tmpl::kSignIn}, Template{"Home", tmpl::kHome},
        Template{"PickMeeting", tmpl::kPickMeeting},
        Template{"ClaimForm", tmpl::kClaimForm},
        Template{"MyClaims", tmpl::kMyClaims},
        Template{"ClaimPage", tmpl::kClaimPage},
        Template{"Statement", tmpl::kStatement},
        Template{"PaymentPreference", tmpl::kPaymentPreference},
        Template{"OfficerToday", tmpl::kOfficerToday},
        Template{"Register", tmpl::kRegister},
        Template{"NewSession", tmpl::kNewSession},
        Template{"ReviewQueue", tmpl::kReviewQueue},
        Template{"Vouchers", tmpl::kVouchers},
        Template{"SignInCode", tmpl::kSignInCode},
        Template{"ReadyToPay", tmpl::kReadyToPay},
        Template{"BatchPage", tmpl::kBatchPage},
        Template{"SpendReport", tmpl::kSpendReport},
        Template{"Timeliness", tmpl::kTimeliness},
        Template{"Message", tmpl::kMessage},
        Template{"EditSession", tmpl::kEditSession},
        Template{"CancelSession", tmpl::kCancelSession},
        Template{"CorrectRegister", tmpl::kCorrectRegister},
        Template{"DecideVouchers", tmpl::kDecideVouchers},
        Template{"AmendClaim", tmpl::kAmendClaim},
        Template{"People", tmpl::kPeople}, Template{"Person", tmpl::kPerson},
        Template{"NewAgreement", tmpl::kNewAgreement},
        Template{"ActFor", tmpl::kActFor},
        Template{"HelpSomeone", tmpl::kHelpSomeone},
        Template{"PayFieldset", tmpl::kPayFieldset},
        Template{"Rules", tmpl::kRules}, Template{"WhatIf", tmpl::kWhatIf},
        Template{"VoucherBill", tmpl::kVoucherBill}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace reciprocity::web
