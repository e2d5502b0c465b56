// The HTML the web front sends: the page layout, each page's template and
// the one style sheet, all compiled in (web/templates.cc, web/style.cc).
// Templates are Mustache (kainjow): everything substituted with {{name}} is
// HTML-escaped.
#ifndef RECIPROCITY_WEB_HTML_H_
#define RECIPROCITY_WEB_HTML_H_

#include <kainjow/mustache.hpp>
#include <string>

namespace reciprocity::web {

using Data = kainjow::mustache::data;

// An empty list, to push_back objects into.
inline Data List() { return Data(Data::type::list); }

// Renders `tmpl` with `data`. A broken template is a programming error:
// it renders as a short plain message.
std::string Render(const std::string& tmpl, const Data& data);

// The layout every page is rendered into: {{title}}, {{{body}}}, {{nav}},
// {{csrf}}, {{notice}}, {{problem}} ...
extern const char kLayout[];
// The style sheet served at /static/style.css.
extern const char kStyleSheet[];

namespace tmpl {
extern const char kSignIn[];
extern const char kHome[];
extern const char kPickMeeting[];
extern const char kClaimForm[];
extern const char kMyClaims[];
extern const char kClaimPage[];
extern const char kStatement[];
extern const char kPaymentPreference[];
extern const char kOfficerToday[];
extern const char kRegister[];
extern const char kNewSession[];
extern const char kReviewQueue[];
extern const char kVouchers[];
extern const char kSignInCode[];
extern const char kReadyToPay[];
extern const char kBatchPage[];
extern const char kSpendReport[];
extern const char kTimeliness[];
extern const char kMessage[];
// Corrections (web/correction_templates.cc).
extern const char kEditSession[];
extern const char kCancelSession[];
extern const char kCorrectRegister[];
extern const char kDecideVouchers[];
extern const char kAmendClaim[];
}  // namespace tmpl

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_HTML_H_
