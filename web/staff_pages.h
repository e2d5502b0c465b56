// What the staff pages of the officer's and finance's working week share
// (a person's record, standing agreements, acting for someone, helping
// someone as their appointee, the rules
// and a try of a rule change, a voucher bill): their HTML (in
// people_templates.cc and rule_templates.cc) and small helpers (in
// staff_pages.cc).
#ifndef RECIPROCITY_WEB_STAFF_PAGES_H_
#define RECIPROCITY_WEB_STAFF_PAGES_H_

#include <string>

#include "web/app.h"

namespace reciprocity::web {

// "2026-12-05", today in London.
std::string TodayText();

// One row per service area for a table or a <select>: {{id}}
// ("adult-social-care"), {{label}}, {{version}}, {{projects}} (how many)
// and {{selected}} when the form's "area" names it. Asked as the visitor.
grpc::Status AreaRows(Call& call, Data* rows);

// Shows the form page `body_template` with `page` (what was typed, any
// problems): under the plain-English reason when `refused` is not OK
// (Call::Failed), otherwise with `http_status`.
void ShowForm(Call& call, const std::string& title, const char* body_template,
              Data page, const grpc::Status& refused, int http_status);

}  // namespace reciprocity::web

namespace reciprocity::web::tmpl {

extern const char kPeople[];
extern const char kPerson[];
extern const char kNewAgreement[];
extern const char kActFor[];
extern const char kHelpSomeone[];
extern const char kPayFieldset[];  // {{>pay_fieldset}} of the two above
extern const char kRules[];
extern const char kWhatIf[];
extern const char kVoucherBill[];

}  // namespace reciprocity::web::tmpl

#endif  // RECIPROCITY_WEB_STAFF_PAGES_H_
