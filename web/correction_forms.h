// What the correction pages share: errors shown next to their field and
// listed at the top, and a refusal from the service put next to the field
// it names.
#ifndef RECIPROCITY_WEB_CORRECTION_FORMS_H_
#define RECIPROCITY_WEB_CORRECTION_FORMS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "web/app.h"

namespace reciprocity::web {

// The errors of one form. Each sets {{<key>_error}} on `target` (the form,
// or one row of it) and links to the input with id `field_id` from the
// summary at the top.
class FormErrors {
 public:
  explicit FormErrors(Data& page) : page_(page) {}

  void Add(Data& target, const std::string& key, const std::string& field_id,
           const std::string& words);
  // When `refused` names `api_field` (RefusalOf), adds its words as the
  // error of `key` and returns true.
  bool AddRefusal(const grpc::Status& refused, absl::string_view api_field,
                  Data& target, const std::string& key,
                  const std::string& field_id);
  bool empty() const { return count_ == 0; }
  // Puts the summary on the page: `not_done` says what did not happen,
  // e.g. "Nothing is changed yet.".
  void Finish(const std::string& not_done);
  // Finish, then the page `body_template` with the form as typed (422).
  void Show(Call& call, const std::string& title,
            const std::string& body_template, const std::string& not_done);

 private:
  Data& page_;
  Data list_ = List();
  int count_ = 0;
};

// When `refused` is a refusal (INVALID_ARGUMENT or FAILED_PRECONDITION)
// whose message starts with "<api_field>: ", the rest as a sentence; else
// "". The service names the field it refuses, so its words go next to it.
std::string RefusalOf(const grpc::Status& refused, absl::string_view api_field);

// Corrections pages, by file.
void AddSessionCorrectionPages(WebApp& app);     // session_correction_pages
void AddAttendanceCorrectionPages(WebApp& app);  // attendance_correction_pages
void AddClaimAmendPages(WebApp& app);            // claim_amend_page

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_CORRECTION_FORMS_H_
