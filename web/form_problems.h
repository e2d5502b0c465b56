// What is wrong with a form, field by field, as the pages show it: each
// message next to its field ({{FIELD_error}}) and all of them in the
// summary at the top, each linked to its field ({{errors}}).
#ifndef RECIPROCITY_WEB_FORM_PROBLEMS_H_
#define RECIPROCITY_WEB_FORM_PROBLEMS_H_

#include <grpcpp/grpcpp.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "web/html.h"

namespace reciprocity::web {

class FormProblems {
 public:
  // `field` is the form field's id (the summary links to #field).
  void Add(const std::string& field, const std::string& message);

  // When `status` is a refusal of one request field ("field: why", as the
  // service words a bad argument, e.g. "agreement.date_to: must be on or
  // after date_from") whose request field is in `fields` (request field,
  // form field), adds `lead_in` and "why" for that form field and returns
  // true. Otherwise adds nothing and returns false.
  bool AddRefusal(
      const grpc::Status& status,
      std::initializer_list<std::pair<const char*, const char*>> fields,
      const std::string& lead_in = "");

  // Adds `words` for `field` unless `typed` is a day, YYYY-MM-DD (or
  // empty, when `may_be_empty`).
  void CheckDay(const std::string& field, const std::string& typed,
                const std::string& words, bool may_be_empty = false);

  bool empty() const { return problems_.empty(); }

  // Sets each {{FIELD_error}}, the {{errors}} list and the summary at the
  // top: "There is a problem" and `not_done` (e.g. "Nothing is saved
  // yet.").
  void Into(Data& page, const std::string& not_done) const;

 private:
  std::vector<std::pair<std::string, std::string>> problems_;
};

// When `message` points at a place in `text` ("name:LINE:COLUMN: why" or
// "LINE:COLUMN: why"), sets {{FIELD_line}} to that line as it reads, e.g.
// "Line 79 reads: pence_per_mile: fifty", so that it can be found in a
// long box. Otherwise sets nothing.
void QuoteMistakenLine(Data& page, const std::string& field,
                       absl::string_view text, absl::string_view message);

// Sets `key` only when `value` is not empty: Mustache (kainjow) renders
// {{#key}}...{{/key}} for an empty string too.
void SetIfAny(Data& data, const std::string& key, const std::string& value);

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_FORM_PROBLEMS_H_
