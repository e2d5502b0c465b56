#include "web/correction_forms.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace reciprocity::web {

void FormErrors::Add(Data& target, const std::string& key,
                     const std::string& field_id, const std::string& words) {
  target.set(absl::StrCat(key, "_error"), words);
  Data e;
  e.set("field", field_id);
  e.set("message", words);
  list_.push_back(e);
  ++count_;
}

bool FormErrors::AddRefusal(const grpc::Status& refused,
                            absl::string_view api_field, Data& target,
                            const std::string& key,
                            const std::string& field_id) {
  const std::string words = RefusalOf(refused, api_field);
  if (words.empty()) return false;
  Add(target, key, field_id, words);
  return true;
}

void FormErrors::Show(Call& call, const std::string& title,
                      const std::string& body_template,
                      const std::string& not_done) {
  Finish(not_done);
  call.Page(title, body_template, page_, 422);
}

void FormErrors::Finish(const std::string& not_done) {
  page_.set("errors", list_);
  page_.set("problem_title", "There is a problem");
  page_.set("problem",
            absl::StrCat(not_done, " Please put right the things below."));
}

std::string RefusalOf(const grpc::Status& refused,
                      absl::string_view api_field) {
  if (refused.error_code() != grpc::StatusCode::INVALID_ARGUMENT &&
      refused.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
    return "";
  }
  const std::string message = refused.error_message();  // a copy
  absl::string_view words = message;
  if (!absl::ConsumePrefix(&words, api_field) ||
      !absl::ConsumePrefix(&words, ": ")) {
    return "";
  }
  std::string sentence(words);
  if (!sentence.empty()) sentence[0] = absl::ascii_toupper(sentence[0]);
  if (!absl::EndsWith(sentence, ".")) sentence += ".";
  return sentence;
}

void AddCorrectionPages(WebApp& app) {
  AddSessionCorrectionPages(app);
  AddAttendanceCorrectionPages(app);
  AddClaimAmendPages(app);
}

}  // namespace reciprocity::web
